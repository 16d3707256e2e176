"""Issue 20, "Bad input": each input the probe broke the platform with, performed against pages and the API.
Every answer is a 4xx in Chinese naming the field ({"code", "message", "errors"} on the API), never a 500,
and nothing is half-saved."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from hongniang.applications.models import Application
from hongniang.core.models import ApiToken
from hongniang.employers.models import Enterprise
from hongniang.jobs.models import JobPosting
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

HUGE = 10**30
POSTING = {
    "title": "车间普工", "occupation": "6-25-04-01", "headcount": "10", "pay_type": "monthly",
    "pay_min": "3800", "pay_max": "5200", "shift": "two_shift", "board": "on", "region": "360781103201",
    "address": "九堡工业园", "age_min": "18", "age_max": "50", "description": "电子厂流水线普工，两班倒。",
}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.create(user=user).key}"}


def send(client, method, url, data, **extra):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return getattr(client, method)(url, body, content_type="application/json", **extra)


def assert_chinese_error(r, status, field=None):
    assert r.status_code == status, (r.status_code, r.content[:500])
    body = r.json()
    assert set(body) >= {"code", "message", "errors"}, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body
    for messages in body["errors"].values():
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), body
    if field:
        assert field in body["errors"], body
    return body


# --- paging ------------------------------------------------------------------------------------------

LISTS = [  # (url, parameter, who)
    ("/api/v1/jobs", "page", None), ("/api/v1/enterprises", "page", None), ("/api/v1/service-points", "page", None),
    ("/api/v1/industries", "page", None), ("/api/v1/occupations", "page", None), ("/api/v1/regions", "page", None),
    ("/api/v1/enterprise/jobs", "page", "hr"), ("/api/v1/jobs/review-queue", "page", "bureau"),
    ("/api/v1/verifications", "page", "bureau"), ("/api/v1/reports", "page", "bureau"),
    ("/api/v1/staff/seekers", "offset", "staff_a"), ("/api/v1/notifications", "offset", "seeker_user"),
    ("/api/v1/events", "offset", None), ("/api/v1/live-sessions", "offset", None), ("/api/v1/gigs/orders", "page", None),
    ("/api/v1/outreach/followups", "offset", "staff_a"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url,param,who", LISTS)
@pytest.mark.parametrize("value", [HUGE, -HUGE, 10_001 * 1000])
def test_a_huge_page_or_offset_is_a_chinese_422(client, request, regions, url, param, who, value):
    extra = bearer(request.getfixturevalue(who)) if who else {}
    assert client.get(url, {param: 1}, **extra).status_code == 200
    r = client.get(url, {param: value}, **extra)
    assert_chinese_error(r, 422, field=param)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/jobs/", "/gigs/", "/staff/imports/", "/notifications/"])
def test_a_huge_page_on_a_page_is_clamped(client, staff_a, url):
    client.force_login(staff_a)
    assert client.get(url, {"page": HUGE}).status_code == 200
    assert client.get(url, {"page": "²"}).status_code == 200


# --- posting numbers -----------------------------------------------------------------------------------

BAD_NUMBERS = [
    ("pay_min", "Infinity", "数字"), ("pay_max", "-Infinity", "数字"), ("pay_min", "NaN", "数字"),
    ("pay_min", "12345678901234567890", "数额过大"), ("headcount", "Infinity", "请填写整数"),
    ("headcount", "12345678901234567890", "数额过大"), ("age_min", "3000", "16–70"),
    ("age_min", "-Infinity", "请填写整数"), ("age_max", "12345678901234567890", "数额过大"),
    ("age_min", "71", "16–70"), ("age_max", "8", "不得低于 16"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("field,value,words", BAD_NUMBERS)
def test_bad_numbers_in_the_posting_form_are_field_errors(client, hr, occupations, field, value, words):
    client.force_login(hr)
    r = client.post(reverse("employers:posting_new"), {**POSTING, field: value})
    assert r.status_code in (200, 422) and words in r.content.decode()
    assert not JobPosting.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field,value,words", BAD_NUMBERS)
def test_bad_numbers_when_editing_a_posting_are_field_errors(client, hr, posting, field, value, words):
    client.force_login(hr)
    before = JobPosting.objects.values().get(pk=posting.pk)
    r = client.post(reverse("employers:posting_edit", args=[posting.pk]), {**POSTING, field: value})
    assert r.status_code in (200, 422) and words in r.content.decode()
    r = send(client, "patch", f"/api/v1/jobs/{posting.pk}", {field: value})
    body = assert_chinese_error(r, 422, field=field)
    assert words in body["errors"][field][0]
    assert JobPosting.objects.values().get(pk=posting.pk) == before


@pytest.mark.django_db
@pytest.mark.parametrize("field,value", [("pay_min", "Infinity"), ("headcount", "1e999"), ("age_min", 3000),
                                         ("age_min", HUGE), ("pay_max", 1e300)])
def test_bad_numbers_in_the_posting_api_are_chinese_422s(client, hr, occupations, field, value):
    data = {k: v for k, v in POSTING.items() if k != "board"}
    data[field] = value
    r = send(client, "post", "/api/v1/jobs", data, **bearer(hr))
    assert_chinese_error(r, 422, field=field)
    assert not JobPosting.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [b'{"headcount": Infinity}', b'{"pay_min": NaN}', b'{"pay_min": 1e999}'])
def test_json_that_is_not_json_numbers_is_a_chinese_400(client, hr, occupations, raw):
    r = send(client, "post", "/api/v1/jobs", raw, **bearer(hr))
    assert_chinese_error(r, 400)


# --- bodies ------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_20_mb_json_body_is_a_413_json_error(client, hr):
    r = send(client, "post", "/api/v1/jobs", b'{"title": "' + b"x" * (20 * 1024 * 1024) + b'"}', **bearer(hr))
    body = assert_chinese_error(r, 413)
    assert body["code"] == "too_large"


@pytest.mark.django_db
def test_a_big_form_post_is_a_413_page(client, hr):
    client.force_login(hr)
    r = client.post(reverse("employers:posting_new"), "title=" + "x" * (3 * 1024 * 1024),
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 413 and "太大" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_a_chinese_400_on_withdraw_and_elsewhere(client, seeker, posting, depth):
    app = Application.objects.create(posting=posting, seeker=seeker)
    nested = "[" * depth + "]" * depth
    auth = bearer(seeker.user)
    for url in (f"/api/v1/applications/{app.pk}/withdraw", f"/api/v1/jobs/{posting.pk}/apply", "/api/v1/me"):
        method = "patch" if url == "/api/v1/me" else "post"
        r = send(client, method, url, '{"reason": ' + nested + "}", **auth)
        assert assert_chinese_error(r, 400)["code"] == "too_deep"
    app.refresh_from_db()
    assert app.status == "applied"


# --- characters ----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_lone_surrogates_and_control_characters_are_stripped_at_the_api(client, staff_a, point_a, occupations):
    data = {"name": "张\ud83d三\x00\x07\x7f\x85", "id_number": f.valid_id_number(77), "phone": "13907971234",
            "home_region_code": "360781100201", "consent_channel": "paper"}
    r = send(client, "post", "/api/v1/staff/seekers", data, **bearer(staff_a))
    assert r.status_code == 201, r.content
    assert Seeker.objects.get().name == "张三"
    client.force_login(staff_a)
    assert client.get("/staff/exports/seekers/", {"full": "1"}).status_code == 200


@pytest.mark.django_db
def test_control_characters_are_stripped_from_forms_and_query_strings(client, hr, occupations):
    client.force_login(hr)
    r = client.post(reverse("employers:posting_new"), {**POSTING, "title": "普\x00工\x1b\x9b", "address": "园\x7f区"})
    assert r.status_code == 302, r.content.decode()[:2000]
    p = JobPosting.objects.get()
    assert (p.title, p.address) == ("普工", "园区")
    for url in ("/jobs/", "/api/v1/jobs", "/api/v1/enterprises", "/gigs/"):
        assert client.get(url + "?q=%E6%99%AE%00%E5%B7%A5%ED%A0%BD%C2%85").status_code == 200


# --- identifiers -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("code", ["123456789012345678", "91345678MA00000010"])
def test_a_credit_code_that_only_looks_right_is_refused(client, outsider, regions, code):
    from stdnum.cn import uscc

    assert uscc.is_valid(code[:17] + uscc.calc_check_digit(code[:17]))
    code = code[:17] + uscc.calc_check_digit(code[:17])  # a right check digit: only the region is wrong
    r = send(client, "post", "/api/v1/enterprises", {
        "name": "瑞金假冒有限公司", "credit_code": code, "region_code": "360781100201", "contact_name": "陈",
        "phone": "13607971111"}, **bearer(outsider))
    body = assert_chinese_error(r, 422, field="credit_code")
    assert "行政区划" in body["errors"]["credit_code"][0]
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_an_id_number_of_a_12_year_old_is_refused(client, staff_a, point_a, occupations):
    import datetime as dt

    today = dt.date.today()
    child = f.valid_id_number(5, birth=today.replace(year=today.year - 12, day=1))
    data = {"name": "小明", "id_number": child, "phone": "13907971234", "home_region_code": "360781100201",
            "consent_channel": "paper"}
    body = assert_chinese_error(send(client, "post", "/api/v1/staff/seekers", data, **bearer(staff_a)), 422,
                                field="id_number")
    assert "16" in body["errors"]["id_number"][0]
    assert not Seeker.objects.exists()
    sixteen = f.valid_id_number(6, birth=today.replace(year=today.year - 17, day=1))
    r = send(client, "post", "/api/v1/staff/seekers", {**data, "id_number": sixteen}, **bearer(staff_a))
    assert r.status_code == 201, r.content


# --- the error shape -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_validation_errors_are_chinese_and_name_the_field(client, hr, occupations):
    r = send(client, "post", "/api/v1/jobs", {"title": 5, "headcount": "many"}, **bearer(hr))
    body = assert_chinese_error(r, 422)
    assert "headcount" in body["errors"] and not any(k.startswith("body") for k in body["errors"])
    r = client.get("/api/v1/jobs", {"page": "x", "page_size": 0})
    body = assert_chinese_error(r, 422, field="page")
    assert "page" in body["message"] and body["errors"]["page"] == ["请填写整数"] and body["errors"]["page_size"] == ["不能小于 1"]


@pytest.mark.django_db
def test_apply_to_an_unknown_posting_is_a_chinese_404(client, seeker):
    r = send(client, "post", "/api/v1/jobs/999999/apply", {}, **bearer(seeker.user))
    assert assert_chinese_error(r, 404)["code"] == "not_found"
    r = send(client, "post", f"/api/v1/jobs/{HUGE}/apply", {}, **bearer(seeker.user))
    assert 400 <= r.status_code < 500


@pytest.mark.django_db
def test_a_short_password_is_refused_in_the_requests_language_chinese_by_default(client, sms):
    """Like every other error: Chinese unless the client asks for English (Accept-Language: en)."""
    from hongniang.notifications.phone_codes import phone_code_send

    for phone, lang, said in [("13811112222", "", "密码太短，至少 6 位"),
                              ("13811113333", "en", "The password is too short: at least 6 characters")]:
        code = phone_code_send(phone=phone, purpose="register")
        headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
        r = send(client, "post", "/api/v1/seekers/register",
                 {"phone": phone, "password": "a1", "consent": True, "code": code}, **headers)
        assert r.status_code == 422 and r.json()["code"] == "invalid_input"
        assert r.json()["errors"]["password"] == [said]


@pytest.mark.django_db
def test_gig_order_times_are_hh_mm_in_the_schema_and_the_json(client):
    schema = client.get("/api/v1/openapi.json").json()
    out = schema["components"]["schemas"]["OrderOut"]["properties"]["start_time"]
    assert out["type"] == "string" and "format" not in out and out["pattern"].startswith("^([01]")
    import datetime as dt
    import re

    from pydantic import TypeAdapter

    from hongniang.gigs.schemas import HHMM

    sent = TypeAdapter(HHMM).dump_python(dt.time(7, 5))
    assert sent == "07:05" and re.match(out["pattern"], sent)
