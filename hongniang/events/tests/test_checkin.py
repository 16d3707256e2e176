"""At the door: a second check-in, a wrong code, an event not today or over: a clear Chinese message, nothing
written. A walk-in is registered and checked in at once."""

from __future__ import annotations

import datetime as dt

import pytest

from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.events import services
from hongniang.events.models import Registration, RegistrationChange, RegistrationStatus
from hongniang.flows.event_walk_in import walk_in_register
from hongniang.seekers.models import Seeker

from .conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(today_event, seeker):
    return services.registration_create(actor=seeker.user, event=today_event, seeker=seeker)


def _changes():
    return RegistrationChange.objects.count()


def test_check_in_by_typed_code_ignores_case_and_spaces(today_event, reg, staff_a):
    typed = " ".join(reg.code.lower())
    done = services.registration_check_in(actor=staff_a, event=today_event, code=typed)
    assert done.status == RegistrationStatus.CHECKED_IN and done.checked_in_at is not None
    assert done.checked_in_by == staff_a


def test_a_second_check_in_says_when_and_writes_nothing(today_event, reg, staff_a):
    services.registration_check_in(actor=staff_a, event=today_event, code=reg.code)
    before = _changes()
    with pytest.raises(Conflict) as exc:
        services.registration_check_in(actor=staff_a, event=today_event, code=reg.code)
    assert exc.value.code == "already_checked_in" and "无需重复签到" in exc.value.message
    assert _changes() == before


def test_a_wrong_code_is_refused_and_nothing_written(today_event, reg, staff_a):
    wrong = "ABCDEF" if reg.code != "ABCDEF" else "ABCDEG"
    with pytest.raises(NotFoundError) as exc:
        services.registration_check_in(actor=staff_a, event=today_event, code=wrong)
    assert "签到码" in exc.value.message
    with pytest.raises(InvalidInput):
        services.registration_check_in(actor=staff_a, event=today_event, code="12")
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.REGISTERED


def test_a_code_of_another_event_is_wrong_here(today_event, staff_a, point_a, seeker):
    other = make_event(staff_a, point_a, title="另一场")
    reg = services.registration_create(actor=seeker.user, event=other, seeker=seeker)
    with pytest.raises(NotFoundError):
        services.registration_check_in(actor=staff_a, event=today_event, code=reg.code)


def test_check_in_on_another_day_is_refused(event, seeker, staff_a):
    reg = services.registration_create(actor=seeker.user, event=event, seeker=seeker)
    with pytest.raises(Conflict) as exc:
        services.registration_check_in(actor=staff_a, event=event, code=reg.code)
    assert exc.value.code == "not_today" and "不在今天" in exc.value.message
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.REGISTERED


def test_check_in_after_the_end_is_refused(staff_a, point_a, seeker):
    ev = make_event(staff_a, point_a, starts_in=-dt.timedelta(hours=3), hours=4)
    reg = services.registration_create(actor=seeker.user, event=ev, seeker=seeker)
    ev.ends_at = ev.starts_at + dt.timedelta(hours=2, minutes=59)
    ev.save(update_fields=["ends_at"])
    with pytest.raises(Conflict) as exc:
        services.registration_check_in(actor=staff_a, event=ev, code=reg.code)
    assert exc.value.code == "event_over" and "已结束" in exc.value.message
    assert Registration.objects.get(pk=reg.pk).status == RegistrationStatus.REGISTERED


def test_only_the_organiser_checks_people_in(today_event, reg, staff_b, hr, seeker):
    for outsider in (staff_b, hr, seeker.user):
        with pytest.raises(PermissionDeniedError):
            services.registration_check_in(actor=outsider, event=today_event, code=reg.code)


def test_a_walk_in_is_registered_and_checked_in_in_one_step(today_event, staff_a, occupations):
    reg, created = walk_in_register(actor=staff_a, event=today_event, name="钟大山", phone="13707970011",
                                    desired_occupations=["6-05-01-03"], consent_confirmed=True)
    assert created and reg.status == RegistrationStatus.CHECKED_IN and reg.channel == "walk_in"
    seeker = Seeker.objects.get(phone="13707970011")
    assert seeker.desired_occupations == ["6-05-01-03"] and seeker.consent_channel == "verbal"
    assert seeker.service_point_id == today_event.organiser_point_id


def test_a_walk_in_with_a_bad_phone_saves_nothing(today_event, staff_a):
    with pytest.raises(InvalidInput):
        walk_in_register(actor=staff_a, event=today_event, name="钟大山", phone="12345", consent_confirmed=True)
    assert not Seeker.objects.filter(name="钟大山").exists()
    assert not Registration.objects.exists()


def test_a_walk_in_needs_consent(today_event, staff_a):
    with pytest.raises(InvalidInput):
        walk_in_register(actor=staff_a, event=today_event, name="钟大山", phone="13707970011",
                         consent_confirmed=False)
    assert not Seeker.objects.filter(phone="13707970011").exists()
