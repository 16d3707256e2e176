"""Application API: /api/v1/jobs/{id}/apply, /api/v1/me/applications, /api/v1/applications/{id}/withdraw."""

from __future__ import annotations

import json

from hongniang.applications.models import Application


def test_api_apply_anonymous_is_401(client, posting):
    assert client.post(f"/api/v1/jobs/{posting.pk}/apply").status_code == 401


def test_api_apply_creates_201(client, seeker, posting):
    client.force_login(seeker.user)
    r = client.post(f"/api/v1/jobs/{posting.pk}/apply")
    assert r.status_code == 201
    assert r.json()["status"] == "applied" and r.json()["posting_id"] == posting.pk and r.json()["created"]


def test_api_apply_again_returns_existing_200(client, seeker, posting):
    client.force_login(seeker.user)
    first = client.post(f"/api/v1/jobs/{posting.pk}/apply").json()
    r = client.post(f"/api/v1/jobs/{posting.pk}/apply")
    assert r.status_code == 200 and r.json()["id"] == first["id"] and Application.objects.count() == 1


def test_api_apply_closed_posting_is_422(client, seeker, posting):
    posting.status = "closed"
    posting.save()
    client.force_login(seeker.user)
    r = client.post(f"/api/v1/jobs/{posting.pk}/apply")
    assert r.status_code == 422 and r.json()["code"] == "posting_closed"
    assert r.json()["message"] == "该岗位已停止招聘"


def test_api_apply_unknown_posting_is_404(client, seeker):
    client.force_login(seeker.user)
    assert client.post("/api/v1/jobs/999999/apply").status_code == 404


def test_api_apply_without_profile_is_404(client, outsider, posting):
    client.force_login(outsider)
    assert client.post(f"/api/v1/jobs/{posting.pk}/apply").json()["code"] == "no_profile"


def test_api_apply_with_bearer_token(client, seeker, posting, token_for):
    r = client.post(f"/api/v1/jobs/{posting.pk}/apply", **token_for(seeker.user))
    assert r.status_code == 201


def test_api_my_applications_only_mine(client, seeker, seeker_a2, posting):
    Application.objects.create(seeker=seeker, posting=posting)
    from hongniang.testing import factories as f

    Application.objects.create(seeker=seeker_a2, posting=f.JobPostingFactory(title="保洁"))
    client.force_login(seeker.user)
    rows = client.get("/api/v1/me/applications").json()
    assert [r["posting_title"] for r in rows] == ["缝纫工"]


def test_api_my_applications_anonymous_401(client, db):
    assert client.get("/api/v1/me/applications").status_code == 401


def test_api_withdraw_own(client, seeker, posting):
    a = Application.objects.create(seeker=seeker, posting=posting)
    client.force_login(seeker.user)
    r = client.post(f"/api/v1/applications/{a.pk}/withdraw", json.dumps({"reason": "不去了"}),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"


def test_api_withdraw_others_is_404(client, seeker_a2, posting, seeker):
    a = Application.objects.create(seeker=seeker_a2, posting=posting)
    client.force_login(seeker.user)
    assert client.post(f"/api/v1/applications/{a.pk}/withdraw").status_code == 404
    a.refresh_from_db()
    assert a.status == "applied"


def test_api_withdraw_twice_is_422(client, seeker, posting):
    a = Application.objects.create(seeker=seeker, posting=posting, status="withdrawn")
    client.force_login(seeker.user)
    assert client.post(f"/api/v1/applications/{a.pk}/withdraw").status_code == 422
