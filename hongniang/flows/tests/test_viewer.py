"""The logged-in visitor kept per process (hongniang.core.viewer, issue 20): the same pages as without it, and
every change to what it keeps seen at the next request — also by a process that still keeps the old entry (the
tests put the entry kept before the change back, as another gunicorn worker would still have it)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hongniang.core import viewer
from hongniang.employers.models import EnterpriseMembership
from hongniang.geo.models import StaffMembership
from hongniang.notifications.services import notification_mark_read, notify
from hongniang.testing import factories as f

TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def body(response) -> str:
    """The page without its CSRF tokens (a new one on every request)."""
    return TOKEN.sub("TOKEN", response.content.decode())


def kept(user) -> tuple:
    return viewer._kept[user.pk]


def as_another_process(user, entry) -> None:
    """This process keeps `entry` again: the state of another worker that kept the user before the change."""
    viewer._kept[user.pk] = entry


@pytest.fixture
def logged_in(seeker_user):
    client = Client()
    client.force_login(seeker_user)
    return client


@pytest.fixture
def second_seeker(regions, point_b):
    user = f.UserFactory(username="13900000002", phone="13900000002", display_name="王大明")
    f.SeekerFactory(user=user, name="王大明", phone="13900000002", service_point=point_b)
    return user


URLS = ["/", "/jobs/", "/jobs/?q=%E6%99%AE%E5%B7%A5&sort=pay", "/me/", "/gigs/"]


def test_pages_are_the_same_as_without_the_kept_user(logged_in, seeker_user, posting, settings):
    settings.VIEWER_CACHE = False
    before = {url: (r.status_code, body(r)) for url in URLS for r in [logged_in.get(url)]}
    settings.VIEWER_CACHE = True
    loaded = {url: (r.status_code, body(r)) for url in URLS for r in [logged_in.get(url)]}
    again = {url: (r.status_code, body(r)) for url in URLS for r in [logged_in.get(url)]}
    assert before == loaded == again
    assert before["/me/"][0] == 200 and "刘小红" in before["/me/"][1]


def test_a_kept_user_reads_one_statement_instead_of_five(logged_in, seeker_user):
    logged_in.get("/me/")
    with CaptureQueriesContext(connection) as ctx:
        assert logged_in.get("/me/").status_code == 200
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "core_cachegeneration" in sql
    for table in ("core_user", "employers_enterprisemembership", "geo_staffmembership",
                  "notifications_notification"):
        assert f'FROM "{table}"' not in sql, table


def test_deactivation_ends_the_log_in_at_the_next_request(logged_in, seeker_user):
    assert logged_in.get("/me/").status_code == 200
    old = kept(seeker_user)
    seeker_user.is_active = False
    seeker_user.save()
    as_another_process(seeker_user, old)
    r = logged_in.get("/me/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_new_password_ends_other_sessions(logged_in, seeker_user):
    assert logged_in.get("/me/").status_code == 200
    old = kept(seeker_user)
    seeker_user.set_password("another-secret-1")
    seeker_user.save()
    as_another_process(seeker_user, old)
    r = logged_in.get("/me/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_logout_ends_the_session_for_every_copy_of_the_cookie(seeker_user):
    first = Client()
    first.force_login(seeker_user)
    second = Client()
    second.cookies = first.cookies  # the same session, e.g. a second worker's requests
    assert second.get("/me/").status_code == 200
    first.post("/accounts/logout/")
    r = second.get("/me/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_new_and_an_ended_membership_change_the_menu(logged_in, seeker_user, enterprise, point_a):
    assert "企业招聘" not in body(logged_in.get("/jobs/"))
    old = kept(seeker_user)
    membership = EnterpriseMembership.objects.create(user=seeker_user, enterprise=enterprise)
    as_another_process(seeker_user, old)
    assert "企业招聘" in body(logged_in.get("/jobs/"))
    old = kept(seeker_user)
    membership.delete()
    as_another_process(seeker_user, old)
    assert "企业招聘" not in body(logged_in.get("/jobs/"))
    old = kept(seeker_user)
    StaffMembership.objects.create(user=seeker_user, service_point=point_a)
    as_another_process(seeker_user, old)
    assert "站点工作台" in body(logged_in.get("/jobs/"))


def test_new_and_read_messages_change_the_badge(logged_in, seeker_user):
    assert 'class="badge"' not in body(logged_in.get("/jobs/"))
    old = kept(seeker_user)
    notify(recipient=seeker_user, template="viewer_test", context={"text": "您有新消息"})
    as_another_process(seeker_user, old)
    assert '<span class="badge" aria-label="未读消息">1</span>' in body(logged_in.get("/jobs/"))
    old = kept(seeker_user)
    notification_mark_read(user=seeker_user)
    as_another_process(seeker_user, old)
    assert 'class="badge"' not in body(logged_in.get("/jobs/"))


def test_an_edited_profile_shows_at_the_next_request(logged_in, seeker_user):
    assert "刘小红" in body(logged_in.get("/me/"))
    old = kept(seeker_user)
    seeker = seeker_user.seeker
    seeker.name = "刘小兰"
    seeker.save()
    as_another_process(seeker_user, old)
    page = body(logged_in.get("/me/"))
    assert "刘小兰" in page and "刘小红" not in page


def test_a_removed_profile_is_seen(logged_in, seeker_user):
    assert logged_in.get("/me/").status_code == 200
    old = kept(seeker_user)
    seeker_user.seeker.delete()
    as_another_process(seeker_user, old)
    r = logged_in.get("/me/")
    assert r.status_code == 302  # 请先填写求职信息: to the profile form


def test_two_seekers_never_see_each_other(logged_in, seeker_user, second_seeker, posting):
    other = Client()
    other.force_login(second_seeker)
    for _ in range(3):
        mine, theirs = body(logged_in.get("/me/")), body(other.get("/me/"))
        assert "刘小红" in mine and "13900000001" in mine and "王大明" not in mine and "13900000002" not in mine
        assert "王大明" in theirs and "13900000002" in theirs and "刘小红" not in theirs and "13900000001" not in theirs
        a, b = logged_in.get("/jobs/"), other.get("/jobs/")
        assert a.wsgi_request.user.pk == seeker_user.pk and b.wsgi_request.user.pk == second_seeker.pk


def test_a_change_to_request_user_is_not_kept(logged_in, seeker_user):
    r = logged_in.get("/me/")
    r.wsgi_request.user.display_name = "改过的名字"
    r.wsgi_request.user.seeker.name = "改过的名字"
    assert "改过的名字" not in body(logged_in.get("/me/"))
    assert logged_in.get("/me/").wsgi_request.user.display_name == "刘小红"
