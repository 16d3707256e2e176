"""Sorted searches above the count cap are read window by window along the sort key (publication hour, pay
steps, grid cells around the point): pages must still list every match exactly in the plain list's order —
ties, postings without a point, closed ones, a posting published after the estimates were cached — on SQLite
and PostgreSQL."""

import datetime as dt
import importlib
import random
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hongniang.search import engine
from hongniang.search import results as results_mod
from hongniang.search import windows as windows_mod
from hongniang.search.models import PostingSearchEntry
from hongniang.search.selectors import filter_postings, search_postings
from hongniang.testing.factories import JobPostingFactory

pytestmark = pytest.mark.django_db

POINT = {"lat": "25.88", "lon": "116.02"}


@pytest.fixture
def spread(enterprise, regions):
    """170 postings spread over a year of publication (most in the last twelve days), 1,000–25,000 yuan a month and 60 km around Ruijin;
    some share a publication time or a point, some have no point, some are closed (seeded)."""
    rnd = random.Random(29)
    now = timezone.now()
    # most within the last twelve days (a few per 16-hour bucket: a window that lost one edge bucket would
    # lose postings), the others over a year
    stamps = [now - dt.timedelta(minutes=rnd.randrange(0, 60 * 24 * (12 if k % 3 else 400))) for k in range(90)]
    made = []
    for i in range(170):
        lo = rnd.choice([rnd.randrange(1000, 9000, 50), rnd.randrange(9000, 25000, 500)])
        placed = rnd.random() > 0.12
        made.append(JobPostingFactory(
            enterprise=enterprise, title=rnd.choice(["普工", "缝纫工", "装配工", "保洁员"]),
            description=rnd.choice(["包吃住，长白班", "计件", ""]),
            region=rnd.choice([regions["v_xianghu"], regions["v_jiubao"]]),
            shift=rnd.choice(["day", "two_shift"]), monthly_min=lo, monthly_max=lo + rnd.randrange(0, 3000, 250),
            published_at=rnd.choice(stamps),
            lat=(25.6 + rnd.random() * 0.6 if rnd.random() < 0.8 else 25.88) if placed else None,
            lon=(115.7 + rnd.random() * 0.7 if rnd.random() < 0.8 else 116.02) if placed else None,
            status="published" if i % 9 else "closed"))
    return made


def pages_of(params, size):
    results, _ = search_postings(params)
    out, k = [], 0
    while True:
        page = [p.pk for p in results[k : k + size]]
        out += page
        if len(page) < size:
            return out, results
        k += size


@pytest.mark.parametrize("sort", ["newest", "pay", "distance"])
@pytest.mark.parametrize("filters", [{}, {"shift": "day"}, {"township": "360781100000"}, {"pay_min": "5230"}],
                         ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize("q,share", [("工", None), ("保洁", 1.0)], ids=["estimated", "overestimated"])
def test_windowed_pages_list_every_match_in_the_list_order(spread, monkeypatch, sort, filters, q, share):
    """`overestimated`: the windows are sized as if every posting matched, so a page takes several windows
    and usually the last one (everything left)."""
    monkeypatch.setattr(results_mod, "COUNT_CAP", 3)
    if share is not None:
        monkeypatch.setattr(engine.SortedResults, "_share", lambda self: share)
    params = {**filters, **POINT, "q": q, "sort": sort}
    expected = list(filter_postings(params).values_list("pk", flat=True))
    assert len(expected) > 10
    for size in (7, 20):
        got, results = pages_of(params, size)
        assert results.matched_ids() is None  # above the cap: the windows, not the known ids
        assert got == expected, f"page size {size}"


@pytest.mark.parametrize("near", [1, 4])
def test_far_cells_taken_together_still_sort_exactly(spread, monkeypatch, near):
    """Only the nearest NEAR_CELLS grid cells are units of their own; the rest, with the postings without a
    point, is the last window."""
    monkeypatch.setattr(results_mod, "COUNT_CAP", 3)
    monkeypatch.setattr(windows_mod, "NEAR_CELLS", near)
    params = {**POINT, "q": "工", "sort": "distance"}
    expected = list(filter_postings(params).values_list("pk", flat=True))
    assert pages_of(params, 9)[0] == expected


@pytest.mark.parametrize("sort", ["newest", "pay", "distance"])
def test_the_first_page_reads_windows_not_every_match(spread, monkeypatch, sort):
    """The first window holds about 1.5 × a page of matches, not all 140: the page takes more than one window
    only when the estimate falls short, and the rows the posting table sorts stay few."""
    monkeypatch.setattr(results_mod, "COUNT_CAP", 3)
    params = {**POINT, "q": "工", "sort": sort}
    results, _ = search_postings(params)
    results.count()
    seen = []

    def read(qs, start, stop):
        seen.append(qs.count())  # the window's matches, all of them
        return list(qs.values_list("pk", flat=True)[start:stop])

    ids = results._windowed(5, read)
    total = filter_postings(params).count()
    assert len(ids) == 5 and seen
    assert sum(seen) < total / 2, f"windows held {seen} of {total} matches"


def test_a_posting_published_after_the_estimates_were_cached_comes_first(spread, enterprise, monkeypatch):
    monkeypatch.setattr(results_mod, "COUNT_CAP", 3)
    params = {"q": "工", "sort": "newest"}
    search_postings(params)[0].ids(0, 5)  # caches the per-hour counts
    assert engine._hist
    fresh = JobPostingFactory(enterprise=enterprise, title="普工", published_at=timezone.now())
    results, _ = search_postings(params)
    assert results.ids(0, 3)[0] == fresh.pk
    assert results.ids(0, 200) == list(filter_postings(params).values_list("pk", flat=True))


def test_range_tokens_cover_exactly_the_range():
    for lo, hi in [(0, 1), (3, 70), (64, 128), (1000, 1333), (17, 18), (5, 4101)]:
        covered = []
        for tok in engine._range_tokens("pd", engine.PUB_SHIFTS, lo, hi):
            s, b = (int(x) for x in tok.removeprefix("zzfpd").split("x"))
            size = 1 << (s - engine.PUB_SHIFTS[0])
            covered += range(b * size, (b + 1) * size)
        assert covered == list(range(lo, hi))


def test_the_migration_writes_the_tokens_the_index_writes(spread):
    """Migration 0005 appends, in SQL, exactly the sort-key tokens `posting_filter_tokens` gives."""
    fresh = {e.posting_id: e.filters for e in PostingSearchEntry.objects.all()}
    for e in PostingSearchEntry.objects.exclude(filters=""):
        e.filters = " ".join(t for t in e.filters.split() if not t.startswith(("zzfpd", "zzfgeo")))
        e.save(update_fields=["filters"])
    migration = importlib.import_module("hongniang.search.migrations.0005_sort_key_tokens")
    migration.append_tokens(None, SimpleNamespace(connection=connection))  # it needs only the connection
    again = {e.posting_id: e.filters for e in PostingSearchEntry.objects.all()}
    assert {k: sorted(v.split()) for k, v in again.items()} == {k: sorted(v.split()) for k, v in fresh.items()}
    assert sum("zzfgeo" in v for v in again.values()) > 100


def test_a_sorted_page_above_the_cap_is_a_few_statements(spread, monkeypatch):
    monkeypatch.setattr(results_mod, "COUNT_CAP", 3)
    search_postings({"q": "工", "sort": "pay"})[0].ids(0, 20)  # estimates cached
    for sort in ("newest", "pay", "distance"):
        results, _ = search_postings({**POINT, "q": "工", "sort": sort})
        results.count()
        with CaptureQueriesContext(connection) as ctx:
            results.ids(0, 20)
        assert 1 <= len(ctx.captured_queries) <= 6, sort


@pytest.mark.parametrize("sort", ["newest", "pay", "distance"])
@pytest.mark.parametrize("cap", [3, 200])
def test_a_sorted_page_comes_with_its_places_from_the_sorting_statement(spread, monkeypatch, sort, cap):
    """The postings of a page are read by the statement that sorts them, with enterprise, township, region and
    occupation in place — by distance, ids first and then the postings by id (see SortedResults)."""
    monkeypatch.setattr(results_mod, "COUNT_CAP", cap)
    results, _ = search_postings({**POINT, "q": "工", "sort": sort})
    results.count()
    search_postings({**POINT, "q": "工", "sort": sort})[0][0:10]  # estimates and reference rows cached
    with CaptureQueriesContext(connection) as ctx:
        page = results[0:10]
        shown = [(p.title, p.enterprise.name, p.region.name, p.township.name, p.occupation.name) for p in page]
    assert len(shown) == 10
    sorting = [q for q in ctx.captured_queries if "ORDER BY" in q["sql"]]
    by_id = len(ctx.captured_queries) - len(sorting)
    assert by_id == (1 if sort == "distance" else 0)
    assert len(sorting) == 1 or (results.matched_ids() is None and len(sorting) <= 4)
