"""The results part of the job list kept whole (hongniang.search.views._results_key, issue 20): the same HTML as
rendered, its rows read fresh on every request (a posting closed without a bump of the generation leaves at
once), and one seeker's distances never shown to another."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hongniang.core import pagecache
from hongniang.jobs.models import JobPosting
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 30
    settings.PAGE_CACHE_POLL_SECONDS = 0
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()
    yield settings
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()


@pytest.fixture
def jobs(enterprise, regions, occupations):
    return [f.JobPostingFactory(enterprise=enterprise, title=f"普工{i}号", description="流水线普工", lat=25.90 + 0.02 * i,
                                lon=116.01, region=regions["v_xianghu"]) for i in range(6)]


def _client(username, lat, lon, point):
    user = f.UserFactory(username=username, phone=username)
    f.SeekerFactory(user=user, name="求职者", phone=username, lat=lat, lon=lon, service_point=point)
    client = Client()
    client.force_login(user)
    return client


def _body(response) -> str:
    assert response.status_code == 200
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1T", response.content.decode())


URLS = ["/jobs/?q=普工&sort=pay", "/jobs/?q=普工", "/jobs/", "/jobs/?sort=pay&utm=poster"]


def test_the_kept_part_is_the_rendered_html(settings, jobs, point_a):
    seeker = _client("13900000021", 25.90, 116.01, point_a)
    settings.PAGE_CACHE_SECONDS = 0
    rendered = {url: _body(seeker.get(url)) for url in URLS}
    settings.PAGE_CACHE_SECONDS = 30
    settings.PAGE_CACHE_POLL_SECONDS = 0
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()
    first = {url: _body(seeker.get(url)) for url in URLS}
    kept = {url: _body(seeker.get(url)) for url in URLS}
    assert rendered == first == kept
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()


def test_a_posting_closed_without_a_bump_leaves_at_once(cache_on, jobs, point_a):
    seeker = _client("13900000022", 25.90, 116.01, point_a)
    url = "/jobs/?q=普工&sort=pay"
    assert f'href="/jobs/{jobs[0].pk}/"' in _body(seeker.get(url))
    JobPosting.objects.filter(pk=jobs[0].pk).update(status="closed")  # no service, no bump
    assert f'href="/jobs/{jobs[0].pk}/"' not in _body(seeker.get(url))


def test_a_kept_part_reads_no_posting(cache_on, jobs, point_a):
    seeker = _client("13900000023", 25.90, 116.01, point_a)
    url = "/jobs/?q=普工&sort=pay"
    seeker.get(url)
    with CaptureQueriesContext(connection) as queries:
        seeker.get(url)
    assert '"title"' not in " ".join(q["sql"] for q in queries.captured_queries)


def test_two_homes_two_parts(cache_on, jobs, point_a):
    near = _client("13900000024", 25.90, 116.01, point_a)
    far = _client("13900000025", 26.62, 116.01, point_a)
    url = "/jobs/?q=普工&sort=newest"
    for _ in range(2):
        mine, theirs, anonymous = _body(near.get(url)), _body(far.get(url)), _body(Client().get(url))
        assert "离你家" in mine and "离你家" in theirs
        assert mine.split('<div id="results"')[1] != theirs.split('<div id="results"')[1]
        assert "离你家" not in anonymous
