"""Who may see which seekers (hongniang.core.roles, seekers.selectors.visible_seekers), for every persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from hongniang.applications.models import Application
from hongniang.core import roles
from hongniang.seekers.selectors import visible_seekers
from hongniang.testing import factories as f


@pytest.fixture
def seeker_b(point_b, regions, occupations):
    return f.SeekerFactory(name="王九堡", service_point=point_b, home_region=regions["v_jiubao"])


def test_seeker_sees_only_own_profile(seeker, seeker_b):
    assert list(visible_seekers(seeker.user)) == [seeker]


def test_staff_sees_own_point_seekers_only(staff_a, staff_b, seeker, seeker_b):
    assert list(visible_seekers(staff_a)) == [seeker]
    assert list(visible_seekers(staff_b)) == [seeker_b]


def test_bureau_sees_everyone(bureau, seeker, seeker_b):
    assert set(visible_seekers(bureau)) == {seeker, seeker_b}


def test_outsider_and_anonymous_see_nobody(outsider, seeker):
    assert not visible_seekers(outsider).exists()
    assert not visible_seekers(AnonymousUser()).exists()


def test_hr_lists_nobody(hr, seeker):
    assert not visible_seekers(hr).exists()


def test_full_view_for_self_staff_of_point_and_bureau(seeker, staff_a, bureau):
    for user in (seeker.user, staff_a, bureau):
        assert roles.may_see_seeker_in_full(user, seeker)


def test_no_full_view_for_other_point_outsider_anonymous(seeker, staff_b, outsider):
    for user in (staff_b, outsider, AnonymousUser()):
        assert not roles.may_see_seeker_in_full(user, seeker)


def test_hr_full_view_only_after_seeker_applied_to_their_posting(hr, other_hr, seeker, posting):
    assert not roles.may_see_seeker_in_full(hr, seeker)
    Application.objects.create(seeker=seeker, posting=posting)
    assert roles.may_see_seeker_in_full(hr, seeker)
    assert not roles.may_see_seeker_in_full(other_hr, seeker)


def test_seeker_of_and_memberships(seeker, staff_a, point_a, hr, enterprise):
    assert roles.seeker_of(seeker.user) == seeker and roles.seeker_of(staff_a) is None
    assert roles.service_point_ids(staff_a) == [point_a.pk] and roles.is_staff_member(staff_a, point_a.pk)
    assert roles.enterprise_ids(hr) == [enterprise.pk] and roles.is_enterprise_hr(hr)
    assert roles.seeker_of(AnonymousUser()) is None and roles.service_point_ids(AnonymousUser()) == []
