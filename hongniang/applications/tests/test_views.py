"""The apply box and its endpoints: one tap, quick apply by phone, staff on behalf, withdraw."""

from __future__ import annotations

from django.template import Context, Template
from django.test import RequestFactory

from hongniang.applications.models import Application
from hongniang.core.models import User
from hongniang.testing import factories as f

HX = {"HTTP_HX_REQUEST": "true"}


def render_box(user, posting):
    from django.contrib.auth.models import AnonymousUser

    from hongniang.core.context import roles

    request = RequestFactory().get(f"/jobs/{posting.pk}/")
    request.user = user or AnonymousUser()
    ctx = {"request": request, "user": request.user, "posting": posting, **roles(request)}
    return Template('{% include "applications/_apply_box.html" with posting=posting %}').render(Context(ctx))


def test_box_offers_one_tap_to_seeker(seeker, posting):
    html = render_box(seeker.user, posting)
    assert "一键报名" in html and f"/applications/apply/{posting.pk}/" in html


def test_box_says_applied_after_applying(seeker, posting):
    Application.objects.create(seeker=seeker, posting=posting)
    html = render_box(seeker.user, posting)
    assert "已报名" in html and "一键报名" not in html
    assert html.count("已报名") == 1  # the tag, not the tag and the same status again


def test_box_names_the_status_once_the_enterprise_moves(seeker, posting):
    Application.objects.create(seeker=seeker, posting=posting, status="viewed")
    html = render_box(seeker.user, posting)
    assert "已报名" in html and "企业已查看" in html


def test_box_offers_phone_form_to_anonymous(posting):
    html = render_box(None, posting)
    assert 'name="phone"' in html and "用手机号报名" in html and "获取验证码" in html


def test_box_offers_apply_on_behalf_to_staff(staff_a, posting):
    html = render_box(staff_a, posting)
    assert f"/applications/apply/{posting.pk}/for/" in html and "代人报名" in html


def test_box_on_closed_posting(seeker, posting):
    posting.status = "closed"
    html = render_box(seeker.user, posting)
    assert "该岗位已停止招聘" in html and "一键报名" not in html


def test_one_tap_apply_htmx_returns_updated_box(client, seeker, posting):
    client.force_login(seeker.user)
    r = client.post(f"/applications/apply/{posting.pk}/", **HX)
    body = r.content.decode()
    assert r.status_code == 200 and "报名成功" in body and "已报名" in body
    assert Application.objects.filter(seeker=seeker, posting=posting).count() == 1


def test_one_tap_apply_without_js_redirects_back_with_message(client, seeker, posting):
    client.force_login(seeker.user)
    r = client.post(f"/applications/apply/{posting.pk}/", {"next": f"/jobs/{posting.pk}/"}, follow=False)
    assert r.status_code == 302 and r.url == f"/jobs/{posting.pk}/"
    assert Application.objects.filter(seeker=seeker).exists()


def test_one_tap_apply_refuses_offsite_next(client, seeker, posting):
    client.force_login(seeker.user)
    r = client.post(f"/applications/apply/{posting.pk}/", {"next": "https://evil.example/"})
    assert "evil" not in r.url


def test_duplicate_apply_says_already_applied(client, seeker, posting):
    client.force_login(seeker.user)
    client.post(f"/applications/apply/{posting.pk}/", **HX)
    body = client.post(f"/applications/apply/{posting.pk}/", **HX).content.decode()
    assert "您已报名该岗位" in body and Application.objects.count() == 1


def test_closed_posting_apply_refused(client, seeker, posting):
    posting.status = "closed"
    posting.save()
    client.force_login(seeker.user)
    body = client.post(f"/applications/apply/{posting.pk}/", **HX).content.decode()
    assert "该岗位已停止招聘" in body and not Application.objects.exists()


def test_anonymous_new_phone_gets_a_code_then_applies_and_is_logged_in(client, posting, sms):
    data = {"phone": "13811112222", "name": "赖秀英", "consent": "on"}
    r = client.post(f"/applications/apply/{posting.pk}/", data, **HX)
    assert "验证码已发送" in r.content.decode() and 'name="code"' in r.content.decode()
    assert not Application.objects.exists()
    r = client.post(f"/applications/apply/{posting.pk}/", {**data, "code": sms.code("13811112222")}, **HX)
    assert "报名成功" in r.content.decode() and "设置密码" in r.content.decode()
    a = Application.objects.get()
    assert a.seeker.phone == "13811112222" and a.posting == posting
    assert client.get("/api/v1/me").json()["name"] == "赖秀英"


def test_anonymous_known_phone_with_its_code_applies_as_that_seeker(client, seeker, posting, sms):
    data = {"phone": "13900000001", "name": "刘小红", "consent": "on", "next": f"/jobs/{posting.pk}/"}
    client.post(f"/applications/apply/{posting.pk}/", data, **HX)
    body = client.post(f"/applications/apply/{posting.pk}/", {**data, "code": sms.code("13900000001")},
                       **HX).content.decode()
    assert "报名成功" in body and Application.objects.get().seeker == seeker


def test_anonymous_staff_registered_phone_with_its_code_claims_the_profile(client, seeker_a2, posting, sms):
    data = {"phone": seeker_a2.phone, "name": "某人", "consent": "on"}
    client.post(f"/applications/apply/{posting.pk}/", data, **HX)
    body = client.post(f"/applications/apply/{posting.pk}/", {**data, "code": sms.code(seeker_a2.phone)},
                       **HX).content.decode()
    seeker_a2.refresh_from_db()
    assert "报名成功" in body and seeker_a2.user.phone == seeker_a2.phone
    assert Application.objects.get().seeker == seeker_a2


def test_anonymous_without_consent_saves_nothing(client, posting):
    body = client.post(f"/applications/apply/{posting.pk}/", {"phone": "13811112222", "name": "赖秀英"},
                       **HX).content.decode()
    assert "同意" in body and not User.objects.filter(phone="13811112222").exists()


def test_anonymous_bad_phone_shows_error(client, posting):
    body = client.post(f"/applications/apply/{posting.pk}/", {"phone": "123", "name": "赖秀英", "consent": "on"},
                       **HX).content.decode()
    assert "手机号码" in body and not Application.objects.exists()


def test_logged_in_without_profile_is_sent_to_profile(client, outsider, posting):
    client.force_login(outsider)
    body = client.post(f"/applications/apply/{posting.pk}/", **HX).content.decode()
    assert "请先填写求职信息" in body


def test_apply_is_post_only(client, seeker, posting):
    client.force_login(seeker.user)
    assert client.get(f"/applications/apply/{posting.pk}/").status_code == 405


# --- staff on behalf --------------------------------------------------------------------------------


def test_apply_for_lists_only_own_point_seekers(client, staff_a, seeker, seeker_b, posting):
    client.force_login(staff_a)
    body = client.get(f"/applications/apply/{posting.pk}/for/").content.decode()
    assert "刘小红" in body and "王九堡" not in body


def test_apply_for_needs_consent(client, staff_a, seeker_a2, posting):
    client.force_login(staff_a)
    body = client.post(f"/applications/apply/{posting.pk}/for/", {"seeker": seeker_a2.pk}).content.decode()
    assert "请确认求职者本人已同意" in body and not Application.objects.exists()


def test_apply_for_with_consent(client, staff_a, seeker_a2, posting):
    client.force_login(staff_a)
    r = client.post(f"/applications/apply/{posting.pk}/for/", {"seeker": seeker_a2.pk, "consent_confirmed": "on"})
    assert r.status_code == 302
    a = Application.objects.get()
    assert a.seeker == seeker_a2 and a.channel == "staff"


def test_apply_for_other_point_seeker_is_404(client, staff_b, seeker_a2, posting):
    client.force_login(staff_b)
    r = client.post(f"/applications/apply/{posting.pk}/for/", {"seeker": seeker_a2.pk, "consent_confirmed": "on"})
    assert r.status_code == 404 and not Application.objects.exists()


def test_apply_for_refused_to_non_staff(client, seeker, posting):
    client.force_login(seeker.user)
    assert client.get(f"/applications/apply/{posting.pk}/for/").status_code == 403


# --- withdraw ---------------------------------------------------------------------------------------


def test_withdraw_own_application(client, seeker, posting):
    a = Application.objects.create(seeker=seeker, posting=posting)
    client.force_login(seeker.user)
    body = client.post(f"/applications/{a.pk}/withdraw/", **HX).content.decode()
    a.refresh_from_db()
    assert a.status == "withdrawn" and "已撤回" in body


def test_withdraw_someone_elses_is_404(client, seeker, seeker_a2, posting):
    a = Application.objects.create(seeker=seeker_a2, posting=posting)
    client.force_login(seeker.user)
    assert client.post(f"/applications/{a.pk}/withdraw/").status_code == 404
    a.refresh_from_db()
    assert a.status == "applied"


def test_withdraw_anonymous_redirects_to_login(client, seeker, posting):
    a = Application.objects.create(seeker=seeker, posting=posting)
    r = client.post(f"/applications/{a.pk}/withdraw/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_box_renders_inside_real_job_page_if_present(client, seeker, posting, settings):
    """When the job page of the jobs app exists, it shows the box."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("jobs:detail", args=[posting.pk])
    except NoReverseMatch:
        return
    if settings.ROOT_URLCONF.endswith("stub_urls"):
        return
    client.force_login(seeker.user)
    r = client.get(url)
    assert r.status_code == 200 and "一键报名" in r.content.decode()


_ = f
