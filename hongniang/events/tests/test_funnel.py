"""The funnel is computed from records: invited → registered → checked in → intentions (both sides) → applied
within 30 days → hired within 90 days → still working at 30 days; and the 30-day outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.events import services
from hongniang.events.models import Intention, Outcome30
from hongniang.flows import event_results
from hongniang.flows.event_booth_scan import booth_scan
from hongniang.outreach.models import FollowUp
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(today_event, booth, posting, hr, staff_a, point_a, seeker):
    """3 invited (one of whom registers), 3 registered, 2 checked in; one both-side intention that became a hire
    still working at 30 days, one one-sided intention."""
    people = [seeker] + [f.SeekerFactory(service_point=point_a) for _ in range(3)]
    services.event_invite(actor=staff_a, event=today_event, seekers=people[1:])
    regs = [services.registration_create(actor=staff_a, event=today_event, seeker=s, channel="staff")
            for s in people[:3]]
    for r in regs[:2]:
        services.registration_check_in(actor=staff_a, event=today_event, code=r.code)
    _, app = booth_scan(actor=hr, event=today_event, posting=posting, code=regs[0].code)
    booth_scan(actor=hr, event=today_event, posting=posting, phone=people[1].phone)  # one-sided
    Application.objects.filter(pk=app.pk).update(status="hired", start_date=timezone.localdate())
    FollowUp.objects.create(application=app, seeker=app.seeker, enterprise=posting.enterprise, day=30,
                            hired_on=timezone.localdate(), due_on=timezone.localdate() + dt.timedelta(days=30),
                            status="done", still_working=True, done_at=timezone.now())
    return today_event, app


def test_the_funnel_counts_people_from_the_records(scene):
    event, _ = scene
    funnel = event_results.event_funnel(event)
    assert [n for _, n in funnel.steps()] == [4, 3, 2, 1, 1, 1, 1]
    assert (funnel.intentions, funnel.intentions_all) == (1, 2)
    assert funnel.both_rate == 0.5


def test_the_enterprise_funnel_counts_its_own_booth(scene, enterprise):
    event, _ = scene
    rows = event_results.enterprise_funnels(event)
    assert [(b.enterprise_id, fn.intentions, fn.hired_90, fn.working_30) for b, fn in rows] == \
        [(enterprise.pk, 1, 1, 1)]


def test_the_30_day_outcome_is_read_from_the_pipeline_and_known_within_45_days(scene):
    event, app = scene
    ApplicationEvent.objects.create(application=app, from_status="applied", to_status="hired")
    later = event.ends_at + dt.timedelta(days=31)
    assert services.record_outcomes(now=later) and not Intention.objects.exclude(outcome_30d="").exists()
    recorded = services.record_outcomes(now=later, wet_run=True)
    assert [(i.application_id, o) for i, o in recorded] == [(app.pk, Outcome30.HIRED)]
    funnel = event_results.event_funnel(event, now=event.ends_at + dt.timedelta(days=46))
    # the confirmed one is known (from the pipeline); the one-sided one is not (it waits for a call)
    assert (funnel.outcome_known, funnel.outcome_due) == (1, 2)


def test_a_call_records_the_outcome_of_the_rest(scene, staff_a):
    event, _ = scene
    pending = Intention.objects.get(outcome_30d="", application__isnull=True)
    Intention.objects.filter(pk=pending.pk).update()  # unchanged until the call
    event.ends_at = timezone.now() - dt.timedelta(minutes=1)
    event.save(update_fields=["ends_at"])
    services.intention_record_outcome(actor=staff_a, intention=pending, outcome=Outcome30.NOT_HIRED)
    pending.refresh_from_db()
    assert pending.outcome_30d == Outcome30.NOT_HIRED and pending.outcome_source == "call"


def test_totals_over_events(scene):
    event, _ = scene
    t = event_results.totals(event_results.compare([event]))
    assert (t["intentions"], t["intentions_all"]) == (1, 2)
