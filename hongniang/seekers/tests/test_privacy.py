"""PIPL: download my data, delete my account, consent records on my page, no personal data in URLs."""

from __future__ import annotations

import json

import pytest

from hongniang.applications import services as app_services
from hongniang.applications.models import Application
from hongniang.core.models import AuditEvent, User
from hongniang.flows.accounts import delete_account, export_my_data
from hongniang.notifications.services import notify
from hongniang.seekers import services
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f


@pytest.fixture
def applied(seeker, posting, hr):
    a = app_services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    app_services.application_contact(actor=hr, application=a)
    notify(recipient=seeker.user, template="text", context={"title": "欢迎", "text": "欢迎使用"})
    return a


def test_export_contains_profile_consents_applications_history_notifications(client, seeker_user, seeker, applied):
    client.force_login(seeker_user)
    r = client.get("/me/data/export/")
    assert r["Content-Disposition"].startswith("attachment") and r["Cache-Control"] == "no-store"
    data = json.loads(r.content)
    assert data["profile"]["name"] == "刘小红" and data["profile"]["phone"] == "13900000001"
    assert data["profile"]["id_number"] == seeker.reveal_id_number() and len(data["profile"]["id_number"]) == 18
    assert [c["channel"] for c in data["consents"]] == ["online", "online"]
    assert [h["to"] for h in data["applications"][0]["history"]] == ["applied", "contacted"]
    assert [n["title"] for n in data["notifications"]] == ["企业已联系您", "欢迎"]
    assert AuditEvent.objects.filter(action="seeker.export", actor=seeker_user).count() == 1


def test_export_api(client, seeker_user, applied):
    client.force_login(seeker_user)
    body = client.get("/api/v1/me/export").json()
    assert body["applications"][0]["status"] == "contacted"


def test_export_only_for_the_seeker_themself(seeker, staff_a):
    from hongniang.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        export_my_data(actor=staff_a, seeker=seeker)


def test_my_data_page_lists_consents(client, seeker_user, applied):
    client.force_login(seeker_user)
    body = client.get("/me/data/").content.decode()
    assert "授权同意记录" in body and "报名「缝纫工」" in body and "本人线上报名" in body
    assert "我的数据与隐私" in client.get("/me/").content.decode()


def test_delete_refused_with_wrong_password(client, seeker_user, seeker):
    client.force_login(seeker_user)
    body = client.post("/me/delete/", {"password": "wrong"}).content.decode()
    assert "密码不正确" in body
    seeker.refresh_from_db()
    assert seeker.name == "刘小红"


def test_delete_anonymises_and_keeps_statistics(client, seeker_user, seeker, applied, hr):
    id_hash, region, birth_year = seeker.id_number_hash, seeker.home_region_id, seeker.birth_year
    client.force_login(seeker_user)
    r = client.post("/me/delete/", {"password": "secret-pass-1"})
    assert r.status_code == 302
    seeker.refresh_from_db()
    assert (seeker.name, seeker.phone, seeker.id_number_encrypted, seeker.id_number_hash, seeker.id_number_masked) \
        == ("已注销", "", "", None, "")
    assert seeker.user is None and not seeker.is_active and id_hash
    assert (seeker.home_region_id, seeker.birth_year) == (region, birth_year)
    user = User.objects.get(pk=seeker_user.pk)
    assert not user.is_active and not user.has_usable_password() and user.phone is None
    assert user.username.startswith("deleted-") and user.display_name == "已注销"
    a = Application.objects.get(pk=applied.pk)
    assert a.status == "withdrawn" and a.seeker_id == seeker.pk
    assert not user.notifications.exists()
    assert AuditEvent.objects.filter(action="account.delete").exists()
    # logged out, and the old login no longer works
    assert client.get("/me/").status_code == 302
    assert not client.login(username="13900000001", password="secret-pass-1")
    # the enterprise now sees nothing identifying
    client.force_login(hr)
    assert "13900000001" not in client.get(f"/enterprise/jobs/{applied.posting_id}/applicants/").content.decode()


def test_same_person_can_register_again_after_deletion(seeker_user, seeker, staff_a, id_number):
    raw = seeker.reveal_id_number()
    delete_account(user=seeker_user, password="secret-pass-1")
    assert Seeker.objects.filter(id_number_hash__isnull=False, pk=seeker.pk).count() == 0
    assert services.seeker_find_by_id_number(raw) is None


def test_delete_needs_a_password_first_for_quick_apply_accounts(db, regions):
    from hongniang.core.errors import InvalidInput

    user = f.UserFactory(username="13600000006", phone="13600000006")
    user.set_unusable_password()
    user.save()
    with pytest.raises(InvalidInput) as exc:
        delete_account(user=user, password="")
    assert exc.value.code == "no_password"


def test_delete_api(client, seeker_user, seeker):
    client.force_login(seeker_user)
    r = client.post("/api/v1/me/delete", {"password": "nope"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "wrong_password"
    r = client.post("/api/v1/me/delete", {"password": "secret-pass-1"}, content_type="application/json")
    assert r.status_code == 204
    seeker.refresh_from_db()
    assert seeker.name == "已注销"


def test_staff_search_form_posts_and_get_query_is_ignored(client, staff_a, seeker, seeker_a2):
    client.force_login(staff_a)
    body = client.get("/me/staff/", {"q": "13900000001"}).content.decode()
    assert '<form method="post" class="filters" role="search">' in body
    assert seeker_a2.name in body  # the GET query did not filter: it is ignored


def test_staff_search_api_takes_the_query_in_the_body(client, staff_a, seeker, seeker_a2):
    client.force_login(staff_a)
    rows = client.post("/api/v1/staff/seekers/search", {"q": "13900000001"}, content_type="application/json").json()
    assert [r["id"] for r in rows] == [seeker.pk] and rows[0]["phone_masked"] == "139****0001"
