"""The staff screen for profiles with the same ID number (issue 13): a self-entered number that collides is
listed for staff of either profile's point and the bureau, masked; "是同一人" and "不是同一人" clear the
self-entered number (never the one staff registered), tell its owner, and write one audit row."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from hongniang.core.models import AuditEvent
from hongniang.notifications.models import Notification, SmsMessage
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

PAGE = "/me/staff/id-conflicts/"
RESOLVE = "/me/staff/id-conflicts/resolve/"


@pytest.fixture
def holder(point_a, regions, occupations):
    """Registered by staff of point A from the ID card."""
    return f.SeekerFactory(name="钟秀英", phone="13712340000", service_point=point_a,
                           id_number=f.valid_id_number(41, female=True))


@pytest.fixture
def claimant(client, holder, regions, occupations):
    """A self-registered account that typed the holder's number (PATCH /api/v1/me)."""
    user = f.UserFactory(username="13855550000", phone="13855550000")
    f.SeekerFactory(user=user, name="钟秀英", phone="13855550000", id_number=None, id_number_encrypted="",
                    id_number_hash=None, id_number_masked="", service_point=None)
    c = Client()
    c.force_login(user)
    r = c.patch("/api/v1/me", json.dumps({"id_number": holder.reveal_id_number()}),
                content_type="application/json")
    assert r.status_code == 200
    return Seeker.objects.get(user=user)


def _resolve(client, holder, claimant, decision, keep=None):
    return client.post(RESOLVE, {"pair": f"{holder.pk}-{claimant.pk}", "keep": (keep or holder).pk,
                                 "decision": decision})


def test_staff_of_the_point_see_the_pair_masked_with_a_count_on_the_desk(client, staff_a, holder, claimant):
    client.force_login(staff_a)
    desk = client.get("/me/staff/").content.decode()
    assert PAGE in desk and '身份证号待核对 <span class="tag">1</span>' in desk
    body = client.get(PAGE).content.decode()
    number = holder.reveal_id_number()
    assert holder.id_number_masked in body and number not in body
    assert "137****0000" in body and "138****0000" in body and "13855550000" not in body
    assert "钟秀英" not in body and "姓名相同" in body and "手机号不同" in body


def test_the_list_is_for_staff_of_either_point_and_the_bureau_only(client, staff_b, bureau, holder, claimant, seeker,
                                                                   hr):
    client.force_login(bureau)
    assert holder.id_number_masked in client.get(PAGE).content.decode()
    client.force_login(staff_b)
    body = client.get(PAGE).content.decode()
    assert holder.id_number_masked not in body and "没有待核对" in body
    for user in (seeker.user, hr, claimant.user):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403


def test_not_the_same_person_clears_the_typed_number_and_asks_its_owner_to_recheck(client, staff_a, holder, claimant):
    client.force_login(staff_a)
    r = _resolve(client, holder, claimant, "not_same_person")
    assert r.status_code == 302 and r.url == PAGE
    claimant.refresh_from_db()
    holder.refresh_from_db()
    assert claimant.id_number_encrypted == "" and claimant.id_number_claim_hash == "" and not claimant.id_number_masked
    assert holder.id_number_hash and holder.reveal_id_number() == f.valid_id_number(41, female=True)
    note = Notification.objects.get(recipient=claimant.user, template="id_number_recheck")
    assert "重新填写" in note.body
    assert SmsMessage.objects.filter(phone="13855550000", template="id_number_recheck").exists()
    row = AuditEvent.objects.get(action="seeker.id_conflict_resolve")
    assert row.actor == staff_a and row.detail["decision"] == "not_same_person" and row.detail["keep"] == holder.pk
    assert "没有待核对" in client.get(PAGE).content.decode()


def test_same_person_keeps_the_verified_record_and_moves_nothing_else(client, bureau, holder, claimant, posting):
    from hongniang.applications.models import Application

    Application.objects.create(seeker=claimant, posting=posting)
    client.force_login(bureau)
    _resolve(client, holder, claimant, "same_person")
    claimant.refresh_from_db()
    assert claimant.id_number_claim_hash == "" and claimant.user_id  # the account stays the owner's
    assert Application.objects.get().seeker == claimant  # nothing moved under the enterprise
    note = Notification.objects.get(recipient=claimant.user, template="id_number_same_person")
    assert "象湖镇就业之家" in note.body


def test_a_registered_number_is_never_taken_away_here(client, staff_a, holder, claimant):
    client.force_login(staff_a)
    _resolve(client, holder, claimant, "not_same_person", keep=claimant)
    holder.refresh_from_db()
    claimant.refresh_from_db()
    assert holder.id_number_hash and claimant.id_number_claim_hash  # refused: the holder's number stays
    assert not AuditEvent.objects.filter(action="seeker.id_conflict_resolve").exists()


def test_two_typed_numbers_staff_say_which_one_keeps_it(client, bureau, claimant, regions, occupations):
    other_user = f.UserFactory(username="13866660000", phone="13866660000")
    number = f.valid_id_number(77)
    first = f.SeekerFactory(user=other_user, id_number=None, id_number_encrypted="", id_number_hash=None,
                            id_number_masked="", service_point=None)
    for s in (first, claimant):
        c = Client()
        c.force_login(s.user)
        assert c.patch("/api/v1/me", json.dumps({"id_number": number}), content_type="application/json").status_code == 200
    client.force_login(bureau)
    assert Seeker.mask(number) in client.get(PAGE).content.decode()
    first.refresh_from_db()
    claimant.refresh_from_db()
    older, newer = sorted((first, claimant), key=lambda s: (s.created_at, s.pk))
    client.post(RESOLVE, {"pair": f"{older.pk}-{newer.pk}", "keep": newer.pk, "decision": "not_same_person"})
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.id_number_claim_hash == "" and newer.id_number_claim_hash


def test_other_staff_hr_and_seekers_cannot_resolve(client, staff_b, hr, holder, claimant):
    for user in (staff_b, claimant.user):
        client.force_login(user)
        _resolve(client, holder, claimant, "not_same_person")
    client.force_login(hr)
    assert _resolve(client, holder, claimant, "not_same_person").status_code == 403
    claimant.refresh_from_db()
    assert claimant.id_number_claim_hash
    assert not AuditEvent.objects.filter(action="seeker.id_conflict_resolve").exists()


def test_the_page_writes_nothing_and_resolving_needs_csrf(staff_a, holder, claimant):
    c = Client(enforce_csrf_checks=True)
    c.force_login(staff_a)
    before = AuditEvent.objects.count()
    assert c.get(PAGE).status_code == 200 and AuditEvent.objects.count() == before
    assert c.get(RESOLVE).status_code == 405
    assert _resolve(c, holder, claimant, "not_same_person").status_code == 403
    claimant.refresh_from_db()
    assert claimant.id_number_claim_hash


def test_a_bad_decision_is_refused_in_chinese(client, staff_a, holder, claimant):
    client.force_login(staff_a)
    r = client.post(RESOLVE, {"pair": f"{holder.pk}-{claimant.pk}", "keep": holder.pk, "decision": "x"},
                    follow=True)
    assert "请选择处理方式" in r.content.decode()
    claimant.refresh_from_db()
    assert claimant.id_number_claim_hash


API = "/api/v1/staff/id-conflicts"


def test_the_api_lists_the_same_pairs_masked(client, staff_a, staff_b, hr, holder, claimant):
    client.force_login(staff_a)
    [row] = client.get(API).json()
    assert row["keep"]["id"] == holder.pk and row["keep"]["registered"] is True
    assert row["drop"]["id"] == claimant.pk and row["drop"]["service_point_name"] == ""
    assert row["drop"]["phone_masked"] == "138****0000" and row["same_name"] is True
    assert holder.reveal_id_number() not in json.dumps(row) and "13712340000" not in json.dumps(row)
    client.force_login(staff_b)
    assert client.get(API).json() == []
    for user in (hr, claimant.user):
        client.force_login(user)
        assert client.get(API).status_code == 403


def _api_resolve(client, holder, claimant, decision="not_same_person"):
    return client.post(f"{API}/resolve", {"keep_id": holder.pk, "drop_id": claimant.pk, "decision": decision},
                       content_type="application/json")


def test_the_api_resolves_through_the_same_service(client, staff_a, staff_b, holder, claimant):
    client.force_login(staff_b)
    assert _api_resolve(client, holder, claimant).status_code == 404  # not a pair of point B's
    client.force_login(staff_a)
    r = _api_resolve(client, holder, claimant, decision="maybe")
    assert r.status_code == 422 and r.json()["message"] == "请选择处理方式"
    r = _api_resolve(client, holder, claimant)
    assert r.status_code == 200 and r.json()["drop_id"] == claimant.pk
    claimant.refresh_from_db()
    assert claimant.id_number_claim_hash == ""
    assert AuditEvent.objects.filter(action="seeker.id_conflict_resolve", actor=staff_a).count() == 1
    assert _api_resolve(client, holder, claimant).status_code == 404  # settled: gone from the list
