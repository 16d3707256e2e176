"""What a QA walk through the demo found once must never show again, anywhere in the generated data
(hongniang.demo.invariants): no posting with more offers and hires than its headcount, nothing dated before its
posting was published, outsourcing orders that fit their enterprise's industry, workshops that lie in the place
they are named after, events at plausible hours."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.db.models import Count

from hongniang.applications.models import Application
from hongniang.demo import invariants
from hongniang.demo.events import today_fair_hours
from hongniang.jobs.models import JobPosting
from hongniang.workshops.models import OutsourcingOrder, Workshop


@pytest.fixture
def demo(db):
    call_command("load_demo", "--scale", "0.02", "--wet-run", stdout=io.StringIO())


def test_the_generated_demo_keeps_every_invariant(demo):
    """One small load, every check (a load takes half a minute)."""
    # no posting has more offers and hires than places; some are full (later applicants were turned down)
    assert invariants.postings_over_headcount() == []
    taken = dict(Application.objects.filter(status__in=("offered", "hired")).values_list("posting_id")
                 .annotate(n=Count("id")).values_list("posting_id", "n"))
    assert sum(taken.values()) > 20
    assert any(taken.get(p.pk) == p.headcount for p in JobPosting.objects.filter(is_demo=True))

    # nothing happens to a posting before it was published; fairs and live sessions months ago did take
    # applications
    found = invariants.before_publication()
    assert found == {k: [] for k in found}
    assert Application.objects.filter(channel__in=["fair", "park_visit", "live"]).exists()

    # each outsourcing order's product is one its enterprise's industry makes, all eleven orders are there
    assert OutsourcingOrder.objects.filter(is_demo=True).count() == 11
    assert invariants.orders_off_industry() == []

    # workshops lie in the place they are named after (the demo one in the demo seeker's community)
    assert invariants.workshops_misplaced() == []
    first = Workshop.objects.get(owner_user__username="workshop_demo")
    assert first.name.startswith(first.region.short_name) and first.township.name == "象湖镇"

    # events at plausible hours
    assert invariants.implausible_events() == []


def test_the_rules_catch_what_the_qa_walk_found():
    assert not invariants.product_fits("耳机线", "1432")  # a fruit company does not order earphone cables
    assert invariants.product_fits("耳机线", "3982")


def test_an_evening_fair_is_implausible():
    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    day = dt.date(2026, 12, 6)
    at = lambda h, m: dt.datetime.combine(day, dt.time(h, m), tz)  # noqa: E731
    assert invariants.event_problem("fair_offline", at(8, 0), at(19, 57))
    assert invariants.event_problem("fair_offline", at(9, 0), at(14, 0)) == "lasts 5 h"
    assert invariants.event_problem("fair_offline", at(9, 0), at(12, 0)) == ""


@pytest.mark.parametrize("hour,minute,opens,closes", [
    (6, 0, (0, 8, 30), (0, 11, 30)),     # early: later this morning
    (9, 10, (0, 8, 30), (0, 11, 30)),    # under way
    (13, 45, (0, 12, 30), (0, 15, 30)),
    (16, 29, (0, 14, 30), (0, 17, 30)),  # the last one of the day
    (16, 30, (1, 8, 30), (1, 11, 30)),   # too late for a fair today: tomorrow morning's
    (23, 50, (1, 8, 30), (1, 11, 30)),
])
def test_the_fair_of_today_keeps_fair_hours_whenever_the_demo_is_loaded(settings, hour, minute, opens, closes):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = dt.date(2026, 12, 6)
    now = dt.datetime.combine(day, dt.time(hour, minute), tz)
    starts, ends = today_fair_hours(now)
    expect = [dt.datetime.combine(day + dt.timedelta(days=d), dt.time(h, m), tz) for d, h, m in (opens, closes)]
    assert [starts, ends] == expect
    assert ends > now and invariants.event_problem("fair_offline", starts, ends) == ""
