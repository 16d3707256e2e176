"""工人确认收到 at the desk, for a worker without a log-in account (who can never tap “收到了”): the owner or the
township's staff send a code to the worker's own phone, the worker reads it out, the desk types it in; or the
township's staff record that the worker confirmed in front of them, ID card checked. Either counts as the
worker's own “收到了” (the wage confirmed, the arrears alert resolved, no new alert), with the proof kept; the
owner alone can never confirm for the worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from hongniang.core.audit import AuditEvent
from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.notifications.models import SmsMessage
from hongniang.workshops import services
from hongniang.workshops.models import HandoverKind, WageArrearsAlert, WageEvent, WageLine, WageStatus

pytestmark = pytest.mark.django_db
PHONE = "13500000002"  # 钟小梅, workers[1], added by phone and name only


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def paid(producing, owner, workers, today):
    """钟小梅 (no account) made 280 pieces; the batch is delivered, the workshop marked her wage paid, its date
    passed unconfirmed and the nightly check raised an arrears alert (“已登记发放但工人超时未确认收到”)."""
    assert workers[1].user_id is None
    services.pieces_record(actor=owner, share=producing, day=today,
                           entries=[{"worker": workers[1], "pieces": 280, "hours": "10"}])
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=400)
    services.share_deliver(actor=owner, share=producing, balance_reason="余料退回仓库")
    wage = WageLine.objects.get(worker=workers[1])
    services.wage_pay(actor=owner, wage=wage)
    WageLine.objects.filter(pk=wage.pk).update(due_date=today - dt.timedelta(days=1))
    call_command("check_workshop_arrears", "--wet-run")
    assert WageArrearsAlert.objects.get(wage=wage).resolved_at is None
    return WageLine.objects.select_related("share__workshop", "share__order", "worker").get(pk=wage.pk)


def _page(wage):
    return f"/workshops/wages/{wage.pk}/receipt/"


def _api(wage, step):
    return f"/api/v1/outsourcing/orders/{wage.share.order_id}/wages/{wage.pk}/receipt/{step}"


def test_the_owner_types_the_code_the_worker_reads_out_and_it_counts_as_her_confirmation(paid, owner, sms):
    c = client_for(owner)
    listing = c.get("/workshops/mine/wages/").content.decode()
    assert _page(paid) in listing and "工人确认收到" in listing
    page = c.get(_page(paid)).content.decode()
    assert "发验证码到工人手机" in page and "当面确认" not in page  # the owner has no in-person path
    sent = c.post(_page(paid), {"step": "send"})
    assert sent.status_code == 200
    code = sms.code(PHONE)
    assert code not in sent.content.decode()  # the desk never sees it: the worker reads it out
    [(_phone, text)] = [(p, t) for p, t in sms.sent if p == PHONE]
    assert "沙洲坝帮扶车间" in text and f"{paid.paid_amount} 元" in text and "没收到" in text
    assert "不会向您索要" not in text  # not the standard text, which forbids reading it out
    assert code not in SmsMessage.objects.get(phone=PHONE, template__startswith="phone_code:").body

    done = c.post(_page(paid), {"step": "code", "code": code})
    assert done.status_code == 302
    wage = WageLine.objects.get(pk=paid.pk)
    assert wage.status == WageStatus.CONFIRMED and wage.confirmed_at is not None
    assert wage.confirmed_via == "sms_code" and wage.confirm_entered_by == owner
    alert = WageArrearsAlert.objects.get(wage=wage)
    assert alert.resolved_at is not None and "工人已确认收到" in alert.resolution
    ev = WageEvent.objects.get(wage=wage, action="confirm")
    assert ev.details["proof"] == "sms_code" and ev.actor == owner
    row = AuditEvent.objects.get(action="workshops.wage_confirm", target_id=str(wage.pk))
    assert row.detail["proof"] == "sms_code" and row.actor == owner
    assert "短信验证码" in c.get(_page(paid)).content.decode()
    # the same as her own “收到了” everywhere: no new alert, the pay record says confirmed and how
    call_command("check_workshop_arrears", "--wet-run")
    assert not WageArrearsAlert.objects.filter(wage=wage, resolved_at__isnull=True).exists()
    [item] = [w for w in c.get(f"/api/v1/outsourcing/orders/{wage.share.order_id}/wages").json()["items"]
              if w["id"] == wage.pk]
    assert item["status"] == "confirmed" and item["confirmed_via"] == "sms_code"
    # a code works once
    again = c.post(_api(paid, "confirm"), {"code": code}, content_type="application/json")
    assert again.status_code == 409


def test_a_wrong_code_is_refused_in_chinese_and_nothing_is_saved(paid, owner, sms):
    c = client_for(owner)
    c.post(_page(paid), {"step": "send"})
    code = sms.code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    r = c.post(_page(paid), {"step": "code", "code": wrong})
    assert r.status_code == 422 and "验证码不正确" in r.content.decode()
    wage = WageLine.objects.get(pk=paid.pk)
    assert wage.status == WageStatus.PAID and wage.confirmed_via == "" and wage.confirm_entered_by is None
    assert WageArrearsAlert.objects.get(wage=wage).resolved_at is None
    assert not AuditEvent.objects.filter(action="workshops.wage_confirm").exists()
    api = c.post(_api(paid, "confirm"), {"code": wrong}, content_type="application/json")
    assert api.status_code == 422 and api.json()["code"] == "phone_code_invalid"
    assert "验证码" in api.json()["message"]


def test_without_a_code_sent_nothing_can_be_confirmed(paid, owner):
    r = client_for(owner).post(_api(paid, "confirm"), {"code": "123456"}, content_type="application/json")
    assert r.status_code == 422 and "失效" in r.json()["message"]
    assert WageLine.objects.get(pk=paid.pk).status == WageStatus.PAID


def test_a_code_read_out_for_one_wage_does_not_confirm_another(paid, owner, producing):
    other = WageLine.objects.exclude(pk=paid.pk).get(share=producing)
    assert services.receipt_purpose(paid) != services.receipt_purpose(other)
    WageLine.objects.filter(pk=paid.pk).update(paid_amount=paid.paid_amount + 1)
    assert services.receipt_purpose(WageLine.objects.get(pk=paid.pk)) != services.receipt_purpose(paid)


def test_the_api_sends_and_confirms_with_json_codes(paid, staff_a, sms):
    c = client_for(staff_a)  # staff of 象湖镇 at the desk, for the owner
    r = c.post(_api(paid, "code"), content_type="application/json")
    assert r.status_code == 202 and "135****0002" in r.json()["message"]
    code = sms.code(PHONE)
    assert code not in r.content.decode()
    r = c.post(_api(paid, "code"), content_type="application/json")
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"  # one a minute per number
    r = c.post(_api(paid, "confirm"), {"code": code}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "confirmed" and r.json()["confirmed_via"] == "sms_code"
    assert WageLine.objects.get(pk=paid.pk).confirm_entered_by == staff_a


def test_a_wage_not_marked_paid_cannot_be_confirmed(producing, owner, workers, today, sms):
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=120)
    services.share_deliver(actor=owner, share=producing, balance_reason="余料退回仓库")
    due = WageLine.objects.get(worker=workers[0])
    r = client_for(owner).post(_api(due, "code"), content_type="application/json")
    assert r.status_code == 409 and not sms.sent


def test_a_worker_phone_that_is_the_owners_own_proves_nothing(paid, owner, workers, sms):
    workers[1].phone = "13600000001"  # the owner's number
    workers[1].save(update_fields=["phone"])
    r = client_for(owner).post(_api(paid, "code"), content_type="application/json")
    assert r.status_code == 422 and "负责人" in r.json()["message"] and not sms.sent


@pytest.mark.parametrize("who,status", [("other_owner", 404), ("staff_b", 404), ("seeker_user", 404),
                                        ("outsider", 404), ("hr", 403)])
def test_only_the_owner_its_townships_staff_and_the_bureau_may_start_it(paid, who, status, request, sms):
    user = request.getfixturevalue(who)
    c = client_for(user)
    for step, body in (("code", {}), ("confirm", {"code": "123456"}), ("in-person", {"note": "当面"})):
        r = c.post(_api(paid, step), body, content_type="application/json")
        assert r.status_code == status, (who, step)
        assert "code" in r.json() and "message" in r.json()
    assert c.get(_page(paid)).status_code == status
    assert c.post(_page(paid), {"step": "send"}).status_code == status
    assert not sms.sent and WageLine.objects.get(pk=paid.pk).status == WageStatus.PAID
    assert Client().post(_api(paid, "code"), content_type="application/json").status_code == 401


def test_the_bureau_may_send_the_code(paid, bureau, sms):
    assert client_for(bureau).post(_api(paid, "code"), content_type="application/json").status_code == 202
    assert sms.code(PHONE)


def test_township_staff_record_an_in_person_confirmation_with_a_note(paid, staff_a, owner):
    c = client_for(staff_a)
    listing = c.get(f"/workshops/{paid.share.workshop_id}/wages/").content.decode()
    assert _page(paid) in listing
    assert "工人当面确认（已核对身份证）" in c.get(_page(paid)).content.decode()
    r = c.post(_page(paid), {"step": "in_person", "note": " "})
    assert r.status_code == 422 and "请写明当面确认的情况" in r.content.decode()
    assert WageLine.objects.get(pk=paid.pk).status == WageStatus.PAID
    r = c.post(_page(paid), {"step": "in_person", "note": "本人持身份证到就业之家，说已收到现金"})
    assert r.status_code == 302
    wage = WageLine.objects.get(pk=paid.pk)
    assert wage.status == WageStatus.CONFIRMED and wage.confirmed_via == "in_person_staff"
    assert wage.confirm_entered_by == staff_a and "身份证" in wage.confirm_note
    assert WageArrearsAlert.objects.get(wage=wage).resolved_at is not None
    row = AuditEvent.objects.get(action="workshops.wage_confirm", target_id=str(wage.pk))
    assert row.detail["proof"] == "in_person_staff" and row.actor == staff_a and "身份证" in row.reason


def test_the_owner_cannot_use_the_in_person_path(paid, owner):
    with pytest.raises(PermissionDeniedError):
        services.wage_confirm_in_person(actor=owner, wage=paid, note="她说收到了")
    c = client_for(owner)
    r = c.post(_api(paid, "in-person"), {"note": "她说收到了"}, content_type="application/json")
    assert r.status_code == 403 and "验证码" in r.json()["message"]
    assert c.post(_page(paid), {"step": "in_person", "note": "她说收到了"}).status_code == 404
    wage = WageLine.objects.get(pk=paid.pk)
    assert wage.status == WageStatus.PAID and WageArrearsAlert.objects.get(wage=wage).resolved_at is None


def test_the_in_person_note_is_required_on_the_api(paid, bureau):
    r = client_for(bureau).post(_api(paid, "in-person"), {"note": ""}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"]["note"]
    with pytest.raises(InvalidInput):
        services.wage_confirm_in_person(actor=bureau, wage=paid, note="")


def test_the_workers_own_confirmation_records_its_proof(paid, workers, seeker_user):
    # 钟小梅 gets an account and taps “收到了” herself
    workers[1].user = seeker_user
    workers[1].save(update_fields=["user"])
    wage = services.wage_confirm(actor=seeker_user, wage=WageLine.objects.get(pk=paid.pk))
    assert wage.confirmed_via == "worker" and wage.confirm_entered_by is None
