"""The public page cache (hongniang.core.pagecache, connected by hongniang.flows.pagecache): a crowd of anonymous
visitors shares one rendering of each public page; nobody gets another visitor's CSRF token; logged-in visitors
get their own pages; an edit shows at once."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hongniang.core import pagecache
from hongniang.flows.pagecache import MODELS
from hongniang.jobs import services as job_services
from hongniang.jobs.models import JobPosting


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 30
    settings.PAGE_CACHE_POLL_SECONDS = 0  # read the generation on every request (no waiting in a test)
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()
    yield
    caches[pagecache.CACHE].clear()
    caches[pagecache.FRAGMENTS].clear()


def _token(body: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    if marker in body:
        return body.split(marker, 1)[1].split('"', 1)[0]
    return body.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_the_second_anonymous_visitor_gets_the_cached_page(posting):
    first = Client().get("/jobs/")
    assert first["X-Page-Cache"] == "miss"
    second = Client().get("/jobs/")
    assert second["X-Page-Cache"] == "hit"
    assert posting.title in second.content.decode()
    strip = lambda r: r.content.decode().replace(_token(r.content.decode()), "T")  # noqa: E731
    assert strip(first) == strip(second)
    # the same filters in another order are the same page; other filters are another page
    assert Client().get("/jobs/?q=a&sort=new")["X-Page-Cache"] == "miss"
    assert Client().get("/jobs/?sort=new&q=a")["X-Page-Cache"] == "hit"
    assert Client().get("/jobs/?q=b&sort=new")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_no_visitor_gets_another_visitors_csrf_token(posting):
    alice, bob, carol = Client(), Client(), Client()
    a = alice.get(f"/jobs/{posting.pk}/")
    assert a["X-Page-Cache"] == "miss"
    alice_secret = alice.cookies["csrftoken"].value
    b = bob.get(f"/jobs/{posting.pk}/")
    assert b["X-Page-Cache"] == "hit"
    bob_secret = b.cookies["csrftoken"].value  # a cookie of his own, set with the cached page
    assert bob_secret != alice_secret
    body = b.content.decode()
    assert pagecache.PLACEHOLDER not in body
    for token in {_token(body)} | {t for t in pagecache._TOKEN_CANDIDATE.findall(body)}:
        assert _unmask_cipher_token(token) != alice_secret
    assert _unmask_cipher_token(_token(body)) == bob_secret
    # a returning visitor keeps their cookie, and the cached page carries a token of it
    carol.get("/")
    carol_secret = carol.cookies["csrftoken"].value
    c = carol.get(f"/jobs/{posting.pk}/")
    assert c["X-Page-Cache"] == "hit"
    assert _unmask_cipher_token(_token(c.content.decode())) == carol_secret


@pytest.mark.django_db
def test_a_token_from_a_cached_page_passes_the_csrf_check(posting):
    Client().get("/accounts/login/")
    Client().get(f"/jobs/{posting.pk}/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(f"/jobs/{posting.pk}/")
    assert page["X-Page-Cache"] == "hit"
    r = visitor.post("/accounts/login/", {"username": "nobody", "password": "x",
                                          "csrfmiddlewaretoken": _token(page.content.decode())})
    assert r.status_code != 403


@pytest.mark.django_db
def test_each_language_has_its_own_copy(posting):
    assert Client().get("/jobs/", HTTP_ACCEPT_LANGUAGE="zh-hans")["X-Page-Cache"] == "miss"
    en = Client().get("/jobs/", HTTP_ACCEPT_LANGUAGE="en")
    assert en["X-Page-Cache"] == "miss"
    assert en["Content-Language"] == "en"
    assert Client().get("/jobs/", HTTP_ACCEPT_LANGUAGE="zh-hans")["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_logged_in_visitors_and_unknown_pages_are_not_cached(posting, seeker):
    Client().get("/jobs/")
    me = Client()
    me.force_login(seeker.user)
    r = me.get("/jobs/")
    assert "X-Page-Cache" not in r
    assert seeker.name in r.content.decode() or seeker.user.display_name in r.content.decode() or r.status_code == 200
    assert "X-Page-Cache" not in Client().get("/me/")
    missing = Client().get("/jobs/999999/")
    assert missing.status_code == 404
    assert Client().get("/jobs/999999/").get("X-Page-Cache") != "hit"


@pytest.mark.django_db
def test_an_edit_shows_at_once(posting, hr):
    assert Client().get(f"/jobs/{posting.pk}/")["X-Page-Cache"] == "miss"
    assert f'href="/jobs/{posting.pk}/"' in Client().get("/jobs/").content.decode()
    assert Client().get(f"/jobs/{posting.pk}/")["X-Page-Cache"] == "hit"
    job_services.posting_close(actor=hr, posting=posting, reason="招满了")
    after = Client().get(f"/jobs/{posting.pk}/")
    assert after.get("X-Page-Cache") != "hit"
    listing = Client().get("/jobs/")
    assert listing["X-Page-Cache"] == "miss"
    assert f'href="/jobs/{posting.pk}/"' not in listing.content.decode()  # a closed posting leaves the list


@pytest.mark.django_db
def test_an_enterprise_change_invalidates_and_every_shown_model_is_connected(posting):
    Client().get("/jobs/")
    assert Client().get("/jobs/")["X-Page-Cache"] == "hit"
    posting.enterprise.name = "改名后的企业"
    posting.enterprise.save()
    r = Client().get("/jobs/")
    assert r["X-Page-Cache"] == "miss" and "改名后的企业" in r.content.decode()
    for model in MODELS:
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), model


@pytest.mark.django_db
def test_the_cache_can_be_turned_off(settings, posting):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get("/jobs/")
    assert "X-Page-Cache" not in Client().get("/jobs/")


@pytest.mark.django_db
def test_a_page_cache_miss_takes_the_cached_cards_and_a_changed_posting_gets_a_new_card(posting):
    strip = lambda r: r.content.decode().replace(_token(r.content.decode()), "T")  # noqa: E731
    first = Client().get("/jobs/?from=poster")
    with CaptureQueriesContext(connection) as queries:
        again = Client().get("/jobs/?from=live")  # another URL: a page-cache miss, every card cached
    assert again["X-Page-Cache"] == "miss" and strip(again) == strip(first)
    assert f'">{posting.title}</a>' in again.content.decode()
    assert not [q for q in queries.captured_queries if '"title"' in q["sql"]]  # no posting loaded
    # a posting changed without bumping the generation (no signal) still shows its new version: the card's key
    # holds updated_at
    JobPosting.objects.filter(pk=posting.pk).update(title="换了名字的岗位", updated_at=timezone.now())
    body = Client().get("/jobs/?from=flyer").content.decode()
    assert '">换了名字的岗位</a>' in body and f'">{posting.title}</a>' not in body


@pytest.mark.django_db
def test_the_cached_filter_form_shows_each_pages_own_filters(posting):
    day = Client().get("/jobs/?shift=day&pay_min=3000").content.decode()
    two = Client().get("/jobs/?shift=two_shift").content.decode()
    assert '<option value="day" selected>' in day and 'value="3000"' in day
    assert '<option value="two_shift" selected>' in two and '<option value="day" selected>' not in two
    assert 'value="3000"' not in two
    again = Client().get("/jobs/?pay_min=3000&shift=day&page=1").content.decode()  # the cached form
    assert '<option value="day" selected>' in again and 'value="3000"' in again


@pytest.mark.django_db
def test_the_home_page_keeps_its_figures_and_cards_until_a_change(posting):
    first = Client().get("/?from=poster").content.decode()
    assert f'">{posting.title}</a>' in first
    JobPosting.objects.filter(pk=posting.pk).update(title="换了名字的岗位", updated_at=timezone.now())
    body = Client().get("/?from=live").content.decode()  # a page-cache miss: the card's key holds updated_at
    assert '">换了名字的岗位</a>' in body and f'">{posting.title}</a>' not in body
    figures = lambda b: b.split('class="figures"', 1)[1].split("</section>", 1)[0]  # noqa: E731
    assert "<b>1</b>" in figures(body)  # one job
    JobPosting.objects.filter(pk=posting.pk).update(status="closed")  # no signal: the page keeps its figures
    assert figures(Client().get("/?from=radio").content.decode()) == figures(body)
    pagecache.bump()  # as a posting's service writes do: the figures are counted again and the card leaves
    after = Client().get("/?from=flyer").content.decode()
    assert "换了名字的岗位" not in after and "<b>0</b>" in figures(after)


@pytest.mark.django_db
def test_a_hit_is_answered_before_the_rest_of_the_stack_with_the_same_headers_as_the_miss(posting):
    miss = Client().get(f"/jobs/{posting.pk}/")
    assert miss["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        hit = Client().get(f"/jobs/{posting.pk}/")
    assert hit["X-Page-Cache"] == "hit"
    # no session, no user, no view: nothing read but the generation (read on every request in these tests)
    assert [q["sql"] for q in queries.captured_queries if "core_cachegeneration" not in q["sql"]] == []
    skip = {"x-page-cache", "content-length"}
    assert {k: v for k, v in hit.items() if k.lower() not in skip} == \
        {k: v for k, v in miss.items() if k.lower() not in skip}
    # what the security, locale and CSRF middleware put on every page, a hit has too
    assert hit["X-Frame-Options"] == "DENY" and hit["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in hit["Content-Security-Policy"] and hit["Content-Language"] == "zh-hans"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in hit["Vary"].split(",")}
    assert int(hit["Content-Length"]) == len(hit.content)
    assert hit.cookies["csrftoken"]["samesite"] == "Lax"


@pytest.mark.django_db
def test_a_visitor_with_a_broken_csrf_cookie_gets_a_new_one_with_a_cached_page(posting):
    Client().get("/jobs/")
    visitor = Client()
    visitor.cookies["csrftoken"] = "not-a-token"
    r = visitor.get("/jobs/")
    assert r["X-Page-Cache"] == "hit"
    secret = r.cookies["csrftoken"].value
    assert secret != "not-a-token" and len(secret) == 32
    assert _unmask_cipher_token(_token(r.content.decode())) == secret


@pytest.mark.django_db
def test_cached_pages_are_counted_in_the_metrics_under_their_route(posting, settings):
    from prometheus_client import REGISTRY

    def served():
        return REGISTRY.get_sample_value("hongniang_http_requests_total",
                                         {"route": "jobs:detail", "method": "GET", "status": "200"}) or 0

    before = served()
    Client().get(f"/jobs/{posting.pk}/")
    assert Client().get(f"/jobs/{posting.pk}/")["X-Page-Cache"] == "hit"
    assert served() == before + 2
