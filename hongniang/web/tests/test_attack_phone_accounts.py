"""Issue 13 item 3, performed: accounts for other people's phones. Quick apply and quick gig sign-up used to
create an account for any number and log the caller in; the password page then set a password without the old
one; "该手机号已注册" told anyone which numbers are registered. Now an SMS code comes first, every number gets the
same answer, and a new password needs the old one or a fresh code."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from hongniang.applications.models import Application
from hongniang.core.models import User
from hongniang.gigs.models import GigWorker
from hongniang.testing import factories as f

HX = {"HTTP_HX_REQUEST": "true"}
VICTIM = "13900000001"  # the seeker_user fixture's phone
NEW = "13811112222"


def _apply(client, posting, **data):
    body = {"name": "冒名", "consent": "on", **data}
    return client.post(f"/applications/apply/{posting.pk}/", body, **HX).content.decode()


def _logged_in(client) -> int | None:
    uid = client.session.get("_auth_user_id")
    return int(uid) if uid else None


# --- quick apply -------------------------------------------------------------------------------------------------

def test_quick_apply_with_someone_elses_phone_creates_nothing_without_the_code(client, posting, seeker, sms):
    for phone in (VICTIM, NEW):
        _apply(client, posting, phone=phone, send="1")
        _apply(client, posting, phone=phone, code="000000")
        _apply(client, posting, phone=phone)  # no code at all: only a code is sent
    assert not Application.objects.exists() and _logged_in(client) is None
    assert not User.objects.filter(phone=NEW).exists()


def test_registered_and_unregistered_numbers_get_the_same_answer(posting, seeker, sms):
    def answer(phone):
        html = _apply(Client(), posting, phone=phone, send="1")
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return html.replace(phone[:3] + "****" + phone[-4:], "PHONE").replace(phone, "PHONE")

    assert answer(VICTIM) == answer(NEW)
    assert "已注册" not in answer(VICTIM)


def test_the_code_holder_applies_and_is_logged_in(client, posting, sms):
    _apply(client, posting, phone=NEW, name="赖秀英", send="1")
    html = _apply(client, posting, phone=NEW, name="赖秀英", code=sms.code(NEW))
    assert "报名成功" in html
    a = Application.objects.get()
    assert a.seeker.phone == NEW and a.seeker.name == "赖秀英" and _logged_in(client) == a.seeker.user_id


def test_the_code_holder_of_a_registered_number_applies_as_themselves(client, posting, seeker, sms):
    _apply(client, posting, phone=VICTIM, send="1")
    html = _apply(client, posting, phone=VICTIM, code=sms.code(VICTIM))
    assert "报名成功" in html and _logged_in(client) == seeker.user_id
    assert Application.objects.get().seeker == seeker
    seeker.refresh_from_db()
    assert seeker.name == "刘小红"  # the name typed by the caller does not overwrite the profile


def test_an_hr_number_cannot_be_logged_into_by_sms(client, posting, hr, sms):
    hr.phone = "13677778888"
    hr.save()
    _apply(client, posting, phone=hr.phone, send="1")
    html = _apply(client, posting, phone=hr.phone, code=sms.code(hr.phone))
    assert "密码登录" in html and _logged_in(client) is None and not Application.objects.exists()


# --- the password ------------------------------------------------------------------------------------------------

def test_a_new_password_needs_the_old_one_or_a_fresh_code(client, posting, sms, settings):
    settings.PHONE_CODE_LIMITS = {"phone_minute": (5, 1)}  # two codes to one number within the minute
    _apply(client, posting, phone=NEW, name="赖秀英", send="1")
    _apply(client, posting, phone=NEW, name="赖秀英", code=sms.code(NEW))
    user = User.objects.get(phone=NEW)
    pw = {"new_password": "good-pass-1", "new_password2": "good-pass-1"}
    other = Client()  # another session of that account (not the one that just proved the phone) needs a code
    other.force_login(user)
    r = other.post("/me/password/", pw)
    user.refresh_from_db()
    assert r.status_code == 422 and not user.has_usable_password()
    # the session that applied with the code proved the phone minutes ago: one password without a second code
    r = client.post("/me/password/", pw)
    user.refresh_from_db()
    assert r.status_code == 302 and user.check_password("good-pass-1") and len(sms.sent) == 1
    # after that, a fresh code (or the old password) again
    r = client.post("/me/password/", {"new_password": "good-pass-3", "new_password2": "good-pass-3"})
    assert r.status_code == 422
    client.post("/me/password/", {"send": "1"})
    r = client.post("/me/password/", {"new_password": "good-pass-1x", "new_password2": "good-pass-1x",
                                      "code": sms.code(NEW)})
    user.refresh_from_db()
    assert r.status_code == 302 and user.check_password("good-pass-1x")
    # now it has a password: changing it needs the old one (or another code)
    r = client.post("/me/password/", {"new_password": "other-pass-2", "new_password2": "other-pass-2",
                                      "old_password": "wrong-pass"})
    user.refresh_from_db()
    assert r.status_code == 422 and user.check_password("good-pass-1x")
    r = client.post("/me/password/", {"new_password": "other-pass-2", "new_password2": "other-pass-2",
                                      "old_password": "good-pass-1x"})
    user.refresh_from_db()
    assert r.status_code == 302 and user.check_password("other-pass-2")


# --- quick gig sign-up -------------------------------------------------------------------------------------------

def test_gig_sign_up_with_a_walk_ins_phone_needs_the_code(client, regions, staff_a, sms):
    walk_in = f.SeekerFactory(name="钟大姐", phone="13712340000", service_point=None)
    GigWorker.objects.create(name="钟大姐", phone=walk_in.phone, registered_by=staff_a)
    r = client.post(reverse("gigs:join"), {"name": "冒名", "phone": walk_in.phone, "join": "1"})
    r = client.post(reverse("gigs:join"), {"name": "冒名", "phone": walk_in.phone, "code": "123456", "join": "1"})
    assert r.status_code == 422 and _logged_in(client) is None
    assert not User.objects.filter(phone=walk_in.phone).exists()
    assert GigWorker.objects.get(phone=walk_in.phone).user_id is None
    # the person holding the phone claims the walk-in record
    client.post(reverse("gigs:join"), {"name": "钟大姐", "phone": walk_in.phone, "send": "1"})
    r = client.post(reverse("gigs:join"), {"name": "钟大姐", "phone": walk_in.phone, "join": "1",
                                           "code": sms.code(walk_in.phone)})
    assert r.status_code == 302
    w = GigWorker.objects.get(phone=walk_in.phone)
    assert w.user_id and _logged_in(client) == w.user_id


# --- self-registration (page and API) ----------------------------------------------------------------------------

def _json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_api_registration_needs_the_code_and_answers_every_number_alike(seeker, regions, sms):
    client = Client()
    for phone in (VICTIM, NEW):
        r = _json(client, "/api/v1/phone-codes", {"phone": phone, "purpose": "register"})
        assert r.status_code == 202 and r.json() == {"message": "验证码已发送，10 分钟内有效"}
    r = _json(client, "/api/v1/seekers/register", {"phone": NEW, "password": "good-pass-1", "consent": True})
    assert r.status_code == 422 and r.json()["errors"].get("code")
    r = _json(client, "/api/v1/seekers/register", {"phone": NEW, "password": "good-pass-1", "consent": True,
                                                   "code": "000000"})
    assert r.status_code == 422 and not User.objects.filter(phone=NEW).exists()
    r = _json(client, "/api/v1/seekers/register", {"phone": NEW, "password": "good-pass-1", "consent": True,
                                                   "code": sms.code(NEW)})
    assert r.status_code == 201 and User.objects.filter(phone=NEW).exists()


def test_page_registration_needs_the_code(client, seeker, sms):
    r = client.post("/me/register/", {"phone": NEW, "password": "good-pass-1", "consent": "on"})
    assert r.status_code == 422 and not User.objects.filter(phone=NEW).exists()
    a = client.post("/me/register/", {"phone": NEW, "send": "1"}).content.decode()
    b = Client().post("/me/register/", {"phone": VICTIM, "send": "1"}).content.decode()
    assert "验证码已发送" in a and "已注册" not in b
    r = client.post("/me/register/", {"phone": NEW, "password": "good-pass-1", "consent": "on",
                                      "code": sms.code(NEW)})
    assert r.status_code == 302 and User.objects.filter(phone=NEW).exists()


def test_enterprise_sign_up_needs_the_code(client, regions, sms):
    body = {"name": "瑞金市山水食品有限公司", "credit_code": f.valid_credit_code(9002), "region_code": "360781100201",
            "contact_name": "陈经理", "phone": "13607971111", "password": "shanshui-2024"}
    r = _json(client, "/api/v1/enterprises", body)
    assert r.status_code == 422 and not User.objects.filter(phone="13607971111").exists()
    _json(client, "/api/v1/phone-codes", {"phone": "13607971111", "purpose": "enterprise_register"})
    r = _json(client, "/api/v1/enterprises", {**body, "code": sms.code("13607971111")})
    assert r.status_code == 201


@pytest.mark.parametrize("purpose", ["password"])
def test_the_password_code_goes_only_to_the_accounts_own_phone(client, seeker_user, purpose, sms):
    assert _json(client, "/api/v1/phone-codes", {"phone": NEW, "purpose": purpose}).status_code == 401
    client.force_login(seeker_user)
    assert _json(client, "/api/v1/phone-codes", {"phone": NEW, "purpose": purpose}).status_code == 202
    assert [p for p, _ in sms.sent] == [seeker_user.phone]
