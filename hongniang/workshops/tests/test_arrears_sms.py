"""Arrears (欠薪预警) on piece wages and the worker who has no log-in account (added by the owner with phone and
name only): they get one SMS through the notifications outbox for the arrear, with their own case (workshop,
month, amount, agreed date) and nothing about anyone else; a nightly re-run never texts them again. A worker
with an account gets the in-site notice as before, no SMS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from hongniang.core.models import AuditEvent
from hongniang.notifications.models import Notification, SmsMessage
from hongniang.notifications.services import render_sms
from hongniang.workshops import services
from hongniang.workshops.models import HandoverKind, Share, WageArrearsAlert, WageLine

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


# --- several overdue wages of one worker: one SMS per run naming them all --------------------------------------

@pytest.fixture
def second_wage(overdue, hr, other_workshop, other_owner, regions, today):
    """钟小梅 (13500000002, no account) also works at 九堡村社区工厂: 50 pieces of the same order there, delivered
    last month; that wage's date is in a week (not overdue yet)."""
    worker = services.worker_add(actor=other_owner, workshop=other_workshop, name="钟小梅", phone="13500000002",
                                 home_region=regions["v_jiubao"])
    order = overdue["without"].share.order
    [far] = services.order_offer(actor=hr, order=order, offers=[(other_workshop, 300)])
    far = services.share_accept(actor=other_owner, share=far, quantity=300)
    services.handover_record(actor=hr, share=far, kind=HandoverKind.OUT, quantity=300, handed_by="仓管 李")
    services.pieces_record(actor=other_owner, share=far, day=today, entries=[
        {"worker": worker, "pieces": 50, "hours": "2"}])
    services.handover_record(actor=other_owner, share=far, kind=HandoverKind.BACK, quantity=50)
    services.share_deliver(actor=other_owner, share=far, balance_reason="余料退回仓库")
    last_month = timezone.now() - dt.timedelta(days=40)
    Share.objects.filter(pk=far.pk).update(delivered_at=last_month)
    wage = WageLine.objects.get(share=far, worker=worker)
    WageLine.objects.filter(pk=wage.pk).update(due_date=today + dt.timedelta(days=7))
    return {"wage": WageLine.objects.get(pk=wage.pk), "month": timezone.localdate(last_month).month}


def test_two_newly_overdue_wages_of_one_worker_make_one_sms_naming_both(overdue, second_wage, today):
    WageLine.objects.filter(pk=second_wage["wage"].pk).update(due_date=overdue["due"])
    here, there = overdue["without"], second_wage["wage"]
    call_command("check_workshop_arrears", "--wet-run")
    assert WageArrearsAlert.objects.filter(wage__in=[here, there]).count() == 2
    [sms] = _worker_sms("13500000002")
    assert sms.body.startswith("【红娘社区工厂】您有 2 笔计件工钱过了约定日期还没结清：")
    assert f"沙洲坝帮扶车间{today.month}月 {here.amount} 元" in sms.body
    assert f"九堡村社区工厂{second_wage['month']}月 {there.amount} 元" in sms.body
    assert "已报人社局跟进" in sms.body and "就业之家" in sms.body
    for other in ("钟小芳", "钟小梅", "13500000001", "钟春兰", "刘金生", "/workshops/"):
        assert other not in sms.body, other
    assert len(sms.body) <= 120
    [row] = AuditEvent.objects.filter(action="workshops.arrears_sms")
    assert sorted(row.detail["wages"]) == sorted([here.pk, there.pk]) and row.actor_id is None
    assert row.target_type == "workshops.workshopworker"
    # the owners still hear of each wage of theirs
    assert SmsMessage.objects.filter(phone="13600000001", body__contains="欠薪预警").count() == 2  # 钟小芳 too
    assert SmsMessage.objects.filter(phone="13600000002", body__contains="欠薪预警").count() == 1


def test_a_wage_already_alerted_is_not_named_again(overdue, second_wage, today):
    call_command("check_workshop_arrears", "--wet-run")  # only the first wage is overdue
    [first] = _worker_sms("13500000002")
    assert "沙洲坝帮扶车间" in first.body
    WageLine.objects.filter(pk=second_wage["wage"].pk).update(due_date=today - dt.timedelta(days=1))
    call_command("check_workshop_arrears", "--wet-run")
    second = _worker_sms("13500000002").exclude(pk=first.pk)
    assert second.count() == 1
    body = second.get().body
    assert body.startswith("【红娘社区工厂】九堡村社区工厂") and "沙洲坝帮扶车间" not in body
    assert "约定" in body and "车间还没发" in body  # one wage: the single-wage text with its date
    call_command("check_workshop_arrears", "--wet-run")
    assert _worker_sms("13500000002").count() == 2
    assert AuditEvent.objects.filter(action="workshops.arrears_sms").count() == 2


def test_a_long_list_stays_short(db):
    """More than ARREARS_SMS_LISTED wages: the first few named, the rest counted; a paid-but-unconfirmed one says
    how to confirm it without a log-in."""
    wages = [{"workshop": "瑞金市沙洲坝镇帮扶车间", "month": 12 - i, "amount": "1234.50",
              "case": "paid" if i == 1 else "due"} for i in range(services.ARREARS_SMS_LISTED)]
    body = render_sms(SMS, {"count": 5, "wages": wages, "more": 2, "any_paid": True})
    assert body.startswith("【红娘社区工厂】您有 5 笔计件工钱") and "；另有 2 笔。" in body
    assert "（车间说已发）" in body and "发验证码到您手机" in body
    assert len(body) <= 200, len(body)
