"""The phone one-time-code service: hashed, expiring, single-use, limited tries, rate-limited per number,
address and user, and the same answer for every number (issue 13 item 3 and 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.core.errors import InvalidInput, RateLimited
from hongniang.core.models import RateEvent
from hongniang.notifications.models import PhoneCode, SmsMessage, SmsStatus
from hongniang.notifications.phone_codes import SmsUnavailable, phone_code_check, phone_code_send
from hongniang.testing import factories as f

PHONE = "13700000001"


def _past(minutes: int) -> None:
    """Move every code and throttle count `minutes` into the past."""
    delta = dt.timedelta(minutes=minutes)
    for row in PhoneCode.objects.all():
        PhoneCode.objects.filter(pk=row.pk).update(created_at=row.created_at - delta,
                                                   expires_at=row.expires_at - delta)
    for row in RateEvent.objects.all():
        RateEvent.objects.filter(pk=row.pk).update(at=row.at - delta)


def test_the_code_arrives_by_sms_and_is_stored_only_as_a_hash(immediate_tasks, db):
    code = phone_code_send(phone=PHONE, purpose="signup")
    assert len(code) == 6 and code.isdigit()
    assert immediate_tasks == [(PHONE, immediate_tasks[0][1])] and code in immediate_tasks[0][1]
    sms = SmsMessage.objects.get()
    assert sms.status == SmsStatus.SENT and code not in sms.body and "******" in sms.body
    stored = str(list(PhoneCode.objects.values()))
    assert code not in stored and PHONE not in stored


def test_the_right_code_works_once(db):
    code = phone_code_send(phone=PHONE, purpose="signup")
    phone_code_check(phone=PHONE, purpose="signup", code=code)
    with pytest.raises(InvalidInput, match="已失效"):
        phone_code_check(phone=PHONE, purpose="signup", code=code)


def test_a_wrong_code_is_refused_in_chinese(db):
    phone_code_send(phone=PHONE, purpose="signup")
    with pytest.raises(InvalidInput) as exc:
        phone_code_check(phone=PHONE, purpose="signup", code="12345x")
    assert exc.value.field == "code" and "验证码不正确" in exc.value.message


def test_guessing_stops_after_five_wrong_tries_even_for_the_right_code(db):
    code = phone_code_send(phone=PHONE, purpose="signup")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(InvalidInput):
            phone_code_check(phone=PHONE, purpose="signup", code=wrong)
    with pytest.raises(InvalidInput, match="次数过多"):
        phone_code_check(phone=PHONE, purpose="signup", code=code)


def test_an_expired_code_is_refused(db):
    code = phone_code_send(phone=PHONE, purpose="signup")
    _past(11)
    with pytest.raises(InvalidInput, match="已失效"):
        phone_code_check(phone=PHONE, purpose="signup", code=code)


def test_a_code_proves_one_purpose_and_one_number(db):
    code = phone_code_send(phone=PHONE, purpose="gig_employer")
    with pytest.raises(InvalidInput):
        phone_code_check(phone=PHONE, purpose="signup", code=code)
    with pytest.raises(InvalidInput):
        phone_code_check(phone="13700000002", purpose="gig_employer", code=code)
    phone_code_check(phone=PHONE, purpose="gig_employer", code=code)


def test_only_the_newest_code_counts(db):
    old = phone_code_send(phone=PHONE, purpose="signup")
    _past(2)
    new = phone_code_send(phone=PHONE, purpose="signup")
    if old != new:
        with pytest.raises(InvalidInput):
            phone_code_check(phone=PHONE, purpose="signup", code=old)
    phone_code_check(phone=PHONE, purpose="signup", code=new)
    with pytest.raises(InvalidInput):  # and once the newest is used, the older one does not come back
        phone_code_check(phone=PHONE, purpose="signup", code=old)


def test_nobody_can_bomb_one_phone_with_texts(db):
    phone_code_send(phone=PHONE, purpose="signup")
    with pytest.raises(RateLimited, match="1 分钟"):
        phone_code_send(phone=PHONE, purpose="live_lead", ip="203.0.113.9")  # another purpose, another address
    for _ in range(4):
        _past(2)
        phone_code_send(phone=PHONE, purpose="signup")
    _past(2)
    with pytest.raises(RateLimited) as exc:
        phone_code_send(phone=PHONE, purpose="signup")
    assert exc.value.status == 429 and SmsMessage.objects.count() == 5


def test_one_address_cannot_text_many_numbers(db):
    for i in range(20):
        phone_code_send(phone=f"137000001{i:02d}", purpose="signup", ip="203.0.113.5")
    with pytest.raises(RateLimited):
        phone_code_send(phone="13700000199", purpose="signup", ip="203.0.113.5")
    phone_code_send(phone="13700000199", purpose="signup", ip="198.51.100.7")  # others are not affected


def test_one_logged_in_user_cannot_text_many_numbers(db):
    user = f.UserFactory(username="u1")
    for i in range(10):
        phone_code_send(phone=f"137000001{i:02d}", purpose="gig_employer", ip=f"203.0.113.{i}", actor=user)
    with pytest.raises(RateLimited):
        phone_code_send(phone="13700000199", purpose="gig_employer", ip="198.51.100.7", actor=user)


def test_registered_and_unregistered_numbers_get_the_same_answer(immediate_tasks, db):
    f.UserFactory(username="13700000001", phone="13700000001")
    registered = phone_code_send(phone="13700000001", purpose="signup")
    unregistered = phone_code_send(phone="13700000002", purpose="signup")
    assert len(registered) == len(unregistered) == 6
    assert [p for p, _ in immediate_tasks] == ["13700000001", "13700000002"]
    bodies = [b.replace(c, "") for (_, b), c in zip(immediate_tasks, [registered, unregistered], strict=True)]
    assert bodies[0] == bodies[1]


def test_a_failing_gateway_says_so_and_keeps_no_usable_code(immediate_tasks, sms_failures, db):
    sms_failures(1)
    with pytest.raises(SmsUnavailable) as exc:
        phone_code_send(phone=PHONE, purpose="signup")
    assert exc.value.status == 503 and "短信发送失败" in exc.value.message
    assert SmsMessage.objects.get().status == SmsStatus.FAILED
    assert PhoneCode.objects.get().expires_at <= timezone.now()


def test_a_malformed_number_is_a_chinese_field_error(db):
    with pytest.raises(InvalidInput) as exc:
        phone_code_send(phone="12345", purpose="signup")
    assert exc.value.field == "phone"
    with pytest.raises(InvalidInput):
        phone_code_send(phone="1" * 100_000, purpose="signup")


def test_codes_expire_on_time(db, settings):
    settings.PHONE_CODE_TTL_MINUTES = 3
    phone_code_send(phone=PHONE, purpose="signup")
    row = PhoneCode.objects.get()
    assert dt.timedelta(minutes=2) < row.expires_at - timezone.now() <= dt.timedelta(minutes=3)


def test_the_gig_employer_code_endpoint_caps_one_user(client, db):
    """Item 10: any logged-in user could trigger SMS codes to any number."""
    client.force_login(f.UserFactory(username="u1"))
    answers = [client.post("/api/v1/gigs/phone-codes", {"phone": f"137000001{i:02d}"},
                           content_type="application/json") for i in range(11)]
    assert [r.status_code for r in answers[:10]] == [200] * 10
    assert answers[10].status_code == 429 and answers[10].json()["code"] == "rate_limited"
    assert answers[0].json() == {"sent": True}


def test_the_gig_employer_code_endpoint_needs_a_login(client, db):
    assert client.post("/api/v1/gigs/phone-codes", {"phone": PHONE}, content_type="application/json").status_code == 401
    assert not SmsMessage.objects.exists()


def test_a_caller_may_word_the_text_and_the_outbox_still_blanks_the_code(immediate_tasks, db):
    """A code meant to be read out at a desk says what reading it out agrees to (workshops' 工人确认收到)."""
    code = phone_code_send(phone=PHONE, purpose="wage_paid_1_52000",
                           text="【瑞金就业】验证码是 {code}。车间说已发您工钱 520.00 元，收到了才念给车间。")
    [(_phone, text)] = immediate_tasks
    assert text == f"【瑞金就业】验证码是 {code}。车间说已发您工钱 520.00 元，收到了才念给车间。"
    assert "不会向您索要" not in text
    body = SmsMessage.objects.get().body
    assert code not in body and "******" in body and "520.00" in body
    phone_code_check(phone=PHONE, purpose="wage_paid_1_52000", code=code)
    with pytest.raises(ValueError):
        phone_code_send(phone=PHONE, purpose="wage_paid_1_52000", text="没有验证码的位置")
