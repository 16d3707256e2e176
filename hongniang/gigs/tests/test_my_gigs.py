"""我的零工: each gig says where it stands for the worker, in the worker's words (present.worker_status), not
the employer's bookkeeping: a whole order called off reads 订单已取消 (not 雇主取消), a sign-up nobody answered
before the work ended reads 未被选上 (not 已报名 forever), 已录用 reads 已确认. Times set with the clock."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hongniang.core.models import ApiToken
from hongniang.gigs import services

pytestmark = pytest.mark.django_db


def hm(h: int) -> dt.time:
    return dt.time(h, 0)


@pytest.fixture
def gigs(make_order, clock, tomorrow, worker, worker2, hr):
    """The worker's gigs in every state, the clock left at 12:00 on `tomorrow`."""
    day = tomorrow
    clock.at(day, 6, 0)
    o = {
        "waiting": make_order(start_time=hm(18), end_time=hm(21)),
        "confirmed": make_order(start_time=hm(18), end_time=hm(21), date=day + dt.timedelta(days=1)),
        "checked_in": make_order(start_time=hm(7), end_time=hm(16)),
        "done": make_order(start_time=hm(7), end_time=hm(9)),
        "paid": make_order(start_time=hm(7), end_time=hm(9)),
        "settled": make_order(start_time=hm(7), end_time=hm(9)),
        "rejected": make_order(start_time=hm(18), end_time=hm(21)),
        "cancelled": make_order(start_time=hm(18), end_time=hm(21)),
        "missed": make_order(start_time=hm(8), end_time=hm(10)),
        "let_go": make_order(start_time=hm(18), end_time=hm(21)),
        "withdrew": make_order(start_time=hm(18), end_time=hm(21)),
    }
    a = {k: services.signup(actor=worker.user, order=v) for k, v in o.items()}
    services.signup(actor=worker2.user, order=o["cancelled"])
    for k in ("confirmed", "checked_in", "done", "paid", "settled", "let_go"):
        services.confirm(actor=hr, assignment=a[k])
    services.reject(actor=hr, assignment=a["rejected"])
    services.order_cancel(actor=hr, order=o["cancelled"], reason="下雨")
    services.cancel_by_employer(actor=hr, assignment=a["let_go"], reason="人够了")
    services.cancel_by_worker(actor=worker.user, assignment=a["withdrew"])
    clock.at(day, 7, 0)
    for k in ("checked_in", "done", "paid", "settled"):
        services.check_in(actor=hr, assignment=a[k])
    clock.at(day, 9, 0)
    for k in ("done", "paid", "settled"):
        services.check_out(actor=hr, assignment=a[k])
        if k != "done":
            services.pay_record(actor=hr, assignment=a[k], amount="200", method="cash")
    services.pay_confirm(actor=worker.user, assignment=a["settled"])
    clock.at(day, 12, 0)
    return o, a


EXPECTED = {
    "waiting": "已报名待确认", "confirmed": "已确认", "checked_in": "已签到", "done": "已完工，等付款",
    "paid": "雇主已付款，请确认", "settled": "已结算", "rejected": "未被选上", "cancelled": "订单已取消",
    "missed": "未被选上", "let_go": "雇主取消了您", "withdrew": "您已取消报名",
}


def _cards(html: str) -> dict[int, str]:
    """order id → the label on its card in 我的零工."""
    out = {}
    for m in re.finditer(r'href="/gigs/orders/(\d+)/">.*?data-testid="my-status">([^<]+)<', html, re.S):
        out[int(m.group(1))] = m.group(2)
    return out


def test_my_gigs_says_where_each_gig_stands_for_the_worker(gigs, client, worker):
    orders, _ = gigs
    client.force_login(worker.user)
    html = client.get(reverse("gigs:my_gigs")).content.decode()
    cards = _cards(html)
    assert {k: cards.get(o.pk) for k, o in orders.items()} == EXPECTED
    # the employer's words are gone from the worker's list
    for old in ("雇主取消<", "已录用", "工人取消", "已签退", ">已报名<"):
        assert old not in html, old
    assert "等雇主确认，录用后会短信通知您。" in html
    assert "雇主取消了这个活。" in html and "等雇主付款。超过 24 小时未付会自动报人社局。" in html
    assert html.count("收到了</button>") == 1  # the paid one: its own amount and buttons


def test_the_order_page_says_the_same(gigs, client, worker):
    orders, _ = gigs
    client.force_login(worker.user)
    for key in ("cancelled", "missed", "waiting", "checked_in"):
        html = client.get(reverse("gigs:order", args=[orders[key].pk])).content.decode()
        assert f"我的报名：{EXPECTED[key]}" in html, key


def test_the_api_gives_the_workers_own_status(gigs, worker):
    from django.test import Client

    orders, _ = gigs
    token = ApiToken.objects.create(user=worker.user).key
    rows = Client().get("/api/v1/gigs/me/assignments", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    by_order = {r["order_id"]: r for r in rows}
    assert {k: by_order[o.pk]["my_status_label"] for k, o in orders.items()} == EXPECTED
    assert by_order[orders["cancelled"].pk]["my_status"] == "order_cancelled"
    assert by_order[orders["cancelled"].pk]["status"] == "cancelled_by_employer"  # the stored status stays


def test_a_sign_up_on_a_begun_order_still_waits_until_the_work_ends(make_order, clock, tomorrow, worker, client):
    clock.at(tomorrow, 6, 0)
    order = make_order(start_time=hm(7), end_time=hm(16))
    services.signup(actor=worker.user, order=order)
    client.force_login(worker.user)
    clock.at(tomorrow, 8, 0)  # begun: the employer may still confirm them today
    assert _cards(client.get(reverse("gigs:my_gigs")).content.decode())[order.pk] == "已报名待确认"
    clock.at(tomorrow, 16, 0)
    assert _cards(client.get(reverse("gigs:my_gigs")).content.decode())[order.pk] == "未被选上"


def test_another_worker_sees_none_of_them(gigs, client, worker2):
    orders, _ = gigs
    client.force_login(worker2.user)
    cards = _cards(client.get(reverse("gigs:my_gigs")).content.decode())
    assert cards == {orders["cancelled"].pk: "订单已取消"}  # only their own sign-up


def test_the_free_days_are_named_as_people_say_them(client, worker):
    client.force_login(worker.user)
    page = client.get(reverse("gigs:my_gigs")).content.decode()
    today = timezone.localdate()
    names = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
    for i in range(7):
        d = today + dt.timedelta(days=i)
        assert f"{d.month}/{d.day} {names[d.weekday()]}" in page
    assert "周1" not in page and "周6" not in page
