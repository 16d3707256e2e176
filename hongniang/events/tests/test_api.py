"""The named API: GET /api/v1/events (filters kind, from, to, township), GET /api/v1/events/{id},
POST /api/v1/events/{id}/registrations (→ code), POST /api/v1/events/{id}/checkins ({"code"})."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.events import services

from .conftest import make_event

pytestmark = pytest.mark.django_db


def test_the_list_is_public_with_items_and_count_and_filters(client, event, staff_a, point_a, regions):
    make_event(staff_a, point_a, kind="park_visit", title="走进园区", starts_in=dt.timedelta(days=5),
               township=regions["xianghu"])
    r = client.get("/api/v1/events")
    assert r.status_code == 200 and r.json()["count"] == 2 and len(r.json()["items"]) == 2
    assert [e["kind"] for e in client.get("/api/v1/events?kind=park_visit").json()["items"]] == ["park_visit"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    r = client.get(f"/api/v1/events?from={tomorrow}&to={tomorrow}").json()
    assert [e["title"] for e in r["items"]] == [event.title]
    assert client.get("/api/v1/events?township=360781103000").json()["count"] == 0
    assert client.get(f"/api/v1/events?township={regions['xianghu'].code}").json()["count"] == 2
    assert client.get("/api/v1/events?kind=circus").status_code == 422


def test_the_detail_lists_booths_with_structured_pay(client, today_event, booth, posting):
    r = client.get(f"/api/v1/events/{today_event.pk}").json()
    p = r["booths"][0]["postings"][0]
    assert (p["id"], p["pay_type"], p["board"], p["lodging"], p["shift"]) == (posting.pk, "monthly", True, True, "day")
    assert r["booth_map"][0][0] == 1


def test_registering_returns_the_code(client, event, seeker):
    assert client.post(f"/api/v1/events/{event.pk}/registrations", {}, content_type="application/json"
                       ).status_code == 401
    client.force_login(seeker.user)
    r = client.post(f"/api/v1/events/{event.pk}/registrations", {}, content_type="application/json")
    assert r.status_code == 201 and len(r.json()["code"]) == 6
    again = client.post(f"/api/v1/events/{event.pk}/registrations", {}, content_type="application/json")
    assert again.status_code == 200 and again.json()["code"] == r.json()["code"]


def test_check_in_through_the_api(client, today_event, seeker, staff_a, staff_b, booth):
    reg = services.registration_create(actor=seeker.user, event=today_event, seeker=seeker)
    client.force_login(staff_b)
    r = client.post(f"/api/v1/events/{today_event.pk}/checkins", {"code": reg.code}, content_type="application/json")
    assert r.status_code == 403
    client.force_login(staff_a)
    r = client.post(f"/api/v1/events/{today_event.pk}/checkins", {"code": reg.code}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "checked_in" and "*" in r.json()["name"]
    r = client.post(f"/api/v1/events/{today_event.pk}/checkins", {"code": reg.code}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_checked_in" and "无需重复签到" in r.json()["message"]
    r = client.post(f"/api/v1/events/{today_event.pk}/checkins", {"code": "ZZZZZZ"}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "wrong_code"
