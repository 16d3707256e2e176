"""A contested credit code: someone registered a real company's code first; the company's HR files a claim with
its licence and the bureau decides. Pages, permissions, bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.core.models import AuditEvent, User
from hongniang.employers import services
from hongniang.employers.models import ClaimEvent, CreditCodeClaim, Enterprise, EnterpriseMembership
from hongniang.notifications.models import Notification
from hongniang.testing import factories as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def claimant(db):
    return f.UserFactory(username="13907970001", phone="13907970001")


def licence():
    return SimpleUploadedFile("licence.png", PNG, content_type="image/png")


def claim_data(enterprise, **kw):
    data = {"credit_code": enterprise.credit_code, "name": "瑞金市真实电子有限公司", "contact_name": "刘经理",
            "contact_phone": "13907970001", "note": "本单位从未在平台登记过", "licence": licence()}
    data.update(kw)
    return data


def file_claim(actor, enterprise, **kw):
    return services.credit_code_claim(actor=actor, **claim_data(enterprise, **kw))


def test_the_company_files_a_claim_and_both_sides_and_the_bureau_hear_of_it(claimant, enterprise, hr, bureau):
    claim = file_claim(claimant, enterprise)
    assert claim.status == "pending" and claim.licence_type == "png"
    assert [e.action for e in ClaimEvent.objects.filter(claim=claim)] == ["file"]
    assert Notification.objects.filter(recipient=bureau, template="credit_code_claimed").exists()
    assert Notification.objects.filter(recipient=hr, template="credit_code_claimed_member").exists()
    assert AuditEvent.objects.filter(action="credit_code_claim", actor=claimant).exists()
    assert not EnterpriseMembership.objects.filter(user=claimant).exists()  # nothing changes before the bureau


def test_granted_with_replace_the_claimant_manages_the_enterprise_and_the_squatter_does_not(
        claimant, enterprise, hr, bureau):
    Enterprise.objects.filter(pk=enterprise.pk).update(verification_status="unverified")  # the squatter's
    claim = file_claim(claimant, enterprise)
    services.claim_grant(actor=bureau, claim=claim, replace=True, reason="营业执照一致")
    members = set(EnterpriseMembership.objects.filter(enterprise=enterprise).values_list("user_id", flat=True))
    assert members == {claimant.pk}
    enterprise.refresh_from_db()
    assert enterprise.name == "瑞金市真实电子有限公司" and enterprise.contact_phone == "13907970001"
    assert [e.action for e in ClaimEvent.objects.filter(claim=claim).order_by("id")] == ["file", "grant"]
    assert Notification.objects.filter(recipient=claimant, template="credit_code_granted").exists()
    assert Notification.objects.filter(recipient=hr, template="credit_code_removed").exists()
    with pytest.raises(Conflict):  # decided once
        services.claim_reject(actor=bureau, claim=CreditCodeClaim.objects.get(pk=claim.pk), reason="重复")


def test_granted_without_replace_both_keep_it_and_a_verified_name_stays(claimant, enterprise, hr, bureau):
    Enterprise.objects.filter(pk=enterprise.pk).update(verification_status="verified")
    name = enterprise.name
    services.claim_grant(actor=bureau, claim=file_claim(claimant, enterprise), replace=True)
    enterprise.refresh_from_db()
    assert enterprise.name == name  # a verified enterprise's name came from its licence: the claim does not change it
    services.claim_grant(actor=bureau, claim=file_claim(f.UserFactory(), enterprise), replace=False)
    assert EnterpriseMembership.objects.filter(enterprise=enterprise).count() == 2


def test_rejected_needs_a_reason_and_changes_nothing(claimant, enterprise, hr, bureau):
    claim = file_claim(claimant, enterprise)
    with pytest.raises(InvalidInput):
        services.claim_reject(actor=bureau, claim=claim, reason="")
    services.claim_reject(actor=bureau, claim=claim, reason="营业执照名称与信用代码不符")
    assert CreditCodeClaim.objects.get(pk=claim.pk).status == "rejected"
    assert list(EnterpriseMembership.objects.filter(enterprise=enterprise).values_list("user_id", flat=True)) == [hr.pk]
    note = Notification.objects.get(recipient=claimant, template="credit_code_rejected")
    assert "营业执照名称与信用代码不符" in note.body


def test_only_the_bureau_decides(claimant, enterprise, hr, staff_a):
    claim = file_claim(claimant, enterprise)
    for who in (claimant, hr, staff_a):
        with pytest.raises(PermissionDeniedError):
            services.claim_grant(actor=who, claim=claim, replace=True)
    assert CreditCodeClaim.objects.get(pk=claim.pk).status == "pending"


@pytest.mark.parametrize("change,field", [
    ({"credit_code": "123456789012345678"}, "credit_code"),
    ({"name": ""}, "name"),
    ({"contact_phone": "12345"}, "contact_phone"),
    ({"licence": None}, "licence"),
    ({"licence": SimpleUploadedFile("x.png", b"<html>not an image", content_type="image/png")}, "licence"),
])
def test_bad_input_names_the_field_in_chinese_and_writes_nothing(claimant, enterprise, change, field):
    with pytest.raises(InvalidInput) as exc:
        file_claim(claimant, enterprise, **change)
    assert field in exc.value.errors
    assert all("\u4e00" <= ch <= "\u9fff" for ch in exc.value.errors[field][0] if ch.isalpha() and ord(ch) > 255)
    assert CreditCodeClaim.objects.count() == 0 and Notification.objects.count() == 0


def test_a_free_code_a_member_a_second_claim_and_a_fourth_open_claim_are_refused(claimant, enterprise, hr, regions):
    with pytest.raises(InvalidInput, match="还没有单位登记"):
        file_claim(claimant, enterprise, credit_code=f.valid_credit_code(4242))
    with pytest.raises(Conflict, match="已经是该单位"):
        file_claim(hr, enterprise)
    file_claim(claimant, enterprise)
    with pytest.raises(Conflict, match="已提交过"):
        file_claim(claimant, enterprise)
    others = [f.EnterpriseFactory(region=regions["xianghu"]) for _ in range(3)]
    file_claim(claimant, others[0])
    file_claim(claimant, others[1])
    with pytest.raises(Conflict, match="3 个核实申请"):
        file_claim(claimant, others[2])
    assert CreditCodeClaim.objects.filter(claimant=claimant).count() == 3


# ---- pages -------------------------------------------------------------------------------------------------


def test_logged_in_registration_of_a_taken_code_offers_the_claim(client, outsider, enterprise, regions):
    client.force_login(outsider)
    r = client.post(reverse("employers:register"), {
        "name": "瑞金市真实电子有限公司", "credit_code": enterprise.credit_code, "region_code": "360781103000",
        "contact_name": "刘经理", "contact_phone": "13907970002"})
    html = r.content.decode()
    assert r.status_code == 409 and "申请人社局核实" in html and reverse("employers:claim") in html
    assert Enterprise.objects.count() == 1


def test_claim_page_files_a_claim_and_lists_it_with_a_withdraw_button(client, claimant, enterprise):
    client.force_login(claimant)
    r = client.post(reverse("employers:claim"), claim_data(enterprise))
    assert r.status_code == 302
    page = client.get(reverse("employers:claim")).content.decode()
    assert "待人社局核实" in page and "撤回申请" in page
    claim = CreditCodeClaim.objects.get()
    client.post(reverse("employers:claim_withdraw", args=[claim.pk]))
    assert CreditCodeClaim.objects.get().status == "withdrawn"
    assert "撤回申请" not in client.get(reverse("employers:claim")).content.decode()


def test_claim_page_shows_chinese_errors_and_saves_nothing(client, claimant, enterprise):
    client.force_login(claimant)
    r = client.post(reverse("employers:claim"), claim_data(enterprise, licence=""))
    assert r.status_code == 422 and "请上传营业执照" in r.content.decode()
    assert CreditCodeClaim.objects.count() == 0


def test_claim_pages_need_a_login(client, enterprise):
    r = client.get(reverse("employers:claim"))
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_claim_licence_is_for_the_claimant_and_the_bureau_only(client, claimant, enterprise, hr, bureau, staff_a,
                                                              outsider):
    claim = file_claim(claimant, enterprise)
    url = reverse("employers:claim_licence", args=[claim.pk])
    for who, status in ((claimant, 200), (bureau, 200), (hr, 404), (staff_a, 404), (outsider, 404)):
        client.force_login(who)
        assert client.get(url).status_code == status, who
    client.logout()
    assert client.get(url).status_code == 302


def test_someone_else_cannot_withdraw_a_claim(client, claimant, enterprise, outsider):
    claim = file_claim(claimant, enterprise)
    client.force_login(outsider)
    assert client.post(reverse("employers:claim_withdraw", args=[claim.pk])).status_code == 404
    assert CreditCodeClaim.objects.get().status == "pending"


def test_bureau_queue_shows_both_licences_and_decides(client, claimant, enterprise, hr, bureau, staff_a):
    claim = file_claim(claimant, enterprise)
    for who in (hr, staff_a, claimant):
        client.force_login(who)
        assert client.get(reverse("moderation:claims")).status_code in (302, 403)
        client.post(reverse("moderation:claim_decide", args=[claim.pk]), {"action": "grant_replace"})
        assert CreditCodeClaim.objects.get().status == "pending"
    client.force_login(bureau)
    page = client.get(reverse("moderation:claims")).content.decode()
    assert "瑞金市真实电子有限公司" in page and enterprise.credit_code in page and "刘经理" in page
    assert reverse("employers:claim_licence", args=[claim.pk]) in page
    assert "信用代码核实申请" in client.get(reverse("moderation:index")).content.decode()
    r = client.post(reverse("moderation:claim_decide", args=[claim.pk]), {"action": "reject", "reason": ""})
    assert CreditCodeClaim.objects.get().status == "pending"  # a rejection needs a reason
    client.post(reverse("moderation:claim_decide", args=[claim.pk]), {"action": "grant_replace"})
    assert CreditCodeClaim.objects.get().status == "granted"
    assert set(enterprise.members.all()) == {User.objects.get(pk=claimant.pk)}
    assert r.status_code == 302


def test_after_a_grant_the_claim_page_offers_a_real_button_to_the_workspace(client, claimant, enterprise, hr, bureau):
    services.claim_grant(actor=bureau, claim=file_claim(claimant, enterprise), replace=True)
    client.force_login(claimant)
    html = client.get(reverse("employers:claim")).content.decode()
    # a styled 48 px button (class "btn"), not a bare link with a class the style sheet does not know
    assert f'<a class="btn" href="{reverse("employers:dashboard")}">' in html
