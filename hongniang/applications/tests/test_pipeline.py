"""The hiring pipeline: every transition allowed and refused, who may run it, events, notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications import services
from hongniang.applications.models import Application, ApplicationEvent
from hongniang.applications.models import ApplicationStatus as S
from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.core.models import AuditEvent
from hongniang.notifications.models import Notification, SmsMessage

FUTURE = timezone.now() + dt.timedelta(days=3)
ALL = [s.value for s in S]


@pytest.fixture
def application(seeker, posting):
    return services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)


def _at(application, status):
    Application.objects.filter(pk=application.pk).update(
        status=status, interview_at=FUTURE if status == S.INTERVIEW else None,
        start_date=dt.date(2030, 1, 1) if status == S.HIRED else None)
    application.refresh_from_db()
    return application


def _run(action, application, actor):
    return services.application_act(actor=actor, application=application, action=action, note="备注",
                                    reason="年龄不符", interview_at=FUTURE, interview_place="象湖镇工业园",
                                    start_date=dt.date(2030, 1, 10))


CASES = [(action, status) for action in services.HR_ACTIONS for status in ALL]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_every_transition_is_allowed_or_refused_by_the_table(action, status, application, hr):
    application = _at(application, status)
    target = services.ACTION_TARGET[action]
    before = ApplicationEvent.objects.count()
    if status in services.ALLOWED_FROM[target]:
        done = _run(action, application, hr)
        assert done.status == target
        ev = ApplicationEvent.objects.latest("id")
        assert (ev.from_status, ev.to_status, ev.actor) == (status, target, hr)
        assert AuditEvent.objects.filter(action=f"application.{target}").exists()
    else:
        with pytest.raises(Conflict) as exc:
            _run(action, application, hr)
        assert exc.value.code == "invalid_transition"
        application.refresh_from_db()
        assert application.status == status and ApplicationEvent.objects.count() == before


def test_the_table_matches_the_pipeline():
    assert services.next_actions(S.APPLIED) == ["view", "contact", "interview", "offer", "reject"]
    assert services.next_actions(S.OFFERED) == ["hire", "reject", "no_show"]
    assert services.next_actions(S.HIRED) == [] and services.next_actions(S.WITHDRAWN) == []


@pytest.mark.parametrize("who", ["other_hr", "seeker_user", "staff_a", "bureau", "outsider"])
def test_only_hr_of_the_posting_may_run_the_pipeline(who, application, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        services.application_contact(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == S.APPLIED


def test_interview_needs_a_future_time_and_a_place(application, hr):
    with pytest.raises(InvalidInput):
        services.application_schedule_interview(actor=hr, application=application, interview_at=None, place="x")
    with pytest.raises(InvalidInput):
        services.application_schedule_interview(actor=hr, application=application,
                                                interview_at=timezone.now() - dt.timedelta(hours=1), place="x")
    with pytest.raises(InvalidInput):
        services.application_schedule_interview(actor=hr, application=application, interview_at=FUTURE, place=" ")
    a = services.application_schedule_interview(actor=hr, application=application, interview_at=FUTURE,
                                                place="象湖镇工业园")
    assert a.interview_place == "象湖镇工业园" and a.interview_at == FUTURE


def test_reject_needs_a_reason_and_keeps_it(application, hr):
    with pytest.raises(InvalidInput):
        services.application_reject(actor=hr, application=application, reason="  ")
    a = services.application_reject(actor=hr, application=application, reason="年龄不符")
    assert a.close_reason == "年龄不符" and a.events.last().reason == "年龄不符"


def test_hire_needs_a_start_date(application, hr):
    _at(application, S.OFFERED)
    with pytest.raises(InvalidInput):
        services.application_hire(actor=hr, application=application, start_date=None)
    assert services.application_hire(actor=hr, application=application,
                                     start_date=dt.date(2030, 1, 10)).start_date == dt.date(2030, 1, 10)


def test_withdraw_refused_after_hire(application, seeker):
    _at(application, S.HIRED)
    with pytest.raises(InvalidInput):
        services.application_withdraw(actor=seeker.user, application=application)


# --- consent on the application -------------------------------------------------------------------


def test_self_apply_records_online_consent(application):
    assert application.consent_channel == "online" and application.consent_at and application.consent_witness is None


def test_staff_apply_records_channel_and_witness(staff_a, seeker_a2, posting):
    a = services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_a, channel="staff",
                                   consent_confirmed=True, consent_channel="paper")
    assert (a.consent_channel, a.consent_witness) == ("paper", staff_a) and a.consent_at


def test_staff_apply_refuses_online_as_consent_channel(staff_a, seeker_a2, posting):
    with pytest.raises(InvalidInput):
        services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_a, channel="staff",
                                   consent_confirmed=True, consent_channel="online")


# --- notifications ----------------------------------------------------------------------------------


def test_apply_notifies_hr_inbox_after_commit(seeker, posting, hr, immediate_tasks,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    note = Notification.objects.get(recipient=hr)
    assert note.title == "新报名：缝纫工" and note.url == f"/applications/{a.pk}/"
    assert not SmsMessage.objects.exists()


def test_staff_apply_sends_the_seeker_an_sms(staff_a, seeker_a2, posting, hr, immediate_tasks,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_a, channel="staff",
                                   consent_confirmed=True)
    assert [p for p, _ in immediate_tasks] == [seeker_a2.phone]
    assert "工作人员" in immediate_tasks[0][1]


@pytest.mark.parametrize(("action", "sms"), [("view", False), ("contact", False), ("interview", True),
                                             ("offer", True), ("reject", False)])
def test_status_change_notifies_the_seeker(action, sms, application, hr, seeker_user, immediate_tasks,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _run(action, application, hr)
    assert Notification.objects.filter(recipient=seeker_user).count() == 1
    assert len(immediate_tasks) == (1 if sms else 0)


def test_hire_sends_one_sms(application, hr, immediate_tasks, django_capture_on_commit_callbacks):
    _at(application, S.OFFERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_hire(actor=hr, application=application, start_date=dt.date(2030, 1, 10))
    assert len(immediate_tasks) == 1 and "2030-01-10" in immediate_tasks[0][1]


def test_refused_transition_notifies_nobody(application, hr, immediate_tasks, django_capture_on_commit_callbacks):
    _at(application, S.REJECTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Conflict):
        services.application_offer(actor=hr, application=application)
    assert callbacks == [] and not Notification.objects.filter(template="application_offered").exists()


def test_withdraw_tells_hr(application, seeker, hr, immediate_tasks):
    services.application_withdraw(actor=seeker.user, application=application)
    assert Notification.objects.filter(recipient=hr, template="application_withdrawn").exists()


# --- after the hire ---------------------------------------------------------------------------------


@pytest.fixture
def hired(application):
    return _at(application, S.HIRED)


def test_seeker_confirms_the_start(hired, seeker):
    a = services.application_confirm_start(actor=seeker.user, application=hired,
                                           actual_start_date=dt.date(2026, 1, 5))
    assert a.actual_start_date == dt.date(2026, 1, 5) and a.start_confirmed_at and a.status == S.HIRED
    assert "确认实际上岗" in a.events.last().reason


def test_staff_of_the_point_may_confirm_on_a_follow_up(hired, staff_a):
    services.application_confirm_start(actor=staff_a, application=hired, actual_start_date=dt.date(2026, 1, 5))


@pytest.mark.parametrize("who", ["hr", "staff_b", "outsider"])
def test_others_may_not_confirm(who, hired, request):
    with pytest.raises(PermissionDeniedError):
        services.application_confirm_start(actor=request.getfixturevalue(who), application=hired,
                                           actual_start_date=dt.date(2026, 1, 5))


def test_confirm_start_needs_a_hire(application, seeker):
    _at(application, S.OFFERED)
    with pytest.raises(Conflict):
        services.application_confirm_start(actor=seeker.user, application=application,
                                           actual_start_date=dt.date(2026, 1, 5))


def test_start_cannot_be_in_the_future(hired, seeker):
    with pytest.raises(InvalidInput):
        services.application_confirm_start(actor=seeker.user, application=hired,
                                           actual_start_date=timezone.localdate() + dt.timedelta(days=1))


def test_pay_report_waits_for_a_month(hired, seeker):
    with pytest.raises(Conflict) as exc:
        services.application_report_pay(actor=seeker.user, application=hired, amount=4000)
    assert exc.value.code == "start_not_confirmed"
    services.application_confirm_start(actor=seeker.user, application=hired,
                                       actual_start_date=timezone.localdate() - dt.timedelta(days=10))
    with pytest.raises(Conflict) as exc:
        services.application_report_pay(actor=seeker.user, application=hired, amount=4000)
    assert exc.value.code == "too_early"


def test_pay_report_compares_with_the_promise(hired, seeker):
    services.application_confirm_start(actor=seeker.user, application=hired,
                                       actual_start_date=timezone.localdate() - dt.timedelta(days=35))
    a = services.application_report_pay(actor=seeker.user, application=hired, amount=3000)
    assert a.pay_amount == 3000 and a.pay_below_promise is True  # promised 4500–6000
    assert AuditEvent.objects.get(action="application.report_pay").detail["below_promise"] is True


@pytest.mark.parametrize("amount", [0, -5, "abc", 300000])
def test_pay_report_rejects_nonsense(amount, hired, seeker):
    services.application_confirm_start(actor=seeker.user, application=hired,
                                       actual_start_date=timezone.localdate() - dt.timedelta(days=35))
    with pytest.raises(InvalidInput):
        services.application_report_pay(actor=seeker.user, application=hired, amount=amount)


def test_database_refuses_pay_without_start(application):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(pay_amount=4000)


# --- stale applications -----------------------------------------------------------------------------


def test_close_stale_command_dry_run_then_wet_run(application, seeker_a2, posting, staff_a, immediate_tasks):
    from io import StringIO

    from django.core.management import call_command

    fresh = services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_a, channel="staff",
                                       consent_confirmed=True)
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - dt.timedelta(days=61))
    out = StringIO()
    call_command("close_stale_applications", stdout=out)
    application.refresh_from_db()
    assert application.status == S.APPLIED and "would close application" in out.getvalue()
    call_command("close_stale_applications", "--wet-run", stdout=StringIO())
    application.refresh_from_db()
    fresh.refresh_from_db()
    assert application.status == S.CLOSED and "60 天" in application.close_reason
    assert application.events.last().actor is None and fresh.status == S.APPLIED
    assert Notification.objects.filter(template="application_closed").count() == 1


def _offered_days_ago(application, days):
    _at(application, S.OFFERED)
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - dt.timedelta(days=days))
    application.refresh_from_db()
    return application


def _close_stale(*args):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("close_stale_applications", *args, stdout=out)
    return out.getvalue()


def test_an_offer_without_a_hire_for_30_days_closes_and_both_sides_are_told(application, hr, immediate_tasks):
    _offered_days_ago(application, 31)
    assert "would close application" in _close_stale()
    application.refresh_from_db()
    assert application.status == S.OFFERED  # dry run
    _close_stale("--wet-run")
    application.refresh_from_db()
    assert application.status == S.CLOSED and "录用后超过 30 天未办理上岗" in application.close_reason
    assert application.events.last().actor is None
    seeker_sms = SmsMessage.objects.get(template="offer_closed")
    assert seeker_sms.phone == application.seeker.phone and "已自动结束" in seeker_sms.body
    hr_note = Notification.objects.get(template="offer_closed_hr", recipient=hr)
    assert "名额已重新开放" in hr_note.body and application.seeker.name in hr_note.body


def test_hr_is_warned_once_a_week_before_an_offer_closes_and_a_hire_in_time_keeps_it(application, hr,
                                                                                  immediate_tasks):
    _offered_days_ago(application, 24)
    _close_stale("--wet-run")
    application.refresh_from_db()
    assert application.status == S.OFFERED
    warning = Notification.objects.get(template="offer_closing_hr", recipient=hr)
    assert "办理上岗" in warning.body and "月" in warning.body
    _close_stale("--wet-run")  # the next night: no second warning
    assert Notification.objects.filter(template="offer_closing_hr").count() == 1
    services.application_hire(actor=hr, application=application, start_date=dt.date(2030, 1, 10))
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - dt.timedelta(days=40))
    _close_stale("--wet-run")
    application.refresh_from_db()
    assert application.status == S.HIRED  # hires never close


def test_recent_offers_stay_and_offer_days_0_turns_the_rule_off(application, hr, immediate_tasks):
    _offered_days_ago(application, 10)
    _close_stale("--wet-run")
    application.refresh_from_db()
    assert application.status == S.OFFERED and not Notification.objects.filter(template__startswith="offer_clos")
    _offered_days_ago(application, 90)
    _close_stale("--wet-run", "--offer-days", "0")
    application.refresh_from_db()
    assert application.status == S.OFFERED


def test_a_hire_schedules_follow_ups_at_7_30_and_90_days(application, hr):
    from hongniang.flows.hiring import hire
    from hongniang.outreach.models import FollowUp

    _at(application, S.OFFERED)
    hire(actor=hr, application=application, start_date=dt.date(2030, 1, 10))
    due = dict(FollowUp.objects.filter(application=application).values_list("day", "due_on"))
    assert due == {7: dt.date(2030, 1, 17), 30: dt.date(2030, 2, 9), 90: dt.date(2030, 4, 10)}
