"""Seeker registration, updates and the audited full view (services)."""

from __future__ import annotations

import pytest
from django.db import connection

from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.core.models import AuditEvent
from hongniang.seekers import services
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f


def walk_in(actor, id_number, **kw):
    params = dict(actor=actor, name="钟春花", id_number=id_number, phone="13812345678",
                  home_region_code="360781103201", consent_channel="paper")
    params.update(kw)
    return services.seeker_register(**params)


def test_staff_registration_fills_birth_year_and_gender_from_id(staff_a, id_number):
    s = walk_in(staff_a, id_number)
    assert (s.birth_year, s.gender) == (1985, "M")


def test_female_id_number_gives_female_gender(staff_a, female_id_number):
    s = walk_in(staff_a, female_id_number)
    assert (s.birth_year, s.gender) == (1978, "F")


def test_staff_registration_puts_seeker_at_staff_point_with_consent_witness(staff_a, point_a, id_number):
    s = walk_in(staff_a, id_number, consent_channel="verbal")
    assert s.service_point == point_a
    assert s.consent_witness == staff_a and s.registered_by == staff_a
    assert s.consent_channel == "verbal" and s.consent_at is not None


def test_home_village_coordinates_are_copied(staff_a, id_number, regions):
    s = walk_in(staff_a, id_number)
    assert (s.lat, s.lon) == (regions["v_jiubao"].lat, regions["v_jiubao"].lon)


def test_bad_id_check_digit_is_refused_and_nothing_saved(staff_a, id_number):
    bad = id_number[:17] + ("0" if id_number[17] != "0" else "1")
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, bad)
    assert "校验位" in exc.value.errors["id_number"][0]
    assert Seeker.objects.count() == 0


def test_bad_phone_is_refused(staff_a, id_number):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, id_number, phone="12345")
    assert "phone" in exc.value.errors
    assert Seeker.objects.count() == 0


def test_unknown_region_is_refused(staff_a, id_number):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, id_number, home_region_code="360781999999")
    assert "home_region_code" in exc.value.errors


def test_county_is_not_a_home_village(staff_a, id_number):
    with pytest.raises(InvalidInput):
        walk_in(staff_a, id_number, home_region_code="360781000000")


def test_gender_contradicting_id_is_refused(staff_a, id_number):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, id_number, gender="F")
    assert exc.value.errors["gender"] == ["性别与身份证号码不一致"]


def test_birth_year_contradicting_id_is_refused(staff_a, id_number):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, id_number, birth_year=1990)
    assert "birth_year" in exc.value.errors


def test_every_problem_is_reported_at_once(staff_a):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, "123", phone="1", home_region_code="x")
    assert {"id_number", "phone", "home_region_code"} <= set(exc.value.errors)


def test_duplicate_id_is_found_not_duplicated(staff_a, staff_b, id_number):
    first = walk_in(staff_a, id_number)
    with pytest.raises(services.DuplicatePerson) as exc:
        walk_in(staff_b, id_number, name="别名", phone="13812345679")
    assert exc.value.existing == first
    assert exc.value.code == "duplicate_person" and exc.value.status == 409
    assert Seeker.objects.count() == 1


def test_find_by_id_number(staff_a, id_number):
    s = walk_in(staff_a, id_number)
    assert services.seeker_find_by_id_number(id_number.lower()) == s
    assert services.seeker_find_by_id_number(f.valid_id_number(555)) is None


def test_id_number_is_stored_encrypted_and_masked(staff_a, id_number):
    s = walk_in(staff_a, id_number)
    with connection.cursor() as cur:
        cur.execute("SELECT id_number_encrypted, id_number_hash, id_number_masked FROM seekers_seeker WHERE id = %s",
                    [s.pk])
        enc, digest, masked = cur.fetchone()
    assert id_number not in enc and id_number not in digest
    assert masked == id_number[:4] + "*" * 10 + id_number[-4:]
    assert Seeker.objects.get(pk=s.pk).reveal_id_number() == id_number


def test_desired_occupations_keep_order_and_must_exist(staff_a, id_number):
    s = walk_in(staff_a, id_number, desired_occupations=["4-09-08-01", "6-05-01-03"])
    assert s.desired_occupations == ["4-09-08-01", "6-05-01-03"]
    with pytest.raises(InvalidInput) as exc:
        services.seeker_update(actor=staff_a, seeker=s, desired_occupations=["9-99-99-99"])
    assert "desired_occupations" in exc.value.errors


def test_more_than_three_desired_occupations_refused(staff_a, id_number):
    with pytest.raises(InvalidInput):
        walk_in(staff_a, id_number, desired_occupations=["6-05-01-03", "6-05-01-02", "4-09-08-01", "6-25-04-01"])


def test_unknown_shift_refused(staff_a, id_number):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, id_number, acceptable_shifts=["night"])
    assert "acceptable_shifts" in exc.value.errors


def test_month_13_refused(staff_a, id_number):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, id_number, unavailable_months=[5, 13])
    assert "unavailable_months" in exc.value.errors


def test_months_are_sorted_and_unique(staff_a, id_number):
    s = walk_in(staff_a, id_number, unavailable_months=[10, 5, 5, 4])
    assert s.unavailable_months == [4, 5, 10]


def test_staff_registration_needs_consent_channel(staff_a, id_number):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, id_number, consent_channel="")
    assert "consent_channel" in exc.value.errors


def test_staff_cannot_record_online_consent_for_someone_else(staff_a, id_number):
    with pytest.raises(InvalidInput):
        walk_in(staff_a, id_number, consent_channel="online")


def test_staff_registration_requires_id_number(staff_a):
    with pytest.raises(InvalidInput) as exc:
        walk_in(staff_a, "")
    assert "id_number" in exc.value.errors


def test_staff_cannot_register_into_another_point(staff_b, point_a, id_number):
    with pytest.raises(PermissionDeniedError):
        walk_in(staff_b, id_number, service_point=point_a)


def test_outsider_cannot_register_someone_else(outsider, id_number):
    with pytest.raises(PermissionDeniedError):
        walk_in(outsider, id_number)


def test_registration_is_audited(staff_a, id_number):
    s = walk_in(staff_a, id_number)
    assert AuditEvent.objects.filter(action="seeker.register", actor=staff_a, target_id=str(s.pk)).exists()


def test_self_registration_without_id_number(outsider, regions, occupations):
    s = services.seeker_register(actor=outsider, user=outsider, name="肖一", id_number="", phone="13811112222",
                                 home_region_code="", consent_channel="online")
    assert s.user == outsider and s.id_number_hash is None and s.service_point is None


def test_account_register_requires_consent(db):
    with pytest.raises(InvalidInput) as exc:
        services.account_register(phone="13811112222", password="good-pass-1", consent=False)
    assert "consent" in exc.value.errors


def test_account_register_refuses_known_phone(seeker_user):
    from hongniang.notifications.phone_codes import phone_code_send

    code = phone_code_send(phone="13900000001", purpose=services.REGISTER_CODE_PURPOSE)
    with pytest.raises(Conflict) as exc:
        services.account_register(phone="13900000001", password="good-pass-1", consent=True, code=code)
    assert exc.value.code == "phone_registered"


def test_update_by_owner_validates_and_audits(seeker):
    services.seeker_update(actor=seeker.user, seeker=seeker, expected_pay=5000, home_region_code="360781103202")
    seeker.refresh_from_db()
    assert seeker.expected_pay == 5000 and seeker.home_region_id == "360781103202"
    ev = AuditEvent.objects.get(action="seeker.update")
    assert set(ev.detail["fields"]) >= {"expected_pay", "home_region"}


def test_update_rejects_bad_phone_and_saves_nothing(seeker):
    with pytest.raises(InvalidInput):
        services.seeker_update(actor=seeker.user, seeker=seeker, phone="999", expected_pay=7000)
    seeker.refresh_from_db()
    assert seeker.expected_pay == 4000


def test_update_gender_must_agree_with_stored_id(seeker):
    with pytest.raises(InvalidInput):
        services.seeker_update(actor=seeker.user, seeker=seeker, gender="F")


def test_update_by_staff_refuses_duplicate_id(staff_a, seeker, id_number):
    walk_in(staff_a, id_number)
    with pytest.raises(services.DuplicatePerson):
        services.seeker_update(actor=staff_a, seeker=seeker, id_number=id_number)


def test_update_by_the_seeker_takes_a_duplicate_id_as_a_claim_for_staff(staff_a, seeker, id_number):
    """Self-service never says a number is taken (issue 13 item 2); staff see the claim to check."""
    registered = walk_in(staff_a, id_number)
    services.seeker_update(actor=seeker.user, seeker=seeker, id_number=id_number)
    seeker.refresh_from_db()
    assert seeker.id_number_hash is None and seeker.id_number_claim_hash and seeker.reveal_id_number() == id_number
    registered.refresh_from_db()
    assert registered.id_number_hash


def test_other_point_staff_cannot_update(staff_b, seeker):
    with pytest.raises(PermissionDeniedError):
        services.seeker_update(actor=staff_b, seeker=seeker, expected_pay=1)


def test_reveal_returns_full_id_and_audits(staff_a, seeker):
    data = services.reveal_seeker(actor=staff_a, seeker=seeker, reason="电话联系")
    assert data["id_number"] == seeker.reveal_id_number() and len(data["id_number"]) == 18
    ev = AuditEvent.objects.get(action="seeker.view_full")
    assert ev.actor == staff_a and ev.target_id == str(seeker.pk) and ev.reason == "电话联系"


def test_reveal_refused_for_other_point_and_not_audited(staff_b, seeker):
    with pytest.raises(PermissionDeniedError):
        services.reveal_seeker(actor=staff_b, seeker=seeker, reason="")
    assert not AuditEvent.objects.filter(action="seeker.view_full").exists()


def test_enterprise_hr_sees_full_contact_only_after_seeker_applied(hr, seeker, posting):
    from hongniang.applications.services import application_apply

    with pytest.raises(PermissionDeniedError):
        services.reveal_seeker(actor=hr, seeker=seeker, reason="")
    application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    assert services.reveal_seeker(actor=hr, seeker=seeker, reason="联系面试")["phone"] == "13900000001"


def test_other_enterprise_hr_never_sees_applicant(other_hr, seeker, posting):
    from hongniang.applications.services import application_apply

    application_apply(seeker=seeker, posting=posting, actor=seeker.user)
    with pytest.raises(PermissionDeniedError):
        services.reveal_seeker(actor=other_hr, seeker=seeker, reason="")
