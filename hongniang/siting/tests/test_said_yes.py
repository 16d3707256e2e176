"""Said yes: besides staff calls and applications, a registration for a fair or a visit (or a check-in at its door)
and a live sign-up the person confirmed count; a cancelled registration, an unconfirmed lead and old ones do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.events import services as events
from hongniang.events.models import EventKind, Registration
from hongniang.flows.event_walk_in import walk_in_register
from hongniang.flows.live_leads import lead_confirm_by_call
from hongniang.live import services as live
from hongniang.siting.selectors import said_yes_ids

from .conftest import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1/siting/recommend"
BODY = {"need": 20, "radius_km": 5, "occupations": ["6-05-01-03"], "k": 2}


def _event(staff, point, *, starts_in):
    start = timezone.now() + starts_in
    return events.event_create(actor=staff, kind=EventKind.FAIR_OFFLINE, title="象湖镇春风行动招聘会",
                               starts_at=start, ends_at=start + dt.timedelta(hours=4), capacity=100,
                               organiser_point=point, service_point=point, venue="象湖镇文化广场", publish=True)


@pytest.fixture
def yeses(people, posting, staff_a, point_a):
    """xs[0] registered for a fair, xs[1] registered then cancelled, xs[2] walked in at the door today, xs[3] confirmed
    a live sign-up on the call back and later withdrew the application, xs[4] signed up live but was never reached,
    xs[5] registered for a fair more than 180 days ago."""
    xs = people["xianghu"]
    fair = _event(staff_a, point_a, starts_in=dt.timedelta(days=2))
    events.registration_create(actor=staff_a, event=fair, seeker=xs[0], channel="staff")
    gone = events.registration_create(actor=staff_a, event=fair, seeker=xs[1], channel="staff")
    events.registration_cancel(actor=staff_a, registration=gone)
    today = _event(staff_a, point_a, starts_in=-dt.timedelta(hours=1))
    walk_in_register(actor=staff_a, event=today, name=xs[2].name, phone=xs[2].phone, consent_confirmed=True)
    session = live.session_create(actor=staff_a, title="瑞金好工作 直播带岗", host_name="小红", platform="douyin",
                                  stream_url="https://live.douyin.com/1", starts_at=timezone.now(),
                                  postings=[posting], organiser_point=point_a)
    session = live.session_act(actor=staff_a, session=session, action="go_live")
    lead = live.lead_signup(session=session, posting_id=posting.pk, name=xs[3].name, phone=xs[3].phone, ip="10.0.0.1")
    _, application = lead_confirm_by_call(actor=staff_a, lead=lead)
    Application.objects.filter(pk=application.pk).update(status="withdrawn")
    live.lead_signup(session=session, posting_id=posting.pk, name=xs[4].name, phone=xs[4].phone, ip="10.0.0.1")
    old = events.registration_create(actor=staff_a, event=fair, seeker=xs[5], channel="staff")
    Registration.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=200))
    return xs


def test_registrations_check_ins_and_confirmed_live_sign_ups_count(yeses):
    xs = yeses
    assert said_yes_ids() == {xs[0].pk, xs[2].pk, xs[3].pk}


def test_the_recommender_counts_them(client, yeses, staff_a):
    body = client.post(API, BODY, content_type="application/json", **bearer(staff_a)).json()
    assert body["exact"]["said_yes"] == 3
