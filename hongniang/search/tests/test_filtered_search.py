"""A search with list filters finds exactly what the filters and the words select, in relevance order, and
follows every change of a posting — on SQLite and PostgreSQL (the filters are words in the full-text index)."""

import itertools
import random

import pytest

from hongniang.jobs import services
from hongniang.jobs.models import JobPosting
from hongniang.search import engine
from hongniang.search import results as results_mod
from hongniang.search.apps import _analyze
from hongniang.search.models import PostingSearchEntry
from hongniang.search.selectors import filter_postings, search_postings
from hongniang.testing.factories import JobPostingFactory

pytestmark = pytest.mark.django_db

TITLES = ["缝纫工", "普工", "保洁员", "电子厂操作工", "仓管"]
DESCS = ["计件，包吃住", "长白班，缝纫车间", "两班倒", "写字楼清洁", ""]


@pytest.fixture
def market(enterprise, regions, occupations):
    """40 postings with mixed titles, places, shifts, benefits, pay and status (seeded)."""
    rnd = random.Random(7)
    occs = [occupations["6-05-01-03"], occupations["6-25-04-01"], occupations["4-09-08-01"], None]
    made = []
    for i in range(40):
        lo = rnd.randrange(1200, 9000, 100)
        made.append(JobPostingFactory(
            enterprise=enterprise, title=rnd.choice(TITLES), description=rnd.choice(DESCS),
            occupation=rnd.choice(occs), region=rnd.choice([regions["v_xianghu"], regions["v_jiubao"]]),
            shift=rnd.choice(["day", "two_shift", "part_time"]), board=rnd.random() < 0.5,
            lodging=rnd.random() < 0.4, shuttle=rnd.random() < 0.3, social_insurance=rnd.random() < 0.3,
            monthly_min=lo, monthly_max=lo + rnd.randrange(0, 3000, 100),
            status="published" if i % 5 else "closed"))
    return made


def ranked(params):
    results, _ = search_postings(params)
    return [p.pk for p in results[0:1000]], results.count()


FILTER_CASES = [
    {},
    {"township": "360781103000"},
    {"shift": "two_shift", "benefits": ["board"]},
    {"occupation": "6"},  # a major group: every occupation under it
    {"occupation": "6-05-01-03", "township": "360781100000"},
    {"pay_min": "5000"},  # on a pay step: tokens only
    {"pay_min": "5230", "benefits": ["lodging", "shuttle"]},  # between steps: re-checked on the posting table
    {"pay_max": "4000"},
    {"pay_max": "3333", "pay_min": "1000"},
    {"pay_min": "30000"},  # above every step
    {"township": "360781103000", "shift": "day", "pay_min": "4500", "benefits": ["social_insurance"]},
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: ",".join(f) or "none")
@pytest.mark.parametrize("q", ["工", "缝纫", "普工", "包吃住 长白班"])
def test_search_with_filters_finds_exactly_the_filtered_matches(market, filters, q):
    expected = set(filter_postings({**filters, "q": q}).values_list("pk", flat=True))
    ids, count = ranked({**filters, "q": q})
    assert set(ids) == expected
    assert count == len(expected) == len(ids)
    assert all(p.status == "published" for p in JobPosting.objects.filter(pk__in=ids))


def test_title_matches_come_first_then_newest_and_pages_join_up(market):
    ids, count = ranked({"q": "缝纫"})
    posts = JobPosting.objects.in_bulk(ids)
    in_title = [bool("缝纫" in posts[i].title or posts[i].occupation and (
        "缝纫" in posts[i].occupation.name or "缝纫" in posts[i].occupation.common_label)) for i in ids]
    assert in_title == sorted(in_title, reverse=True), "a description-only match came before a title match"
    assert True in in_title and False in in_title
    first = [i for i, t in zip(ids, in_title, strict=True) if t]
    rest = [i for i, t in zip(ids, in_title, strict=True) if not t]
    assert first == sorted(first, reverse=True) and rest == sorted(rest, reverse=True)
    results, _ = search_postings({"q": "缝纫"})
    pages = list(itertools.chain.from_iterable(results[k:k + 3] for k in range(0, count, 3)))
    assert [p.pk for p in pages] == ids


def test_closing_a_posting_drops_it_from_search(market, enterprise, hr):
    posting = JobPostingFactory(enterprise=enterprise, title="叉车司机", description="持证上岗")
    assert ranked({"q": "叉车"})[0] == [posting.pk]
    services.posting_close(actor=hr, posting=posting, reason="招满了")
    assert ranked({"q": "叉车"}) == ([], 0)


def test_editing_pay_and_shift_moves_the_posting_between_filters(market, enterprise, hr):
    posting = JobPostingFactory(enterprise=enterprise, title="叉车司机", shift="day", monthly_min=3000,
                                monthly_max=3500)
    assert ranked({"q": "叉车", "pay_min": "5000"})[0] == []
    data = services.posting_for_form(posting)
    data.update(pay_min="5200", pay_max="6500", shift="two_shift")
    services.posting_update(actor=hr, posting=posting, data=data)
    assert ranked({"q": "叉车", "pay_min": "5000", "shift": "two_shift"})[0] == [posting.pk]
    assert ranked({"q": "叉车", "shift": "day"})[0] == []


def test_a_posting_changed_behind_the_index_is_not_shown(market, enterprise):
    posting = JobPostingFactory(enterprise=enterprise, title="叉车司机")
    JobPosting.objects.filter(pk=posting.pk).update(status="closed")  # no service call, no re-index
    results, _ = search_postings({"q": "叉车"})
    assert list(results[0:20]) == []


def test_entries_without_filter_tokens_are_reindexed_after_migrate(market):
    PostingSearchEntry.objects.update(filters="", head="")
    assert ranked({"q": "缝纫", "township": "360781100000"})[1] == 0
    _analyze(sender=None)
    expected = set(filter_postings({"q": "缝纫", "township": "360781100000"}).values_list("pk", flat=True))
    assert expected and set(ranked({"q": "缝纫", "township": "360781100000"})[0]) == expected


def test_query_filter_tokens_say_when_the_posting_table_must_recheck():
    assert engine.query_filter_tokens(pay_min=5000)[1] is True
    assert engine.query_filter_tokens(pay_min=5230)[1] is False
    assert engine.query_filter_tokens(pay_max=99999)[1] is False
    tokens, exact = engine.query_filter_tokens(township="360781100000", occupation="6-05", shift="two_shift",
                                               benefits=["board"])
    assert exact and tokens == ["zzfts360781100000xtwoshift", "zzfoc6x05", "zzfbboard"]
    assert engine.query_filter_tokens() == (["zzfstpublished"], True)
    assert engine.query_filter_tokens(township="360781100000", pay_min=4500)[0] == [
        "zzftw360781100000", "zzftp360781100000x4500"]


def test_list_page_counts_facets_of_the_matches(client, market):
    r = client.get("/jobs/", {"q": "缝纫"})
    assert r.status_code == 200
    n = filter_postings({"q": "缝纫"}).count()
    xianghu = filter_postings({"q": "缝纫", "township": "360781100000"}).count()
    body = r.content.decode()
    assert f"共找到 <b>{n}</b> 个岗位" in body
    assert f"象湖镇 {xianghu}" in body


def test_list_page_leaves_out_facets_above_the_count_cap(client, market, monkeypatch):
    monkeypatch.setattr(results_mod, "COUNT_CAP", 3)
    r = client.get("/jobs/", {"q": "工"})
    body = r.content.decode()
    assert "共找到 <b>3+</b>" in body
    assert "按乡镇、班次、福利看数量" not in body


def test_above_the_count_cap_pages_still_list_every_match_once(market, monkeypatch):
    monkeypatch.setattr(results_mod, "COUNT_CAP", 4)
    expected = set(filter_postings({"q": "工"}).values_list("pk", flat=True))
    assert len(expected) > 10
    results, _ = search_postings({"q": "工"})
    assert results.count() == 5 and results.capped
    newest = sorted(expected, reverse=True)
    pages = [p.pk for k in range(0, len(expected) + 6, 3) for p in results[k:k + 3]]
    assert sorted(pages) == sorted(expected)  # each once
    assert set(pages[:5]) == set(newest[:5])  # the newest five, title matches first
    assert pages[5:] == newest[5:]  # then older ones, newest first


def test_newest_matches_are_found_across_a_wide_spread_of_ids(enterprise, monkeypatch):
    """Matches dense among the newest ids, absent for a long stretch, then sparse far back: whatever the cap,
    the search returns exactly the newest matches a full scan gives, newest first, then older ones each once
    (on PostgreSQL the newest are read window by window: several statements)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rnd = random.Random(11)
    dense = list(range(399_990, 399_500, -7))  # 70 matches among the newest 500 ids
    sparse = sorted(rnd.sample(range(1, 300_000), 90), reverse=True)
    others = rnd.sample(range(300_000, 399_400), 30)  # newer than the sparse ones, not matching
    for pk in dense + sparse:
        JobPostingFactory(id=pk, enterprise=enterprise, title="缝纫工", description="计件")
    for pk in others:
        JobPostingFactory(id=pk, enterprise=enterprise, title="保洁员", description="写字楼清洁", occupation=None)
    matches = dense + sparse
    assert set(filter_postings({"q": "缝纫"}).values_list("pk", flat=True)) == set(matches)
    for cap in (3, 60, 75, 120, 200):
        monkeypatch.setattr(results_mod, "COUNT_CAP", cap)
        results, _ = search_postings({"q": "缝纫"})
        with CaptureQueriesContext(connection) as ctx:
            count = results.count()
        assert count == min(cap + 1, len(matches))
        assert results.ids(0, cap + 1) == matches[: cap + 1]
        pages = [p.pk for k in range(0, len(matches) + 10, 25) for p in results[k : k + 25]]
        assert pages == matches
        if connection.vendor == "postgresql" and cap >= 75:
            assert len(ctx.captured_queries) >= 3, "the newest ids were not read window by window"


@pytest.mark.parametrize(("missing", "found", "covered", "below"), [
    (181, 20, 400, 99_600), (10, 190, 512, 99_000), (150, 51, 300, 1_000_000), (100, 10, 8000, 1_000_000)])
def test_each_window_is_the_smallest_that_should_hold_what_is_missing(missing, found, covered, below):
    want = 1.5 * missing * covered / found
    shift, k = engine.next_window(missing, found, covered, below, steps=1)
    top = (below - 1) >> shift

    def size(s, n):
        return below - max(0, (((below - 1) >> s) - n + 1) << s)

    assert size(shift, k) >= want  # holds what is missing at the density seen so far, with a margin
    smaller = [(s, n) for s in engine.ID_SHIFTS for n in range(1, 5) if size(s, n) < size(shift, k)]
    assert all(size(s, n) < want for s, n in smaller)
    assert top - k + 1 >= 0


def test_the_last_window_reads_everything_left():
    assert engine.next_window(200, 0, 512, 10_000, steps=1) is None  # nothing seen: the rest is one read
    assert engine.next_window(150, 51, 300, 100_000, steps=5) is None  # after five statements
    assert engine.next_window(200, 0, 1000, 100_000_000, steps=1) is None  # larger than any window


def test_a_results_page_is_one_statement_and_shows_renamed_places(market, regions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results, _ = search_postings({"q": "工"})
    results.count()
    results[0:10]  # the first page of a process also reads the regions and occupations it shows
    with CaptureQueriesContext(connection) as ctx:
        page = results[10:20]
        shown = [(p.enterprise.name, p.township.name, p.region.name, p.occupation and p.occupation.name)
                 for p in page]
    assert len(shown) == 10 and len(ctx.captured_queries) == 1
    region = type(page[0].region).objects.get(pk=page[0].region_id)  # renamed elsewhere (admin, an import)
    region.name = "新地名村"
    region.save()
    again, _ = search_postings({"q": "工"})
    assert "新地名村" in [p.region.name for p in again[0:40]]


@pytest.mark.parametrize("sort", ["newest", "pay", "distance"])
@pytest.mark.parametrize("cap", [3, 200])
@pytest.mark.parametrize("filters", [{}, {"township": "360781103000"}, {"shift": "two_shift", "benefits": ["board"]},
                                     {"pay_min": "5230"}], ids=lambda f: ",".join(f) or "none")
def test_sorted_searches_list_every_match_in_the_list_order(market, monkeypatch, sort, cap, filters):
    """sort=newest / pay / distance with a query: pages in exactly the order of the plain list, every match once,
    counted like a relevance search (at most COUNT_CAP + 1)."""
    monkeypatch.setattr(results_mod, "COUNT_CAP", cap)
    params = {**filters, "q": "工", "sort": sort, "lat": "25.9", "lon": "116.0"}
    expected = list(filter_postings(params).values_list("pk", flat=True))
    results, _ = search_postings(params)
    assert results.count() == min(len(expected), cap + 1)
    pages = [p.pk for k in range(0, len(expected) + 5, 4) for p in results[k : k + 4]]
    assert pages == expected


def test_the_paginator_never_reads_a_sorted_search_whole(market):
    """Django's Paginator asks its list whether it is `ordered`; a queryset answering would be read whole
    (every posting at 100k postings: 11 s a page)."""
    from unittest import mock

    from django.core.paginator import Paginator
    from django.db.models.query import QuerySet

    results, _ = search_postings({"q": "工", "sort": "pay"})
    with mock.patch.object(QuerySet, "__bool__", side_effect=AssertionError("a queryset was read whole")):
        page = Paginator(results, 5).get_page(1)
        assert len(page.object_list) == 5
