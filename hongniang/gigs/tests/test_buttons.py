"""The gig pages show the buttons the state machines allow, to the person they allow them for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniang.core.errors import Conflict
from hongniang.gigs import services


def _page(client, user, order):
    client.force_login(user)
    return client.get(reverse("gigs:order", args=[order.pk])).content.decode()


def test_the_employer_sees_confirm_and_reject_for_a_signed_up_worker_and_nothing_for_the_worker(
        order, worker, hr, client):
    a = services.signup(actor=worker.user, order=order)
    page = _page(client, hr, order)
    assert reverse("gigs:act", args=[a.pk, "confirm"]) in page and reverse("gigs:act", args=[a.pk, "reject"]) in page
    assert reverse("gigs:act", args=[a.pk, "check-in"]) not in page
    assert reverse("gigs:order_action", args=[order.pk, "start"]) in page
    assert reverse("gigs:order_action", args=[order.pk, "complete"]) not in page  # not started yet
    mine = _page(client, worker.user, order)
    assert reverse("gigs:act", args=[a.pk, "withdraw"]) in mine
    assert reverse("gigs:act", args=[a.pk, "confirm"]) not in mine and "管理这张订单" not in mine


def test_after_confirming_the_employer_gets_check_in_no_show_and_cancel(order, worker, hr, client):
    a = services.signup(actor=worker.user, order=order)
    services.confirm(actor=hr, assignment=a)
    page = _page(client, hr, order)
    for action in ("check-in", "no-show", "cancel"):
        assert reverse("gigs:act", args=[a.pk, action]) in page
    assert reverse("gigs:act", args=[a.pk, "confirm"]) not in page
    mine = _page(client, worker.user, order)
    assert "扫雇主出示的二维码签到" in mine and reverse("gigs:act", args=[a.pk, "accept"]) not in mine


def test_a_cancelled_order_offers_no_order_buttons(order, hr, client):
    services.order_cancel(actor=hr, order=order, reason="下雨")
    page = _page(client, hr, order)
    for action in ("start", "cancel", "complete"):
        assert reverse("gigs:order_action", args=[order.pk, action]) not in page
    assert reverse("gigs:candidates", args=[order.pk]) not in page


def _signup_offers(client, user, order) -> tuple[bool, bool]:
    """(the sign-up form, the link to register first) on the order page for this user (None: anonymous)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    return reverse("gigs:order_action", args=[order.pk, "signup"]) in page, "报名（先用手机号登记）" in page


def test_signing_up_is_offered_while_the_order_is_open_to_all_but_its_managers(order, worker, worker2, hr, client):
    assert _signup_offers(client, worker2.user, order) == (True, False)
    assert _signup_offers(client, None, order) == (False, True)
    assert _signup_offers(client, hr, order) == (False, False)


def test_a_filled_or_cancelled_order_offers_no_sign_up(make_order, worker, worker2, hr, client):
    full = make_order(headcount=1)
    services.confirm(actor=hr, assignment=services.signup(actor=worker.user, order=full))
    full.refresh_from_db()
    assert full.status == "filled"
    assert _signup_offers(client, worker2.user, full) == (False, False)
    assert _signup_offers(client, None, full) == (False, False)
    gone = make_order()
    services.order_cancel(actor=hr, order=gone, reason="下雨")
    assert _signup_offers(client, worker2.user, gone) == (False, False)
    with pytest.raises(Conflict, match="该订单已不再招人"):
        services.signup(actor=worker2.user, order=gone)


def test_the_employers_cancel_button_words_the_reason_in_chinese_whatever_the_page_language(
        order, worker, hr, client):
    """The button sends no reason (the page may be in English); the record and the worker's SMS say 雇主取消."""
    a = services.signup(actor=worker.user, order=order)
    services.confirm(actor=hr, assignment=a)
    page = _page(client, hr, order)
    assert 'name="reason" value=' not in page
    r = client.post(reverse("gigs:act", args=[a.pk, "cancel"]), headers={"accept-language": "en"})
    assert r.status_code in (200, 302)
    a.refresh_from_db()
    assert a.status == "cancelled_by_employer"
    assert a.events.order_by("-id").first().reason == "雇主取消"
