"""Searches kept for everyone (hongniang.search.shared): a crowd of logged-in seekers searching the same words
shares one ranking and the same cards, sees exactly what an uncached page shows, sees a closed job leave at once,
and never another seeker's distances or jobs near home."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hongniang.core import pagecache
from hongniang.jobs import services
from hongniang.search import results as results_mod
from hongniang.search import views as search_views
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db

XIANGHU = "360781100000"


@pytest.fixture
def cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 30
    settings.PAGE_CACHE_POLL_SECONDS = 0  # read the generation on every request (no waiting in a test)
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()
    yield settings
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()


@pytest.fixture
def jobs(enterprise, regions, occupations):
    """25 普工 jobs in 象湖 and 九堡 (pay 3000–7800), 0.02° apart going north, and two other jobs further south."""
    made = []
    for i in range(25):
        region = regions["v_xianghu"] if i % 3 else regions["v_jiubao"]
        made.append(f.JobPostingFactory(enterprise=enterprise, title=f"普工{i}号", description="流水线普工，长白班",
                                        region=region, monthly_min=3000 + 200 * i, monthly_max=3000 + 200 * i,
                                        shift="day" if i % 2 else "two_shift", lat=25.90 + 0.02 * i, lon=116.01))
    for title in ("保洁员", "仓管"):
        made.append(f.JobPostingFactory(enterprise=enterprise, title=title, description="写字楼", lat=25.5))
    return made


def _seeker(username: str, lat: float, lon: float, point):
    user = f.UserFactory(username=username, phone=username)
    f.SeekerFactory(user=user, name=f"求职者{username[-2:]}", phone=username, lat=lat, lon=lon,
                    service_point=point)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def near(point_a):  # lives by the first jobs
    return _seeker("13900000011", 25.90, 116.01, point_a)


@pytest.fixture
def far(point_a):  # lives some 80 km north
    return _seeker("13900000012", 26.62, 116.01, point_a)


def _body(response) -> str:
    """The page without the visitor's CSRF token (each visitor has their own)."""
    assert response.status_code == 200
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1T", response.content.decode())


URLS = [
    f"/jobs/?q=普工&township={XIANGHU}&sort=pay",
    "/jobs/?q=普工",
    "/jobs/?q=普工&page=2",
    "/jobs/?q=普工&sort=newest&shift=day",
    f"/jobs/?q=普工&sort=distance&township={XIANGHU}",
    "/jobs/?q=普工&sort=distance&lat=26.2&lon=116.01",
    "/jobs/?township=360781103000&sort=pay",
    "/jobs/?page=2",
    "/jobs/?q=zzzz不存在的工作",
    f"/jobs/?q=保洁&township={XIANGHU}",
]


def test_kept_searches_show_exactly_what_uncached_pages_show(settings, jobs, near):
    settings.PAGE_CACHE_SECONDS = 0
    uncached = {url: (_body(near.get(url)), _body(Client().get(url))) for url in URLS}
    settings.PAGE_CACHE_SECONDS = 30
    try:
        for _ in range(2):  # computed and kept, then from the kept results: each search its own
            for url in URLS:
                mine, anonymous = uncached[url]
                assert _body(near.get(url)) == mine, url
                assert _body(Client().get(url)) == anonymous, url  # the first time a page-cache miss
    finally:
        caches[pagecache.FRAGMENTS].clear()
        caches[pagecache.CACHE].clear()


def test_a_kept_search_above_the_count_cap_pages_through_the_same_pages(settings, jobs, near, monkeypatch):
    monkeypatch.setattr(results_mod, "COUNT_CAP", 4)
    monkeypatch.setattr(search_views, "PAGE_SIZE", 2)
    runs = []
    for seconds in (0, 30, 30):  # uncached, then computed and kept, then from the kept results
        settings.PAGE_CACHE_SECONDS = seconds
        runs.append([_body(near.get("/jobs/", {"q": "普工", "page": page})) for page in (1, 2, 3)])
    caches[pagecache.FRAGMENTS].clear()
    assert runs[1] == runs[0] and runs[2] == runs[0]
    assert all("共找到 <b>4+</b> 个岗位" in body for body in runs[0])
    listed = [pk for body in runs[0] for pk in re.findall(r'href="/jobs/(\d+)/"', body)]
    assert len(listed) == len(set(listed)) == 5


def test_a_second_seeker_searching_the_same_words_reads_no_index_and_no_posting(cache_on, jobs, near, far,
                                                                                point_a, hr):
    url = f"/jobs/?q=普工&township={XIANGHU}&sort=pay"
    near.get(url)
    neighbour = _seeker("13900000013", 25.90, 116.01, point_a)  # as far from every job as `near`
    with CaptureQueriesContext(connection) as queries:
        body = neighbour.get(url).content.decode()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "search_fts" not in sql and "search_postingsearchentry" not in sql
    assert '"title"' not in sql  # no posting loaded: every card kept, with the same distances
    top = max((p for p in jobs if p.title.startswith("普工") and p.township_id == XIANGHU),
              key=lambda p: p.monthly_max)
    assert f'href="/jobs/{top.pk}/"' in body
    with CaptureQueriesContext(connection) as queries:  # another home: its own distances, the same ranking
        far.get(url)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "search_fts" not in sql and "search_postingsearchentry" not in sql
    # the job is closed (through its service, as HR does): the next seeker's search no longer lists it
    services.posting_close(actor=hr, posting=top)
    after = near.get(url).content.decode()
    assert f'href="/jobs/{top.pk}/"' not in after
    assert "共找到 <b>15</b> 个岗位" in after


def test_seekers_never_see_each_others_distances_or_jobs_near_home(cache_on, jobs, near, far):
    url = "/jobs/?q=普工&sort=newest"
    mine, theirs = near.get(url).content.decode(), far.get(url).content.decode()
    newest = max(jobs[:25], key=lambda p: p.pk)  # 0.48° north of `near`, 0.24° south of `far`
    card = lambda body: body.split(f'href="/jobs/{newest.pk}/"', 1)[1].split("</article>", 1)[0]  # noqa: E731
    assert "离你家 53 公里" in card(mine) and "离你家 27 公里" in card(theirs)
    assert "离你家 27 公里" not in card(mine) and "离你家 53 公里" not in card(theirs)
    assert "离你家" not in Client().get(url).content.decode()  # nobody's home for an anonymous visitor
    # nothing found: the jobs near each one's own home
    nothing = "/jobs/?q=zzzz不存在的工作"
    mine, theirs = near.get(nothing).content.decode(), far.get(nothing).content.decode()
    nearest = lambda body: re.findall(r'href="/jobs/(\d+)/"', body.split("你家附近的岗位", 1)[1])[0]  # noqa: E731
    assert nearest(mine) == str(jobs[0].pk) and nearest(theirs) == str(jobs[24].pk)
