"""Seeker API: /api/v1/seekers/register, /api/v1/me, /api/v1/staff/seekers."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongniang.core.models import AuditEvent, User
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f


def post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def patch(client, url, data, **extra):
    return client.patch(url, json.dumps(data), content_type="application/json", **extra)


def test_api_register_creates_account_and_session(client, db, sms):
    post(client, "/api/v1/phone-codes", {"phone": "13811112222", "purpose": "register"})
    r = post(client, "/api/v1/seekers/register", {"phone": "13811112222", "password": "good-pass-1", "consent": True,
                                                  "code": sms.code("13811112222")})
    assert r.status_code == 201 and r.json()["phone"] == "13811112222"
    assert User.objects.filter(phone="13811112222").exists()
    assert client.get("/api/v1/me").status_code == 404  # logged in, no profile yet


def test_api_register_bad_phone_is_422_in_chinese(client, db):
    r = post(client, "/api/v1/seekers/register", {"phone": "123", "password": "good-pass-1", "consent": True})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input" and "手机号码" in r.json()["message"]
    assert not User.objects.exists()


def test_api_register_without_consent_is_422(client, db):
    r = post(client, "/api/v1/seekers/register", {"phone": "13811112222", "password": "good-pass-1", "consent": False})
    assert r.status_code == 422 and "consent" in r.json()["errors"]


def test_api_register_known_phone_is_409_after_the_code(client, seeker_user, sms):
    """Only the holder of the number (who typed its code) learns that it is registered."""
    post(client, "/api/v1/phone-codes", {"phone": "13900000001", "purpose": "register"})
    r = post(client, "/api/v1/seekers/register", {"phone": "13900000001", "password": "good-pass-1", "consent": True,
                                                  "code": sms.code("13900000001")})
    assert r.status_code == 409 and r.json()["code"] == "phone_registered"


def test_api_me_anonymous_is_401(client, db):
    assert client.get("/api/v1/me").status_code == 401


def test_api_me_shows_masked_id_and_full_phone(client, seeker):
    client.force_login(seeker.user)
    body = client.get("/api/v1/me").json()
    assert body["phone"] == "13900000001" and body["id_number_masked"] == seeker.id_number_masked
    assert seeker.reveal_id_number() not in json.dumps(body)


def test_api_me_with_bearer_token(client, seeker, token_for):
    assert client.get("/api/v1/me", **token_for(seeker.user)).json()["name"] == "刘小红"


def test_api_patch_me_updates_profile(client, seeker):
    client.force_login(seeker.user)
    r = patch(client, "/api/v1/me", {"expected_pay": 5200, "unavailable_months": [10, 5],
                                      "desired_occupations": ["4-09-08-01"]})
    assert r.status_code == 200 and r.json()["unavailable_months"] == [5, 10]
    seeker.refresh_from_db()
    assert seeker.expected_pay == 5200 and seeker.desired_occupations == ["4-09-08-01"]


def test_api_patch_me_unknown_region_is_422_and_saves_nothing(client, seeker):
    client.force_login(seeker.user)
    r = patch(client, "/api/v1/me", {"home_region_code": "360781999999", "expected_pay": 9999})
    assert r.status_code == 422 and "home_region_code" in r.json()["errors"]
    seeker.refresh_from_db()
    assert seeker.expected_pay == 4000


def test_api_patch_me_creates_profile_for_new_account(client, regions, occupations):
    user = f.UserFactory(username="13811112222", phone="13811112222")
    client.force_login(user)
    r = patch(client, "/api/v1/me", {"name": "赖秀英", "home_region_code": "360781103201"})
    assert r.status_code == 201 and Seeker.objects.get(user=user).home_region_id == "360781103201"


def test_api_patch_me_anonymous_is_401(client, db):
    assert patch(client, "/api/v1/me", {"expected_pay": 1}).status_code == 401


# --- staff ------------------------------------------------------------------------------------------


def test_api_staff_list_anonymous_401_outsider_403(client, outsider):
    assert client.get("/api/v1/staff/seekers").status_code == 401
    client.force_login(outsider)
    assert client.get("/api/v1/staff/seekers").status_code == 403


def test_api_staff_list_own_point_only_and_masked(client, staff_a, seeker, seeker_b):
    client.force_login(staff_a)
    rows = client.get("/api/v1/staff/seekers").json()
    assert [r["name"] for r in rows] == ["刘小红"]
    assert rows[0]["phone_masked"] == "139****0001" and rows[0]["id_number_masked"] == seeker.id_number_masked
    assert "13900000001" not in json.dumps(rows)


def test_api_staff_list_search(client, staff_a, seeker, seeker_a2):
    client.force_login(staff_a)
    assert [r["name"] for r in client.get("/api/v1/staff/seekers?q=陈").json()] == ["陈沙洲"]


def test_api_staff_list_query_count_does_not_grow(client, staff_a, point_a, regions, occupations):
    client.force_login(staff_a)
    f.SeekerFactory(service_point=point_a)
    client.get("/api/v1/staff/seekers")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/staff/seekers")
    for _ in range(10):
        f.SeekerFactory(service_point=point_a, home_region=regions["v_baxi"])
    with CaptureQueriesContext(connection) as many:
        rows = client.get("/api/v1/staff/seekers").json()
    assert len(rows) == 11 and len(many) == len(few)


def test_api_staff_detail_full_and_audited(client, staff_a, seeker):
    client.force_login(staff_a)
    body = client.get(f"/api/v1/staff/seekers/{seeker.pk}").json()
    assert body["id_number"] == seeker.reveal_id_number() and body["phone"] == "13900000001"
    assert AuditEvent.objects.filter(action="seeker.view_full", actor=staff_a).count() == 1


def test_api_staff_b_gets_404_on_point_a_seeker(client, staff_b, seeker):
    client.force_login(staff_b)
    r = client.get(f"/api/v1/staff/seekers/{seeker.pk}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not AuditEvent.objects.filter(action="seeker.view_full").exists()


def test_api_staff_detail_hr_is_403(client, hr, seeker):
    client.force_login(hr)
    assert client.get(f"/api/v1/staff/seekers/{seeker.pk}").status_code == 403


def walk_in(id_number, **kw):
    data = {"name": "钟春花", "id_number": id_number, "phone": "13812345678", "home_region_code": "360781103201",
            "consent_channel": "verbal", "acceptable_shifts": ["day"], "unavailable_months": [5]}
    data.update(kw)
    return data


def test_api_staff_register_walk_in(client, staff_a, point_a, id_number):
    client.force_login(staff_a)
    r = post(client, "/api/v1/staff/seekers", walk_in(id_number))
    assert r.status_code == 201
    body = r.json()
    assert body["birth_year"] == 1985 and body["gender"] == "M" and body["service_point_id"] == point_a.pk
    assert body["consent_witness_id"] == staff_a.pk


def test_api_staff_register_invalid_id_is_422_and_saves_nothing(client, staff_a, id_number):
    client.force_login(staff_a)
    r = post(client, "/api/v1/staff/seekers", walk_in("36078119850307001"))
    assert r.status_code == 422 and "id_number" in r.json()["errors"] and "18 位" in r.json()["message"]
    assert not Seeker.objects.exists()


def test_api_staff_register_duplicate_is_409(client, staff_a, seeker):
    client.force_login(staff_a)
    r = post(client, "/api/v1/staff/seekers", walk_in(seeker.reveal_id_number()))
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_person" and r.json()["existing_id"] == seeker.pk
    assert Seeker.objects.count() == 1


def test_api_staff_register_duplicate_at_other_point_hides_record(client, staff_b, seeker):
    client.force_login(staff_b)
    r = post(client, "/api/v1/staff/seekers", walk_in(seeker.reveal_id_number()))
    assert r.status_code == 409 and "existing_id" not in r.json()
    assert r.json()["message"] == "该身份证号已在其他站点登记，请联系该站点"


def test_api_staff_register_by_non_staff_is_403(client, seeker_user, id_number):
    client.force_login(seeker_user)
    assert post(client, "/api/v1/staff/seekers", walk_in(id_number)).status_code == 403
