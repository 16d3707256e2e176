"""A page of search results reads its postings in one statement, only the columns a page shows
(`jobs.selectors.PAGE_FIELDS`), and shows exactly what reading every column showed — the job list and
GET /api/v1/jobs, every sort, on SQLite and PostgreSQL. A field the card or the API schema reads that the page
left unread would cost one more query per posting: the query counts below catch it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniang.jobs import selectors
from hongniang.testing.factories import EnterpriseFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

#: statements a page of results reads postings or enterprises with, besides the search itself: the page (by
#: distance: its ids, then the postings) and the list page's facet counts (three). The search reads the index in
#: id windows on PostgreSQL, as many as the ids in use need: their number depends on how many postings earlier
#: tests made (sequences are not rolled back), so it is bounded separately and compared page against page.
LIMITS = {"/jobs/": 5, "/api/v1/jobs": 2}
SEARCH_LIMIT = 4
SORTS = [{}, {"sort": "newest"}, {"sort": "pay"}, {"sort": "distance", "lat": "25.93", "lon": "115.91"}]


@pytest.fixture
def page_of_25(regions, occupations):
    """25 postings with 工 in the title (a page of 20 and one of 5): two enterprises (one not verified), both
    townships, every pay type, benefits, certificates, ages and addresses set or not."""
    verified = EnterpriseFactory(name="瑞金红都服饰有限公司")
    other = EnterpriseFactory(name="九堡鑫达电子厂", verification_status="unverified")
    occs = [occupations["6-05-01-03"], occupations["6-25-04-01"], None]
    pay = [("monthly", 4500, 6000, 4500, 6000, ""), ("daily", 150, 180, 3900, 4680, ""),
           ("hourly", 20, 20, 4160, 4160, ""), ("piece", "0.8", "1.2", 4000, 6000, "双")]
    made = []
    for i in range(25):
        pay_type, lo, hi, mlo, mhi, unit = pay[i % 4]
        made.append(JobPostingFactory(
            enterprise=verified if i % 3 else other, title=["普工", "缝纫工", "电子厂操作工", "包装工"][i % 4],
            description=f"第{i}号岗位，计件" if i % 2 else "", occupation=occs[i % 3],
            region=regions["v_jiubao"] if i % 2 else regions["v_xianghu"],
            pay_type=pay_type, pay_min=lo, pay_max=hi, monthly_min=mlo + i * 10, monthly_max=mhi + i * 10,
            piece_unit=unit, shift=["day", "two_shift", "part_time"][i % 3], board=i % 2 == 0, lodging=i % 3 == 0,
            shuttle=i % 4 == 0, social_insurance=i % 5 == 0, other_benefits="全勤奖" if i % 6 == 0 else "",
            address="九堡工业园" if i % 2 else "", lat=None if i % 7 == 0 else 25.90 + i / 100, lon=116.0,
            age_min=None if i % 4 else 18, age_max=None if i % 4 else 45,
            certificates=["电工证"] if i % 5 == 0 else [], review_note="改一下描述", check_flags=["fee"]))
    return made


def _every_column(qs):
    """How a page read its postings before PAGE_FIELDS: every column of the posting and of its enterprise."""
    return qs.select_related(None).select_related("enterprise")


def _html(response) -> str:
    """The page without its CSRF tokens (new on every response)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


@pytest.mark.parametrize("sort", SORTS, ids=lambda s: s.get("sort", "relevance"))
def test_the_api_answers_the_same_json_as_when_every_column_was_read(client, page_of_25, monkeypatch, sort):
    pages = [client.get("/api/v1/jobs", {"q": "工", "page": n, **sort}) for n in (1, 2)]
    monkeypatch.setattr(selectors, "page_queryset", _every_column)
    before = [client.get("/api/v1/jobs", {"q": "工", "page": n, **sort}) for n in (1, 2)]
    assert [r.status_code for r in pages] == [200, 200]
    assert [len(r.json()["items"]) for r in pages] == [20, 5]
    assert [r.json() for r in pages] == [r.json() for r in before]


@pytest.mark.parametrize("sort", SORTS, ids=lambda s: s.get("sort", "relevance"))
def test_the_job_list_shows_the_same_cards_as_when_every_column_was_read(client, page_of_25, monkeypatch, sort):
    pages = [_html(client.get("/jobs/", {"q": "工", "page": n, **sort})) for n in (1, 2)]
    monkeypatch.setattr(selectors, "page_queryset", _every_column)
    before = [_html(client.get("/jobs/", {"q": "工", "page": n, **sort})) for n in (1, 2)]
    assert [page.count('class="card job"') for page in pages] == [20, 5]
    assert "九堡鑫达电子厂" in pages[0] and "双" in pages[0] + pages[1]
    assert pages == before


def _statements(client, path, params) -> list[str]:
    """The statements of one request that read postings, enterprises or the search index (not the sessions,
    the filter form's townships or the page cache's generation, read at most once a second)."""
    with CaptureQueriesContext(connection) as cap:
        assert client.get(path, params).status_code == 200
    return [q["sql"] for q in cap.captured_queries
            if any(t in q["sql"] for t in ("jobs_jobposting", "employers_enterprise", "search_"))]


@pytest.mark.parametrize("path", ["/jobs/", "/api/v1/jobs"])
@pytest.mark.parametrize("sort", SORTS, ids=lambda s: s.get("sort", "relevance"))
def test_a_page_of_twenty_results_reads_its_postings_in_one_statement(client, page_of_25, path, sort):
    params = {"q": "工", **sort}
    # reference rows, sort-key counts and the newest id a PostgreSQL search saw are kept per process: warm both
    # pages first, so what is counted does not depend on the tests that ran before
    _statements(client, path, params)
    _statements(client, path, {**params, "page": 2})
    full = _statements(client, path, params)
    short = _statements(client, path, {**params, "page": 2})  # 5 postings
    loads = [sql for sql in full if '"jobs_jobposting"."title"' in sql]
    assert len(loads) == 1
    assert '"employers_enterprise"."name"' in loads[0]  # the enterprise joined, not read per posting
    assert '"review_note"' not in loads[0] and '"check_flags"' not in loads[0]
    # nothing is read posting by posting: 20 postings cost what 5 do
    rest, rest_short = ([sql for sql in page if "search_" not in sql] for page in (full, short))
    assert len(rest) == len(rest_short) <= LIMITS[path], "\n".join(full)
    assert 1 <= len(full) - len(rest) == len(short) - len(rest_short) <= SEARCH_LIMIT, "\n".join(full)


@pytest.fixture
def spread_ids(regions, occupations):
    """12 postings of 普工 whose ids lie 150 apart (seven buckets of 256 ids), above every id in use."""
    from hongniang.jobs.models import JobPosting

    base = (JobPosting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 10_000
    return [JobPostingFactory(id=base + 150 * i, title="普工") for i in range(12)]


def test_postgresql_searches_find_the_newest_matches_whatever_id_the_process_saw_last(spread_ids):
    """The first window of a PostgreSQL search starts at the newest id this process saw last and reads the
    newest id with it: right, too low (postings added since), too high (postings gone) or none, a search lists
    the same postings, and once the id is known a search needs no statement of its own for it."""
    if connection.vendor != "postgresql":
        pytest.skip("the id windows are PostgreSQL's")
    from hongniang.search import results as results_mod
    from hongniang.search.selectors import search_postings

    newest = max(p.pk for p in spread_ids)
    expected = sorted((p.pk for p in spread_ids), reverse=True)
    for seen in (None, newest, newest - 200, newest - 700, newest - 5000, newest + 300, newest + 10**6, 0):
        for stop in (1, 5, 12):
            results_mod._newest_seen["id"] = seen
            results, _ = search_postings({"q": "普工"})
            assert [p.pk for p in results[0:stop]] == expected[:stop], (seen, stop)
            assert results.count() == 12
    with CaptureQueriesContext(connection) as cap:
        assert search_postings({"q": "普工"})[0].count() == 12
    assert not any(q["sql"].startswith("SELECT max(posting_id)") for q in cap.captured_queries)
