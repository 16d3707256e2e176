"""Issue 13 item 2, performed: finding full ID numbers through PATCH /api/v1/me. A 409 "该身份证号已登记" for
exactly the registered candidate revealed the number and that the person is a registered seeker; a 200 bound a
number to the attacker's profile and blocked staff from registering the real person. Now self-entered numbers
are accepted the same way whatever they are, flagged for staff when they collide, never block a registration,
and changes are rate-limited."""

from __future__ import annotations

import json

import pytest

from hongniang.notifications.models import Notification
from hongniang.seekers.models import Seeker
from hongniang.seekers.selectors import id_number_conflicts
from hongniang.testing import factories as f


def _patch(client, data):
    return client.patch("/api/v1/me", json.dumps(data), content_type="application/json")


@pytest.fixture
def attacker(regions, occupations):
    user = f.UserFactory(username="13855550000", phone="13855550000")
    f.SeekerFactory(user=user, name="某人", phone="13855550000", id_number=None, id_number_encrypted="",
                    id_number_hash=None, id_number_masked="", service_point=None)
    return user


@pytest.fixture
def victim(point_a):
    return f.SeekerFactory(name="钟大姐", phone="13712340000", service_point=point_a,
                           id_number=f.valid_id_number(41, female=True))


def test_the_registered_number_gets_the_same_answer_as_any_other(client, attacker, victim, bureau):
    client.force_login(attacker)
    registered = victim.reveal_id_number()
    free = f.valid_id_number(42, female=True)
    r1 = _patch(client, {"id_number": free})
    r2 = _patch(client, {"id_number": registered})
    assert r1.status_code == r2.status_code == 200
    assert set(r1.json()) == set(r2.json()) and r2.json()["id_number_masked"] == Seeker.mask(registered)
    assert "已登记" not in r2.content.decode()
    victim.refresh_from_db()
    assert victim.reveal_id_number() == registered and victim.id_number_hash  # untouched
    mine = Seeker.objects.get(user=attacker)
    assert mine.id_number_hash is None and mine.id_number_claim_hash  # not a registration
    # flagged for staff and the bureau
    assert list(id_number_conflicts(bureau)) == [mine]
    assert Notification.objects.filter(recipient=bureau, template="id_number_conflict").exists()


def test_a_typed_number_does_not_block_staff_from_registering_the_real_person(client, attacker, staff_a, regions):
    real = f.valid_id_number(43)
    client.force_login(attacker)
    assert _patch(client, {"id_number": real}).status_code == 200
    client.force_login(staff_a)
    r = client.post("/api/v1/staff/seekers", json.dumps({
        "name": "赖秀英", "id_number": real, "phone": "13711110000", "home_region_code": "360781100201",
        "consent_channel": "paper"}), content_type="application/json")
    assert r.status_code == 201, r.json()
    registered = Seeker.objects.get(pk=r.json()["id"])
    assert registered.id_number_hash and registered.reveal_id_number() == real


def test_trying_numbers_is_rate_limited(client, attacker, regions):
    client.force_login(attacker)
    codes = [_patch(client, {"id_number": f.valid_id_number(50 + i)}).status_code for i in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
