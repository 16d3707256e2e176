"""/api/v1/enterprises and /api/v1/enterprise/jobs."""

from __future__ import annotations

import json

import pytest

from hongniang.applications.models import Application
from hongniang.core.models import AuditEvent, User
from hongniang.employers.models import Enterprise
from hongniang.testing import factories as f

CODE = f.valid_credit_code(9002)


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def body(regions):
    from hongniang.notifications.phone_codes import phone_code_send

    return {"name": "瑞金市山水食品有限公司", "credit_code": CODE, "region_code": "360781100201",
            "contact_name": "陈经理", "phone": "13607971111", "password": "shanshui-2024",
            "code": phone_code_send(phone="13607971111", purpose="enterprise_register")}


def test_anonymous_registration_creates_user_and_enterprise(client, body):
    r = post_json(client, "/api/v1/enterprises", body)
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["verified"] is False and data["verification_status"] == "unverified"
    assert data["township"] == "360781100000"
    user = User.objects.get(username="13607971111")
    assert user.check_password("shanshui-2024") and data["user_id"] == user.pk


def test_logged_in_registration_adds_just_the_enterprise(client, outsider, body):
    client.force_login(outsider)
    r = post_json(client, "/api/v1/enterprises", {**body, "phone": None, "password": None,
                                                  "contact_phone": "13607972222"})
    assert r.status_code == 201
    assert Enterprise.objects.get(credit_code=CODE).members.get() == outsider


def test_invalid_credit_code_is_422_and_nothing_saved(client, body):
    r = post_json(client, "/api/v1/enterprises", {**body, "credit_code": "91360781MA12345678"})
    assert r.status_code == 422
    data = r.json()
    assert data["code"] == "invalid_input" and "统一社会信用代码" in data["errors"]["credit_code"][0]
    assert User.objects.count() == 0 and Enterprise.objects.count() == 0


def test_taken_credit_code_is_409(client, body, enterprise):
    r = post_json(client, "/api/v1/enterprises", {**body, "credit_code": enterprise.credit_code})
    assert r.status_code == 409 and r.json()["code"] == "credit_code_taken"
    assert not User.objects.filter(username="13607971111").exists()


def test_unknown_region_is_422(client, body):
    r = post_json(client, "/api/v1/enterprises", {**body, "region_code": "000000000000"})
    assert r.status_code == 422 and "region_code" in r.json()["errors"]


def test_anonymous_registration_needs_phone_and_password(client, body):
    r = post_json(client, "/api/v1/enterprises", {**body, "password": None})
    assert r.status_code == 422 and Enterprise.objects.count() == 0


def test_public_enterprise_fields_never_include_contacts(client, enterprise):
    items = client.get("/api/v1/enterprises").json()["items"]
    one = client.get(f"/api/v1/enterprises/{enterprise.pk}").json()
    for row in (items[0], one):
        assert row["name"] == "瑞金红都服饰有限公司" and row["verified"] is True and row["township_name"] == "象湖镇"
        text = json.dumps(row, ensure_ascii=False)
        assert "13907970000" not in text and "李经理" not in text and "credit_code" not in row


def test_missing_enterprise_is_404(client, db):
    assert client.get("/api/v1/enterprises/424242").status_code == 404


def test_own_jobs_need_login(client, db):
    assert client.get("/api/v1/enterprise/jobs").status_code == 401


def test_own_jobs_lists_only_own_with_applicant_counts(client, hr, posting, other_enterprise, seeker):
    f.JobPostingFactory(enterprise=other_enterprise, title="别家")
    Application.objects.create(seeker=seeker, posting=posting)
    client.force_login(hr)
    body = client.get("/api/v1/enterprise/jobs").json()
    assert body["count"] == 1 and body["items"][0]["applicant_count"] == 1


def test_applicants_for_own_hr_with_phone_and_audit(client, hr, posting, seeker):
    Application.objects.create(seeker=seeker, posting=posting)
    client.force_login(hr)
    body = client.get(f"/api/v1/enterprise/jobs/{posting.pk}/applicants").json()
    assert body["items"][0]["phone"] == "13900000001" and body["items"][0]["name"] == "刘小红"
    assert AuditEvent.objects.filter(action="view_applicants", actor=hr).exists()


def test_applicants_for_other_hr_is_404(client, other_hr, posting, seeker):
    Application.objects.create(seeker=seeker, posting=posting)
    client.force_login(other_hr)
    r = client.get(f"/api/v1/enterprise/jobs/{posting.pk}/applicants")
    assert r.status_code == 404 and "13900000001" not in r.content.decode()


def test_applicants_anonymous_is_401(client, posting):
    r = client.get(f"/api/v1/enterprise/jobs/{posting.pk}/applicants")
    assert r.status_code == 401 and r.json()["message"] == "请先登录"
