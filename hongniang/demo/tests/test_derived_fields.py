"""The demo's derived fields are the owning apps' (issue 12): whatever a service computes from what a person
entered — a posting's monthly figures and validity, a verification's end, a seeker's ID number columns, a gig
order's total, a hire's follow-ups and their events — the demo rows hold exactly what that service would."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.core.crypto import lookup_hash
from hongniang.employers.models import Enterprise
from hongniang.employers.services import verification_end
from hongniang.gigs.models import GigOrder, scheduled_hours
from hongniang.gigs.services import order_total
from hongniang.jobs.models import JobPosting
from hongniang.jobs.services import monthly_estimate, validity_end
from hongniang.outreach.models import FOLLOWUP_DAYS, FollowUp
from hongniang.seekers.models import Seeker
from hongniang.workshops.models import Share, WageLine
from hongniang.workshops.services import wage_due_date


@pytest.fixture
def demo(db):
    call_command("load_demo", "--scale", "0.02", "--wet-run", stdout=io.StringIO())


def test_postings_monthly_figures_and_validity_are_the_jobs_rules(demo):
    postings = list(JobPosting.objects.filter(is_demo=True))
    assert {p.pay_type for p in postings} >= {"monthly", "daily"}
    for p in postings:
        if p.pay_type != "piece":  # piece pay: the enterprise's own estimate
            assert (p.monthly_min, p.monthly_max) == (monthly_estimate(p.pay_type, p.pay_min),
                                                      monthly_estimate(p.pay_type, p.pay_max))
        assert p.valid_until == validity_end(p.valid_from)
        assert p.township == p.region.township


def test_verification_ends_where_the_employers_rule_puts_it(demo):
    verified = Enterprise.objects.filter(is_demo=True, verified_at__isnull=False)
    assert verified.exists()
    for e in verified:
        assert e.verified_until == verification_end(timezone.localdate(e.verified_at))


def test_seekers_id_numbers_are_registered_through_the_model(demo):
    for s in Seeker.objects.filter(is_demo=True):
        number = s.reveal_id_number()
        assert s.id_number_hash == lookup_hash(number) and s.id_number_claim_hash == ""
        assert s.id_number_masked == Seeker.mask(number)


def test_gig_order_totals_are_the_gigs_rule(demo):
    orders = list(GigOrder.objects.filter(employer__enterprise__is_demo=True))
    assert orders
    for o in orders:
        assert o.total_per_worker == order_total(o.pay_type, o.pay_rate, scheduled_hours(o.start_time, o.end_time))
        assert list(o.events.values_list("action", "to_status")) == [("create", "open")]


def test_every_hire_has_its_scheduled_follow_ups_with_their_events(demo):
    hires = Application.objects.filter(seeker__is_demo=True, status="hired")
    assert hires.count() > 10
    for a in hires.prefetch_related("followups__events"):
        followups = sorted(a.followups.all(), key=lambda f: f.day)
        assert [f.day for f in followups] == list(FOLLOWUP_DAYS)
        for f in followups:
            assert f.due_on == f.hired_on + dt.timedelta(days=f.day)
            assert f.enterprise_id == a.posting.enterprise_id and f.seeker_id == a.seeker_id
            actions = [e.action for e in sorted(f.events.all(), key=lambda e: e.pk)]
            assert actions == (["schedule", "record"] if f.status == "done" else ["schedule"])
    assert FollowUp.objects.filter(status="done").exists()


def test_wages_fall_due_by_the_orders_terms(demo):
    lines = WageLine.objects.select_related("share__order").exclude(share__delivered_at=None)
    assert lines.exists()
    for wl in lines:
        share: Share = wl.share
        assert wl.due_date == wage_due_date(share.order, timezone.localdate(share.delivered_at))
