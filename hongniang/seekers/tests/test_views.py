"""Seeker pages: self-registration, my page, the staff desk. Permission tests for every page with
personal data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniang.core.models import AuditEvent, User
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

# --- self-registration ------------------------------------------------------------------------------


def test_register_creates_account_and_logs_in(client, db, sms):
    r = client.post("/me/register/", {"phone": "138 1111 2222", "send": "1"})
    assert r.status_code == 200 and "验证码已发送" in r.content.decode()
    r = client.post("/me/register/", {"phone": "138 1111 2222", "password": "good-pass-1", "consent": "on",
                                      "code": sms.code("13811112222")})
    assert r.status_code == 302 and r.url == "/me/profile/"
    user = User.objects.get(phone="13811112222")
    assert user.username == "13811112222"
    assert client.get("/me/profile/").status_code == 200


def test_register_without_consent_shows_error_and_saves_nothing(client, db):
    r = client.post("/me/register/", {"phone": "13811112222", "password": "good-pass-1", "code": "123456"})
    assert r.status_code == 422
    assert "请阅读并同意" in r.content.decode()
    assert not User.objects.exists()


def test_register_with_bad_phone_shows_chinese_error(client, db):
    r = client.post("/me/register/", {"phone": "123", "password": "good-pass-1", "consent": "on"})
    assert "手机号码" in r.content.decode()
    assert not User.objects.exists()


def test_register_with_known_phone_says_log_in_only_after_the_code(client, seeker_user, sms):
    r = client.post("/me/register/", {"phone": "13900000001", "send": "1"})
    assert "该手机号已注册" not in r.content.decode()
    r = client.post("/me/register/", {"phone": "13900000001", "password": "good-pass-1", "consent": "on",
                                      "code": sms.code("13900000001")})
    assert "该手机号已注册" in r.content.decode()


def profile_data(**kw):
    data = {"name": "赖秀英", "phone": "13811112222", "id_number": "", "township": "360781103000",
            "home_region": "360781103201", "occupation_1": "6-05-01-03", "occupation_2": "4-09-08-01",
            "occupation_3": "", "certificates": "健康证, 电工证", "expected_pay": "4000",
            "acceptable_shifts": ["day", "part_time"], "max_commute_km": "15", "unavailable_months": ["5", "10"]}
    data.update(kw)
    return data


@pytest.fixture
def new_user(client, regions, occupations):
    user = f.UserFactory(username="13811112222", phone="13811112222")
    client.force_login(user)
    return user


def test_profile_step_creates_seeker(client, new_user):
    r = client.post("/me/profile/", profile_data())
    assert r.status_code == 302 and r.url == "/me/"
    s = Seeker.objects.get(user=new_user)
    assert s.desired_occupations == ["6-05-01-03", "4-09-08-01"]
    assert s.certificates == ["健康证", "电工证"]
    assert s.acceptable_shifts == ["day", "part_time"] and s.unavailable_months == [5, 10]
    assert s.consent_channel == "online" and s.service_point is None


def test_profile_with_id_number_fills_birth_year(client, new_user, id_number):
    client.post("/me/profile/", profile_data(id_number=id_number))
    s = Seeker.objects.get(user=new_user)
    assert s.birth_year == 1985 and s.gender == "M"


def test_profile_with_bad_id_shows_error_and_saves_nothing(client, new_user):
    r = client.post("/me/profile/", profile_data(id_number="360781198503070000"))
    assert r.status_code == 200 and "校验位" in r.content.decode()
    assert not Seeker.objects.exists()


def test_profile_anonymous_redirects_to_login(client, db):
    r = client.get("/me/profile/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_villages_fragment_lists_township_villages(client, regions):
    r = client.get("/me/villages/?township=360781103000")
    body = r.content.decode()
    assert "九堡" in body and "坝溪" in body and "沙洲坝" not in body


# --- my page ----------------------------------------------------------------------------------------


def test_me_anonymous_redirects_to_login(client, db):
    r = client.get("/me/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_me_shows_masked_id_and_full_phone(client, seeker):
    client.force_login(seeker.user)
    body = client.get("/me/").content.decode()
    assert seeker.id_number_masked in body and "13900000001" in body
    assert seeker.reveal_id_number() not in body


def test_me_without_profile_goes_to_profile_form(client, outsider):
    client.force_login(outsider)
    r = client.get("/me/")
    assert r.status_code == 302 and r.url == "/me/profile/"


def test_my_applications_lists_only_mine(client, seeker, seeker_a2, posting):
    from hongniang.applications.models import Application

    Application.objects.create(seeker=seeker_a2, posting=f.JobPostingFactory(title="别人的岗位保洁"))
    Application.objects.create(seeker=seeker, posting=posting)
    client.force_login(seeker.user)
    body = client.get("/me/applications/").content.decode()
    assert "缝纫工" in body and "别人的岗位保洁" not in body and "撤回报名" in body


# --- staff desk -------------------------------------------------------------------------------------


def test_staff_home_anonymous_redirects_to_login(client, db):
    r = client.get("/me/staff/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_staff_home_refused_to_non_staff(client, seeker):
    client.force_login(seeker.user)
    assert client.get("/me/staff/").status_code == 403


def test_staff_home_lists_only_own_point_masked(client, staff_a, seeker, seeker_b):
    client.force_login(staff_a)
    body = client.get("/me/staff/").content.decode()
    assert "刘小红" in body and "王九堡" not in body
    assert seeker.id_number_masked in body and "139****0001" in body
    assert "13900000001" not in body and seeker.reveal_id_number() not in body


def test_staff_b_does_not_see_point_a_seekers(client, staff_b, seeker, seeker_b):
    client.force_login(staff_b)
    body = client.get("/me/staff/").content.decode()
    assert "王九堡" in body and "刘小红" not in body


@pytest.mark.parametrize("q", ["小红", "0001", "沙洲坝"])
def test_staff_search_by_name_phone_or_village(client, staff_a, seeker, seeker_a2, q):
    seeker_a2.home_region = f.reference_regions()["v_baxi"]
    seeker_a2.save()
    client.force_login(staff_a)
    body = client.post("/me/staff/", {"q": q}).content.decode()
    assert "刘小红" in body and "陈沙洲" not in body


def test_staff_search_by_id_tail(client, staff_a, seeker, seeker_a2):
    client.force_login(staff_a)
    body = client.post("/me/staff/", {"q": seeker.id_number_masked[-4:]}).content.decode()
    assert "刘小红" in body and "陈沙洲" not in body


def test_staff_list_query_count_does_not_grow(client, staff_a, point_a, regions, occupations):
    client.force_login(staff_a)
    f.SeekerFactory(service_point=point_a)
    client.get("/me/staff/")
    with CaptureQueriesContext(connection) as few:
        client.get("/me/staff/")
    for _ in range(15):
        f.SeekerFactory(service_point=point_a, home_region=regions["v_baxi"])
    with CaptureQueriesContext(connection) as many:
        r = client.get("/me/staff/")
    assert r.content.decode().count("/me/staff/seekers/") == 16
    assert len(many) == len(few)


def test_staff_detail_shows_full_data_and_audits(client, staff_a, seeker):
    client.force_login(staff_a)
    body = client.get(f"/me/staff/seekers/{seeker.pk}/").content.decode()
    assert seeker.reveal_id_number() in body and "13900000001" in body
    assert AuditEvent.objects.filter(action="seeker.view_full", actor=staff_a, target_id=str(seeker.pk)).count() == 1


def test_staff_detail_names_the_shifts(client, staff_a, seeker):
    """The shifts the seeker accepts by their names, as the registration form offered them, never the codes."""
    assert seeker.acceptable_shifts == ["day", "two_shift"]
    client.force_login(staff_a)
    body = client.get(f"/me/staff/seekers/{seeker.pk}/").content.decode()
    assert "长白班、两班倒" in body
    assert "two_shift" not in body and ">day" not in body


def test_staff_b_gets_404_on_point_a_seeker(client, staff_b, seeker):
    client.force_login(staff_b)
    assert client.get(f"/me/staff/seekers/{seeker.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action="seeker.view_full").exists()


def test_staff_detail_refused_to_seeker_and_anonymous(client, seeker):
    assert client.get(f"/me/staff/seekers/{seeker.pk}/").status_code == 302
    client.force_login(seeker.user)
    assert client.get(f"/me/staff/seekers/{seeker.pk}/").status_code == 403


def staff_form(id_number, **kw):
    data = {"name": "钟春花", "id_number": id_number, "phone": "13812345678", "township": "360781103000",
            "home_region": "360781103201", "occupation_1": "4-09-08-01", "acceptable_shifts": ["day"],
            "unavailable_months": ["4", "5"], "consent_channel": "paper", "consent": "on"}
    data.update(kw)
    return data


def test_staff_registers_walk_in(client, staff_a, point_a, id_number):
    client.force_login(staff_a)
    r = client.post("/me/staff/register/", staff_form(id_number))
    s = Seeker.objects.get(name="钟春花")
    assert r.status_code == 302 and r.url == f"/me/staff/seekers/{s.pk}/"
    assert s.service_point == point_a and s.birth_year == 1985 and s.consent_witness == staff_a
    assert s.unavailable_months == [4, 5]


def test_staff_register_without_consent_saves_nothing(client, staff_a, id_number):
    client.force_login(staff_a)
    data = staff_form(id_number)
    del data["consent"]
    r = client.post("/me/staff/register/", data)
    assert "请先取得求职者本人同意" in r.content.decode()
    assert not Seeker.objects.exists()


def test_staff_register_bad_id_shows_error(client, staff_a, id_number):
    client.force_login(staff_a)
    r = client.post("/me/staff/register/", staff_form(id_number[:-1] + ("1" if id_number[-1] != "1" else "2")))
    assert "校验位" in r.content.decode()
    assert not Seeker.objects.exists()


def test_staff_register_same_point_duplicate_links_existing(client, staff_a, seeker):
    client.force_login(staff_a)
    r = client.post("/me/staff/register/", staff_form(seeker.reveal_id_number()))
    assert f"/me/staff/seekers/{seeker.pk}/" in r.content.decode()
    assert Seeker.objects.count() == 1


def test_staff_register_other_point_duplicate_says_contact_that_point(client, staff_b, seeker):
    client.force_login(staff_b)
    r = client.post("/me/staff/register/", staff_form(seeker.reveal_id_number()))
    body = r.content.decode()
    assert "该身份证号已在其他站点登记，请联系该站点" in body
    assert f"/me/staff/seekers/{seeker.pk}/" not in body and seeker.masked_name not in body
    assert Seeker.objects.count() == 1


def test_id_preview_shows_birth_date_and_gender(client, staff_a, female_id_number):
    client.force_login(staff_a)
    body = client.post("/me/staff/id-preview/", {"id_number": female_id_number}).content.decode()
    assert "1978年11月2日" in body and "女" in body
    # the number never goes in a URL (issue 13 item 10): GET is refused
    assert client.get("/me/staff/id-preview/", {"id_number": female_id_number}).status_code == 405


def test_id_preview_needs_staff(client, seeker, id_number):
    client.force_login(seeker.user)
    assert client.post("/me/staff/id-preview/", {"id_number": id_number}).status_code == 403


def test_quick_apply_account_can_set_password_then_log_in(client, posting, sms, settings):
    settings.PHONE_CODE_LIMITS = {"phone_minute": (5, 1)}
    data = {"phone": "13811112222", "name": "赖秀英", "consent": "on"}
    client.post(f"/applications/apply/{posting.pk}/", {**data, "send": "1"})
    client.post(f"/applications/apply/{posting.pk}/", {**data, "code": sms.code("13811112222")})
    assert "设置密码，下次直接登录" in client.get("/me/").content.decode()
    client.post("/me/password/", {"send": "1"})  # a fresh code works too (and is the proof the audit row names)
    r = client.post("/me/password/", {"new_password": "good-pass-1", "new_password2": "good-pass-1",
                                      "code": sms.code("13811112222")})
    assert r.status_code == 302
    client.logout()
    assert client.login(username="13811112222", password="good-pass-1")


def test_set_password_anonymous_redirects_to_login(client, db):
    assert client.get("/me/password/").url.startswith("/accounts/login/")


def test_profile_edit_keeps_stored_id_when_left_blank(client, seeker):
    client.force_login(seeker.user)
    masked = seeker.id_number_masked
    r = client.post("/me/profile/", profile_data(name="刘小红", phone="13900000001", expected_pay="5500"))
    assert r.status_code == 302
    seeker.refresh_from_db()
    assert seeker.expected_pay == 5500 and seeker.id_number_masked == masked


def test_profile_form_shows_current_values(client, seeker):
    client.force_login(seeker.user)
    body = client.get("/me/profile/").content.decode()
    assert 'value="刘小红"' in body and seeker.id_number_masked in body and seeker.reveal_id_number() not in body
