"""Arrears (欠薪预警) on piece wages and the worker who has no log-in account (added by the owner with phone and
name only): they get one SMS through the notifications outbox for the arrear, with their own case (workshop,
month, amount, agreed date) and nothing about anyone else; a nightly re-run never texts them again. A worker
with an account gets the in-site notice as before, no SMS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from hongniang.notifications.models import Notification, SmsMessage
from hongniang.workshops import services
from hongniang.workshops.models import HandoverKind, WageArrearsAlert, WageLine

pytestmark = pytest.mark.django_db
SMS = "workshop_wage_arrears"  # services.ARREARS_SMS_TEMPLATE


@pytest.fixture
def overdue(producing, owner, workers, seeker_user, today):
    """钟小芳 (workers[0]) has an account (the seeker's), 钟小梅 (workers[1]) has none; both made pieces in the
    delivered batch, whose wages are a day past their date and not paid."""
    workers[0].user = seeker_user
    workers[0].save(update_fields=["user"])
    assert workers[1].user_id is None
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[0], "pieces": 200, "hours": "8"}, {"worker": workers[1], "pieces": 280, "hours": "10"}])
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=producing)
    due = today - dt.timedelta(days=1)
    WageLine.objects.update(due_date=due)
    return {"with_account": WageLine.objects.get(worker=workers[0]), "without": WageLine.objects.get(worker=workers[1]),
            "due": due}


def _worker_sms(phone: str):
    return SmsMessage.objects.filter(phone=phone, template=SMS)


def test_a_worker_without_an_account_gets_one_sms_with_their_own_case(overdue, workers, today):
    wage = overdue["without"]
    call_command("check_workshop_arrears", "--wet-run")
    [sms] = _worker_sms("13500000002")
    assert sms.recipient_id is None and sms.status == "queued"
    due = overdue["due"]
    assert sms.body.startswith("【红娘社区工厂】沙洲坝帮扶车间")
    assert f"{today.month}月计件工钱 {wage.amount} 元" in sms.body
    assert f"约定{due.month}月{due.day}日前发，车间还没发" in sms.body and "就业之家" in sms.body
    # nothing about anyone else, nothing they cannot use (no log-in, no “收到了” button)
    for other in ("钟小芳", "钟小梅", "13500000001", "钟春兰", "13600000001", "“收到了”", "/workshops/"):
        assert other not in sms.body, other
    assert len(sms.body) <= 120


def test_a_nightly_rerun_does_not_text_them_again(overdue, bureau):
    call_command("check_workshop_arrears", "--wet-run")
    call_command("check_workshop_arrears", "--wet-run")
    assert _worker_sms("13500000002").count() == 1
    alert = WageArrearsAlert.objects.get(wage=overdue["without"])
    services.arrears_resolve(actor=bureau, alert=alert, resolution="已催车间发放")
    call_command("check_workshop_arrears", "--wet-run")
    services.arrears_raise(wage=overdue["without"])  # raised again by hand after it was resolved
    assert _worker_sms("13500000002").count() == 1


def test_a_dry_run_queues_nothing(overdue):
    call_command("check_workshop_arrears")
    assert not SmsMessage.objects.filter(template=SMS).exists()
    assert not WageArrearsAlert.objects.exists()


def test_a_worker_with_an_account_gets_the_in_site_notice_not_an_sms(overdue, seeker_user):
    before = Notification.objects.filter(recipient=seeker_user).count()
    call_command("check_workshop_arrears", "--wet-run")
    assert Notification.objects.filter(recipient=seeker_user).count() == before + 1
    assert not SmsMessage.objects.filter(phone__in=("13500000001", "13900000001")).exists()
    assert not SmsMessage.objects.filter(recipient=seeker_user).exists()
    assert _worker_sms("13500000002").count() == 1  # only the one without an account


def test_paid_but_unconfirmed_tells_them_what_the_workshop_says_it_paid(overdue, owner, today):
    wage = overdue["without"]
    services.wage_pay(actor=owner, wage=wage, amount=None)
    call_command("check_workshop_arrears", "--wet-run")
    [sms] = _worker_sms("13500000002")
    assert f"车间说已发给您 {wage.amount} 元" in sms.body and "没收到或金额不对，请到附近就业之家" in sms.body
    assert "还没发" not in sms.body
    assert "收到了：请车间或就业之家发验证码到您手机" in sms.body  # how to stop the alert without a log-in


def test_the_sms_goes_with_the_alert_or_not_at_all(overdue, monkeypatch):
    """The alert and its notices are one transaction: if a notice fails, no alert is left (the next run tries
    again), and no SMS sits in the outbox for an alert that does not exist."""
    real = services.notify

    def failing(**kw):
        if kw.get("template") == SMS:
            raise RuntimeError("outbox down")
        return real(**kw)

    monkeypatch.setattr(services, "notify", failing)
    owner_sms = SmsMessage.objects.filter(phone="13600000001").count()
    with pytest.raises(RuntimeError):
        services.arrears_raise(wage=overdue["without"])
    assert not WageArrearsAlert.objects.filter(wage=overdue["without"]).exists()
    assert SmsMessage.objects.filter(phone="13600000001").count() == owner_sms  # the owner's rolled back too
    monkeypatch.setattr(services, "notify", real)
    call_command("check_workshop_arrears", "--wet-run")
    assert _worker_sms("13500000002").count() == 1
