"""The daily aggregation: what happened each day (flows) and how many there were at its end (stocks), written
to `Fact` rows by township, service point, occupation, industry and channel; and one `HireRecord` per hire.

Run once a day after midnight (`manage.py aggregate_stats --wet-run`): it writes the days since the last run
(yesterday on a normal night), replacing a day's rows as a whole, so a second run writes the same rows
(idempotent). Flows come from stored events and timestamps; stocks are counted from the live tables on the
day (the day after) and stored, which is what makes a past month reproducible: the report reads these rows,
never today's state. A backfill (`--from`) rebuilds stocks of past days from timestamps (postings from their
publication and close events; seekers' "active" flag and wishes have no history, so today's are used: such
days are marked `stocks_live=False`).

Stocks are kept for every day of the last STOCK_DAYS days and for month-ends; flows are kept for every day and
summed into month rows (period "m") so that a year's figures read a few thousand rows, not a million. The hire
records are likewise pre-summed per day and month into `HireStat` rows at the end of each run
(hongniang.dashboards.hirestats)."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.catalog.models import Industry
from hongniang.employers.models import Enterprise, VerificationEvent
from hongniang.geo.models import Region, RegionKind
from hongniang.gigs.models import AssignmentEvent, GigAssignment, GigOrder
from hongniang.jobs.models import JobPosting, PostingEvent, PostingStatus
from hongniang.outreach.models import CallLog, FollowUp, FollowUpStatus
from hongniang.seekers.models import Seeker

from . import channels, hirestats
from .metrics import FLOWS, STOCKS
from .models import Fact, FactDay, Grain, HireRecord, Period

STOCK_DAYS = 40
COUNTY = "*"  # the township of the county-wide cells (the sum of every township's)
AREA, OCC, IND, CHAN = Grain.AREA, Grain.OCCUPATION, Grain.INDUSTRY, Grain.CHANNEL
WORKED_GIG = ("checked_out", "paid", "settled", "disputed")
#: a seeker registered in person: by staff, or with consent witnessed on paper, aloud or on a point's screen
IN_PERSON = Q(registered_by__isnull=False) | Q(consent_channel__in=("paper", "verbal", "screen"))
FOLLOWUP_FIELDS = {7: ("f7_on", "f7_working"), 30: ("f30_on", "f30_working"), 90: ("f90_on", "f90_working")}


# --- helpers ----------------------------------------------------------------------------------------


def _township(path: str):
    """The township code of the region whose code is held at `path` (a "..._id" lookup), from the region tree: a
    village's parent, a township (or the county) itself; null when the path is null. Never from the code's
    digits: a village's code need not begin with its township's (叶坪镇's villages are 360781200xxx, the
    township 360781107000, since 叶坪乡 became a 镇)."""
    rel = path.removesuffix("_id")
    return Case(When(**{f"{rel}__kind": RegionKind.VILLAGE, f"{rel}__parent__isnull": False},
                     then=F(f"{rel}__parent")),
                default=F(path), output_field=CharField())


def township_of(path: str):
    """The township code of a region code held at `path` (from the region tree); "" when the path is null."""
    return Coalesce(_township(path), Value(""), output_field=CharField())


def seeker_township(prefix: str = ""):
    """A seeker's township: their home village's, else their service point's."""
    home, point = f"{prefix}home_region_id", f"{prefix}service_point__region_id"
    return Case(When(**{f"{home}__isnull": False}, then=_township(home)),
                When(**{f"{point}__isnull": False}, then=_township(point)),
                default=Value(""), output_field=CharField())


def worker_township(prefix: str = ""):
    """A gig worker's township: their home village's, else their service point's."""
    return seeker_township(prefix)


def stale_townships() -> dict[str, str]:
    """The township keys an earlier rule wrote (a village's first 9 digits + "000") that are no township, each with
    the township of its villages: {"360781200000": "360781107000"} for 叶坪镇. A key whose villages lie in
    several townships, or that is another township's code, cannot be moved and is left out."""
    known = set(Region.objects.exclude(kind=RegionKind.VILLAGE).values_list("code", flat=True))
    towns: dict[str, set[str]] = defaultdict(set)
    for code, parent in Region.objects.filter(kind=RegionKind.VILLAGE, parent__isnull=False) \
            .values_list("code", "parent_id"):
        old = code[:9] + "000"
        if old != parent and old not in known:
            towns[old].add(parent)
    return {old: next(iter(t)) for old, t in towns.items() if len(t) == 1}


def stale_rows() -> int:
    """How many fact rows and hire records repair_townships would move."""
    old = list(stale_townships())
    if not old:
        return 0
    return (Fact.objects.filter(township__in=old).count()
            + HireRecord.objects.filter(Q(township__in=old) | Q(work_township__in=old)).count())


def repair_townships() -> int:
    """Move what was counted under a stale township key (stale_townships) to the township: hire records are
    relabelled, fact rows merged into the township's (summed where it has the same cell). The hire stats and
    snapshots are rebuilt by the caller. Returns the rows moved (0 when there is nothing to do)."""
    remap = stale_townships()
    if not remap:
        return 0
    n = 0
    with transaction.atomic():
        for old, new in remap.items():
            n += HireRecord.objects.filter(township=old).update(township=new)
            n += HireRecord.objects.filter(work_township=old).update(work_township=new)
        stale = list(Fact.objects.filter(township__in=list(remap)))
        if stale:
            days = sorted({f.day for f in stale})
            targets = list(Fact.objects.filter(township__in=set(remap.values()), day__gte=days[0],
                                               day__lte=days[-1]))
            merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
            for f in (*stale, *targets):
                cell = merged[(f.period, f.day, f.metric, f.grain, remap.get(f.township, f.township), f.point_id,
                               f.key)]
                cell[0] += f.value
                cell[1] += f.verified
            ids = [f.pk for f in (*stale, *targets)]
            for i in range(0, len(ids), 500):
                Fact.objects.filter(pk__in=ids[i:i + 500]).delete()
            Fact.objects.bulk_create([Fact(period=k[0], day=k[1], metric=k[2], grain=k[3], township=k[4],
                                           point_id=k[5], key=k[6], value=v[0], verified=min(v[1], v[0]))
                                      for k, v in merged.items()], batch_size=5000)
            n += len(stale)
        if n:  # the figures changed: a new run stamp, so the cached figure sets are not read again
            FactDay.objects.filter(day=FactDay.objects.order_by("-day").values("day")[:1]) \
                .update(computed_at=timezone.now())
    return n


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def days_between(d0: dt.date, d1: dt.date) -> list[dt.date]:
    return [d0 + dt.timedelta(days=i) for i in range((d1 - d0).days + 1)]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


_sections: dict[str, str] | None = None


def industry_section(code: str | None) -> str:
    """GB/T 4754 section letter (门类) of any industry code; "" when unknown."""
    global _sections
    if not code:
        return ""
    if _sections is None or code not in _sections:
        parents = dict(Industry.objects.values_list("code", "parent_id"))
        out = {}
        for c in parents:
            top, seen = c, 0
            while parents.get(top) and seen < 6:
                top, seen = parents[top], seen + 1
            out[c] = top
        _sections = out
    return _sections.get(code, code[:1] if code[:1].isalpha() else "")


class Cells:
    """Accumulates (period, day, metric, grain, township, point, key) -> [value, verified]."""

    def __init__(self):
        self.cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, day, metric, grain, township, point, key, value, verified=0):
        """Add to the cell and to its county cell (township "*", no point), which the county-wide reads use."""
        if not value:
            return
        for cell_key in ((Period.DAY, day, metric, grain, township or "", point or 0, key or ""),
                         (Period.DAY, day, metric, grain, COUNTY, 0, key or "")):
            cell = self.cells[cell_key]
            cell[0] += int(value)
            cell[1] += int(verified or 0)

    def rows(self, days: set | None = None) -> list[Fact]:
        return [Fact(period=k[0], day=k[1], metric=k[2], grain=k[3], township=k[4], point_id=k[5], key=k[6],
                     value=v[0], verified=min(v[1], v[0]))
                for k, v in self.cells.items() if days is None or k[1] in days]


# --- flows ------------------------------------------------------------------------------------------


def flows(d0: dt.date, d1: dt.date, out: Cells) -> None:
    """What happened on each day of [d0, d1], from timestamps and event rows."""
    s, e = day_start(d0), day_start(d1 + dt.timedelta(days=1))
    verified = Q(verification_status="verified")
    for r in (Enterprise.objects.filter(created_at__gte=s, created_at__lt=e)
              .annotate(d=TruncDate("created_at"), t=township_of("region_id"))
              .values("d", "t", "industry_id").annotate(n=Count("id"), v=Count("id", filter=verified))):
        out.add(r["d"], "enterprises_new", AREA, r["t"], 0, "", r["n"], r["v"])
        out.add(r["d"], "enterprises_new", IND, r["t"], 0, industry_section(r["industry_id"]), r["n"], r["v"])
    for r in (VerificationEvent.objects.filter(at__gte=s, at__lt=e, to_status="verified")
              .exclude(from_status="verified")
              .annotate(d=TruncDate("at"), t=township_of("enterprise__region_id"))
              .values("d", "t").annotate(n=Count("enterprise_id", distinct=True))):
        out.add(r["d"], "enterprises_verified_new", AREA, r["t"], 0, "", r["n"], r["n"])
    pv = Q(enterprise__verification_status="verified")
    for r in (JobPosting.objects.filter(published_at__gte=s, published_at__lt=e)
              .annotate(d=TruncDate("published_at"))
              .values("d", "township_id", "occupation_id", "enterprise__industry_id")
              .annotate(n=Count("id"), v=Count("id", filter=pv), h=Sum("headcount"),
                        vh=Coalesce(Sum("headcount", filter=pv), 0))):
        for grain, key in ((AREA, ""), (OCC, r["occupation_id"]),
                           (IND, industry_section(r["enterprise__industry_id"]))):
            out.add(r["d"], "postings_published", grain, r["township_id"], 0, key, r["n"], r["v"])
            out.add(r["d"], "positions_published", grain, r["township_id"], 0, key, r["h"], r["vh"])
    for r in (Seeker.objects.filter(created_at__gte=s, created_at__lt=e)
              .annotate(d=TruncDate("created_at"), t=seeker_township())
              .values("d", "t", "service_point_id")
              .annotate(n=Count("id"), v=Count("id", filter=IN_PERSON))):
        out.add(r["d"], "seekers_new", AREA, r["t"], r["service_point_id"], "", r["n"], r["v"])
    called = CallLog.objects.filter(application_id=OuterRef("application_id"))
    for r in (ApplicationEvent.objects.filter(at__gte=s, at__lt=e, from_status="", to_status="applied")
              .annotate(d=TruncDate("at"), t=seeker_township("application__seeker__"), call=Exists(called))
              .values("d", "t", "application__seeker__service_point_id", "application__posting__occupation_id",
                      "application__channel", "call")
              .annotate(n=Count("id"))):
        p = r["application__seeker__service_point_id"]
        ch = channels.application_channel(r["application__channel"], from_call_list=r["call"])
        v = r["n"] if ch != "online" else 0
        out.add(r["d"], "applications", AREA, r["t"], p, "", r["n"], v)
        out.add(r["d"], "applications", OCC, r["t"], 0, r["application__posting__occupation_id"], r["n"], v)
        out.add(r["d"], "applications", CHAN, r["t"], p, ch, r["n"], v)
    for r in (ApplicationEvent.objects.filter(at__gte=s, at__lt=e, to_status="interview")
              .exclude(from_status="interview")
              .annotate(d=TruncDate("at"), t=seeker_township("application__seeker__"))
              .values("d", "t", "application__seeker__service_point_id", "application__posting__occupation_id")
              .annotate(n=Count("application_id", distinct=True))):
        out.add(r["d"], "interviews", AREA, r["t"], r["application__seeker__service_point_id"], "", r["n"])
        out.add(r["d"], "interviews", OCC, r["t"], 0, r["application__posting__occupation_id"], r["n"])
    for r in (HireRecord.objects.filter(hired_on__gte=d0, hired_on__lte=d1)
              .values("hired_on", "source", "township", "point_id", "occupation", "industry", "channel")
              .annotate(n=Count("id"), fd=Coalesce(Sum("days_to_fill"), 0),
                        fn=Count("id", filter=Q(days_to_fill__isnull=False)))):
        d, n = r["hired_on"], r["n"]
        if r["source"] == "gig":
            out.add(d, "gig_worked", AREA, r["township"], r["point_id"], "", n)
            continue
        out.add(d, "hires", AREA, r["township"], r["point_id"], "", n)
        out.add(d, "fill_days", AREA, r["township"], r["point_id"], "", r["fd"])
        out.add(d, "fill_hires", AREA, r["township"], r["point_id"], "", r["fn"])
        out.add(d, "hires", OCC, r["township"], 0, r["occupation"], n)
        out.add(d, "hires", IND, r["township"], 0, r["industry"], n)
        out.add(d, "hires", CHAN, r["township"], r["point_id"], r["channel"], n)
    for r in (GigOrder.objects.filter(created_at__gte=s, created_at__lt=e)
              .annotate(d=TruncDate("created_at"), t=township_of("region_id"))
              .values("d", "t").annotate(n=Count("id"), h=Sum("headcount"))):
        out.add(r["d"], "gig_orders", AREA, r["t"], 0, "", r["n"])
        out.add(r["d"], "gig_positions", AREA, r["t"], 0, "", r["h"])


# --- stocks -----------------------------------------------------------------------------------------


def stocks_live(day: dt.date, out: Cells) -> None:
    """How many at the end of `day`, counted from the live tables (run on the day or the day after)."""
    e = day_start(day + dt.timedelta(days=1))
    verified = Q(verification_status="verified")
    for r in (Enterprise.objects.filter(created_at__lt=e).annotate(t=township_of("region_id"))
              .values("t", "industry_id").annotate(n=Count("id"), v=Count("id", filter=verified))):
        out.add(day, "enterprises_total", AREA, r["t"], 0, "", r["n"], r["v"])
        out.add(day, "enterprises_total", IND, r["t"], 0, industry_section(r["industry_id"]), r["n"], r["v"])
    pv = Q(enterprise__verification_status="verified")
    for r in (JobPosting.objects.filter(status=PostingStatus.PUBLISHED)
              .values("township_id", "occupation_id", "enterprise__industry_id")
              .annotate(n=Count("id"), v=Count("id", filter=pv), h=Sum("headcount"),
                        vh=Coalesce(Sum("headcount", filter=pv), 0))):
        for grain, key in ((AREA, ""), (OCC, r["occupation_id"]),
                           (IND, industry_section(r["enterprise__industry_id"]))):
            out.add(day, "postings_open", grain, r["township_id"], 0, key, r["n"], r["v"])
            out.add(day, "positions_open", grain, r["township_id"], 0, key, r["h"], r["vh"])
    staff = IN_PERSON
    for r in (Seeker.objects.filter(created_at__lt=e).annotate(t=seeker_township())
              .values("t", "service_point_id")
              .annotate(n=Count("id"), v=Count("id", filter=staff), a=Count("id", filter=Q(is_active=True)),
                        va=Count("id", filter=Q(is_active=True) & staff))):
        out.add(day, "seekers_total", AREA, r["t"], r["service_point_id"], "", r["n"], r["v"])
        out.add(day, "seekers_active", AREA, r["t"], r["service_point_id"], "", r["a"], r["va"])
    for r in (Seeker.objects.filter(created_at__lt=e, is_active=True)
              .annotate(t=seeker_township(), o=KT("desired_occupations__0"))
              .values("t", "o").annotate(n=Count("id"))):
        out.add(day, "seekers_wanting", OCC, r["t"], 0, r["o"] or "", r["n"])


class _Series:
    """Per-cell difference arrays over the days of a range: add(cell, first_day, end_day, w) counts w on every
    day d with first_day <= d < end_day; values() gives the counts per day."""

    def __init__(self, d0: dt.date, d1: dt.date):
        self.d0, self.n = d0, (d1 - d0).days + 1
        self.arr: dict[tuple, np.ndarray] = {}

    def add(self, cell: tuple, first: dt.date, end: dt.date | None, w: int = 1, v: int = 0) -> None:
        a = (first - self.d0).days
        b = self.n if end is None else min(self.n, (end - self.d0).days)
        a = max(a, 0)
        if a >= b:
            return
        arr = self.arr.get(cell)
        if arr is None:
            arr = self.arr[cell] = np.zeros((2, self.n + 1), dtype=np.int64)
        arr[0, a] += w
        arr[0, b] -= w
        arr[1, a] += v
        arr[1, b] -= v

    def emit(self, out: Cells, days: Iterable[dt.date]) -> None:
        idx = [(d, (d - self.d0).days) for d in days]
        for (metric, grain, township, point, key), arr in self.arr.items():
            cum = np.cumsum(arr, axis=1)
            for d, i in idx:
                if 0 <= i < self.n and cum[0, i]:
                    out.add(d, metric, grain, township, point, key, int(cum[0, i]), int(cum[1, i]))


def stocks_backfill(d0: dt.date, d1: dt.date, days: list[dt.date], out: Cells) -> None:
    """Stocks at the end of past days, rebuilt from timestamps: enterprises from their creation and
    verification dates, postings from their publication and close events, seekers from their registration
    (their "active" flag and wishes as they are now: no history is kept of those)."""
    series = _Series(d0, d1)
    nxt = dt.timedelta(days=1)
    e = day_start(d1 + nxt)
    for created, t, industry, verified_at, status in (
            Enterprise.objects.filter(created_at__lt=e).annotate(t=township_of("region_id"))
            .values_list("created_at", "t", "industry_id", "verified_at", "verification_status")):
        sec = industry_section(industry)
        first = local_date(created)
        is_v = status == "verified" and verified_at is not None
        vfirst = max(first, local_date(verified_at)) if is_v else None
        for grain, key in ((AREA, ""), (IND, sec)):
            series.add(("enterprises_total", grain, t, 0, key), first, None, 1, 0)
            if vfirst:
                series.add(("enterprises_total", grain, t, 0, key), vfirst, None, 0, 1)
    # postings: open from publication until the first later event that took them out of "published"
    closes: dict[int, list[tuple]] = defaultdict(list)
    for pid, at, to in (PostingEvent.objects.filter(at__lt=e).order_by("at", "id")
                        .values_list("posting_id", "at", "to_status")):
        closes[pid].append((at, to))
    rows = (JobPosting.objects.filter(published_at__lt=e)
            .values_list("pk", "published_at", "status", "valid_until", "updated_at", "township_id",
                         "occupation_id", "enterprise__industry_id", "headcount",
                         "enterprise__verification_status"))
    for pid, published, status, valid_until, updated, township, occ, industry, headcount, ev in rows:
        evs = closes.get(pid, [])
        start = None if any(to == PostingStatus.PUBLISHED for _, to in evs) else published
        intervals = []
        for at, to in evs:
            if to == PostingStatus.PUBLISHED:
                start = start or at
            elif start is not None and at >= start:
                intervals.append((start, at))
                start = None
        if start is not None:
            if status == PostingStatus.PUBLISHED:
                end = None
            elif status == PostingStatus.EXPIRED and valid_until and not evs:
                end = day_start(valid_until + nxt)
            else:
                end = updated
            intervals.append((start, end))
        v = ev == "verified"
        for a, b in intervals:
            first = local_date(a)
            # open at the end of day d when published by then and not yet closed at its end
            end_day = local_date(b) if b is not None else None
            for grain, key in ((AREA, ""), (OCC, occ), (IND, industry_section(industry))):
                series.add(("postings_open", grain, township, 0, key or ""), first, end_day, 1, int(v))
                series.add(("positions_open", grain, township, 0, key or ""), first, end_day, headcount,
                           headcount if v else 0)
    for r in (Seeker.objects.filter(created_at__lt=e)
              .annotate(d=TruncDate("created_at"), t=seeker_township())
              .values("d", "t", "service_point_id")
              .annotate(n=Count("id"), v=Count("id", filter=IN_PERSON), a=Count("id", filter=Q(is_active=True)),
                        va=Count("id", filter=Q(is_active=True) & IN_PERSON))):
        point = r["service_point_id"] or 0
        series.add(("seekers_total", AREA, r["t"], point, ""), r["d"], None, r["n"], r["v"])
        series.add(("seekers_active", AREA, r["t"], point, ""), r["d"], None, r["a"], r["va"])
    for r in (Seeker.objects.filter(created_at__lt=e, is_active=True)
              .annotate(d=TruncDate("created_at"), t=seeker_township(), o=KT("desired_occupations__0"))
              .values("d", "t", "o").annotate(n=Count("id"))):
        series.add(("seekers_wanting", OCC, r["t"], 0, r["o"] or ""), r["d"], None, r["n"], 0)
    series.emit(out, days)


# --- hires ------------------------------------------------------------------------------------------


def _first_hires(s, e) -> dict[int, dt.datetime]:
    rows = (ApplicationEvent.objects.filter(at__gte=s, at__lt=e, to_status="hired").exclude(from_status="hired")
            .values("application_id").annotate(at=Min("at")).values_list("application_id", "at"))
    return dict(rows)


def sync_hires(d0: dt.date, d1: dt.date) -> dict:
    """New HireRecords for hires on [d0, d1] (dimensions frozen now), then the outcomes that became known on
    those days (confirmed starts, pay reports, follow-ups, gig payments), each set once."""
    s, e = day_start(d0), day_start(d1 + dt.timedelta(days=1))
    created = 0
    hires = _first_hires(s, e)
    known = set(HireRecord.objects.filter(source="app", source_id__in=list(hires)).values_list("source_id", flat=True)) \
        if len(hires) < 20000 else set(HireRecord.objects.filter(source="app").values_list("source_id", flat=True))
    new_ids = [i for i in hires if i not in known]
    called = CallLog.objects.filter(application_id=OuterRef("pk"))
    for i in range(0, len(new_ids), 5000):
        chunk = new_ids[i:i + 5000]
        records = []
        for r in (Application.objects.filter(pk__in=chunk)
                  .annotate(t=seeker_township("seeker__"), call=Exists(called))
                  .values("pk", "seeker_id", "t", "seeker__service_point_id", "posting__township_id",
                          "posting__enterprise_id", "posting__occupation_id", "posting__enterprise__industry_id",
                          "channel", "call", "posting__published_at", "posting__monthly_min", "start_date")):
            hired_at = hires[r["pk"]]
            hired_on = local_date(hired_at)
            published = local_date(r["posting__published_at"])
            records.append(HireRecord(
                source="app", source_id=r["pk"], person_id=r["seeker_id"], hired_on=hired_on, township=r["t"],
                point_id=r["seeker__service_point_id"] or 0, work_township=r["posting__township_id"] or "",
                enterprise_id=r["posting__enterprise_id"] or 0, occupation=r["posting__occupation_id"] or "",
                industry=industry_section(r["posting__enterprise__industry_id"]),
                channel=channels.application_channel(r["channel"], from_call_list=r["call"]),
                days_to_fill=max(0, (hired_on - published).days) if published else None,
                promised_min=r["posting__monthly_min"], start_on=r["start_date"]))
        HireRecord.objects.bulk_create(records, batch_size=2000, ignore_conflicts=True)
        created += len(records)
    created += _sync_gig_hires(s, e)
    updated = _sync_outcomes(s, e, d1)
    return {"hires_new": created, "hire_outcomes": updated}


def _sync_gig_hires(s, e) -> int:
    firsts = dict(AssignmentEvent.objects.filter(at__gte=s, at__lt=e, to_status="checked_out")
                  .values("assignment_id").annotate(at=Min("at")).values_list("assignment_id", "at"))
    if not firsts:
        return 0
    known = set(HireRecord.objects.filter(source="gig", source_id__in=list(firsts))
                .values_list("source_id", flat=True))
    records = []
    for r in (GigAssignment.objects.filter(pk__in=[i for i in firsts if i not in known])
              .annotate(t=worker_township("worker__"), wt=township_of("order__region_id"))
              .values("pk", "worker_id", "t", "worker__service_point_id", "wt", "order__work_type",
                      "order__created_at", "order__employer__enterprise_id")):
        hired_on = local_date(firsts[r["pk"]])
        records.append(HireRecord(
            source="gig", source_id=r["pk"], person_id=r["worker_id"], hired_on=hired_on, township=r["t"],
            point_id=r["worker__service_point_id"] or 0, work_township=r["wt"],
            enterprise_id=r["order__employer__enterprise_id"] or 0, occupation="", industry="", channel="gig",
            days_to_fill=max(0, (hired_on - local_date(r["order__created_at"])).days), start_on=hired_on))
    HireRecord.objects.bulk_create(records, ignore_conflicts=True)
    return len(records)


def _sync_outcomes(s, e, d1: dt.date) -> int:
    touched: dict[int, HireRecord] = {}

    def record(source: str, source_id: int) -> HireRecord | None:
        return by_source.get((source, source_id))

    app_ids: set[int] = set()
    confirmed = list(Application.objects.filter(start_confirmed_at__gte=s, start_confirmed_at__lt=e)
                     .values_list("pk", "start_confirmed_at"))
    paid = list(Application.objects.filter(pay_reported_at__gte=s, pay_reported_at__lt=e)
                .values_list("pk", "pay_reported_at", "pay_amount"))
    done = list(FollowUp.objects.filter(status=FollowUpStatus.DONE, done_at__gte=s, done_at__lt=e)
                .values_list("application_id", "day", "done_at", "still_working", "paid_as_promised"))
    app_ids.update(p for p, _ in confirmed)
    app_ids.update(p for p, _, _ in paid)
    app_ids.update(a for a, *_ in done)
    gig_confirmed = list(GigAssignment.objects.filter(worker_confirmed_at__gte=s, worker_confirmed_at__lt=e)
                         .values_list("pk", "worker_confirmed_at"))
    by_source: dict[tuple, HireRecord] = {}
    ids = list(app_ids)
    for i in range(0, len(ids), 5000):
        for rec in HireRecord.objects.filter(source="app", source_id__in=ids[i:i + 5000]):
            by_source[("app", rec.source_id)] = rec
    if gig_confirmed:
        for rec in HireRecord.objects.filter(source="gig", source_id__in=[g for g, _ in gig_confirmed]):
            by_source[("gig", rec.source_id)] = rec
    for pk, at in confirmed:
        rec = record("app", pk)
        if rec and rec.confirmed_on is None:
            rec.confirmed_on = local_date(at)
            touched[rec.pk] = rec
    for pk, at, amount in paid:
        rec = record("app", pk)
        if rec and rec.pay_on is None and amount:
            rec.pay_on, rec.pay_amount = local_date(at), amount
            touched[rec.pk] = rec
    for app_id, day, at, working, paid_ok in done:
        rec = record("app", app_id)
        if rec is None or day not in FOLLOWUP_FIELDS:
            continue
        on_f, working_f = FOLLOWUP_FIELDS[day]
        if getattr(rec, on_f) is None:
            setattr(rec, on_f, local_date(at))
            setattr(rec, working_f, working)
            touched[rec.pk] = rec
        if rec.paid_ok is None and paid_ok is not None:
            rec.paid_ok, rec.paid_ok_on = paid_ok, local_date(at)
            touched[rec.pk] = rec
    for pk, at in gig_confirmed:
        rec = record("gig", pk)
        if rec and rec.confirmed_on is None:
            rec.confirmed_on = local_date(at)
            touched[rec.pk] = rec
    # gig workers "still working" at 30 / 90 days: another gig worked in days 1-30 / 61-90 after this one
    for rec in _gig_retention(d1):
        touched[rec.pk] = rec
    for rec in touched.values():
        dates = [rec.confirmed_on] + [getattr(rec, f) for f, w in FOLLOWUP_FIELDS.values()
                                      if getattr(rec, w) is not None]
        dates = [d for d in dates if d is not None]
        if dates and rec.verified_on is None:
            rec.verified_on = min(dates)
    fields = ["confirmed_on", "pay_on", "pay_amount", "paid_ok", "paid_ok_on", "verified_on",
              *[f for pair in FOLLOWUP_FIELDS.values() for f in pair]]
    _update(list(touched.values()), fields)
    return len(touched)


def _update(records: list[HireRecord], fields: list[str]) -> None:
    """Write these fields of many records: one UPDATE ... FROM (VALUES ...) per thousand rows on PostgreSQL
    (Django's bulk_update builds a CASE per field and row, minutes at a hundred thousand rows)."""
    if connection.vendor != "postgresql":
        HireRecord.objects.bulk_update(records, fields, batch_size=250)
        return
    table = HireRecord._meta.db_table
    types = {f: HireRecord._meta.get_field(f).db_type(connection) for f in fields}
    sets = ", ".join(f"{f} = v.{f}" for f in fields)
    row = "(" + ", ".join(["%s::bigint"] + [f"%s::{types[f]}" for f in fields]) + ")"
    with connection.cursor() as cur:
        for i in range(0, len(records), 1000):
            chunk = records[i:i + 1000]
            params = [x for r in chunk for x in [r.pk, *[getattr(r, f) for f in fields]]]
            cur.execute(f"UPDATE {table} AS t SET {sets} FROM (VALUES {', '.join([row] * len(chunk))}) "
                        f"AS v(id, {', '.join(fields)}) WHERE t.id = v.id", params)


def _gig_retention(d1: dt.date) -> list[HireRecord]:
    due = list(HireRecord.objects.filter(source="gig").filter(
        Q(f30_on__isnull=True, hired_on__lte=d1 - dt.timedelta(days=30))
        | Q(f90_on__isnull=True, hired_on__lte=d1 - dt.timedelta(days=90))))
    if not due:
        return []
    worked: dict[int, list[dt.date]] = defaultdict(list)
    for worker, day in (HireRecord.objects.filter(source="gig", person_id__in={r.person_id for r in due})
                        .values_list("person_id", "hired_on")):
        worked[worker].append(day)
    out = []
    for rec in due:
        days = [(d - rec.hired_on).days for d in worked[rec.person_id]]
        if rec.f30_on is None and rec.hired_on + dt.timedelta(days=30) <= d1:
            rec.f30_on = rec.hired_on + dt.timedelta(days=30)
            rec.f30_working = any(1 <= x <= 30 for x in days)
        if rec.f90_on is None and rec.hired_on + dt.timedelta(days=90) <= d1:
            rec.f90_on = rec.hired_on + dt.timedelta(days=90)
            rec.f90_working = any(61 <= x <= 90 for x in days)
        out.append(rec)
    return out


# --- writing ----------------------------------------------------------------------------------------


def stock_days(days: list[dt.date], today: dt.date) -> list[dt.date]:
    """The days whose stocks are kept: the last STOCK_DAYS days, month-ends, and the last day computed."""
    keep = {d for d in days if (today - d).days <= STOCK_DAYS or d == month_end(d)}
    if days:
        keep.add(days[-1])
    return sorted(keep)


def rollup_months(months: Iterable[dt.date]) -> int:
    """Month rows (period "m") of the flows: the sum of the month's day rows."""
    n = 0
    for m in sorted(set(months)):
        rows = (Fact.objects.filter(period=Period.DAY, day__gte=m, day__lte=month_end(m), metric__in=FLOWS)
                .values("metric", "grain", "township", "point_id", "key")
                .annotate(v=Sum("value"), ver=Sum("verified")))
        objs = [Fact(period=Period.MONTH, day=m, metric=r["metric"], grain=r["grain"], township=r["township"],
                     point_id=r["point_id"], key=r["key"], value=r["v"], verified=r["ver"]) for r in rows]
        with transaction.atomic():
            Fact.objects.filter(period=Period.MONTH, day=m).delete()
            Fact.objects.bulk_create(objs, batch_size=5000)
        n += len(objs)
    return n


def prune_stocks(today: dt.date) -> int:
    """Old stock rows that are not month-ends go (the months keep their end-of-month stocks)."""
    old = [d for d in FactDay.objects.filter(stocks=True, day__lt=today - dt.timedelta(days=STOCK_DAYS))
           .values_list("day", flat=True) if d != month_end(d)]
    if not old:
        return 0
    with transaction.atomic():
        n = Fact.objects.filter(period=Period.DAY, day__in=old, metric__in=STOCKS).delete()[0]
        FactDay.objects.filter(day__in=old).update(stocks=False)
    return n


def pending_days(today: dt.date) -> list[dt.date]:
    """The days a nightly run writes: from the day after the last one written to yesterday (just yesterday
    on a fresh database)."""
    yesterday = today - dt.timedelta(days=1)
    last = FactDay.objects.order_by("-day").values_list("day", flat=True).first()
    start = yesterday if last is None else last + dt.timedelta(days=1)
    return days_between(start, yesterday) if start <= yesterday else []


def aggregate(days: list[dt.date], *, today: dt.date | None = None, chunk: int = 62) -> dict:
    """Write the facts of `days` (consecutive), replacing what was there. Returns counts and seconds."""
    today = today or timezone.localdate()
    report = {"days": len(days), "facts": 0, "hires_new": 0, "hire_outcomes": 0, "month_rows": 0,
              "pruned": 0, "seconds": 0.0}
    if not days:
        return report
    t0 = time.perf_counter()
    report["townships_repaired"] = repair_townships()  # rows an earlier run put under no township
    days = sorted(days)
    keep = stock_days(days, today)
    live = [d for d in keep if (today - d).days <= 1]
    backfill = [d for d in keep if d not in live]
    for i in range(0, len(days), chunk):  # flows and hires, a couple of months at a time
        part = days[i:i + chunk]
        d0, d1 = part[0], part[-1]
        t1 = time.perf_counter()
        h = sync_hires(d0, d1)
        report["hires_new"] += h["hires_new"]
        report["hire_outcomes"] += h["hire_outcomes"]
        cells = Cells()
        flows(d0, d1, cells)
        rows = cells.rows()
        with transaction.atomic():
            Fact.objects.filter(period=Period.DAY, day__gte=d0, day__lte=d1).delete()
            Fact.objects.bulk_create(rows, batch_size=5000)
            now = timezone.now()
            secs = (time.perf_counter() - t1) / len(part)
            FactDay.objects.filter(day__gte=d0, day__lte=d1).delete()
            FactDay.objects.bulk_create([FactDay(day=d, computed_at=now, stocks=d in keep,
                                                 stocks_live=d in live, seconds=secs) for d in part])
        report["facts"] += len(rows)
    # stocks of the kept days, in one pass (a backfill rebuilds them from timestamps in one sweep)
    cells = Cells()
    for d in live:
        stocks_live(d, cells)
    if backfill:
        stocks_backfill(min(backfill), max(backfill), backfill, cells)
    rows = cells.rows()
    Fact.objects.bulk_create(rows, batch_size=5000)
    report["facts"] += len(rows)
    report["month_rows"] = rollup_months(month_start(d) for d in days)
    report["pruned"] = prune_stocks(today)
    report.update(hirestats.rebuild())  # the hire records pre-summed, outcomes as known after this run
    report["seconds"] = round(time.perf_counter() - t0, 2)
    return report

