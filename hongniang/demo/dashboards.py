"""Demo history for the dashboard and the monthly report.

The core demo writes every row "now"; a dashboard needs a past. This spreads the demo rows' own timestamps
over the last year, reproducibly from the seed (seekers from their consent date, enterprises before their
verification, applications' events before the hire's start date, confirmations, pay reports and follow-ups
after it), then runs the daily aggregation over the last 13 months, as the nightly command would have.
Only demo rows (is_demo) are touched; delete() removes the aggregated facts, the summed hire rows and the snapshots."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Min
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.dashboards import aggregate, snapshots
from hongniang.dashboards.models import Fact, FactDay, HireRecord, HireStat, MonthlyReport, Snapshot
from hongniang.employers.models import Enterprise
from hongniang.events.models import BoothPosting
from hongniang.jobs.models import JobPosting
from hongniang.live.models import SessionPosting
from hongniang.outreach.models import FollowUp, FollowUpEvent
from hongniang.seekers.models import Seeker

NAME = "dashboards"
HISTORY_DAYS = 395


def exists() -> bool:
    return FactDay.objects.exists()


def delete() -> int:
    n = 0
    for model in (Fact, FactDay, HireRecord, HireStat, Snapshot, MonthlyReport):
        n += model.objects.all().delete()[0]
    return n


def _at(day: dt.date, r: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(r.randint(8, 17), r.randint(0, 59))))


def backdate(*, seed: int, today: dt.date) -> dict:
    """Spread the demo rows' timestamps over the past year (idempotent for a seed)."""
    r = random.Random(seed * 7919 + 19)
    first = today - dt.timedelta(days=HISTORY_DAYS - 5)
    ents = list(Enterprise.objects.filter(is_demo=True).order_by("pk").only("pk", "verified_at", "created_at"))
    for e in ents:
        latest = timezone.localtime(e.verified_at).date() if e.verified_at else today - dt.timedelta(days=1)
        e.created_at = _at(max(first - dt.timedelta(days=400), latest - dt.timedelta(days=r.randint(5, 600))), r)
    Enterprise.objects.bulk_update(ents, ["created_at"], batch_size=1000)
    seekers = list(Seeker.objects.filter(is_demo=True).order_by("pk").only("pk", "consent_at", "created_at"))
    for s in seekers:
        if s.consent_at:
            s.created_at = s.consent_at
    Seeker.objects.bulk_update(seekers, ["created_at"], batch_size=2000)
    registered = {s.pk: timezone.localtime(s.created_at).date() for s in seekers}
    # applications made at a demo fair or from a demo live session (source_id set) already carry their own history,
    # dated around the event: moving them would break the events' funnels
    apps = list(Application.objects.filter(seeker__is_demo=True, source_id__isnull=True).order_by("pk")
                .select_related("posting").prefetch_related("events", "followups__events"))
    events, followups, followup_events, changed = [], [], [], []
    for a in apps:
        floor = max(registered.get(a.seeker_id, first), first)
        if a.status == "hired" and a.start_date:
            hired = max(floor, a.start_date - dt.timedelta(days=r.randint(1, 6)))
            applied = max(floor, hired - dt.timedelta(days=r.randint(3, 25)))
        else:
            applied = floor + dt.timedelta(days=r.randint(0, max(0, (today - floor).days - 1)))
            hired = None
        applied = min(applied, today - dt.timedelta(days=1))
        a.created_at = _at(applied, r)
        if a.start_confirmed_at and a.start_date:
            a.start_confirmed_at = _at(min(today - dt.timedelta(days=1), a.start_date + dt.timedelta(days=1)), r)
        if a.pay_reported_at and a.start_date:
            a.pay_reported_at = _at(min(today - dt.timedelta(days=1), a.start_date + dt.timedelta(days=32)), r)
        changed.append(a)
        hired_at = None
        for ev in a.events.all():
            if ev.from_status == "":
                ev.at = a.created_at
            elif ev.to_status == "hired" and hired:
                ev.at = hired_at = _at(hired, r)
            else:
                ev.at = _at(min(today - dt.timedelta(days=1), applied + dt.timedelta(days=r.randint(1, 10))), r)
            events.append(ev)
        for fu in a.followups.all():
            if fu.status == "done":
                fu.done_at = _at(min(today - dt.timedelta(days=1), fu.due_on + dt.timedelta(days=r.randint(0, 3))), r)
                followups.append(fu)
            for fe in fu.events.all():  # scheduled with the hire, recorded when done
                fe.at = fu.done_at if fe.action == "record" and fu.done_at else (hired_at or a.created_at)
                followup_events.append(fe)
    Application.objects.bulk_update(changed, ["created_at", "start_confirmed_at", "pay_reported_at"], batch_size=2000)
    ApplicationEvent.objects.bulk_update(events, ["at"], batch_size=2000)
    FollowUp.objects.bulk_update(followups, ["done_at"], batch_size=2000)
    FollowUpEvent.objects.bulk_update(followup_events, ["at"], batch_size=2000)
    # a posting was published before anything happened to it: its first application, application event or hire
    # start (these moved back above; the ones of fairs and live sessions keep their day), the first fair or live
    # session that showed it. Its 发布时间 moves back before all of them, as a first publication that later
    # refreshes kept (jobs.services.posting_refresh keeps published_at; valid_from is the current window)
    earliest = first_use_of_postings()
    postings = list(JobPosting.objects.filter(pk__in=list(earliest), is_demo=True).order_by("pk")
                    .only("pk", "published_at"))
    for p in postings:
        p.published_at = min(p.published_at, earliest[p.pk] - dt.timedelta(days=r.randint(2, 30), hours=r.randint(0, 9)))
    JobPosting.objects.bulk_update(postings, ["published_at"], batch_size=2000)
    return {"enterprises": len(ents), "seekers": len(seekers), "applications": len(changed)}


def first_use_of_postings() -> dict[int, dt.datetime]:
    """When each demo posting was first used: applied to, moved on the pipeline, started at, shown at a fair
    (booth) or in a live session."""
    earliest: dict[int, dt.datetime] = {}

    def keep(rows):
        for pk, at in rows:
            if at is not None and (pk not in earliest or at < earliest[pk]):
                earliest[pk] = at

    demo = Application.objects.filter(posting__is_demo=True)
    keep(demo.values("posting_id").annotate(m=Min("created_at")).values_list("posting_id", "m"))
    keep(ApplicationEvent.objects.filter(application__posting__is_demo=True).values("application__posting_id")
         .annotate(m=Min("at")).values_list("application__posting_id", "m"))
    keep((pk, timezone.make_aware(dt.datetime.combine(day, dt.time(0)))) for pk, day in
         demo.filter(start_date__isnull=False).values("posting_id").annotate(m=Min("start_date"))
         .values_list("posting_id", "m"))
    keep(BoothPosting.objects.filter(posting__is_demo=True).values("posting_id")
         .annotate(m=Min("booth__event__starts_at")).values_list("posting_id", "m"))
    keep(SessionPosting.objects.filter(posting__is_demo=True).values("posting_id")
         .annotate(m=Min("session__starts_at")).values_list("posting_id", "m"))
    return earliest


def generate(*, seed: int, scale: float, out=print) -> dict:
    today = timezone.localdate()
    moved = backdate(seed=seed, today=today)
    days = aggregate.days_between(today - dt.timedelta(days=HISTORY_DAYS), today - dt.timedelta(days=1))
    rep = aggregate.aggregate(days, today=today)

    snapshots.write(today)
    return {"history_backdated_applications": moved["applications"], "fact_days": rep["days"],
            "facts": rep["facts"], "hire_records": rep["hires_new"]}
