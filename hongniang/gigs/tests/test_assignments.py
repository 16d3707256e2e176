"""Every assignment transition, allowed and refused; check-in/out, pay, no-shows, ratings, rehire."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.gigs import services
from hongniang.gigs.models import AssignmentEvent, GigAssignment, GigNotice, GigWorker, OrderStatus, Rating

pytestmark = pytest.mark.django_db


def test_signup_creates_signed_up_with_event(order, worker):
    a = services.signup(actor=worker.user, order=order)
    assert a.status == "signed_up"
    assert AssignmentEvent.objects.filter(assignment=a, to_status="signed_up").count() == 1


def test_signup_twice_is_refused(order, worker):
    services.signup(actor=worker.user, order=order)
    with pytest.raises(Conflict):
        services.signup(actor=worker.user, order=order)


def test_a_double_tap_signs_up_once_and_the_second_gets_a_clean_conflict(order, worker, monkeypatch):
    """The second request of a double tap read no row of the pair, then waited for the write lock while the first
    committed: its INSERT meets the unique pair, nothing of it is written, and it answers "already signed up"."""
    from hongniang.gigs.services import assignments

    first = services.signup(actor=worker.user, order=order)  # the first tap, committed
    monkeypatch.setattr(assignments, "_assignment_pk", lambda o, w: None)  # read before the first one committed
    with pytest.raises(Conflict) as refused:
        services.signup(actor=worker.user, order=order)
    assert refused.value.code == "already_signed_up"
    assert list(GigAssignment.objects.filter(order=order, worker=worker)) == [first]
    assert AssignmentEvent.objects.filter(assignment__order=order).count() == 1  # the second tap wrote nothing


def test_signup_api_answers_with_the_order_and_its_place(order, worker, client):
    from hongniang.core.models import ApiToken

    token = ApiToken(user=worker.user, name="t")
    token.save()
    r = client.post(f"/api/v1/gigs/orders/{order.pk}/signup", "{}", content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "signed_up" and body["worker_name"] == worker.name
    assert body["order"]["id"] == order.pk and body["order"]["place"] == order.region.full_name
    assert body["order"]["my_assignment_status"] == "signed_up"
    assert client.post(f"/api/v1/gigs/orders/{order.pk}/signup", "{}", content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token.key}").status_code == 409


def test_signup_needs_a_worker_profile(order, outsider):
    with pytest.raises(PermissionDeniedError):
        services.signup(actor=outsider, order=order)


def test_signup_refused_when_order_filled(make_order, worker, worker2, hr):
    o = make_order(headcount=1)
    services.confirm(actor=hr, assignment=services.signup(actor=worker.user, order=o))
    with pytest.raises(Conflict):
        services.signup(actor=worker2.user, order=o)


def test_signup_again_after_withdrawing(order, worker):
    a = services.signup(actor=worker.user, order=order)
    services.cancel_by_worker(actor=worker.user, assignment=a)
    a2 = services.signup(actor=worker.user, order=order)
    assert a2.pk == a.pk and a2.status == "signed_up"


def test_confirm_sends_time_place_and_contact_to_both_sides(order, worker, hr, django_capture_on_commit_callbacks):
    a = services.signup(actor=worker.user, order=order)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(actor=hr, assignment=a)
    a.refresh_from_db()
    assert a.status == "confirmed" and a.confirmed_at
    to_worker = GigNotice.objects.get(phone=worker.phone, channel="sms")
    assert "08:00-17:00" in to_worker.text and "沙洲坝村村口仓库" in to_worker.text
    assert order.contact_phone in to_worker.text
    to_employer = GigNotice.objects.filter(channel="sms", phone=order.contact_phone).get()
    assert worker.phone in to_employer.text


def test_other_employer_cannot_confirm(order, worker, other_hr):
    a = services.signup(actor=worker.user, order=order)
    with pytest.raises(PermissionDeniedError):
        services.confirm(actor=other_hr, assignment=a)
    a.refresh_from_db()
    assert a.status == "signed_up"


def test_worker_cannot_confirm_themselves(order, worker):
    a = services.signup(actor=worker.user, order=order)
    with pytest.raises(PermissionDeniedError):
        services.confirm(actor=worker.user, assignment=a)


def test_staff_of_the_township_can_confirm_staff_elsewhere_cannot(order, worker, staff_a, staff_b):
    a = services.signup(actor=worker.user, order=order)
    with pytest.raises(PermissionDeniedError):
        services.confirm(actor=staff_b, assignment=a)
    services.confirm(actor=staff_a, assignment=a)


def test_reject_only_from_signed_up(confirmed, hr, order, worker2):
    with pytest.raises(Conflict):
        services.reject(actor=hr, assignment=confirmed)
    a = services.signup(actor=worker2.user, order=order)
    assert services.reject(actor=hr, assignment=a).status == "rejected"


def test_confirm_refused_twice(confirmed, hr):
    with pytest.raises(Conflict):
        services.confirm(actor=hr, assignment=confirmed)


def test_worker_cancels_confirmed_gig_late_counts(confirmed, worker, clock, tomorrow):
    clock.at(tomorrow, 6, 0)
    services.cancel_by_worker(actor=worker.user, assignment=confirmed)
    worker.refresh_from_db()
    assert worker.late_cancel_count == 1


def test_worker_cancels_early_does_not_count(confirmed, worker, clock, tomorrow):
    # 23 hours before the 08:00 start, whatever the wall clock says when the suite runs
    clock.at(tomorrow - dt.timedelta(days=1), 9, 0)
    services.cancel_by_worker(actor=worker.user, assignment=confirmed)
    worker.refresh_from_db()
    assert worker.late_cancel_count == 0


def test_another_worker_cannot_cancel_my_assignment(confirmed, worker2):
    with pytest.raises(PermissionDeniedError):
        services.cancel_by_worker(actor=worker2.user, assignment=confirmed)


def test_employer_cancels_confirmed_worker(confirmed, hr):
    a = services.cancel_by_employer(actor=hr, assignment=confirmed, reason="人够了")
    assert a.status == "cancelled_by_employer"


def test_employer_cancel_needs_reason(confirmed, hr):
    with pytest.raises(InvalidInput):
        services.cancel_by_employer(actor=hr, assignment=confirmed, reason=" ")


# ------------------------------------------------------------------------------- check in / out

def test_check_in_too_early_is_refused(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 5, 0)
    with pytest.raises(Conflict):
        services.check_in(actor=hr, assignment=confirmed)


def test_signed_up_worker_cannot_check_in(order, worker, hr, clock, tomorrow):
    a = services.signup(actor=worker.user, order=order)
    clock.at(tomorrow, 8, 0)
    with pytest.raises(Conflict):
        services.check_in(actor=hr, assignment=a)


def test_qr_scan_checks_in_then_out_and_records_hours(confirmed, worker, clock, tomorrow):
    token = services.checkin_token(confirmed.order)
    clock.at(tomorrow, 7, 55)
    a = services.scan(actor=worker.user, token=token)
    assert a.status == "checked_in" and a.check_method == "qr"
    clock.at(tomorrow, 16, 25)
    a = services.scan(actor=worker.user, token=token)
    assert a.status == "checked_out"
    assert a.hours_worked == Decimal("8.50")
    worker.refresh_from_db()
    assert worker.completed_count == 1


def test_qr_scan_with_forged_token_is_refused(confirmed, worker):
    with pytest.raises(NotFoundError):
        services.scan(actor=worker.user, token="forged-token")


def test_qr_scan_by_worker_not_on_the_order_is_refused(confirmed, worker2, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    with pytest.raises(PermissionDeniedError):
        services.scan(actor=worker2.user, token=services.checkin_token(confirmed.order))


def test_desk_staff_check_in_is_marked_desk(confirmed, staff_a, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    a = services.check_in(actor=staff_a, assignment=confirmed)
    assert a.check_method == "desk"


def test_staff_of_another_township_cannot_check_in(confirmed, staff_b, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    with pytest.raises(PermissionDeniedError):
        services.check_in(actor=staff_b, assignment=confirmed)


def test_employer_can_give_hours_at_check_out(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    services.check_in(actor=hr, assignment=confirmed)
    clock.at(tomorrow, 12, 0)
    a = services.check_out(actor=hr, assignment=confirmed, hours="4.5")
    assert a.hours_worked == Decimal("4.50")


def test_check_out_before_check_in_is_refused(confirmed, hr):
    with pytest.raises(Conflict):
        services.check_out(actor=hr, assignment=confirmed)


# ------------------------------------------------------------------------------------ no-shows

def test_no_show_is_counted(confirmed, hr, worker, clock, tomorrow):
    clock.at(tomorrow, 9, 0)
    a = services.mark_no_show(actor=hr, assignment=confirmed)
    assert a.status == "no_show"
    worker.refresh_from_db()
    assert worker.no_show_count == 1


def test_no_show_before_start_is_refused(confirmed, hr):
    with pytest.raises(Conflict):
        services.mark_no_show(actor=hr, assignment=confirmed)
    assert GigWorker.objects.get(pk=confirmed.worker_id).no_show_count == 0


def test_checked_in_worker_cannot_be_no_show(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    services.check_in(actor=hr, assignment=confirmed)
    with pytest.raises(Conflict):
        services.mark_no_show(actor=hr, assignment=confirmed)


def test_no_show_then_order_can_complete(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 9, 0)
    services.mark_no_show(actor=hr, assignment=confirmed)
    clock.at(tomorrow, 18, 0)
    assert services.order_complete(actor=hr, order=confirmed.order).status == OrderStatus.COMPLETED


# ------------------------------------------------------------------------------------------- pay

def test_pay_then_worker_confirms_settles(checked_out, hr, worker):
    a = services.pay_record(actor=hr, assignment=checked_out, amount="200", method="cash")
    assert a.status == "paid" and a.pay_amount == Decimal("200.00") and a.paid_at
    a = services.pay_confirm(actor=worker.user, assignment=a)
    assert a.status == "settled" and a.worker_confirmed_at


def test_pay_below_minimum_for_hours_is_refused(checked_out, hr):
    with pytest.raises(InvalidInput) as exc:
        services.pay_record(actor=hr, assignment=checked_out, amount="100", method="cash")
    assert exc.value.field == "amount"
    checked_out.refresh_from_db()
    assert checked_out.status == "checked_out" and checked_out.pay_amount is None


def test_pay_before_check_out_is_refused(confirmed, hr):
    with pytest.raises(Conflict):
        services.pay_record(actor=hr, assignment=confirmed, amount="200", method="cash")


def test_pay_with_unknown_method_is_refused(checked_out, hr):
    with pytest.raises(InvalidInput):
        services.pay_record(actor=hr, assignment=checked_out, amount="200", method="wechat-red-packet")


def test_worker_disputes_then_employer_corrects_then_settles(checked_out, hr, worker):
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="transfer")
    a = services.pay_dispute(actor=worker.user, assignment=checked_out, reason="说好加班另给 20 元")
    assert a.status == "disputed" and a.dispute_reason == "说好加班另给 20 元"
    a = services.pay_record(actor=hr, assignment=a, amount="220", method="transfer")
    assert a.status == "paid"
    assert services.pay_confirm(actor=worker.user, assignment=a).status == "settled"


def test_only_the_worker_confirms_pay(checked_out, hr, worker2):
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="cash")
    with pytest.raises(PermissionDeniedError):
        services.pay_confirm(actor=hr, assignment=checked_out)
    with pytest.raises(PermissionDeniedError):
        services.pay_confirm(actor=worker2.user, assignment=checked_out)


def test_confirm_pay_before_payment_refused(checked_out, worker):
    with pytest.raises(Conflict):
        services.pay_confirm(actor=worker.user, assignment=checked_out)


def test_other_employer_cannot_record_pay(checked_out, other_hr):
    with pytest.raises(PermissionDeniedError):
        services.pay_record(actor=other_hr, assignment=checked_out, amount="200", method="cash")


# ------------------------------------------------------------------------------ ratings, rehire

def test_both_sides_rate_once(checked_out, hr, worker):
    services.rate(actor=worker.user, assignment=checked_out, stars=5, comment="老板爽快")
    services.rate(actor=hr, assignment=checked_out, stars=4)
    assert Rating.objects.count() == 2
    with pytest.raises(Conflict):
        services.rate(actor=hr, assignment=checked_out, stars=3)


def test_rating_before_work_is_refused(confirmed, worker):
    with pytest.raises(Conflict):
        services.rate(actor=worker.user, assignment=confirmed, stars=5)


@pytest.mark.parametrize("stars", [0, 6, "x"])
def test_rating_out_of_range_is_refused(checked_out, hr, stars):
    with pytest.raises(InvalidInput):
        services.rate(actor=hr, assignment=checked_out, stars=stars)


def test_outsider_cannot_rate(checked_out, outsider):
    with pytest.raises(PermissionDeniedError):
        services.rate(actor=outsider, assignment=checked_out, stars=1)


def test_rehire_invites_and_worker_accepts(checked_out, hr, make_order, worker, tomorrow):
    new = make_order(date=tomorrow + dt.timedelta(days=1))
    a = services.rehire(actor=hr, order=new, worker=worker)
    assert a.status == "invited"
    a = services.accept_invite(actor=worker.user, assignment=a)
    assert a.status == "confirmed"


def test_rehire_a_stranger_is_refused(order, hr, worker2):
    with pytest.raises(PermissionDeniedError):
        services.rehire(actor=hr, order=order, worker=worker2)


def test_worker_record_counts_completed_and_no_shows(checked_out, worker):
    from hongniang.gigs.selectors import worker_record

    r = worker_record(worker)
    assert r.completed == 1 and r.no_shows == 0 and r.hours == Decimal("9.25")
    assert r.recent[0]["work_type"] == "搬运"


def test_every_transition_leaves_an_event(checked_out, hr, worker):
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="cash")
    services.pay_confirm(actor=worker.user, assignment=checked_out)
    steps = list(AssignmentEvent.objects.filter(assignment=checked_out).values_list("from_status", "to_status"))
    assert steps == [("", "signed_up"), ("signed_up", "confirmed"), ("confirmed", "checked_in"),
                     ("checked_in", "checked_out"), ("checked_out", "paid"), ("paid", "settled")]
    assert GigAssignment.objects.get(pk=checked_out.pk).status == "settled"
