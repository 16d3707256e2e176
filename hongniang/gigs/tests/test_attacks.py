"""Issue 13 item 10, the gig market's holes, performed: a double QR scan a second after check-in, a check-out
after 0.01 hours paid with 0.2 yuan, a check-in code that never expires."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse

from hongniang.core.errors import Conflict, InvalidInput, NotFoundError
from hongniang.gigs import services
from hongniang.gigs.services.base import CHECKIN_SALT


def test_a_second_scan_one_second_after_check_in_does_not_check_out(confirmed, worker, clock, tomorrow, client):
    token = services.checkin_token(confirmed.order)
    clock.at(tomorrow, 7, 55)
    client.force_login(worker.user)
    client.post(reverse("gigs:checkin", args=[token]))
    clock.advance(seconds=1)
    r = client.post(reverse("gigs:checkin", args=[token]), follow=True)
    confirmed.refresh_from_db()
    assert confirmed.status == "checked_in" and confirmed.hours_worked is None
    assert "您已签到" in r.content.decode() and "0.00" not in r.content.decode()
    clock.at(tomorrow, 16, 0)  # the end of the day: the second scan checks out
    assert services.scan(actor=worker.user, token=token).status == "checked_out"


def test_a_manager_cannot_check_out_after_minutes_nor_pay_pennies(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    services.check_in(actor=hr, assignment=confirmed)
    clock.advance(seconds=36)  # 0.01 hours
    with pytest.raises(Conflict):
        services.check_out(actor=hr, assignment=confirmed)
    with pytest.raises(InvalidInput):
        services.check_out(actor=hr, assignment=confirmed, hours="0.01")
    confirmed.refresh_from_db()
    assert confirmed.status == "checked_in"


def test_pay_is_compared_with_the_orders_total_per_worker(confirmed, hr, clock, tomorrow):
    """A 200 yuan day: one hour's minimum wage would pass the old floor; the order's promise does not."""
    clock.at(tomorrow, 8, 0)
    services.check_in(actor=hr, assignment=confirmed)
    clock.at(tomorrow, 17, 0)
    a = services.check_out(actor=hr, assignment=confirmed)
    promised = services.pay.promised_pay(a)
    assert promised == a.order.total_per_worker
    with pytest.raises(InvalidInput) as exc:
        services.pay_record(actor=hr, assignment=a, amount=str(promised - Decimal("0.01")), method="cash")
    assert exc.value.code == "below_promised"
    assert services.pay_record(actor=hr, assignment=a, amount=str(promised), method="cash").status == "paid"


def test_half_a_day_is_paid_at_least_half_the_promise(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    services.check_in(actor=hr, assignment=confirmed)
    clock.at(tomorrow, 12, 0)
    a = services.check_out(actor=hr, assignment=confirmed)
    half = services.pay.promised_pay(a)
    assert Decimal(0) < half < a.order.total_per_worker
    with pytest.raises(InvalidInput):
        services.pay_record(actor=hr, assignment=a, amount="1", method="cash")


def test_the_check_in_code_expires_after_the_order(confirmed, worker, clock, tomorrow):
    token = services.checkin_token(confirmed.order)
    clock.at(tomorrow, 22, 59)  # the order ends at 17:00; the code lives 6 hours more
    assert services.order_from_token(token) == confirmed.order
    clock.at(tomorrow, 23, 1)
    with pytest.raises(NotFoundError):
        services.order_from_token(token)


def test_a_code_without_expiry_lives_two_days(confirmed, monkeypatch):
    legacy = signing.dumps({"o": confirmed.order.pk}, salt=CHECKIN_SALT, compress=True)
    assert services.order_from_token(legacy) == confirmed.order
    later = signing.time.time() + 3 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(NotFoundError):
        services.order_from_token(legacy)


def test_the_worker_record_is_not_a_directory_of_everybody(client, worker, worker2, outsider, other_hr, hr,
                                                           confirmed):
    """Any logged-in user used to walk /workers/<id>/record through every worker's history."""
    for path in (f"/api/v1/gigs/workers/{worker.pk}/record", reverse("gigs:record", args=[worker.pk])):
        for who in (outsider, other_hr, worker2.user):
            client.force_login(who)
            assert client.get(path).status_code == 404, (path, who)
        for who in (worker.user, hr):  # the worker, and the employer the worker signed up with
            client.force_login(who)
            assert client.get(path).status_code == 200, (path, who)


def test_a_second_api_scan_one_second_after_check_in_stays_checked_in(confirmed, worker, clock, tomorrow, client):
    """Issue 20: the same double scan through POST /api/v1/gigs/checkin (a phone app): no check-out with 0.00
    hours and no completed gig; the answer is the assignment, still checked in."""
    import json

    from hongniang.core.models import ApiToken

    token = services.checkin_token(confirmed.order)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.create(user=worker.user).key}"}
    clock.at(tomorrow, 7, 55)
    first = client.post("/api/v1/gigs/checkin", json.dumps({"token": token}), content_type="application/json", **auth)
    assert first.status_code == 200 and first.json()["status"] == "checked_in"
    clock.advance(seconds=1)
    second = client.post("/api/v1/gigs/checkin", json.dumps({"token": token}), content_type="application/json",
                         **auth)
    assert second.status_code == 200 and second.json()["status"] == "checked_in"
    assert second.json()["hours_worked"] is None
    confirmed.refresh_from_db()
    assert confirmed.status == "checked_in" and confirmed.hours_worked is None
