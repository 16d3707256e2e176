"""The event pages show the forms and links the state machines allow, as they did when the templates tested the
status themselves: the booking form, the intention button of the ticket, the public results link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniang.events import services
from hongniang.events.models import EventStatus

from .conftest import make_event

pytestmark = pytest.mark.django_db

BOOK = "提交预订"


def _booth_page(client, hr, event) -> str:
    client.force_login(hr)
    return client.get(reverse("events:booth", args=[event.pk])).content.decode()


def test_the_booking_form_shows_without_a_booth_and_after_a_cancelled_one(client, event, hr, enterprise, posting):
    assert BOOK in _booth_page(client, hr, event)
    booth = services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=[posting])
    assert BOOK not in _booth_page(client, hr, event)  # requested
    services.booth_act(actor=hr, booth=booth, action="cancel")
    assert BOOK in _booth_page(client, hr, event)


def test_the_booking_form_shows_after_a_decline_also_once_the_event_began(client, today_event, hr, enterprise,
                                                                          posting, staff_a):
    booth = services.booth_request(actor=hr, event=today_event, enterprise=enterprise, postings=[posting])
    services.booth_act(actor=staff_a, booth=booth, action="approve")
    assert BOOK not in _booth_page(client, hr, today_event)  # approved
    booth.refresh_from_db()
    booth.status = "declined"
    booth.save(update_fields=["status"])
    assert BOOK in _booth_page(client, hr, today_event)  # the status allows booking again, whoever asks


def test_the_intention_button_needs_a_checked_in_registration_of_ones_own(client, today_event, booth, posting,
                                                                          seeker, staff_a):
    reg = services.registration_create(actor=seeker.user, event=today_event, seeker=seeker)
    client.force_login(seeker.user)
    url = reverse("events:ticket", args=[today_event.pk])
    html = client.get(url).content.decode()
    assert posting.title in html and "我对这个岗位有意向" not in html  # registered, not inside yet
    services.registration_check_in(actor=staff_a, event=today_event, code=reg.code)
    assert "我对这个岗位有意向" in client.get(url).content.decode()
    client.force_login(staff_a)  # the organiser looks at the same ticket: not theirs to declare
    html = client.get(reverse("events:registration_ticket", args=[today_event.pk, reg.pk])).content.decode()
    assert posting.title in html and "我对这个岗位有意向" not in html


@pytest.mark.parametrize(("status", "shown"), [
    (EventStatus.DRAFT, False), (EventStatus.PUBLISHED, True), (EventStatus.FINISHED, True),
    (EventStatus.CANCELLED, False)])
def test_the_public_results_link_follows_the_status(client, staff_a, point_a, status, shown):
    event = make_event(staff_a, point_a)
    type(event).objects.filter(pk=event.pk).update(status=status)
    client.force_login(staff_a)
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert (reverse("events:results", args=[event.pk]) in html) is shown
