"""The exchange's rules as a user notices them: fair piece rates, no fees, splitting, the material balance,
pieces, wages, the fair-rate flag and arrears."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.core.statemachine import InvalidTransition
from hongniang.workshops import ledger, services
from hongniang.workshops.models import (
    Handover,
    HandoverKind,
    OrderEvent,
    OrderStatus,
    OutsourcingOrder,
    PieceRecord,
    ShareEvent,
    ShareStatus,
    WageArrearsAlert,
    WageLine,
    WageStatus,
)

from .conftest import make_order, photo

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------ fair rate

def test_fair_minimum_rate_uses_the_hourly_minimum_and_the_trial_speed(settings):
    assert settings.MINIMUM_WAGE_HOURLY == "16.1"
    # 16.1 / (30 / 1.2) = 0.644
    assert ledger.fair_minimum_rate(Decimal("30")) == Decimal("0.644")
    # rounded up, never down: 16.1 * 1.2 / 7 = 2.76
    assert ledger.fair_minimum_rate(Decimal("7")) == Decimal("2.760")


def test_an_order_below_the_fair_rate_is_not_published(hr, enterprise, occupations):
    with pytest.raises(InvalidInput) as exc:
        make_order(hr, enterprise, piece_rate="0.60", trial_pieces_per_hour="30")
    assert "公平最低单价 0.644" in exc.value.message and exc.value.field == "piece_rate"
    assert not OutsourcingOrder.objects.exists()


def test_a_trial_needs_at_least_five_workers(hr, enterprise, occupations):
    with pytest.raises(InvalidInput) as exc:
        make_order(hr, enterprise, trial_workers=3)
    assert "至少要 5 名" in exc.value.errors["trial_workers"][0]
    assert not OutsourcingOrder.objects.exists()


def test_the_database_refuses_a_rate_below_the_fair_minimum(order):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutsourcingOrder.objects.filter(pk=order.pk).update(piece_rate=Decimal("0.5"))


def test_the_published_order_shows_the_expected_hourly_and_a_creation_event(order):
    assert order.fair_minimum_rate == Decimal("0.644")
    assert order.expected_hourly == Decimal("24.00")
    assert order.status == OrderStatus.OPEN
    assert OrderEvent.objects.filter(order=order, action="publish").exists()


def test_negative_quantity_gets_a_chinese_error(hr, enterprise, occupations):
    with pytest.raises(InvalidInput) as exc:
        make_order(hr, enterprise, quantity=-5)
    assert exc.value.errors["quantity"] == ["数量不能是负数"]


# --------------------------------------------------------------------------------------------------- fees

@pytest.mark.parametrize("field", ["materials", "quality_standard", "process"])
def test_texts_asking_for_a_deposit_or_material_fee_are_refused(hr, enterprise, occupations, field):
    with pytest.raises(InvalidInput) as exc:
        make_order(hr, enterprise, **{field: "领料前每人先交押金 200 元"})
    assert "押金" in exc.value.errors[field][0]
    with pytest.raises(InvalidInput):
        make_order(hr, enterprise, **{field: "需交材料费50元"})
    assert not OutsourcingOrder.objects.exists()


def test_saying_there_is_no_deposit_is_fine(hr, enterprise, occupations):
    order = make_order(hr, enterprise, materials="材料企业提供，不收押金，无需保证金")
    assert order.pk


def test_workshop_registration_refuses_fee_text(staff_a, regions, occupations):
    with pytest.raises(InvalidInput) as exc:
        services.workshop_register(actor=staff_a, name="沙洲坝车间", region=regions["v_xianghu"], owner_name="钟",
                                   owner_phone="13600000009", skills_text="加盟费 980 元即可接单")
    assert "加盟费" in exc.value.errors["skills_text"][0]


# ------------------------------------------------------------------------------------------------ splitting

def test_one_order_split_over_two_workshops(order, hr, workshop, other_workshop, owner, other_owner):
    a, b = services.order_offer(actor=hr, order=order, offers=[(workshop, 600), (other_workshop, 400)])
    services.share_accept(actor=owner, share=a, quantity=500)
    services.share_accept(actor=other_owner, share=b)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.quantity, b.quantity) == (500, 400)
    assert [e.action for e in ShareEvent.objects.filter(share=a)] == ["offer", "accept"]


def test_offering_more_than_the_order_is_refused(order, hr, workshop, other_workshop):
    with pytest.raises(InvalidInput) as exc:
        services.order_offer(actor=hr, order=order, offers=[(workshop, 600), (other_workshop, 500)])
    assert "超过订单数量 1000 件" in exc.value.message
    assert not order.shares.exists()


def test_an_order_that_cannot_be_split_goes_whole_to_one_workshop(hr, enterprise, occupations, workshop,
                                                                  other_workshop):
    order = make_order(hr, enterprise, splittable=False)
    with pytest.raises(InvalidInput):
        services.order_offer(actor=hr, order=order, offers=[(workshop, 500), (other_workshop, 500)])
    [s] = services.order_offer(actor=hr, order=order, offers=[(workshop, 1000)])
    with pytest.raises(InvalidInput):
        services.share_accept(actor=workshop.owner_user, share=s, quantity=400)


def test_a_workshop_cannot_accept_another_workshops_offer(order, hr, workshop, other_owner):
    [s] = services.order_offer(actor=hr, order=order, offers=[(workshop, 600)])
    with pytest.raises(PermissionDeniedError):
        services.share_accept(actor=other_owner, share=s)
    s.refresh_from_db()
    assert s.status == ShareStatus.OFFERED


# ------------------------------------------------------------------------------------------ material balance

def test_running_balance_with_a_shortfall_and_a_reject(producing, hr, owner):
    share = producing
    services.handover_record(actor=owner, share=share, kind=HandoverKind.BACK, quantity=560, handed_by="钟春兰")
    services.handover_record(actor=hr, share=share, kind=HandoverKind.REJECT, quantity=30, reason="线头未剪",
                             photos=[photo()])
    bal = ledger.share_balance(share)
    assert (bal.out, bal.back, bal.reject, bal.outstanding) == (600, 560, 30, 10)
    assert bal.reject_rate == Decimal("5.08")
    with pytest.raises(InvalidInput) as exc:
        services.share_deliver(actor=owner, share=share)
    assert "还差 10 件" in exc.value.message
    share.refresh_from_db()
    assert share.status == ShareStatus.IN_PRODUCTION and not WageLine.objects.exists()
    services.share_deliver(actor=owner, share=share, balance_reason="10 片布料裁坏，已拍照给企业")
    share.refresh_from_db()
    assert share.status == ShareStatus.DELIVERED and share.balance_reason.startswith("10 片")


def test_more_returned_than_sent_is_refused_and_nothing_written(producing, owner):
    with pytest.raises(InvalidInput) as exc:
        services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=601)
    assert "交回数量多于发出的" in exc.value.message and "最多还能交回 600 件" in exc.value.message
    assert not Handover.objects.filter(kind=HandoverKind.BACK).exists()


def test_negative_handover_quantity_is_refused(producing, owner):
    with pytest.raises(InvalidInput) as exc:
        services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=-3)
    assert exc.value.errors["quantity"] == ["数量不能是负数"]
    assert Handover.objects.count() == 1


def test_a_reject_needs_a_reason_and_a_real_photo(producing, hr):
    with pytest.raises(InvalidInput) as exc:
        services.handover_record(actor=hr, share=producing, kind=HandoverKind.REJECT, quantity=5, reason="")
    assert set(exc.value.errors) == {"reason", "photos"}
    with pytest.raises(InvalidInput) as exc:
        services.handover_record(actor=hr, share=producing, kind=HandoverKind.REJECT, quantity=5, reason="脱线",
                                 photos=[photo("x.jpg", b"MZ\x90\x00 not an image")])
    assert "JPG、PNG 或 WEBP" in exc.value.message
    big = photo("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(InvalidInput) as exc:
        services.handover_record(actor=hr, share=producing, kind=HandoverKind.REJECT, quantity=5, reason="脱线",
                                 photos=[big])
    assert "5 MB" in exc.value.message
    assert not Handover.objects.filter(kind=HandoverKind.REJECT).exists()


def test_the_workshop_cannot_record_rejects_itself(producing, owner):
    with pytest.raises(InvalidInput) as exc:
        services.handover_record(actor=owner, share=producing, kind=HandoverKind.REJECT, quantity=5, reason="脱线",
                                 photos=[photo()])
    assert "发单企业" in exc.value.errors["kind"][0]


def test_material_out_marks_the_share_collected(share, hr):
    services.handover_record(actor=hr, share=share, kind=HandoverKind.OUT, quantity=100)
    share.refresh_from_db()
    assert share.status == ShareStatus.MATERIAL_COLLECTED


def test_material_out_beyond_the_accepted_quantity_is_refused(share, hr):
    with pytest.raises(InvalidInput) as exc:
        services.handover_record(actor=hr, share=share, kind=HandoverKind.OUT, quantity=700)
    assert "超过该车间接单的 600 件" in exc.value.message


# --------------------------------------------------------------------------------------------------- pieces

def test_pieces_for_all_workers_on_one_day(producing, owner, workers, today):
    saved = services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[0], "pieces": 130, "hours": "6"}, {"worker": workers[1].pk, "pieces": 90, "hours": "4.5"},
        {"worker": workers[2], "pieces": 0, "hours": ""}])
    assert len(saved) == 2
    assert PieceRecord.objects.filter(day=today).count() == 2
    # entering the day again corrects it (no duplicates)
    services.pieces_record(actor=owner, share=producing, day=today,
                           entries=[{"worker": workers[0], "pieces": 125, "hours": "6"}])
    assert PieceRecord.objects.get(day=today, worker=workers[0]).pieces == 125


def test_negative_pieces_write_nothing(producing, owner, workers, today):
    with pytest.raises(InvalidInput) as exc:
        services.pieces_record(actor=owner, share=producing, day=today, entries=[
            {"worker": workers[1], "pieces": 50, "hours": "3"}, {"worker": workers[0], "pieces": -4, "hours": "2"}])
    assert "钟小芳的件数不能是负数" in exc.value.message
    assert not PieceRecord.objects.filter(day=today).exists()


def test_pieces_dated_after_delivery_are_refused(producing, owner, workers, today):
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=producing)
    producing.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:
        services.pieces_record(actor=owner, share=producing, day=today + dt.timedelta(days=1),
                               entries=[{"worker": workers[0], "pieces": 10, "hours": "1"}])
    assert "交货之后" in exc.value.message
    assert PieceRecord.objects.count() == 1


def test_pieces_beyond_the_material_out_are_refused(producing, owner, workers, today):
    with pytest.raises(InvalidInput) as exc:
        services.pieces_record(actor=owner, share=producing, day=today,
                               entries=[{"worker": workers[1], "pieces": 481, "hours": "8"}])
    assert "超过已领的料 600 件" in exc.value.message


def test_a_worker_of_another_workshop_cannot_be_entered(producing, owner, other_workers, today):
    with pytest.raises(InvalidInput) as exc:
        services.pieces_record(actor=owner, share=producing, day=today,
                               entries=[{"worker": other_workers[0], "pieces": 10, "hours": "1"}])
    assert "不属于本车间" in exc.value.message


# ---------------------------------------------------------------------------------------------------- wages

def _deliver(share, owner, workers, today):
    services.pieces_record(actor=owner, share=share, day=today, entries=[
        {"worker": workers[0], "pieces": 200, "hours": "8"}, {"worker": workers[1], "pieces": 280, "hours": "10"}])
    services.handover_record(actor=owner, share=share, kind=HandoverKind.BACK, quantity=600)
    return services.share_deliver(actor=owner, share=share)


def test_wages_are_pieces_times_the_piece_rate(producing, owner, workers, today):
    _deliver(producing, owner, workers, today)
    lines = {w.worker_id: w for w in WageLine.objects.all()}
    assert lines[workers[0].pk].pieces == 320 and lines[workers[0].pk].amount == Decimal("256.00")
    assert lines[workers[1].pk].amount == Decimal("224.00")
    assert lines[workers[0].pk].hours == Decimal("13.0") and lines[workers[0].pk].hourly == Decimal("19.69")
    assert lines[workers[0].pk].due_date == today + dt.timedelta(days=10)
    assert workers[2].pk not in lines


def test_wage_paid_by_the_workshop_then_confirmed_or_disputed_by_the_worker(producing, owner, workers, today):
    _deliver(producing, owner, workers, today)
    from hongniang.testing import factories as f

    worker_user = f.UserFactory(username="13500000001", phone="13500000001")
    workers[0].user = worker_user
    workers[0].save()
    wage = WageLine.objects.get(worker=workers[0])
    with pytest.raises(InvalidInput) as exc:
        services.wage_pay(actor=owner, wage=wage, amount="200")
    assert "少于应发 256.00 元" in exc.value.message
    services.wage_pay(actor=owner, wage=wage)
    with pytest.raises(PermissionDeniedError):
        services.wage_confirm(actor=owner, wage=wage)
    wage = services.wage_dispute(actor=worker_user, wage=WageLine.objects.get(pk=wage.pk), reason="少算了 20 件")
    assert wage.status == WageStatus.DISPUTED
    services.wage_pay(actor=owner, wage=wage, amount="272")
    wage = services.wage_confirm(actor=worker_user, wage=WageLine.objects.get(pk=wage.pk))
    assert wage.status == WageStatus.CONFIRMED
    assert [e.action for e in wage.events.all()] == ["compute", "pay", "dispute", "pay", "confirm"]


def test_check_and_pay_the_workshop_completes_the_order(producing, hr, owner, workers, today):
    share = _deliver(producing, owner, workers, today)
    services.share_check(actor=hr, share=share)
    with pytest.raises(InvalidInput):
        services.share_pay(actor=hr, share=share, amount="100")
    services.share_pay(actor=hr, share=share)
    share.refresh_from_db()
    assert share.status == ShareStatus.PAID and share.paid_amount == Decimal("480.00")
    share.order.refresh_from_db()
    assert share.order.status == OrderStatus.COMPLETED


def test_the_workshop_disputes_a_check_and_only_the_bureau_resolves_it(producing, hr, owner, workers, today,
                                                                       bureau):
    share = _deliver(producing, owner, workers, today)
    services.share_check(actor=hr, share=share)
    services.share_dispute(actor=owner, share=share, reason="次品判得太严")
    with pytest.raises(PermissionDeniedError):
        services.share_resolve(actor=hr, share=share, resolution="ok")
    share = services.share_resolve(actor=bureau, share=share, resolution="复检后维持")
    assert share.status == ShareStatus.CHECKED


# ----------------------------------------------------------------------------------------- fair-rate flag

def test_median_actual_hourly_below_the_minimum_flags_the_order(producing, owner, workers, today):
    order = producing.order
    assert not order.needs_trial
    # two slow workers: 15 pieces/h x 0.80 = 12 元/h; median of (19.2, 12, 12) = 12 < 16.1
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[1], "pieces": 90, "hours": "6"}, {"worker": workers[2], "pieces": 90, "hours": "6"}])
    order.refresh_from_db()
    assert order.needs_trial and "12.00" in order.needs_trial_reason
    assert OrderEvent.objects.filter(order=order, action="flag_trial").count() == 1


def test_median_at_or_above_the_minimum_does_not_flag(producing, owner, workers, today):
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[1], "pieces": 120, "hours": "5"}])
    producing.order.refresh_from_db()
    assert not producing.order.needs_trial


def test_a_new_trial_clears_the_flag(producing, hr, owner, workers, today):
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[1], "pieces": 90, "hours": "6"}, {"worker": workers[2], "pieces": 90, "hours": "6"}])
    order = OutsourcingOrder.objects.get(pk=producing.order_id)
    with pytest.raises(InvalidInput):
        services.order_retrial(actor=hr, order=order, trial_workers=6, trial_pieces_per_hour="20", piece_rate="0.8")
    order = services.order_retrial(actor=hr, order=order, trial_workers=6, trial_pieces_per_hour="20",
                                   piece_rate="1.1")
    assert not order.needs_trial and order.fair_minimum_rate == Decimal("0.966")


# -------------------------------------------------------------------------------------------------- arrears

def test_arrears_command_is_dry_by_default_and_raises_once(producing, owner, workers, today, capsys):
    _deliver(producing, owner, workers, today)
    WageLine.objects.update(due_date=today - dt.timedelta(days=1))
    call_command("check_workshop_arrears")
    assert "would raise" in capsys.readouterr().out
    assert not WageArrearsAlert.objects.exists()
    call_command("check_workshop_arrears", "--wet-run")
    assert WageArrearsAlert.objects.count() == 2
    call_command("check_workshop_arrears", "--wet-run")
    assert WageArrearsAlert.objects.count() == 2
    alert = WageArrearsAlert.objects.first()
    assert alert.reason == "超过约定日期未发计件工钱" and alert.workshop_id == producing.workshop_id


def test_wages_not_yet_due_raise_no_alert(producing, owner, workers, today):
    _deliver(producing, owner, workers, today)
    call_command("check_workshop_arrears", "--wet-run")
    assert not WageArrearsAlert.objects.exists()


# ----------------------------------------------------------------------------------------------- states

def test_cancelling_the_order_cancels_open_shares(order, hr, workshop, other_workshop, owner):
    a, b = services.order_offer(actor=hr, order=order, offers=[(workshop, 300), (other_workshop, 300)])
    services.share_accept(actor=owner, share=a)
    services.order_cancel(actor=hr, order=order, reason="客户取消")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == ShareStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        services.order_offer(actor=hr, order=OutsourcingOrder.objects.get(pk=order.pk), offers=[(workshop, 1)])


def test_offering_the_same_workshop_twice_is_a_conflict(order, hr, workshop):
    services.order_offer(actor=hr, order=order, offers=[(workshop, 100)])
    with pytest.raises(Conflict):
        services.order_offer(actor=hr, order=order, offers=[(workshop, 100)])
