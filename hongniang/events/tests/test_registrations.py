"""Registration limits: capacity, bus seats, repeats, who may register whom, and the day-before SMS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.core.errors import Conflict, PermissionDeniedError
from hongniang.events import services
from hongniang.events.models import Registration, RegistrationChannel, RegistrationStatus
from hongniang.notifications.models import SmsMessage
from hongniang.testing import factories as f

from .conftest import make_event

pytestmark = pytest.mark.django_db


def test_a_seeker_registers_in_one_tap_and_gets_a_six_character_code(event, seeker):
    reg = services.registration_create(actor=seeker.user, event=event, seeker=seeker)
    assert reg.created and len(reg.code) == 6 and reg.code.isalnum() and reg.code.upper() == reg.code
    assert not set(reg.code) & set("01OIL")


def test_tapping_twice_returns_the_same_registration(event, seeker):
    a = services.registration_create(actor=seeker.user, event=event, seeker=seeker)
    b = services.registration_create(actor=seeker.user, event=event, seeker=seeker)
    assert a.pk == b.pk and a.code == b.code and not b.created
    assert Registration.objects.count() == 1


def test_a_full_event_refuses_and_writes_nothing(staff_a, point_a, seeker, regions):
    small = make_event(staff_a, point_a, capacity=1)
    other = f.SeekerFactory(service_point=point_a)
    services.registration_create(actor=staff_a, event=small, seeker=other, channel=RegistrationChannel.STAFF)
    with pytest.raises(Conflict) as exc:
        services.registration_create(actor=seeker.user, event=small, seeker=seeker)
    assert exc.value.code == "full" and "已满" in exc.value.message
    assert Registration.objects.filter(event=small).count() == 1


def test_a_cancelled_place_is_free_again(staff_a, point_a, seeker):
    small = make_event(staff_a, point_a, capacity=1)
    other = f.SeekerFactory(service_point=point_a)
    reg = services.registration_create(actor=staff_a, event=small, seeker=other, channel=RegistrationChannel.STAFF)
    services.registration_cancel(actor=staff_a, registration=reg)
    assert services.registration_create(actor=seeker.user, event=small, seeker=seeker).created


def test_bus_seats_are_limited(event, staff_a, regions, seeker, point_a):
    bus = services.bus_add(actor=staff_a, event=event, township=regions["jiubao"], departure_place="九堡镇政府门口",
                           departs_at=event.starts_at - dt.timedelta(hours=1), seats=1)
    other = f.SeekerFactory(service_point=point_a)
    services.registration_create(actor=staff_a, event=event, seeker=other, bus=bus, channel=RegistrationChannel.STAFF)
    with pytest.raises(Conflict) as exc:
        services.registration_create(actor=seeker.user, event=event, seeker=seeker, bus=bus)
    assert exc.value.code == "bus_full"
    reg = services.registration_create(actor=seeker.user, event=event, seeker=seeker)  # without the bus: fine
    assert reg.bus is None


def test_staff_register_only_their_points_seekers(event, staff_b, seeker, staff_a):
    with pytest.raises(PermissionDeniedError):
        services.registration_create(actor=staff_b, event=event, seeker=seeker, channel=RegistrationChannel.STAFF)
    reg = services.registration_create(actor=staff_a, event=event, seeker=seeker, channel=RegistrationChannel.STAFF)
    assert reg.channel == RegistrationChannel.STAFF
    # staff registrations tell the person by SMS, with the code
    assert SmsMessage.objects.filter(phone=seeker.phone, body__contains=reg.code).exists()


def test_another_seeker_cannot_register_someone_else(event, seeker, regions):
    other_user = f.UserFactory(username="13900000077")
    with pytest.raises(PermissionDeniedError):
        services.registration_create(actor=other_user, event=event, seeker=seeker)


def test_no_registration_once_the_event_is_over(staff_a, point_a, seeker):
    past = make_event(staff_a, point_a, starts_in=-dt.timedelta(days=2), hours=3)
    with pytest.raises(Conflict) as exc:
        services.registration_create(actor=seeker.user, event=past, seeker=seeker)
    assert exc.value.code == "event_over"


def test_the_day_before_sms_carries_the_code_and_bus_time(staff_a, point_a, regions, seeker):
    start = timezone.localtime() + dt.timedelta(days=1)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    ev = services.event_create(actor=staff_a, kind="park_visit", title="走进瑞金经开区", starts_at=start,
                               ends_at=start + dt.timedelta(hours=4), capacity=40, organiser_point=point_a,
                               venue="瑞金经济技术开发区", publish=True)
    bus = services.bus_add(actor=staff_a, event=ev, township=regions["xianghu"], departure_place="象湖镇就业之家",
                           departs_at=start - dt.timedelta(minutes=50), seats=40)
    reg = services.registration_create(actor=seeker.user, event=ev, seeker=seeker, bus=bus)
    assert [r.pk for r in services.send_reminders(wet_run=False)] == [reg.pk]
    assert not SmsMessage.objects.filter(body__contains="明天").exists()  # dry run sends nothing
    services.send_reminders(wet_run=True)
    sms = SmsMessage.objects.get(phone=seeker.phone, body__contains="明天")
    assert reg.code in sms.body and "08:10" in sms.body
    assert services.send_reminders(wet_run=True) == []  # once only
    reg.refresh_from_db()
    assert reg.reminded_at is not None and reg.status == RegistrationStatus.REGISTERED
