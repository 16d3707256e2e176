"""Enterprise verification: licence upload (type by content, ≤ 5 MB), the bureau's decision, 6-month renewal,
expire_verifications, pages and API permissions."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.employers import services
from hongniang.employers.models import Enterprise, VerificationEvent, VerificationRequest
from hongniang.jobs import services as job_services
from hongniang.notifications.models import Notification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(content=PDF, name="licence.pdf", ctype="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=ctype)


def submit(actor, enterprise, **kw):
    kw.setdefault("credit_code", enterprise.credit_code)
    kw.setdefault("licence", upload())
    return services.verification_submit(actor=actor, enterprise=enterprise, **kw)


@pytest.mark.parametrize("content,name,kind", [(PDF, "a.pdf", "pdf"), (PNG, "photo.PNG", "png"),
                                               (JPG, "scan.jpeg", "jpg"), (PNG, "named-wrong.pdf", "png")])
def test_accepted_types_are_recognised_by_content(unverified_hr, unverified_enterprise, content, name, kind):
    req = submit(unverified_hr, unverified_enterprise, licence=upload(content, name))
    assert req.licence_type == kind and req.licence.name.endswith(f".{kind}")
    assert Enterprise.objects.get(pk=unverified_enterprise.pk).verification_status == "pending"


@pytest.mark.parametrize("content,name", [(b"MZ\x90\x00 not a pdf", "licence.pdf"), (b"GIF89a....", "x.png"),
                                          (b"<html>", "licence.jpg")])
def test_wrong_content_is_refused_whatever_the_name(unverified_hr, unverified_enterprise, content, name):
    with pytest.raises(InvalidInput) as exc:
        submit(unverified_hr, unverified_enterprise, licence=upload(content, name))
    assert "licence" in exc.value.errors and VerificationRequest.objects.count() == 0


def test_file_over_5_mb_is_refused(unverified_hr, unverified_enterprise):
    big = PDF + b"0" * (5 * 1024 * 1024)
    with pytest.raises(InvalidInput, match="5 MB"):
        submit(unverified_hr, unverified_enterprise, licence=upload(big))


def test_invalid_credit_code_is_refused(unverified_hr, unverified_enterprise):
    with pytest.raises(InvalidInput) as exc:
        submit(unverified_hr, unverified_enterprise, credit_code="91360781MA0000000X")
    assert "credit_code" in exc.value.errors


def test_only_own_hr_may_submit(other_hr, unverified_enterprise):
    with pytest.raises(PermissionDeniedError):
        submit(other_hr, unverified_enterprise)


def test_second_request_while_one_is_pending_is_refused(unverified_hr, unverified_enterprise):
    submit(unverified_hr, unverified_enterprise)
    with pytest.raises(Conflict):
        submit(unverified_hr, unverified_enterprise)


def test_bureau_approves_for_six_months_and_hr_is_told(unverified_hr, unverified_enterprise, bureau,
                                                       valid_posting_data):
    draft = job_services.posting_create(actor=unverified_hr, enterprise=unverified_enterprise,
                                        data=valid_posting_data)
    req = submit(unverified_hr, unverified_enterprise)
    services.verification_approve(reviewer=bureau, request=req)
    e = Enterprise.objects.get(pk=unverified_enterprise.pk)
    assert e.verification_status == "verified"
    assert e.verified_until == timezone.localdate() + dt.timedelta(days=182)
    assert [(v.action, v.from_status, v.to_status) for v in VerificationEvent.objects.filter(enterprise=e)] == [
        ("submit", "unverified", "pending"), ("approve", "pending", "verified")]
    assert Notification.objects.filter(recipient=unverified_hr, template="verification_approved").exists()
    # now the draft can be submitted
    assert job_services.posting_submit(actor=unverified_hr, posting=draft).status == "published"


def test_bureau_rejects_with_reason(unverified_hr, unverified_enterprise, bureau):
    req = submit(unverified_hr, unverified_enterprise)
    with pytest.raises(InvalidInput):
        services.verification_reject(reviewer=bureau, request=req, reason="")
    services.verification_reject(reviewer=bureau, request=req, reason="执照照片看不清")
    e = Enterprise.objects.get(pk=unverified_enterprise.pk)
    assert e.verification_status == "rejected"
    assert VerificationRequest.objects.get().reason == "执照照片看不清"
    # and may try again
    submit(unverified_hr, unverified_enterprise)


def test_hr_cannot_decide(unverified_hr, unverified_enterprise):
    req = submit(unverified_hr, unverified_enterprise)
    with pytest.raises(PermissionDeniedError):
        services.verification_approve(reviewer=unverified_hr, request=req)
    with pytest.raises(PermissionDeniedError):
        services.verification_reject(reviewer=unverified_hr, request=req, reason="x")


def test_decided_request_cannot_be_decided_again(unverified_hr, unverified_enterprise, bureau):
    req = submit(unverified_hr, unverified_enterprise)
    services.verification_approve(reviewer=bureau, request=req)
    with pytest.raises(Conflict):
        services.verification_reject(reviewer=bureau, request=req, reason="x")


def test_renewal_only_in_the_last_30_days(hr, enterprise, bureau):
    enterprise.verified_until = timezone.localdate() + dt.timedelta(days=100)
    enterprise.save()
    with pytest.raises(Conflict):
        submit(hr, enterprise)
    enterprise.verified_until = timezone.localdate() + dt.timedelta(days=10)
    enterprise.save()
    req = submit(hr, enterprise)
    assert Enterprise.objects.get(pk=enterprise.pk).verification_status == "verified"  # stays verified meanwhile
    services.verification_approve(reviewer=bureau, request=req)
    assert Enterprise.objects.get(pk=enterprise.pk).verified_until == \
        timezone.localdate() + dt.timedelta(days=10 + 182)


# ---------------------------------------------------------------- expire_verifications


def _run(*args) -> str:
    out = StringIO()
    call_command("expire_verifications", *args, stdout=out)
    return out.getvalue()


def test_overdue_verification_becomes_due_and_submit_is_refused(hr, enterprise, valid_posting_data):
    enterprise.verified_until = timezone.localdate() - dt.timedelta(days=1)
    enterprise.save()
    assert "DRY RUN" in _run()
    assert Enterprise.objects.get(pk=enterprise.pk).verification_status == "verified"
    _run("--wet-run")
    e = Enterprise.objects.get(pk=enterprise.pk)
    assert e.verification_status == "due"
    assert VerificationEvent.objects.filter(enterprise=e, action="expire", from_status="verified",
                                            to_status="due", actor=None).exists()
    assert Notification.objects.filter(recipient=hr, template="verification_due").count() == 1
    p = job_services.posting_create(actor=hr, enterprise=e, data=valid_posting_data)
    assert p.status == "draft"  # re-verification due: can draft, not publish


def test_expiring_verification_is_warned_once(hr, enterprise):
    enterprise.verified_until = timezone.localdate() + dt.timedelta(days=7)
    enterprise.save()
    _run("--wet-run")
    _run("--wet-run")
    assert Notification.objects.filter(recipient=hr, template="verification_expiring").count() == 1
    assert Enterprise.objects.get(pk=enterprise.pk).verification_status == "verified"


# ---------------------------------------------------------------- pages


def test_verification_page_uploads_a_licence(client, unverified_hr, unverified_enterprise):
    client.force_login(unverified_hr)
    url = reverse("employers:verification")
    assert "上传营业执照" in client.get(url).content.decode()
    r = client.post(url, {"enterprise": unverified_enterprise.pk, "credit_code": unverified_enterprise.credit_code,
                          "licence": upload()})
    assert r.status_code == 302
    assert "认证审核中" in client.get(r.url).content.decode()


def test_verification_page_shows_the_type_error(client, unverified_hr, unverified_enterprise):
    client.force_login(unverified_hr)
    r = client.post(reverse("employers:verification"), {
        "credit_code": unverified_enterprise.credit_code, "licence": upload(b"hello", "licence.pdf")})
    assert r.status_code == 422 and "PDF、JPG 或 PNG" in r.content.decode()


def test_licence_file_is_for_own_hr_and_bureau_only(client, unverified_hr, unverified_enterprise, other_hr, bureau):
    req = submit(unverified_hr, unverified_enterprise)
    url = reverse("employers:licence", args=[req.pk])
    assert client.get(url).status_code == 302  # login
    client.force_login(other_hr)
    assert client.get(url).status_code == 404
    client.force_login(bureau)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and b"".join(r.streaming_content) == PDF


def test_bureau_queue_page_approves(client, unverified_hr, unverified_enterprise, bureau, hr):
    req = submit(unverified_hr, unverified_enterprise)
    client.force_login(hr)
    assert client.get(reverse("moderation:verifications")).status_code == 403
    client.force_login(bureau)
    page = client.get(reverse("moderation:verifications")).content.decode()
    assert unverified_enterprise.name in page
    r = client.post(reverse("moderation:verification_decide", args=[req.pk]), {"action": "approve"})
    assert r.status_code == 302
    assert Enterprise.objects.get(pk=unverified_enterprise.pk).verification_status == "verified"


# ---------------------------------------------------------------- API


def test_api_upload_and_decide(client, unverified_hr, unverified_enterprise, bureau):
    url = f"/api/v1/enterprises/{unverified_enterprise.pk}/verification"
    assert client.post(url, {"credit_code": "x"}).status_code == 401
    client.force_login(unverified_hr)
    r = client.post(url, {"credit_code": unverified_enterprise.credit_code, "licence": upload(PNG, "a.png")})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["licence_type"] == "png" and r.json()["status"] == "pending"
    assert client.get(url).json()["verification_status"] == "pending"
    r = client.post(f"/api/v1/verifications/{rid}/approve", "{}", content_type="application/json")
    assert r.status_code == 403, r.content
    assert client.get("/api/v1/verifications").status_code == 403
    client.force_login(bureau)
    assert client.get("/api/v1/verifications").json()["count"] == 1
    r = client.post(f"/api/v1/verifications/{rid}/reject", json.dumps({"reason": ""}),
                    content_type="application/json")
    assert r.status_code == 422
    r = client.post(f"/api/v1/verifications/{rid}/approve", "{}", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    client.force_login(unverified_hr)
    body = client.get(url).json()
    assert body["verification_status"] == "verified" and body["verified_until"]
    assert [e["action"] for e in body["events"]] == ["submit", "approve"]


def test_api_upload_of_wrong_type_is_422(client, unverified_hr, unverified_enterprise):
    client.force_login(unverified_hr)
    r = client.post(f"/api/v1/enterprises/{unverified_enterprise.pk}/verification",
                    {"credit_code": unverified_enterprise.credit_code, "licence": upload(b"text", "a.pdf")})
    assert r.status_code == 422 and "licence" in r.json()["errors"]


def test_api_status_of_another_enterprise_is_403(client, other_hr, enterprise):
    client.force_login(other_hr)
    assert client.get(f"/api/v1/enterprises/{enterprise.pk}/verification").status_code == 403
