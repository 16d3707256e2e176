"""用短信验证码登录 over the API: POST /api/v1/login/code/send (step 1, the same answer for every number) and
POST /api/v1/login/code (step 2: the code, then a session like /seekers/register). The same services as the page
/accounts/login/code/ (seekers.services.account_login_send_code / account_login_by_code): the same limits, the
same audit row."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from hongniang.core.models import AuditEvent, User
from hongniang.notifications.models import PhoneCode
from hongniang.testing import factories as f

SEND = "/api/v1/login/code/send"
LOGIN = "/api/v1/login/code"
SEEKER_PHONE = "13900000001"  # the seeker_user fixture's phone
UNKNOWN = "13811112222"
pytestmark = pytest.mark.django_db


def _send(client, phone):
    return client.post(SEND, {"phone": phone}, content_type="application/json")


def _login(client, phone, code):
    return client.post(LOGIN, {"phone": phone, "code": code}, content_type="application/json")


def _logged_in(client) -> int | None:
    uid = client.session.get("_auth_user_id")
    return int(uid) if uid else None


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.fixture
def no_password_seeker(seeker_user):
    """A seeker who applied by phone with an SMS code: no password."""
    seeker_user.set_unusable_password()
    seeker_user.save()
    return seeker_user


def test_a_seeker_logs_in_with_the_code_and_then_calls_an_authenticated_endpoint(client, no_password_seeker, sms):
    assert client.get("/api/v1/me").status_code == 401
    r = _send(client, SEEKER_PHONE)
    assert r.status_code == 202 and r.json() == {"message": "验证码已发送，10 分钟内有效"}
    assert _logged_in(client) is None
    r = _login(client, SEEKER_PHONE, sms.code(SEEKER_PHONE))
    assert r.status_code == 200, r.content
    assert r.json() == {"id": no_password_seeker.pk, "phone": SEEKER_PHONE, "has_password": False}
    assert _logged_in(client) == no_password_seeker.pk
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["id"] == no_password_seeker.seeker.pk
    # the same audit row as the page's code log-in, and the same short-lived proof for setting a password
    assert AuditEvent.objects.filter(action="account.login_code", actor=no_password_seeker).count() == 1
    assert client.session["phone_proven"]["kind"] == "recent_code_login"


def test_a_wrong_code_is_refused_with_a_code_and_nobody_is_logged_in(client, no_password_seeker, sms):
    _send(client, SEEKER_PHONE)
    r = _login(client, SEEKER_PHONE, _wrong(sms.code(SEEKER_PHONE)))
    body = r.json()
    assert r.status_code == 422 and body["code"] == "phone_code_invalid"
    assert body["message"] == "验证码不正确，请核对短信后重新输入" and body["errors"] == {"code": [body["message"]]}
    assert _logged_in(client) is None and client.get("/api/v1/me").status_code == 401
    assert not AuditEvent.objects.filter(action="account.login_code").exists()


def test_an_expired_code_is_refused(client, no_password_seeker, sms):
    _send(client, SEEKER_PHONE)
    PhoneCode.objects.update(expires_at=timezone.now())
    r = _login(client, SEEKER_PHONE, sms.code(SEEKER_PHONE))
    assert r.status_code == 422 and r.json()["code"] == "phone_code_invalid"
    assert r.json()["message"] == "验证码已失效，请重新获取" and _logged_in(client) is None


def test_a_used_code_does_not_log_in_twice(no_password_seeker, sms):
    first = Client()
    _send(first, SEEKER_PHONE)
    code = sms.code(SEEKER_PHONE)
    assert _login(first, SEEKER_PHONE, code).status_code == 200
    second = Client()
    r = _login(second, SEEKER_PHONE, code)
    assert r.status_code == 422 and r.json()["message"] == "验证码已失效，请重新获取"
    assert _logged_in(second) is None
    assert AuditEvent.objects.filter(action="account.login_code").count() == 1


def test_sending_is_rate_limited_like_the_page(client, no_password_seeker, sms):
    assert _send(client, SEEKER_PHONE).status_code == 202
    r = _send(client, SEEKER_PHONE)  # within the minute: the per-number limit of phone_codes
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited" and r.json()["message"] == "验证码已发送，请 1 分钟后再试"
    assert len([m for m in sms.sent if m[0] == SEEKER_PHONE]) == 1
    # the page and the API share the limit: the page cannot send another one either
    assert client.post("/accounts/login/code/", {"phone": SEEKER_PHONE, "send": "1"}).status_code == 429


def test_an_unknown_number_gets_the_same_answer_as_a_known_one(no_password_seeker, sms):
    known, unknown = _send(Client(), SEEKER_PHONE), _send(Client(), UNKNOWN)
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json()) == (
        202, {"message": "验证码已发送，10 分钟内有效"})
    assert sorted(known.headers) == sorted(unknown.headers)
    # both are limited alike, too
    again_known, again_unknown = _send(Client(), SEEKER_PHONE), _send(Client(), UNKNOWN)
    assert (again_known.status_code, again_known.json()) == (again_unknown.status_code, again_unknown.json())


def test_the_proven_holder_of_an_unknown_number_is_told_there_is_no_account(client, sms):
    _send(client, UNKNOWN)
    r = _login(client, UNKNOWN, sms.code(UNKNOWN))
    assert r.status_code == 404 and r.json()["code"] == "no_account" and "还没有账号" in r.json()["message"]
    assert _logged_in(client) is None and not User.objects.filter(phone=UNKNOWN).exists()


def test_a_malformed_number_is_refused_in_chinese(client, sms):
    r = _send(client, "12345")
    assert r.status_code == 422 and r.json()["code"] == "invalid_input" and "手机号" in r.json()["message"]
    assert not sms.sent


def test_a_walk_in_registered_by_staff_is_claimed(client, point_a, sms):
    walk_in = f.SeekerFactory(user=None, name="钟大妈", phone="13722223333", service_point=point_a)
    _send(client, walk_in.phone)
    r = _login(client, walk_in.phone, sms.code(walk_in.phone))
    walk_in.refresh_from_db()
    assert r.status_code == 200 and walk_in.user_id == _logged_in(client) == r.json()["id"]


@pytest.mark.parametrize("who", ["staff", "hr"])
def test_staff_and_hr_must_use_their_password(client, who, staff_a, hr, sms):
    user = {"staff": staff_a, "hr": hr}[who]
    user.phone = "13677778888"
    user.save()
    _send(client, user.phone)
    r = _login(client, user.phone, sms.code(user.phone))
    assert r.status_code == 403 and r.json()["code"] == "password_login" and _logged_in(client) is None
    assert r.json()["message"] == ("工作人员账号请用密码登录" if who == "staff" else "企业招聘账号请用密码登录")


def test_another_site_cannot_log_a_visitor_in_but_the_site_with_its_token_can(no_password_seeker, sms):
    c = Client(enforce_csrf_checks=True)
    c.get("/")  # a page sets the CSRF cookie
    token = c.cookies[settings.CSRF_COOKIE_NAME].value
    assert c.post(SEND, {"phone": SEEKER_PHONE}, content_type="application/json",
                  HTTP_X_CSRFTOKEN=token).status_code == 202
    code = sms.code(SEEKER_PHONE)
    evil = c.post(LOGIN, f'{{"phone": "{SEEKER_PHONE}", "code": "{code}", "x": "="}}', content_type="text/plain",
                  HTTP_ORIGIN="https://evil.example", HTTP_REFERER="https://evil.example/x", secure=True)
    assert evil.status_code == 403 and evil.json()["code"] == "csrf_failed" and _logged_in(c) is None
    r = c.post(LOGIN, {"phone": SEEKER_PHONE, "code": code}, content_type="application/json",
               HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200 and _logged_in(c) == no_password_seeker.pk


def test_logging_out_over_the_api_ends_the_session(client, no_password_seeker, sms):
    _send(client, SEEKER_PHONE)
    assert _login(client, SEEKER_PHONE, sms.code(SEEKER_PHONE)).status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/api/v1/logout").status_code == 204
    assert _logged_in(client) is None and client.get("/api/v1/me").status_code == 401
    assert client.post("/api/v1/logout").status_code == 204  # no session: the same answer


def test_another_site_cannot_log_a_visitor_out(no_password_seeker):
    c = Client(enforce_csrf_checks=True)
    c.force_login(no_password_seeker)
    r = c.post("/api/v1/logout", HTTP_ORIGIN="https://evil.example", HTTP_REFERER="https://evil.example/x",
               secure=True)
    assert r.status_code == 403 and _logged_in(c) == no_password_seeker.pk
