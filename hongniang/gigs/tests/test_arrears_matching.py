"""Arrears alerts (raised once, block the employer until resolved), the command, and matching."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from hongniang.core.errors import PermissionDeniedError
from hongniang.gigs import selectors, services
from hongniang.gigs.models import ArrearsAlert, GigAvailability, GigOrder

from .conftest import make_worker, order_kwargs

pytestmark = pytest.mark.django_db


def _run(wet: bool) -> str:
    out = StringIO()
    call_command("check_gig_arrears", *(["--wet-run"] if wet else []), stdout=out)
    return out.getvalue()


def test_nothing_is_due_before_the_deadline(checked_out, clock, tomorrow):
    clock.at(tomorrow + dt.timedelta(days=1), 17, 0)  # 23h55m after check-out
    assert list(services.overdue_assignments()) == []


def test_dry_run_prints_and_changes_nothing(checked_out, clock, tomorrow):
    clock.at(tomorrow + dt.timedelta(days=1), 18, 0)
    out = _run(wet=False)
    assert "would raise" in out and f"assignment #{checked_out.pk}" in out
    assert ArrearsAlert.objects.count() == 0


def test_alert_raised_once_and_employer_blocked(checked_out, clock, tomorrow, gig_employer, hr, regions):
    clock.at(tomorrow + dt.timedelta(days=1), 18, 0)
    _run(wet=True)
    _run(wet=True)
    alert = ArrearsAlert.objects.get()
    assert alert.employer == gig_employer and alert.reason == "签退后超时未登记付款"
    assert gig_employer.is_blocked
    with pytest.raises(PermissionDeniedError) as exc:
        services.order_create(actor=hr, employer=gig_employer,
                              **order_kwargs(regions, tomorrow + dt.timedelta(days=2)))
    assert exc.value.code == "employer_blocked"
    assert GigOrder.objects.count() == 1


def test_paid_but_unconfirmed_is_also_arrears(checked_out, hr, clock, tomorrow):
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="cash")
    clock.at(tomorrow + dt.timedelta(days=2), 9, 0)
    _run(wet=True)
    assert ArrearsAlert.objects.get().reason == "已登记付款但工人超时未确认收到"


def test_settled_in_time_raises_nothing(checked_out, hr, worker, clock, tomorrow):
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="cash")
    services.pay_confirm(actor=worker.user, assignment=checked_out)
    clock.at(tomorrow + dt.timedelta(days=3), 9, 0)
    _run(wet=True)
    assert ArrearsAlert.objects.count() == 0


def test_payment_confirmed_resolves_alert_and_unblocks(checked_out, hr, worker, clock, tomorrow, gig_employer,
                                                       regions):
    clock.at(tomorrow + dt.timedelta(days=1), 18, 0)
    _run(wet=True)
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="transfer")
    assert gig_employer.is_blocked  # recorded but not yet confirmed by the worker
    services.pay_confirm(actor=worker.user, assignment=checked_out)
    alert = ArrearsAlert.objects.get()
    assert alert.resolved_at and alert.resolution == "工人已确认收款"
    assert not gig_employer.is_blocked
    assert services.order_create(actor=hr, employer=gig_employer,
                                 **order_kwargs(regions, tomorrow + dt.timedelta(days=2))).pk


def test_bureau_resolves_with_reason_others_cannot(checked_out, clock, tomorrow, bureau, hr, staff_a, gig_employer):
    clock.at(tomorrow + dt.timedelta(days=1), 18, 0)
    _run(wet=True)
    alert = ArrearsAlert.objects.get()
    for who in (hr, staff_a):
        with pytest.raises(PermissionDeniedError):
            services.arrears_resolve(actor=who, alert=alert, resolution="已付")
    services.arrears_resolve(actor=bureau, alert=alert, resolution="电话核实已现金结清")
    assert not gig_employer.is_blocked
    _run(wet=True)  # not raised again for the same assignment
    assert ArrearsAlert.objects.count() == 1


def test_deadline_follows_setting(checked_out, clock, tomorrow, settings):
    settings.GIG_ARREARS_HOURS = 2
    clock.at(tomorrow, 19, 10)
    assert [a.pk for a in services.overdue_assignments()] == [checked_out.pk]


def test_arrears_only_block_that_employer(checked_out, clock, tomorrow, other_gig_employer, other_hr, regions):
    clock.at(tomorrow + dt.timedelta(days=1), 18, 0)
    _run(wet=True)
    assert services.order_create(actor=other_hr, employer=other_gig_employer,
                                 **order_kwargs(regions, tomorrow + dt.timedelta(days=2))).pk


# -------------------------------------------------------------------------------------- matching

def test_matching_ranks_near_available_workers_first(order, regions, tomorrow):
    near = make_worker("m1", "13600000001", "近一", regions["v_xianghu"], free=[tomorrow])
    far = make_worker("m2", "13600000002", "远二", regions["v_jiubao"], free=[tomorrow])
    make_worker("m3", "13600000003", "忙三", regions["v_xianghu"], free=[tomorrow + dt.timedelta(days=3)])
    ranked = [c.worker.pk for c in selectors.candidates(order)]
    assert ranked == [near.pk, far.pk]


def test_matching_prefers_the_right_work_type_and_drops_out_of_reach(order, regions, tomorrow):
    other_type = make_worker("m1", "13600000001", "保洁", regions["v_xianghu"], work_types=["cleaning"],
                             free=[tomorrow])
    right_type = make_worker("m2", "13600000002", "搬运", regions["v_xianghu"], work_types=["moving"],
                             free=[tomorrow])
    short_reach = make_worker("m3", "13600000003", "不远行", regions["v_jiubao"], free=[tomorrow])
    short_reach.max_distance_km = 3
    short_reach.save()
    ranked = [c.worker.pk for c in selectors.candidates(order)]
    assert ranked == [right_type.pk, other_type.pk]


def test_matching_puts_no_show_record_lower(order, regions, tomorrow):
    flaky = make_worker("m1", "13600000001", "爽约", regions["v_xianghu"], free=[tomorrow])
    flaky.no_show_count = 3
    flaky.save()
    steady = make_worker("m2", "13600000002", "靠谱", regions["v_xianghu"], free=[tomorrow])
    ranked = [c.worker.pk for c in selectors.candidates(order)]
    assert ranked == [steady.pk, flaky.pk]


def test_matching_skips_workers_already_on_the_order_or_busy(order, confirmed, make_order, worker, regions,
                                                             tomorrow):
    other = make_order(address="另一个仓库")
    assert worker.pk not in [c.worker.pk for c in selectors.candidates(order)]
    assert worker.pk not in [c.worker.pk for c in selectors.candidates(other)]  # confirmed elsewhere that day


def test_notify_candidates_writes_inbox_and_sms(order, worker, hr, django_capture_on_commit_callbacks):
    from hongniang.gigs.models import GigNotice

    with django_capture_on_commit_callbacks(execute=True):
        n = services.notify_candidates(actor=hr, order=order)
    assert n == 1
    assert set(GigNotice.objects.filter(order=order).values_list("channel", flat=True)) == {"inbox", "sms"}


def test_availability_refuses_past_dates(worker):
    from hongniang.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.availability_set(actor=worker.user, worker=worker, dates=[dt.date(2020, 1, 1)])


def test_availability_replaces_future_days(worker, tomorrow):
    d2 = tomorrow + dt.timedelta(days=2)
    services.availability_set(actor=worker.user, worker=worker, dates=[d2])
    assert list(GigAvailability.objects.filter(worker=worker).values_list("date", flat=True)) == [d2]
