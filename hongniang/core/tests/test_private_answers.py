"""A logged-in person's pages are never kept by a shared cache, and logging out makes the browser drop the copies
it kept, so the next person on a shared phone or a service point's computer cannot page Back into them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_a_seekers_own_pages_and_json_are_private(seeker_user):
    client = Client()
    client.force_login(seeker_user)
    for url in ("/me/", "/me/applications/", "/api/v1/me"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert {"private", "no-cache"} <= _directives(r), url


def test_a_staff_members_view_of_a_seeker_is_private(client, staff_a, seeker):
    client.force_login(staff_a)
    r = client.get(reverse("seekers:staff_seeker", args=[seeker.pk]))
    assert r.status_code == 200 and "private" in _directives(r)


def test_public_pages_for_visitors_stay_cacheable(posting):
    r = Client().get("/jobs/")
    assert r.status_code == 200 and "private" not in _directives(r)


def test_a_views_own_cache_rule_is_kept(client, hr):
    client.force_login(hr)
    r = client.get("/figures/")
    assert r.status_code == 200
    assert "no-cache" not in _directives(r)  # the public figures page chose its own


def test_logging_out_tells_the_browser_to_drop_what_it_kept(seeker_user):
    client = Client()
    client.force_login(seeker_user)
    r = client.post("/accounts/logout/")
    assert r["Clear-Site-Data"] == '"cache"'
    assert "no-store" in _directives(r)
    # a visitor's next request is an ordinary anonymous one
    assert "Clear-Site-Data" not in client.get("/jobs/")
