"""用短信验证码登录 (/accounts/login/code/): a person with no password (quick apply, registered by staff, a workshop
owner) or who forgot it logs in with a code texted to their phone. Step 1 gives every number the same answer;
only after the code is proven does the page say whether the number has an account. Staff, bureau and HR
accounts use their password."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from hongniang.applications.models import Application
from hongniang.core.models import AuditEvent, User
from hongniang.notifications.phone_codes import phone_code_send
from hongniang.testing import factories as f

URL = "/accounts/login/code/"
SEEKER_PHONE = "13900000001"  # the seeker_user fixture's phone
UNKNOWN = "13811112222"


def _logged_in(client) -> int | None:
    uid = client.session.get("_auth_user_id")
    return int(uid) if uid else None


def _send(client, phone, **extra):
    return client.post(URL, {"phone": phone, "send": "1", **extra})


def _code(client, phone, code, **extra):
    return client.post(URL, {"phone": phone, "code": code, **extra})


@pytest.fixture
def no_password_seeker(seeker_user, posting):
    """A seeker who applied by phone with an SMS code: no password, one application."""
    seeker_user.set_unusable_password()
    seeker_user.save()
    Application.objects.create(seeker=seeker_user.seeker, posting=posting)
    return seeker_user


def test_the_login_page_links_the_code_login(client):
    html = client.get("/accounts/login/?next=/me/applications/").content.decode()
    assert "没有密码或忘记密码？用短信验证码登录" in html
    assert 'href="/accounts/login/code/?next=/me/applications/"' in html


def test_a_seeker_without_a_password_logs_in_with_the_code_and_sees_my_applications(client, no_password_seeker,
                                                                                     posting, sms):
    page = client.get(URL).content.decode()
    assert 'inputmode="tel"' in page
    r = _send(client, SEEKER_PHONE, next="/me/applications/")
    html = r.content.decode()
    assert r.status_code == 200 and "验证码已发送到 139****0001" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert _logged_in(client) is None
    r = _code(client, SEEKER_PHONE, sms.code(SEEKER_PHONE), next="/me/applications/")
    assert r.status_code == 302 and r["Location"] == "/me/applications/"
    assert _logged_in(client) == no_password_seeker.pk
    html = client.get("/me/applications/").content.decode()
    assert "我的报名" in html and posting.title in html
    assert "您还没有密码" in html and "href=\"/me/password/\">设置密码</a>" in html  # the success message offers one
    assert AuditEvent.objects.filter(action="account.login_code", actor=no_password_seeker).exists()


def test_a_wrong_code_is_refused_and_nobody_is_logged_in(client, no_password_seeker, sms):
    _send(client, SEEKER_PHONE)
    right = sms.code(SEEKER_PHONE)
    wrong = "000000" if right != "000000" else "111111"
    r = _code(client, SEEKER_PHONE, wrong)
    assert r.status_code == 422 and "验证码不正确" in r.content.decode() and _logged_in(client) is None
    assert not AuditEvent.objects.filter(action="account.login_code").exists()


def test_a_malformed_number_is_refused_in_chinese(client, sms):
    r = _send(client, "12345")
    assert r.status_code == 422 and "手机号" in r.content.decode() and not sms.sent


def test_an_unknown_number_gets_the_same_answer_then_no_account_after_the_code(seeker, sms):
    def answer(phone):
        html = _send(Client(), phone).content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"', "", html)
        return html.replace(phone[:3] + "****" + phone[-4:], "PHONE").replace(phone, "PHONE")

    assert answer(SEEKER_PHONE) == answer(UNKNOWN)
    client = Client()
    _send(client, "13811112223")
    r = _code(client, "13811112223", sms.code("13811112223"))
    html = r.content.decode()
    assert r.status_code == 200 and "还没有账号" in html and 'href="/me/register/"' in html
    assert _logged_in(client) is None and not User.objects.filter(phone="13811112223").exists()


def test_a_profile_staff_registered_without_an_account_is_claimed(client, point_a, sms):
    walk_in = f.SeekerFactory(user=None, name="钟大妈", phone="13722223333", service_point=point_a)
    _send(client, walk_in.phone)
    r = _code(client, walk_in.phone, sms.code(walk_in.phone))
    assert r.status_code == 302
    walk_in.refresh_from_db()
    assert walk_in.user_id and _logged_in(client) == walk_in.user_id
    assert not walk_in.user.has_usable_password()


@pytest.mark.parametrize("who", ["staff", "bureau", "hr"])
def test_staff_bureau_and_hr_must_use_their_password(client, who, staff_a, bureau, hr, sms):
    user = {"staff": staff_a, "bureau": bureau, "hr": hr}[who]
    user.phone = "13677778888"
    user.save()
    _send(client, user.phone)
    r = _code(client, user.phone, sms.code(user.phone))
    html = r.content.decode()
    assert r.status_code == 403 and _logged_in(client) is None
    assert ("工作人员账号请用密码登录" if who != "hr" else "企业招聘账号请用密码登录") in html
    assert 'href="/accounts/login/"' in html
    assert not AuditEvent.objects.filter(action="account.login_code").exists()


def test_an_offsite_next_is_ignored(client, no_password_seeker, sms):
    _send(client, SEEKER_PHONE)
    r = _code(client, SEEKER_PHONE, sms.code(SEEKER_PHONE), next="https://evil.example/steal")
    assert r.status_code == 302 and r["Location"] == "/" and _logged_in(client) == no_password_seeker.pk


def test_a_code_for_another_purpose_does_not_log_in(client, no_password_seeker, sms):
    code = phone_code_send(phone=SEEKER_PHONE, purpose="quick_apply")
    r = _code(client, SEEKER_PHONE, code)
    assert r.status_code == 422 and _logged_in(client) is None


def test_a_workshop_owner_logs_in_with_the_code(client, db, sms):
    owner = f.UserFactory(username="13766665555", phone="13766665555")
    owner.set_unusable_password()
    owner.save()
    _send(client, owner.phone)
    r = _code(client, owner.phone, sms.code(owner.phone))
    assert r.status_code == 302 and _logged_in(client) == owner.pk
