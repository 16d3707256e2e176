"""After a quick apply by SMS code (applications/apply/, web.applying) the person has just proven their phone, as
after a code login: for CODE_LOGIN_PROOF_WINDOW that session may set a password on /me/password/ without a second
code (which the one-a-minute limit would make them wait for). The service checks its own record of that quick
apply (account.login_quick_apply), not only the session's word; other sessions and later visits need a code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hongniang.core.models import AuditEvent, User

HX = {"HTTP_HX_REQUEST": "true"}
NEW_PHONE = "13811112222"
PW_URL = "/me/password/"
NEW = {"new_password": "good-pass-9", "new_password2": "good-pass-9"}


def _logged_in(client) -> int | None:
    uid = client.session.get("_auth_user_id")
    return int(uid) if uid else None


def _quick_apply(client, posting, sms, phone=NEW_PHONE, htmx=True):
    data = {"phone": phone, "name": "赖秀英", "consent": "on", "next": f"/jobs/{posting.pk}/"}
    extra = HX if htmx else {}
    client.post(f"/applications/apply/{posting.pk}/", {**data, "send": "1"}, **extra)
    r = client.post(f"/applications/apply/{posting.pk}/", {**data, "code": sms.code(phone)}, **extra)
    assert _logged_in(client) is not None
    return r


def _proofs(user):
    return list(AuditEvent.objects.filter(action="account.set_password", actor=user)
                .values_list("detail__proof", flat=True))


def _password_login(phone, password) -> int | None:
    client = Client()
    client.post("/accounts/login/", {"username": phone, "password": password})
    return _logged_in(client)


def test_right_after_a_quick_apply_a_password_is_set_without_a_second_code(client, posting, sms):
    html = _quick_apply(client, posting, sms).content.decode()
    assert "报名成功" in html
    assert 'href="/me/password/">设置密码，下次直接登录</a>' in html  # offered on the confirmation itself
    user = User.objects.get(phone=NEW_PHONE)
    assert AuditEvent.objects.filter(action="account.login_quick_apply", actor=user).count() == 1
    page = client.get(PW_URL).content.decode()
    assert "刚用短信验证码报名过" in page and 'name="code"' not in page and "获取短信验证码" not in page
    r = client.post(PW_URL, NEW)
    assert r.status_code == 302 and r["Location"] == "/me/"
    assert len(sms.sent) == 1  # only the quick apply's code: no second text, no waiting a minute
    assert _proofs(user) == ["recent_quick_apply"]
    assert _password_login(NEW_PHONE, "good-pass-9") == user.pk
    # the proof served one password
    assert 'name="code"' in client.get(PW_URL).content.decode()
    r = client.post(PW_URL, {"new_password": "other-pass-7", "new_password2": "other-pass-7"})
    assert r.status_code == 422 and _proofs(user) == ["recent_quick_apply"]


def test_without_javascript_the_confirmation_also_links_the_password_page(client, posting, sms):
    r = _quick_apply(client, posting, sms, htmx=False)
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "报名成功" in html and 'href="/me/password/">设置密码，下次直接登录</a>' in html
    assert client.post(PW_URL, NEW).status_code == 302 and len(sms.sent) == 1


def test_after_eleven_minutes_the_code_is_needed_again(client, posting, sms):
    _quick_apply(client, posting, sms)
    assert "刚用短信验证码报名过" in client.get(PW_URL).content.decode()
    session = client.session
    session["phone_proven"]["at"] -= 11 * 60
    session.save()
    html = client.get(PW_URL).content.decode()
    assert "刚用短信验证码报名过" not in html and 'name="code"' in html
    r = client.post(PW_URL, NEW)
    assert r.status_code == 422 and "请填写原密码，或用短信验证码确认是本人" in r.content.decode()
    user = User.objects.get(phone=NEW_PHONE)
    assert _proofs(user) == [] and not User.objects.get(pk=user.pk).has_usable_password()


def test_the_service_checks_its_own_record_of_the_quick_apply(client, posting, sms):
    """The session still says "proven", but the quick apply was 11 minutes ago by the service's record."""
    _quick_apply(client, posting, sms)
    assert "刚用短信验证码报名过" in client.get(PW_URL).content.decode()
    AuditEvent.objects.filter(action="account.login_quick_apply").update(at=timezone.now() - dt.timedelta(minutes=11))
    r = client.post(PW_URL, NEW)
    assert r.status_code == 422 and "用验证码报名已超过 10 分钟，请获取短信验证码确认是本人" in r.content.decode()
    assert _proofs(User.objects.get(phone=NEW_PHONE)) == []


def test_another_session_of_the_same_person_still_needs_the_code(client, posting, sms):
    _quick_apply(client, posting, sms)
    user = User.objects.get(phone=NEW_PHONE)
    other = Client()
    other.force_login(user)
    assert 'name="code"' in other.get(PW_URL).content.decode()
    assert other.post(PW_URL, NEW).status_code == 422
    assert _proofs(user) == []
    assert client.post(PW_URL, NEW).status_code == 302  # the session that applied still may
    assert _proofs(user) == ["recent_quick_apply"]


@pytest.mark.parametrize("kind", ["recent_quick_apply", "recent_code_login"])
def test_a_forged_session_proof_is_not_enough(client, seeker_user, sms, kind):
    seeker_user.set_unusable_password()
    seeker_user.save()
    client.force_login(seeker_user)
    session = client.session
    session["phone_proven"] = {"user": str(seeker_user.pk), "phone": seeker_user.phone,
                               "at": timezone.now().timestamp(), "kind": kind}
    session.save()
    assert client.post(PW_URL, NEW).status_code == 422
    assert _proofs(seeker_user) == [] and not sms.sent


def test_a_wrong_quick_apply_code_proves_nothing(client, posting, sms):
    data = {"phone": NEW_PHONE, "name": "赖秀英", "consent": "on"}
    client.post(f"/applications/apply/{posting.pk}/", {**data, "send": "1"}, **HX)
    right = sms.code(NEW_PHONE)
    client.post(f"/applications/apply/{posting.pk}/", {**data, "code": "000000" if right != "000000" else "111111"},
                **HX)
    assert _logged_in(client) is None and "phone_proven" not in client.session
    assert not AuditEvent.objects.filter(action="account.login_quick_apply").exists()


def test_a_second_tap_on_get_code_still_shows_the_code_field(client, posting, sms):
    data = {"phone": NEW_PHONE, "name": "赖秀英", "consent": "on"}
    client.post(f"/applications/apply/{posting.pk}/", {**data, "send": "1"}, **HX)
    html = client.post(f"/applications/apply/{posting.pk}/", {**data, "send": "1"}, **HX).content.decode()
    assert "如果已经收到验证码，直接填在下面即可" in html and 'name="code"' in html and len(sms.sent) == 1
    html = client.post(f"/applications/apply/{posting.pk}/", {**data, "code": sms.code(NEW_PHONE)},
                       **HX).content.decode()
    assert "报名成功" in html and _logged_in(client) is not None
