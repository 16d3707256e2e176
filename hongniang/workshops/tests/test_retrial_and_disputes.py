"""A flagged order's new trial (page form and API), and what goes to the bureau: disputed checks, disputed piece
wages and arrears alerts on the bureau's page, resolved with a required text by the bureau only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from hongniang.core.audit import AuditEvent
from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.notifications.models import Notification
from hongniang.testing import factories as f
from hongniang.workshops import services
from hongniang.workshops.models import (
    Handover,
    HandoverKind,
    OrderEvent,
    OutsourcingOrder,
    Share,
    ShareStatus,
    WageArrearsAlert,
    WageEvent,
    WageLine,
    WageStatus,
)

from .conftest import photo

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def flagged(producing, owner, workers, today):
    """The order at 0.80 元/件 flagged: its workers' median is 12 元/h (19.2, 12, 12) below 16.1."""
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[1], "pieces": 90, "hours": "6"}, {"worker": workers[2], "pieces": 90, "hours": "6"}])
    order = OutsourcingOrder.objects.get(pk=producing.order_id)
    assert order.needs_trial
    return order


def _unchanged(order):
    fresh = OutsourcingOrder.objects.get(pk=order.pk)
    assert fresh.needs_trial and fresh.piece_rate == Decimal("0.800") and fresh.trial_pieces_per_hour == Decimal("30")
    assert not OrderEvent.objects.filter(order=order, action="retrial").exists()


# ----------------------------------------------------------------------------------------- retrial: service

def test_a_new_trial_raises_the_rate_clears_the_flag_and_keeps_the_history(flagged, hr, owner):
    order = services.order_retrial(actor=hr, order=flagged, trial_workers=6, trial_pieces_per_hour="20",
                                   piece_rate="1.10", note="6 名工人在车间计时一小时")
    assert not order.needs_trial and order.needs_trial_reason == ""
    assert (order.piece_rate, order.fair_minimum_rate, order.trial_workers) == (Decimal("1.100"), Decimal("0.966"), 6)
    assert order.expected_hourly == Decimal("22.00")
    ev = OrderEvent.objects.get(order=order, action="retrial")
    assert ev.actor == hr and ev.reason == "6 名工人在车间计时一小时"
    assert ev.details["before"]["piece_rate"] == "0.800" and ev.details["piece_rate"] == "1.100"
    assert AuditEvent.objects.filter(action="workshops.order_retrial", target_id=str(order.pk)).exists()
    assert Notification.objects.filter(recipient=owner, body__contains="1.100 元/件").exists()


def test_wages_of_a_share_delivered_after_the_new_trial_use_the_new_rate(flagged, hr, owner, workers, producing):
    services.order_retrial(actor=hr, order=flagged, trial_workers=5, trial_pieces_per_hour="20", piece_rate="1.10")
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=300)
    services.share_deliver(actor=owner, share=producing, balance_reason="余料 300 片退回仓库")
    assert WageLine.objects.get(worker=workers[1]).amount == Decimal("99.00")  # 90 pieces x 1.10


def test_a_new_rate_below_the_fair_minimum_is_refused_and_nothing_changes(flagged, hr):
    with pytest.raises(InvalidInput) as exc:
        services.order_retrial(actor=hr, order=flagged, trial_workers=6, trial_pieces_per_hour="20",
                               piece_rate="0.9")
    assert exc.value.field == "piece_rate" and "低于公平最低单价 0.966 元/件" in exc.value.message
    _unchanged(flagged)


def test_a_trial_of_fewer_than_five_workers_is_refused(flagged, hr):
    with pytest.raises(InvalidInput) as exc:
        services.order_retrial(actor=hr, order=flagged, trial_workers=3, trial_pieces_per_hour="20",
                               piece_rate="1.2")
    assert "至少要 5 名" in exc.value.errors["trial_workers"][0]
    _unchanged(flagged)


def test_the_new_rate_cannot_be_lower_than_the_one_the_workshops_accepted(flagged, hr):
    with pytest.raises(InvalidInput) as exc:
        services.order_retrial(actor=hr, order=flagged, trial_workers=6, trial_pieces_per_hour="40",
                               piece_rate="0.7")
    assert "不能低于原单价 0.800" in exc.value.message
    _unchanged(flagged)


def test_the_new_rate_must_lift_the_recorded_workers_to_the_minimum(flagged, hr):
    # a faster trial (25/h) allows 0.773, but at 1.0 the recorded workers' median is 15 元/h
    with pytest.raises(InvalidInput) as exc:
        services.order_retrial(actor=hr, order=flagged, trial_workers=6, trial_pieces_per_hour="25",
                               piece_rate="1.0")
    assert "中位数只有 15.00 元" in exc.value.message and "至少要 1.074 元/件" in exc.value.message
    _unchanged(flagged)


@pytest.fixture
def half_computed(producing, hr, owner, workers, other_workshop, other_owner, other_workers, today):
    """The order at 0.80 元/件 flagged, half of it already computed: the first workshop delivered (its three
    workers' wages computed at 0.80: 19.2, 14.4 and 14.4 元/h), the second is producing (two workers at 90
    pieces in 6 h: 12 元/h at 0.80, 15 × the rate). Re-pricing everything at 1.0 would give a median of 18 元/h;
    what the workers really earn at 1.0 is a median of 15."""
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[1], "pieces": 90, "hours": "5"}, {"worker": workers[2], "pieces": 90, "hours": "5"}])
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=300)
    services.share_deliver(actor=owner, share=producing, balance_reason="余料 300 片退回仓库")
    order = OutsourcingOrder.objects.get(pk=producing.order_id)
    [second] = services.order_offer(actor=hr, order=order, offers=[(other_workshop, 300)])
    second = services.share_accept(actor=other_owner, share=second, quantity=300)
    services.handover_record(actor=hr, share=second, kind=HandoverKind.OUT, quantity=300, handed_by="仓管 李")
    extra = services.worker_add(actor=other_owner, workshop=other_workshop, name="刘小梅", phone="13500000012")
    services.pieces_record(actor=other_owner, share=second, day=today, entries=[
        {"worker": other_workers[0], "pieces": 90, "hours": "6"}, {"worker": extra, "pieces": 90, "hours": "6"}])
    order.refresh_from_db()
    assert order.needs_trial
    assert set(WageLine.objects.filter(share=producing).values_list("amount", flat=True)) == {
        Decimal("96.00"), Decimal("72.00")}
    return order, Share.objects.get(pk=producing.pk), second


def test_pieces_already_computed_keep_their_rate_in_the_new_trials_check(half_computed, hr, other_owner):
    order, _delivered, _second = half_computed
    with pytest.raises(InvalidInput) as exc:  # 1.0 passed when the computed pieces were re-priced (median 18)
        services.order_retrial(actor=hr, order=order, trial_workers=6, trial_pieces_per_hour="25", piece_rate="1.0")
    assert exc.value.field == "piece_rate"
    assert "中位数只有 15.00 元" in exc.value.message and "单价至少要 1.074 元/件" in exc.value.message
    _unchanged(order)
    assert not Notification.objects.filter(recipient=other_owner, body__contains="重新试做").exists()


def test_no_new_rate_can_lift_workers_whose_wages_are_all_computed(flagged, hr, owner, producing):
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=300)
    services.share_deliver(actor=owner, share=producing, balance_reason="余料 300 片退回仓库")
    with pytest.raises(InvalidInput) as exc:  # 1.10 passed when the computed pieces were re-priced (16.5 元/h)
        services.order_retrial(actor=hr, order=flagged, trial_workers=6, trial_pieces_per_hour="20",
                               piece_rate="1.10")
    assert "中位数只有 12.00 元" in exc.value.message and "新单价再高也不能" in exc.value.message
    _unchanged(flagged)


def test_after_the_new_trial_the_figures_keep_computed_pieces_at_their_old_rate(half_computed, hr, owner, bureau,
                                                                                workshop):
    from hongniang.workshops import ledger, selectors

    order, delivered, _second = half_computed
    order = services.order_retrial(actor=hr, order=order, trial_workers=6, trial_pieces_per_hour="25",
                                   piece_rate="1.074")
    assert not order.needs_trial and order.piece_rate == Decimal("1.074")
    # the median: 14.4, 14.4, 16.11, 16.11, 19.2 (re-pricing the delivered share would say 19.33)
    assert ledger.median_hourly(order) == Decimal("16.11")
    body = client_for(hr).get(f"/api/v1/outsourcing/orders/{order.pk}").json()
    assert Decimal(body["median_hourly"]) == Decimal("16.11")
    assert {Decimal(s["wage_rate"]) for s in body["shares"] if s["wage_rate"]} == {Decimal("0.8")}
    # the delivered workshop's record: 300 pieces x 0.80 over 15 h, not x 1.074
    assert selectors.records([workshop.pk])[workshop.pk]["avg_hourly"] == Decimal("16.00")
    # the bureau's figures: 300 x 0.80 + 180 x 1.074
    assert selectors.bureau_figures()["earnings"] == Decimal("433.32")
    # its wages stay as computed, and the enterprise owes the workshop the goods at 0.80
    assert set(WageLine.objects.filter(share=delivered).values_list("amount", flat=True)) == {
        Decimal("96.00"), Decimal("72.00")}
    services.share_check(actor=hr, share=delivered)
    paid = services.share_pay(actor=hr, share=delivered)
    assert paid.paid_amount == Decimal("240.00")


def test_fee_words_in_the_note_are_refused(flagged, hr):
    with pytest.raises(InvalidInput) as exc:
        services.order_retrial(actor=hr, order=flagged, trial_workers=6, trial_pieces_per_hour="20",
                               piece_rate="1.2", note="试做工人每人交材料费 20 元")
    assert "材料费" in exc.value.errors["note"][0]
    _unchanged(flagged)


def test_an_order_not_flagged_gets_no_new_trial(producing, hr):
    with pytest.raises(Conflict) as exc:
        services.order_retrial(actor=hr, order=producing.order, trial_workers=6, trial_pieces_per_hour="20",
                               piece_rate="1.2")
    assert "没有被标记" in exc.value.message


def test_only_the_orders_enterprise_records_a_new_trial(flagged, other_hr, owner, staff_a):
    for user in (other_hr, owner, staff_a):
        with pytest.raises(PermissionDeniedError):
            services.order_retrial(actor=user, order=flagged, trial_workers=6, trial_pieces_per_hour="20",
                                   piece_rate="1.2")
    _unchanged(flagged)


# -------------------------------------------------------------------------------------------- retrial: page

RETRIAL_OK = {"trial_workers": "6", "trial_pieces_per_hour": "20", "piece_rate": "1.10", "note": "车间计时"}


def test_the_order_page_offers_the_new_trial_form_to_its_enterprise_only(flagged, hr, owner, staff_a):
    body = client_for(hr).get(f"/workshops/orders/{flagged.pk}/").content.decode()
    assert "登记重新试做" in body and f'action="/workshops/orders/{flagged.pk}/retrial/#retrial"' in body
    for user in (owner, staff_a):  # the workshop and its township's staff see the flag, not the form
        body = client_for(user).get(f"/workshops/orders/{flagged.pk}/").content.decode()
        assert "需要重新试做" in body and "/retrial/" not in body


def test_the_page_records_the_new_trial(flagged, hr):
    c = client_for(hr)
    r = c.post(f"/workshops/orders/{flagged.pk}/retrial/", RETRIAL_OK)
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "已登记重新试做" in page and "0.800 → 1.100 元/件" in page and 'id="retrial"' not in page
    assert OutsourcingOrder.objects.get(pk=flagged.pk).piece_rate == Decimal("1.100")


def test_the_page_shows_a_chinese_error_for_a_rate_below_the_fair_minimum(flagged, hr):
    r = client_for(hr).post(f"/workshops/orders/{flagged.pk}/retrial/", RETRIAL_OK | {"piece_rate": "0.9"})
    assert r.status_code == 422
    body = r.content.decode()
    assert "低于公平最低单价 0.966 元/件" in body and 'value="0.9"' in body
    _unchanged(flagged)


def test_another_enterprise_cannot_post_a_new_trial(flagged, other_hr, owner):
    assert client_for(other_hr).post(f"/workshops/orders/{flagged.pk}/retrial/", RETRIAL_OK).status_code == 404
    assert client_for(owner).post(f"/workshops/orders/{flagged.pk}/retrial/", RETRIAL_OK).status_code == 403
    assert Client().post(f"/workshops/orders/{flagged.pk}/retrial/", RETRIAL_OK).status_code == 302  # log in
    _unchanged(flagged)


# --------------------------------------------------------------------------------------------- retrial: API

def test_the_api_records_a_new_trial(flagged, hr):
    assert "retrial" in client_for(hr).get(f"/api/v1/outsourcing/orders/{flagged.pk}").json()["actions"]
    r = client_for(hr).post(f"/api/v1/outsourcing/orders/{flagged.pk}/retrial",
                            {"trial_workers": 6, "trial_pieces_per_hour": "20", "piece_rate": "1.10"},
                            content_type="application/json")
    assert r.status_code == 200
    body = r.json()
    assert body["needs_trial"] is False and Decimal(body["piece_rate"]) == Decimal("1.1")
    assert "retrial" not in body["actions"]


def test_the_api_refuses_a_rate_below_the_fair_minimum_with_a_code(flagged, hr):
    r = client_for(hr).post(f"/api/v1/outsourcing/orders/{flagged.pk}/retrial",
                            {"trial_workers": 6, "trial_pieces_per_hour": "20", "piece_rate": "0.9"},
                            content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input" and "公平最低单价" in r.json()["errors"]["piece_rate"][0]
    _unchanged(flagged)


def test_the_api_refuses_a_new_trial_by_others(flagged, other_hr, owner):
    data = {"trial_workers": 6, "trial_pieces_per_hour": "20", "piece_rate": "1.2"}
    assert client_for(other_hr).post(f"/api/v1/outsourcing/orders/{flagged.pk}/retrial", data,
                                     content_type="application/json").status_code == 404
    assert client_for(owner).post(f"/api/v1/outsourcing/orders/{flagged.pk}/retrial", data,
                                  content_type="application/json").status_code == 403
    _unchanged(flagged)


# ---------------------------------------------------------------------------------- rejects need a photo

def test_a_reject_without_a_photo_is_refused_on_the_page(producing, hr):
    handovers = Handover.objects.count()
    r = client_for(hr).post(f"/workshops/orders/{producing.order_id}/handovers/",
                            {"share": producing.pk, "kind": "reject", "quantity": "5", "reason": "跳针"},
                            HTTP_REFERER=f"http://testserver/workshops/orders/{producing.order_id}/", follow=True)
    assert "次品要上传照片（与约定样品对照）" in r.content.decode()
    assert Handover.objects.count() == handovers


def test_a_reject_without_a_photo_is_refused_by_the_api(producing, hr):
    handovers = Handover.objects.count()
    r = client_for(hr).post(f"/api/v1/outsourcing/orders/{producing.order_id}/handovers",
                            {"share_id": producing.pk, "kind": "reject", "quantity": 5, "reason": "跳针"},
                            content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"]["photos"] == ["次品要上传照片（与约定样品对照）"]
    assert Handover.objects.count() == handovers


def test_the_reject_form_says_a_photo_is_required(producing, hr):
    body = client_for(hr).get(f"/workshops/orders/{producing.order_id}/").content.decode()
    assert "次品必须上传照片" in body


# ------------------------------------------------------------------------------------ the bureau's disputes

def _deliver(share, owner, workers, today):
    services.pieces_record(actor=owner, share=share, day=today, entries=[
        {"worker": workers[0], "pieces": 200, "hours": "8"}, {"worker": workers[1], "pieces": 280, "hours": "10"}])
    services.handover_record(actor=owner, share=share, kind=HandoverKind.BACK, quantity=580)
    services.handover_record(actor=share.order.created_by, share=share, kind=HandoverKind.REJECT, quantity=20,
                             reason="跳针", photos=[photo()])
    return services.share_deliver(actor=owner, share=share)


@pytest.fixture
def worker_user(workers):
    user = f.UserFactory(username="13500000001", phone="13500000001")
    workers[0].user = user
    workers[0].save()
    return user


@pytest.fixture
def disputes(producing, hr, owner, workers, today, worker_user):
    """A disputed check, a disputed wage (paid 256, the worker says 20 pieces are missing) and an arrears alert."""
    share = _deliver(producing, owner, workers, today)
    services.share_check(actor=hr, share=share)
    services.share_dispute(actor=owner, share=share, reason="次品判得太严，申请复检")
    wage = WageLine.objects.get(worker=workers[0])
    services.wage_pay(actor=owner, wage=wage)
    services.wage_dispute(actor=worker_user, wage=WageLine.objects.get(pk=wage.pk), reason="少算了 20 件")
    other = WageLine.objects.get(worker=workers[1])
    WageLine.objects.filter(pk=other.pk).update(due_date=today - dt.timedelta(days=1))
    call_command("check_workshop_arrears", "--wet-run")
    return {"share": Share.objects.get(pk=share.pk), "wage": WageLine.objects.get(pk=wage.pk),
            "alert": WageArrearsAlert.objects.get(wage=other)}


def test_the_bureau_page_lists_disputed_checks_wages_and_arrears(disputes, bureau):
    r = client_for(bureau).get("/workshops/bureau/disputes/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "次品判得太严，申请复检" in body and "少算了 20 件" in body and "超过约定日期未发计件工钱" in body
    assert "13500000001" in body  # the bureau calls the worker
    assert AuditEvent.objects.filter(action="workshops.view_disputes", actor=bureau).exists()
    assert 'href="/workshops/bureau/disputes/"' in client_for(bureau).get("/workshops/bureau/").content.decode()


@pytest.mark.parametrize("who", ["hr", "owner", "staff_a", "staff_b", "worker_user", "other_hr"])
def test_nobody_but_the_bureau_sees_or_resolves_disputes(disputes, who, request):
    user = request.getfixturevalue(who)
    c = client_for(user)
    assert c.get("/workshops/bureau/disputes/").status_code == 403
    share, wage, alert = disputes["share"], disputes["wage"], disputes["alert"]
    assert c.post(f"/workshops/bureau/disputes/shares/{share.pk}/", {"reason": "改判"}).status_code == 403
    assert c.post(f"/workshops/bureau/disputes/wages/{wage.pk}/", {"reason": "改判"}).status_code == 403
    assert c.post(f"/workshops/bureau/disputes/arrears/{alert.pk}/", {"reason": "已结清"}).status_code == 403
    assert Share.objects.get(pk=share.pk).status == ShareStatus.DISPUTED
    assert WageLine.objects.get(pk=wage.pk).status == WageStatus.DISPUTED
    assert WageArrearsAlert.objects.get(pk=alert.pk).resolved_at is None


def test_anonymous_visitors_are_sent_to_log_in(disputes):
    r = Client().post(f"/workshops/bureau/disputes/shares/{disputes['share'].pk}/", {"reason": "改判"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert Share.objects.get(pk=disputes["share"].pk).status == ShareStatus.DISPUTED


def test_the_bureau_resolves_a_disputed_check(disputes, bureau, owner, hr):
    share = disputes["share"]
    r = client_for(bureau).post(f"/workshops/bureau/disputes/shares/{share.pk}/", {"reason": "复检后维持 20 件次品"})
    assert r.status_code == 302 and r["Location"] == "/workshops/bureau/disputes/"
    share.refresh_from_db()
    assert share.status == ShareStatus.CHECKED
    ev = share.events.get(action="resolve")
    assert ev.actor == bureau and ev.reason == "复检后维持 20 件次品"
    assert AuditEvent.objects.filter(action="workshops.share_resolve", target_id=str(share.pk)).exists()
    assert Notification.objects.filter(recipient=owner, body__contains="复检后维持").exists()
    assert Notification.objects.filter(recipient=hr, body__contains="复检后维持").exists()


def test_a_resolution_needs_a_text_and_nothing_is_written_without_it(disputes, bureau):
    c = client_for(bureau)
    share, wage, alert = disputes["share"], disputes["wage"], disputes["alert"]
    back = {"HTTP_REFERER": "http://testserver/workshops/bureau/disputes/"}
    r = c.post(f"/workshops/bureau/disputes/shares/{share.pk}/", {"reason": "  "}, follow=True, **back)
    assert "请填写处理结果" in r.content.decode()
    r = c.post(f"/workshops/bureau/disputes/wages/{wage.pk}/", {"reason": ""}, follow=True, **back)
    assert "请填写处理结果" in r.content.decode()
    r = c.post(f"/workshops/bureau/disputes/arrears/{alert.pk}/", {"reason": ""}, follow=True, **back)
    assert "请填写处理结果" in r.content.decode()
    assert Share.objects.get(pk=share.pk).status == ShareStatus.DISPUTED
    assert WageLine.objects.get(pk=wage.pk).status == WageStatus.DISPUTED
    assert WageArrearsAlert.objects.get(pk=alert.pk).resolved_at is None
    assert not share.events.filter(action="resolve").exists()


def test_the_bureau_finds_more_is_owed_and_the_wage_is_due_again(disputes, bureau, owner, worker_user):
    wage = disputes["wage"]
    r = client_for(bureau).post(f"/workshops/bureau/disputes/wages/{wage.pk}/",
                                {"reason": "核对记录少算 20 件，车间补发", "amount": "272"})
    assert r.status_code == 302
    wage.refresh_from_db()
    assert wage.status == WageStatus.DUE and wage.amount == Decimal("272.00")
    ev = WageEvent.objects.get(wage=wage, action="resolve")
    assert ev.actor == bureau and ev.to_status == WageStatus.DUE
    assert Notification.objects.filter(recipient=worker_user, body__contains="272").exists()
    # the workshop pays what the bureau fixed (not less), the worker confirms
    with pytest.raises(InvalidInput):
        services.wage_pay(actor=owner, wage=wage, amount="256")
    services.wage_pay(actor=owner, wage=wage, amount="272")
    assert services.wage_confirm(actor=worker_user, wage=WageLine.objects.get(pk=wage.pk)).status == "confirmed"


def test_the_bureau_upholds_what_was_paid(disputes, bureau):
    wage = services.wage_resolve(actor=bureau, wage=disputes["wage"], resolution="核对件数无误，维持 256 元")
    assert wage.status == WageStatus.PAID and wage.amount == Decimal("256.00")


def test_the_bureau_cannot_fix_less_than_the_computed_wage(disputes, bureau):
    with pytest.raises(InvalidInput) as exc:
        services.wage_resolve(actor=bureau, wage=disputes["wage"], resolution="少发", amount="100")
    assert "不能低于按件核算的 256.00 元" in exc.value.message
    assert WageLine.objects.get(pk=disputes["wage"].pk).status == WageStatus.DISPUTED


def test_the_bureau_resolves_an_arrears_alert(disputes, bureau):
    alert = disputes["alert"]
    r = client_for(bureau).post(f"/workshops/bureau/disputes/arrears/{alert.pk}/", {"reason": "电话核实已现金结清"})
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_by == bureau and alert.resolution == "电话核实已现金结清"
    assert AuditEvent.objects.filter(action="workshops.arrears_resolve", target_id=str(alert.pk)).exists()
    assert "电话核实" not in client_for(bureau).get("/workshops/bureau/disputes/").content.decode()


def test_the_api_lets_the_bureau_resolve_a_wage_dispute_and_nobody_else(disputes, bureau, hr, owner):
    wage = disputes["wage"]
    url = f"/api/v1/outsourcing/orders/{wage.share.order_id}/wages/{wage.pk}/resolve"
    for user in (hr, owner):
        assert client_for(user).post(url, {"reason": "改判"}, content_type="application/json").status_code == 403
    r = client_for(bureau).post(url, {"reason": ""}, content_type="application/json")
    assert r.status_code == 422 and "请填写处理结果" in r.json()["message"]
    r = client_for(bureau).post(url, {"reason": "维持"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "paid"


# ---------------------------------------------------------------------------------------- the reject photos

def test_reject_photos_open_for_those_who_see_the_share_only(disputes, hr, owner, staff_a, bureau, other_hr,
                                                             other_owner, staff_b):
    from hongniang.workshops.models import HandoverPhoto

    photo = HandoverPhoto.objects.get()
    url = f"/workshops/photos/{photo.pk}/"
    for user in (hr, owner, staff_a, bureau):
        r = client_for(user).get(url)
        assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
        assert b"".join(r.streaming_content).startswith(b"\xff\xd8\xff")
    for user in (other_hr, other_owner, staff_b):
        assert client_for(user).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    # the order page, the API and the bureau's disputes page link the protected address, not /media/
    order_page = client_for(hr).get(f"/workshops/orders/{photo.handover.order_id}/").content.decode()
    assert url in order_page and "/media/" not in order_page
    api = client_for(hr).get(f"/api/v1/outsourcing/orders/{photo.handover.order_id}/handovers").json()
    assert [h["photos"] for h in api["items"] if h["kind"] == "reject"] == [[url]]
    assert f'<img src="{url}"' in client_for(bureau).get("/workshops/bureau/disputes/").content.decode()


def test_the_migration_gives_shares_delivered_before_a_new_trial_their_old_rate(half_computed, hr):
    from importlib import import_module

    from django.apps import apps

    fill = import_module("hongniang.workshops.migrations.0003_share_wage_rate").fill_wage_rate
    order, delivered, second = half_computed
    services.order_retrial(actor=hr, order=order, trial_workers=6, trial_pieces_per_hour="25", piece_rate="1.2")
    Share.objects.update(wage_rate=None)
    fill(apps, None)
    assert Share.objects.get(pk=delivered.pk).wage_rate == Decimal("0.800")
    assert Share.objects.get(pk=second.pk).wage_rate is None  # not delivered: the order's rate
    WageEvent.objects.filter(wage__share=delivered).delete()  # no compute event: the rate before the new trial
    Share.objects.update(wage_rate=None)
    fill(apps, None)
    assert Share.objects.get(pk=delivered.pk).wage_rate == Decimal("0.800")
