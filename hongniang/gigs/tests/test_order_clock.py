"""An order's time, read at read time: once it has begun it takes no new people, once it is over it says so —
whatever its stored status (no periodic job moves it). The people already on it still check in, out and get
paid. All times are set with the `clock` fixture, in settings.TIME_ZONE (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hongniang.core.errors import Conflict
from hongniang.core.models import ApiToken
from hongniang.gigs import selectors, services
from hongniang.gigs.models import GigAssignment, OrderStatus

pytestmark = pytest.mark.django_db
API = "/api/v1/gigs"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.create(user=user).key}"}


def hm(h: int, m: int = 0) -> dt.time:
    return dt.time(h, m)


@pytest.fixture
def day(tomorrow):
    return tomorrow  # "today" in these tests: the clock is set onto it


@pytest.fixture
def orders(make_order, clock, day):
    """Posted at 06:00 on `day`; the QA's orders (07:00–16:00, 09:00–11:00, 08:00–12:00), one begun and not
    over at 17:15, one later that evening, one of three days begun this morning."""
    clock.at(day, 6, 0)
    return {
        "ended": make_order(start_time=hm(7), end_time=hm(16)),
        "ended_short": make_order(start_time=hm(9), end_time=hm(11)),
        "ended_half": make_order(start_time=hm(8), end_time=hm(12)),
        "started": make_order(start_time=hm(16), end_time=hm(20)),
        "later": make_order(start_time=hm(18), end_time=hm(21)),
        "multi": make_order(start_time=hm(8), end_time=hm(12), end_date=day + dt.timedelta(days=2)),
    }


def test_at_1715_only_orders_not_yet_begun_are_listed_as_open(orders, clock, day, client, worker):
    clock.at(day, 17, 15)
    assert {o.pk for o in selectors.open_orders()} == {orders["later"].pk, orders["multi"].pk}
    for who in (None, worker.user):  # anonymous and a seeker who is a gig worker
        if who is not None:
            client.force_login(who)
        html = client.get(reverse("gigs:list")).content.decode()
        assert reverse("gigs:order", args=[orders["later"].pk]) in html
        for key in ("ended", "ended_short", "ended_half", "started"):
            assert reverse("gigs:order", args=[orders[key].pk]) not in html, key
    api = client.get(f"{API}/orders").json()
    assert {i["id"] for i in api["items"]} == {orders["later"].pk, orders["multi"].pk} and api["count"] == 2
    assert all(i["signup_open"] and i["status_label"] == "招人中" for i in api["items"])


def test_before_the_start_the_same_order_is_listed(orders, clock, day):
    clock.at(day, 6, 59)
    assert orders["ended"].pk in {o.pk for o in selectors.open_orders()}
    clock.at(day, 7, 0)  # the minute it begins
    assert orders["ended"].pk not in {o.pk for o in selectors.open_orders()}


def test_pages_say_ended_or_started_and_offer_no_signup(orders, clock, day, client, worker):
    clock.at(day, 17, 15)
    client.force_login(worker.user)
    html = client.get(reverse("gigs:order", args=[orders["ended"].pk])).content.decode()
    assert "已结束" in html and "这个活已经结束，不再报名。" in html
    assert "招人中" not in html and "我要报名" not in html
    html = client.get(reverse("gigs:order", args=[orders["started"].pk])).content.decode()
    assert "已开工，不再报名" in html and "我要报名" not in html and "招人中" not in html
    html = client.get(reverse("gigs:order", args=[orders["later"].pk])).content.decode()
    assert "招人中" in html and "我要报名" in html
    d = client.get(f"{API}/orders/{orders['ended'].pk}").json()
    assert (d["status"], d["status_label"], d["signup_open"], d["ended"]) == ("open", "已结束", False, True)
    d = client.get(f"{API}/orders/{orders['started'].pk}").json()
    assert (d["status_label"], d["signup_open"], d["ended"]) == ("已开工，不再报名", False, False)


@pytest.mark.parametrize("key, code", [("ended", "order_ended"), ("ended_short", "order_ended"),
                                       ("ended_half", "order_ended"), ("started", "order_started")])
def test_signup_refused_once_begun_nothing_saved(orders, clock, day, worker, client, key, code):
    clock.at(day, 17, 15)
    order = orders[key]
    with pytest.raises(Conflict) as exc:
        services.signup(actor=worker.user, order=order)
    assert exc.value.code == code
    r = client.post(f"{API}/orders/{order.pk}/signup", {}, content_type="application/json", **bearer(worker.user))
    assert r.status_code == 409 and r.json()["code"] == code
    assert "报名" in r.json()["message"] or "结束" in r.json()["message"]
    client.force_login(worker.user)
    client.post(reverse("gigs:order_action", args=[order.pk, "signup"]))
    assert not GigAssignment.objects.filter(order=order).exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN  # the clock closes it for sign-up, nothing was written


def test_signup_later_today_and_on_a_day_not_yet_begun_still_works(orders, clock, day, worker, worker2, client):
    clock.at(day, 17, 15)
    assert services.signup(actor=worker.user, order=orders["later"]).status == "signed_up"
    r = client.post(f"{API}/orders/{orders['multi'].pk}/signup", {}, content_type="application/json",
                    **bearer(worker2.user))
    assert r.status_code == 201, r.content
    clock.at(day + dt.timedelta(days=2), 8, 0)  # its last day has begun
    with pytest.raises(Conflict) as exc:
        services.signup(actor=worker.user, order=orders["multi"])
    assert exc.value.code == "order_started"


def test_employer_cannot_find_or_invite_new_people_once_begun(orders, clock, day, hr, client):
    clock.at(day, 17, 15)
    with pytest.raises(Conflict) as exc:
        services.notify_candidates(actor=hr, order=orders["started"])
    assert exc.value.code == "order_started"
    client.force_login(hr)
    html = client.get(reverse("gigs:order", args=[orders["started"].pk])).content.decode()
    assert "看看合适的工人" not in html
    assert "看看合适的工人" in client.get(reverse("gigs:order", args=[orders["later"].pk])).content.decode()


def test_signed_up_workers_keep_their_gig_check_in_out_and_get_paid(orders, clock, day, worker, hr, client):
    order = orders["ended"]  # 07:00–16:00
    clock.at(day, 6, 30)
    a = services.confirm(actor=hr, assignment=services.signup(actor=worker.user, order=order))
    token = services.checkin_token(order)
    clock.at(day, 7, 5)  # begun: not listed, no new sign-ups, but the confirmed worker scans in
    assert order.pk not in {o.pk for o in selectors.open_orders()}
    client.force_login(worker.user)
    client.post(reverse("gigs:checkin", args=[token]))
    a.refresh_from_db()
    assert a.status == "checked_in"
    html = client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    assert "我的报名：已签到" in html and "进行中" in html and "我要报名" not in html  # the first check-in started it
    clock.at(day, 16, 0)
    client.post(reverse("gigs:checkin", args=[token]))
    a.refresh_from_db()
    assert a.status == "checked_out" and a.hours_worked > 8
    clock.at(day, 17, 15)  # over: the worker still finds it among their gigs and on its page
    assert reverse("gigs:order", args=[order.pk]) in client.get(reverse("gigs:my_gigs")).content.decode()
    mine = client.get(f"{API}/me/assignments", **bearer(worker.user)).json()
    assert [(m["order_id"], m["order"]["status_label"]) for m in mine] == [(order.pk, "已结束")]
    services.pay_record(actor=hr, assignment=a, amount="200", method="cash")
    assert services.pay_confirm(actor=worker.user, assignment=a).status == "settled"
    assert services.order_complete(actor=hr, order=order).status == OrderStatus.COMPLETED


def test_screen_drops_orders_that_are_over_and_marks_begun_ones(orders, clock, day, client):
    clock.at(day, 17, 15)
    rows = selectors.orders_for_screen()
    assert {o.pk for o in rows["today"]} == {orders["started"].pk, orders["later"].pk, orders["multi"].pk}
    html = client.get(reverse("gigs:screen")).content.decode()
    assert "已开工，不再报名" in html


# Confirming (录用) once the work has begun: a worker who signed up in time may still be confirmed the same day
# (they may be standing at the gate), until the work time ends; after that never — page and API alike.


def _signed_up_before_start(order, clock, day, *workers):
    clock.at(day, 6, 30)
    return [services.signup(actor=w.user, order=order) for w in workers]


def test_confirm_after_the_start_works_the_same_day_until_the_end(orders, clock, day, worker, worker2, hr, client):
    order = orders["ended"]  # 07:00–16:00
    a, b = _signed_up_before_start(order, clock, day, worker, worker2)
    clock.at(day, 7, 40)  # begun: no new sign-ups, but the worker who turned up is confirmed on the spot
    client.force_login(hr)
    html = client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    assert "<button>录用</button>" in html and "当天收工前还可以录用" in html
    client.post(reverse("gigs:act", args=[a.pk, "confirm"]))
    a.refresh_from_db()
    assert a.status == "confirmed"
    clock.at(day, 15, 59)
    r = client.post(f"{API}/assignments/{b.pk}/confirm", {}, content_type="application/json", **bearer(hr))
    assert r.status_code == 200, r.content
    b.refresh_from_db()
    assert b.status == "confirmed"


def test_confirm_refused_once_the_work_is_over_nothing_saved(orders, clock, day, worker, worker2, hr, client):
    order = orders["ended"]  # 07:00–16:00
    a, b = _signed_up_before_start(order, clock, day, worker, worker2)
    events = a.events.count()
    clock.at(day, 16, 0)
    with pytest.raises(Conflict) as exc:
        services.confirm(actor=hr, assignment=a)
    assert exc.value.code == "order_ended"
    r = client.post(f"{API}/assignments/{a.pk}/confirm", {}, content_type="application/json", **bearer(hr))
    assert r.status_code == 409 and r.json()["code"] == "order_ended" and "不能再录用" in r.json()["message"]
    client.force_login(hr)
    page = reverse("gigs:order", args=[order.pk])
    html = client.get(page).content.decode()
    assert "<button>录用</button>" not in html and "当天收工前还可以录用" not in html
    r = client.post(reverse("gigs:act", args=[b.pk, "confirm"]), HTTP_REFERER=page, follow=True)
    assert "该订单已结束，不能再录用" in r.content.decode()
    for x in (a, b):
        x.refresh_from_db()
        assert x.status == "signed_up" and x.confirmed_at is None
    assert a.events.count() == events
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    clock.at(day + dt.timedelta(days=3), 9, 0)  # days later: still no
    with pytest.raises(Conflict):
        services.confirm(actor=hr, assignment=a)


def test_confirm_while_in_progress_until_the_places_are_taken(make_order, clock, day, worker, worker2, hr,
                                                              regions):
    from hongniang.gigs.tests.conftest import make_worker

    clock.at(day, 6, 0)
    order = make_order(start_time=hm(7), end_time=hm(16), headcount=2)
    third = make_worker("w3", "13700000003", "王五", regions["v_xianghu"])
    a, b, c = _signed_up_before_start(order, clock, day, worker, worker2, third)
    services.confirm(actor=hr, assignment=a)
    clock.at(day, 6, 55)
    services.check_in(actor=hr, assignment=a)  # the first check-in starts the order
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    clock.at(day, 7, 20)  # the second one turns up late: still confirmed, though the order is under way
    assert services.confirm(actor=hr, assignment=b).status == "confirmed"
    with pytest.raises(Conflict) as exc:  # both places taken
        services.confirm(actor=hr, assignment=c)
    assert exc.value.code == "order_full"
    c.refresh_from_db()
    assert c.status == "signed_up"


def test_a_late_confirmation_is_no_no_show_on_the_record(orders, clock, day, worker, worker2, hr):
    order = orders["ended"]  # 07:00–16:00
    a, b = _signed_up_before_start(order, clock, day, worker, worker2)
    services.confirm(actor=hr, assignment=a)  # 06:30: told to come
    clock.at(day, 8, 0)
    services.confirm(actor=hr, assignment=b)  # after the start: never told before it
    clock.at(day, 10, 0)
    services.mark_no_show(actor=hr, assignment=a)
    services.mark_no_show(actor=hr, assignment=b)
    worker.refresh_from_db()
    worker2.refresh_from_db()
    assert (worker.no_show_count, worker2.no_show_count) == (1, 0)


def test_an_invitation_is_accepted_the_same_day_not_after_the_end(orders, clock, day, worker, hr, client):
    from hongniang.gigs.models import GigAssignment as GA

    order = orders["ended"]
    clock.at(day, 6, 30)
    a = GA.objects.create(order=order, worker=worker, status="invited")
    clock.at(day, 9, 0)
    client.force_login(worker.user)
    assert "接受邀请</button>" in client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    clock.at(day, 16, 30)
    assert "接受邀请</button>" not in client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    r = client.post(f"{API}/assignments/{a.pk}/accept", {}, content_type="application/json", **bearer(worker.user))
    assert r.status_code == 409 and r.json()["code"] == "order_ended"
    a.refresh_from_db()
    assert a.status == "invited"
