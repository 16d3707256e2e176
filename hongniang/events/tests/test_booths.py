"""Booking and approval of booths; no-shows, late cancellations, bars and the pay flag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.events import services
from hongniang.events.models import Booth, BoothBar, BoothChange, BoothStatus
from hongniang.testing import factories as f

from .conftest import make_event

pytestmark = pytest.mark.django_db


def test_hr_books_a_booth_with_open_postings_and_the_organiser_approves_with_a_number(event, hr, enterprise,
                                                                                        posting, staff_a):
    booth = services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    assert booth.status == BoothStatus.REQUESTED
    assert list(booth.postings.all()) == [posting]
    booth = services.booth_act(actor=staff_a, booth=booth, action="approve")
    assert (booth.status, booth.number) == (BoothStatus.APPROVED, 1)
    assert [c.action for c in BoothChange.objects.filter(booth=booth)] == ["request", "approve"]


def test_second_booking_of_the_same_enterprise_is_refused(event, hr, enterprise, posting):
    services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    with pytest.raises(Conflict) as exc:
        services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    assert exc.value.code == "already_booked"
    assert Booth.objects.filter(event=event).count() == 1


def test_only_the_organiser_approves_and_a_decline_needs_a_reason(event, hr, enterprise, posting, staff_b,
                                                                   other_hr, staff_a):
    booth = services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    for outsider in (staff_b, other_hr, hr):
        with pytest.raises(PermissionDeniedError):
            services.booth_act(actor=outsider, booth=booth, action="approve")
    with pytest.raises(InvalidInput):
        services.booth_act(actor=staff_a, booth=booth, action="decline", reason="  ")
    booth = services.booth_act(actor=staff_a, booth=booth, action="decline", reason="岗位与本场主题不符")
    assert booth.status == BoothStatus.DECLINED


def test_booking_refuses_other_enterprises_postings_closed_ones_and_fees(event, hr, enterprise, posting,
                                                                          other_posting):
    with pytest.raises(PermissionDeniedError):
        services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[other_posting])
    fee = f.JobPostingFactory(enterprise=enterprise, check_flags=["fee_required"])
    with pytest.raises(InvalidInput) as exc:
        services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[fee])
    assert "收费" in exc.value.message
    with pytest.raises(InvalidInput):
        services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[])
    assert not Booth.objects.exists()


def test_an_unverified_enterprise_cannot_book(event, hr, enterprise, posting):
    enterprise.verification_status = "unverified"
    enterprise.save()
    with pytest.raises(Conflict):
        services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])


def test_cancelling_less_than_a_day_ahead_is_marked_late(staff_a, point_a, hr, enterprise, posting):
    soon = make_event(staff_a, point_a, starts_in=dt.timedelta(hours=5))
    booth = services.booth_request(actor=hr, event=soon, enterprise=enterprise, postings=[posting])
    booth = services.booth_act(actor=staff_a, booth=booth, action="approve")
    booth = services.booth_act(actor=hr, booth=booth, action="cancel")
    assert booth.status == BoothStatus.CANCELLED and booth.cancelled_late
    later = make_event(staff_a, point_a, starts_in=dt.timedelta(days=3))
    booth2 = services.booth_request(actor=hr, event=later, enterprise=enterprise, postings=[posting])
    services.booth_act(actor=hr, booth=booth2, action="cancel")
    booth2.refresh_from_db()
    assert booth2.status == BoothStatus.CANCELLED and not booth2.cancelled_late


def test_finishing_marks_empty_booths_no_show_and_the_organiser_bars_them_from_the_next_event(
        staff_a, point_a, today_event, hr, enterprise, posting):
    booth = services.booth_request(actor=hr, event=today_event, enterprise=enterprise, postings=[posting])
    services.booth_act(actor=staff_a, booth=booth, action="approve")
    nxt = make_event(staff_a, point_a, starts_in=dt.timedelta(days=10), title="下一场")
    services.event_act(actor=staff_a, event=today_event, action="finish")
    booth.refresh_from_db()
    assert booth.status == BoothStatus.NO_SHOW
    services.booth_bar(actor=staff_a, booth=booth, event=nxt, reason="上次未到场")
    with pytest.raises(Conflict) as exc:
        services.booth_request(actor=hr, event=nxt, enterprise=enterprise, postings=[posting])
    assert exc.value.code == "barred"
    # and its next booking elsewhere carries the flag for the organiser
    third = make_event(staff_a, point_a, starts_in=dt.timedelta(days=20), title="再下一场")
    b3 = services.booth_request(actor=hr, event=third, enterprise=enterprise, postings=[posting])
    assert "no_show_before" in b3.flags


def test_only_no_shows_can_be_barred(staff_a, point_a, event, hr, enterprise, posting):
    booth = services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    nxt = make_event(staff_a, point_a, starts_in=dt.timedelta(days=10))
    with pytest.raises(Conflict):
        services.booth_bar(actor=staff_a, booth=booth, event=nxt, reason="x")
    assert not BoothBar.objects.exists()


def test_a_hire_through_an_event_paid_more_than_10_percent_below_the_promise_flags_the_next_booking(
        staff_a, point_a, event, hr, enterprise, posting, seeker):
    Application.objects.create(seeker=seeker, posting=posting, status="hired", channel="fair", source_id=event.pk,
                               start_date=timezone.localdate() - dt.timedelta(days=40),
                               actual_start_date=timezone.localdate() - dt.timedelta(days=40),
                               pay_amount=int(posting.monthly_min * 0.85))
    booth = services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    assert "pay_below_promise" in booth.flags
    assert any("低于承诺" in label for label in booth.flag_labels)


def test_pay_within_10_percent_raises_no_flag(event, hr, enterprise, posting, seeker):
    Application.objects.create(seeker=seeker, posting=posting, status="hired", channel="fair", source_id=event.pk,
                               start_date=timezone.localdate(), actual_start_date=timezone.localdate(),
                               pay_amount=int(posting.monthly_min * 0.95))
    booth = services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    assert booth.flags == []
