"""Posting gig orders: the rules, bad input saves nothing, who may post, the order state machine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.gigs import services
from hongniang.gigs.models import GigOrder, OrderEvent, OrderStatus
from hongniang.notifications.phone_codes import phone_code_send

from .conftest import order_kwargs

pytestmark = pytest.mark.django_db


def test_enterprise_hr_posts_an_order_with_total_and_event(order):
    assert order.status == OrderStatus.OPEN
    assert order.total_per_worker == Decimal("200.00")
    assert order.township.name == "象湖镇"
    assert list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True)) == ["open"]


def test_hourly_total_is_rate_times_hours_times_days(make_order, tomorrow):
    o = make_order(pay_type="hour", pay_rate="20", end_date=tomorrow + dt.timedelta(days=1))
    assert o.total_per_worker == Decimal("360.00")  # 20 × 9 h × 2 days


@pytest.mark.parametrize("over, field", [
    ({"end_time": dt.time(7, 0)}, "end_time"),
    ({"end_time": dt.time(8, 0)}, "end_time"),
    ({"pay_type": "hour", "pay_rate": "16.0"}, "pay_rate"),
    ({"pay_type": "day", "pay_rate": "144"}, "pay_rate"),  # 9 h × 16.1 = 144.90
    ({"pay_type": "piece", "pay_rate": "0.5", "piece_unit": "斤", "piece_hourly_estimate": "15"},
     "piece_hourly_estimate"),
    ({"pay_type": "piece", "pay_rate": "0.5", "piece_unit": "斤"}, "piece_hourly_estimate"),
    ({"headcount": 0}, "headcount"),
    ({"headcount": -3}, "headcount"),
    ({"pay_rate": "0"}, "pay_rate"),
    ({"pay_rate": "abc"}, "pay_rate"),
    ({"address": "  "}, "address"),
    ({"work_type": "nonsense"}, "work_type"),
])
def test_bad_input_is_refused_with_a_field_and_saves_nothing(hr, gig_employer, regions, tomorrow, over, field):
    with pytest.raises(InvalidInput) as exc:
        services.order_create(actor=hr, employer=gig_employer, **order_kwargs(regions, tomorrow, **over))
    assert exc.value.field == field
    assert exc.value.message
    assert GigOrder.objects.count() == 0


def test_a_date_in_the_past_is_refused(hr, gig_employer, regions):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as exc:
        services.order_create(actor=hr, employer=gig_employer, **order_kwargs(regions, yesterday))
    assert exc.value.field == "date"
    assert GigOrder.objects.count() == 0


def test_end_date_before_date_is_refused(hr, gig_employer, regions, tomorrow):
    with pytest.raises(InvalidInput) as exc:
        services.order_create(actor=hr, employer=gig_employer,
                              **order_kwargs(regions, tomorrow, end_date=tomorrow - dt.timedelta(days=1)))
    assert exc.value.field == "end_date"
    assert GigOrder.objects.count() == 0


def test_day_pay_exactly_at_minimum_is_accepted(make_order):
    assert make_order(pay_type="day", pay_rate="144.90").pk


def test_piece_pay_with_fair_estimate_is_accepted(make_order):
    o = make_order(pay_type="piece", pay_rate="0.30", piece_unit="斤", piece_hourly_estimate="20")
    assert o.pay_label == "0.3 元/斤"
    assert o.total_per_worker == Decimal("180.00")


def test_database_refuses_headcount_zero(order):
    with pytest.raises(IntegrityError), transaction.atomic():
        GigOrder.objects.filter(pk=order.pk).update(headcount=0)


def test_database_refuses_end_before_start(order):
    with pytest.raises(IntegrityError), transaction.atomic():
        GigOrder.objects.filter(pk=order.pk).update(end_time=dt.time(6, 0))


def test_other_enterprise_hr_cannot_post_for_this_employer(other_hr, gig_employer, regions, tomorrow):
    with pytest.raises(PermissionDeniedError):
        services.order_create(actor=other_hr, employer=gig_employer, **order_kwargs(regions, tomorrow))
    assert GigOrder.objects.count() == 0


def test_outsider_cannot_post(outsider, gig_employer, regions, tomorrow):
    with pytest.raises(PermissionDeniedError):
        services.order_create(actor=outsider, employer=gig_employer, **order_kwargs(regions, tomorrow))


def test_staff_post_on_behalf_and_the_point_is_recorded(staff_a, point_a, gig_employer, regions, tomorrow):
    o = services.order_create(actor=staff_a, employer=gig_employer, **order_kwargs(regions, tomorrow))
    assert o.service_point == point_a
    assert o.posted_by == staff_a
    assert o.events.get().reason == "工作人员代发"


def test_unverified_enterprise_cannot_become_gig_employer(other_enterprise):
    other_enterprise.verification_status = "pending"
    other_enterprise.save()
    with pytest.raises(PermissionDeniedError):
        services.employer_for_enterprise(enterprise=other_enterprise)


def test_individual_employer_needs_the_sms_code(individual_user):
    phone_code_send(phone="13800000009", purpose=services.EMPLOYER_CODE_PURPOSE)
    with pytest.raises(InvalidInput):
        services.individual_employer_register(actor=individual_user, name="王大伯", phone="13800000009",
                                              code="000000x")


def test_individual_employer_with_code_posts(individual_user, individual_employer, regions, tomorrow):
    assert individual_employer.phone_verified_at is not None
    o = services.order_create(actor=individual_user, employer=individual_employer,
                              **order_kwargs(regions, tomorrow, work_type="picking"))
    assert o.contact_phone == "13800000009"


def test_staff_vouch_for_individual_without_code(staff_a, regions, tomorrow):
    emp = services.individual_employer_register(actor=staff_a, name="赵婶", phone="13800000010")
    assert emp.verified_by == staff_a
    o = services.order_create(actor=staff_a, employer=emp, **order_kwargs(regions, tomorrow))
    assert o.service_point_id


# --------------------------------------------------------------------------- order state machine

def test_open_to_filled_when_headcount_confirmed_and_back_when_one_cancels(order, worker, worker2, hr):
    a1 = services.confirm(actor=hr, assignment=services.signup(actor=worker.user, order=order))
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    services.confirm(actor=hr, assignment=services.signup(actor=worker2.user, order=order))
    order.refresh_from_db()
    assert order.status == OrderStatus.FILLED
    services.cancel_by_worker(actor=worker.user, assignment=a1)
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert list(order.events.values_list("to_status", flat=True)) == ["open", "filled", "open"]


def test_cancel_open_order_cancels_assignments_and_notifies(order, confirmed, hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(actor=hr, order=order, reason="下雨不干了")
    order.refresh_from_db()
    confirmed.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert confirmed.status == "cancelled_by_employer"
    from hongniang.gigs.models import GigNotice

    assert GigNotice.objects.filter(phone=confirmed.worker.phone, channel="sms", text__contains="下雨").exists()


def test_late_cancel_with_confirmed_workers_counts_against_employer(order, confirmed, hr, gig_employer, clock,
                                                                    tomorrow):
    clock.at(tomorrow, 6, 0)
    services.order_cancel(actor=hr, order=order, reason="临时有变")
    gig_employer.refresh_from_db()
    assert gig_employer.late_cancel_count == 1


def test_cancel_needs_a_reason(order, hr):
    with pytest.raises(InvalidInput):
        services.order_cancel(actor=hr, order=order, reason="")


def test_cancelled_order_cannot_be_cancelled_again(order, hr):
    services.order_cancel(actor=hr, order=order, reason="不需要了")
    with pytest.raises(Conflict):
        services.order_cancel(actor=hr, order=order, reason="再来")


def test_other_employer_cannot_cancel(order, other_hr):
    with pytest.raises(PermissionDeniedError):
        services.order_cancel(actor=other_hr, order=order, reason="捣乱")


def test_first_check_in_starts_order_and_complete_after_checkout(checked_out, hr):
    order = checked_out.order
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    services.order_complete(actor=hr, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_complete_refused_while_workers_still_on_site(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 8, 0)
    services.check_in(actor=hr, assignment=confirmed)
    with pytest.raises(Conflict):
        services.order_complete(actor=hr, order=confirmed.order)


def test_complete_refused_before_start(order, hr):
    with pytest.raises(Conflict):
        services.order_complete(actor=hr, order=order)


def test_explicit_start_then_completed_order_cannot_start(order, hr, clock, tomorrow):
    services.order_start(actor=hr, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    clock.at(tomorrow, 18, 0)
    services.order_complete(actor=hr, order=order)
    with pytest.raises(Conflict):
        services.order_start(actor=hr, order=order)
