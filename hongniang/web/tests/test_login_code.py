"""用短信验证码登录 (/accounts/login/code/): a person with no password (quick apply, registered by staff, a workshop
owner) or who forgot it logs in with a code texted to their phone. Step 1 gives every number the same answer;
only after the code is proven does the page say whether the number has an account. Staff, bureau and HR
accounts use their password."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

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


# --- right after a code login, a password without a second code ----------------------------------------------

PW_URL = "/me/password/"
NEW = {"new_password": "good-pass-9", "new_password2": "good-pass-9"}


def _code_login(client, phone=SEEKER_PHONE, sms=None):
    _send(client, phone)
    r = _code(client, phone, sms.code(phone))
    assert r.status_code == 302
    return r


def _age_session_proof(client, minutes):
    session = client.session
    session["phone_proven"]["at"] -= minutes * 60
    session.save()


def _set_password_proofs(user):
    return list(AuditEvent.objects.filter(action="account.set_password", actor=user).values_list("detail__proof",
                                                                                                  flat=True))


def _password_login(phone, password) -> int | None:
    client = Client()
    client.post("/accounts/login/", {"username": phone, "password": password})
    return _logged_in(client)


def test_right_after_a_code_login_a_password_is_set_without_a_second_code(client, no_password_seeker, sms):
    _code_login(client, sms=sms)
    html = client.get(PW_URL).content.decode()
    assert "刚用验证码登录过，直接设置新密码即可" in html
    assert 'name="code"' not in html and "获取短信验证码" not in html and 'name="new_password"' in html
    r = client.post(PW_URL, NEW)
    assert r.status_code == 302 and r["Location"] == "/me/"
    assert len(sms.sent) == 1  # only the login code: no second text, no waiting a minute
    assert _set_password_proofs(no_password_seeker) == ["recent_code_login"]
    assert "phone_proven" not in client.session and _logged_in(client) == no_password_seeker.pk
    assert _password_login(SEEKER_PHONE, "good-pass-9") == no_password_seeker.pk  # phone + new password
    # the proof served one password: the page asks for a code again
    html = client.get(PW_URL).content.decode()
    assert "刚用验证码登录过" not in html and 'name="code"' in html
    r = client.post(PW_URL, {"old_password": "", "new_password": "other-pass-7", "new_password2": "other-pass-7"})
    assert r.status_code == 422 and _set_password_proofs(no_password_seeker) == ["recent_code_login"]


def test_a_seeker_with_a_password_may_change_it_in_the_window_without_the_old_one(client, seeker_user, sms):
    """A code login is how someone who forgot the password gets back in: within the window it may be changed."""
    _code_login(client, sms=sms)
    html = client.get(PW_URL).content.decode()
    assert "修改密码" in html and "刚用验证码登录过" in html and 'name="old_password"' not in html
    assert client.post(PW_URL, NEW).status_code == 302
    assert _set_password_proofs(seeker_user) == ["recent_code_login"]
    assert _password_login(SEEKER_PHONE, "good-pass-9") == seeker_user.pk
    assert _password_login(SEEKER_PHONE, "secret-pass-1") is None


def test_after_eleven_minutes_the_code_is_needed_again(client, no_password_seeker, sms):
    _code_login(client, sms=sms)
    _age_session_proof(client, 11)
    html = client.get(PW_URL).content.decode()
    assert "刚用验证码登录过" not in html and 'name="code"' in html and "获取短信验证码" in html
    r = client.post(PW_URL, NEW)
    assert r.status_code == 422 and "请填写原密码，或用短信验证码确认是本人" in r.content.decode()
    assert _set_password_proofs(no_password_seeker) == []
    no_password_seeker.refresh_from_db()
    assert not no_password_seeker.has_usable_password()


def test_the_window_closing_while_the_page_is_open_asks_for_a_code(client, no_password_seeker, sms, settings):
    settings.PHONE_CODE_LIMITS = {"phone_minute": (5, 1)}  # in life a minute has passed before the second code
    _code_login(client, sms=sms)
    assert "刚用验证码登录过" in client.get(PW_URL).content.decode()
    AuditEvent.objects.filter(action="account.login_code").update(at=timezone.now() - dt.timedelta(minutes=11))
    r = client.post(PW_URL, NEW)  # the session still says "proven"; the service's own look at the login refuses
    html = r.content.decode()
    assert r.status_code == 422 and "用验证码登录已超过 10 分钟，请获取短信验证码确认是本人" in html
    assert 'name="code"' in html and _set_password_proofs(no_password_seeker) == []
    client.post(PW_URL, {"send": "1"})  # the ordinary way still works
    r = client.post(PW_URL, {**NEW, "code": sms.code(SEEKER_PHONE)})
    assert r.status_code == 302 and _set_password_proofs(no_password_seeker) == ["sms"]


def test_a_session_logged_in_by_password_still_needs_the_code(client, no_password_seeker, sms):
    client.force_login(no_password_seeker)
    html = client.get(PW_URL).content.decode()
    assert "刚用验证码登录过" not in html and 'name="code"' in html
    assert client.post(PW_URL, NEW).status_code == 422
    # a proof in the session with no code login behind it (the session store tampered with) is not enough
    session = client.session
    session["phone_proven"] = {"user": str(no_password_seeker.pk), "phone": SEEKER_PHONE,
                               "at": timezone.now().timestamp()}
    session.save()
    assert client.post(PW_URL, NEW).status_code == 422
    assert _set_password_proofs(no_password_seeker) == [] and not sms.sent


def test_another_session_of_the_same_person_still_needs_the_code(client, no_password_seeker, sms):
    _code_login(client, sms=sms)
    other = Client()
    other.force_login(no_password_seeker)
    assert 'name="code"' in other.get(PW_URL).content.decode()
    assert other.post(PW_URL, NEW).status_code == 422
    assert _set_password_proofs(no_password_seeker) == []


def test_a_wrong_login_code_proves_nothing_and_the_code_limits_still_hold(client, no_password_seeker, sms):
    _send(client, SEEKER_PHONE)
    right = sms.code(SEEKER_PHONE)
    _code(client, SEEKER_PHONE, "000000" if right != "000000" else "111111")
    assert "phone_proven" not in client.session and _logged_in(client) is None
    _code(client, SEEKER_PHONE, right)
    assert _logged_in(client) == no_password_seeker.pk
    # the window only skips the set-password code: asking for one within the minute is still refused
    r = client.post(PW_URL, {"send": "1"})
    assert "验证码已发送，请 1 分钟后再试" in r.content.decode() and len(sms.sent) == 1
    # and a wrong set-password code is refused (not a server error), then counted as before
    _age_session_proof(client, 11)
    r = client.post(PW_URL, {**NEW, "code": "000000" if right != "000000" else "111111"})
    assert r.status_code == 422 and _set_password_proofs(no_password_seeker) == []


# --- a second tap on 获取短信验证码 within the minute -----------------------------------------------------------

def test_a_second_tap_within_the_minute_still_shows_where_to_type_the_code(client, no_password_seeker, sms):
    """The back button, or a second tap: the code from the first tap is in hand; the page must not leave the person
    with no field to type it in for a minute."""
    _send(client, SEEKER_PHONE)
    r = _send(client, SEEKER_PHONE)  # again, from step 1
    html = r.content.decode()
    assert "验证码已发送，请 1 分钟后再试。如果已经收到验证码，直接填在下面即可。" in html
    assert 'name="code"' in html and "10 分钟内有效" not in html and len(sms.sent) == 1
    r = _code(client, SEEKER_PHONE, sms.code(SEEKER_PHONE))
    assert r.status_code == 302 and _logged_in(client) == no_password_seeker.pk


def test_the_links_beside_the_code_form_are_big_enough_to_tap(client, no_password_seeker, sms):
    html = client.get(URL).content.decode()
    assert 'class="tap" href="/accounts/login/"' in html  # a.tap: 44 px tall (site.css)
    html = _send(client, SEEKER_PHONE).content.decode()
    assert 'class="tap" href="/accounts/login/code/"' in html  # 换一个手机号
