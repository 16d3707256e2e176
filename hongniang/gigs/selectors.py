"""Reads for the gig market: open orders (nearest and soonest first), matching candidates, records, figures.
Plain ORM that runs the same on SQLite and PostgreSQL; distances are computed in Python on a bounded set."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.employers.models import Enterprise
from hongniang.geo.models import Region

from .models import (
    WORKING_ASSIGNMENT,
    ArrearsAlert,
    AssignmentStatus,
    GigAssignment,
    GigEmployer,
    GigOrder,
    GigWorker,
    OrderStatus,
    Rating,
    RatingDirection,
    WorkType,
)
from .permissions import employer_ids_for

S = AssignmentStatus
LIST_LIMIT = 500  # open orders are few (a county's day labour); distance sorting happens in Python


def my_employers(user) -> list[GigEmployer]:
    """The gig employers the user acts for (their enterprises' and their own individual one), by name: GET
    /api/v1/gigs/me/employers, and the start of `employers_to_post_for`."""
    return list(GigEmployer.objects.filter(pk__in=employer_ids_for(user)).select_related("enterprise").order_by("name"))


def employers_to_post_for(user) -> list[GigEmployer]:
    """Whom the user may post a gig order for (the order form's choices), without writing anything: their own gig
    employers; for each of their verified enterprises that has none yet, an unsaved GigEmployer (pk None — the
    row is created when an order is posted for it, `services.employer_for_enterprise`); staff of a point and the
    bureau may post for any gig employer (the first 500 by name)."""
    if roles.service_point_ids(user) or roles.is_bureau(user):
        return list(GigEmployer.objects.select_related("enterprise").order_by("name")[:500])
    mine = my_employers(user)
    have = {e.enterprise_id for e in mine if e.enterprise_id}
    new = [GigEmployer(enterprise=ent, name=ent.name, phone=ent.contact_phone or "", region_id=ent.region_id)
           for ent in Enterprise.objects.filter(pk__in=roles.enterprise_ids(user), verification_status="verified")
           .exclude(pk__in=have)]
    return sorted(mine + new, key=lambda e: e.name)[:500]


def haversine_km(lat1, lon1, lat2, lon2) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def signup_open_q(now: dt.datetime | None = None) -> Q:
    """Orders whose sign-up time has not passed (GigOrder.signup_closes_at: the last day's start, local time),
    by the clock at read time; the status is filtered separately."""
    local = timezone.localtime(now or timezone.now())
    today, t = local.date(), local.time()
    return ((Q(end_date__isnull=True) & (Q(date__gt=today) | Q(date=today, start_time__gt=t)))
            | (Q(end_date__isnull=False) & (Q(end_date__gt=today) | Q(end_date=today, start_time__gt=t))))


def open_orders(*, work_type: str = "", date: dt.date | None = None, township=None, lat: float | None = None,
                lon: float | None = None, limit: int = LIST_LIMIT) -> list[GigOrder]:
    """Orders still taking workers: open, and their sign-up time (the last day's start) not passed — one that
    has begun or is over is left out, whatever its stored status. With a place (township or lat/lon): nearest
    first, then soonest; otherwise soonest first. Each order gets `.distance_km` and `.taken` (confirmed
    workers)."""
    qs = (GigOrder.objects.filter(status=OrderStatus.OPEN)
          .filter(signup_open_q())
          .select_related("employer", "region", "township")
          .annotate(taken=Count("assignments", filter=Q(assignments__status__in=WORKING_ASSIGNMENT))))
    if work_type:
        qs = qs.filter(work_type=work_type)
    if date:
        qs = qs.filter(date__lte=date).filter(Q(end_date__gte=date) | Q(end_date__isnull=True, date=date))
    if township is not None and lat is None:
        lat, lon = township.lat, township.lon
    orders = list(qs.order_by("date", "start_time", "pk")[:limit])
    for o in orders:
        d = haversine_km(lat, lon, o.lat, o.lon)
        o.distance_km = round(d, 1) if d is not None else None
    if lat is not None and lon is not None:
        # nearest first in 1-km bands, soonest first within a band
        orders.sort(key=lambda o: (o.distance_km is None, round(o.distance_km or 0), o.date, o.start_time, o.pk))
    return orders


def orders_for_screen(*, township=None) -> dict[str, list[GigOrder]]:
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    qs = (GigOrder.objects.filter(status__in=(OrderStatus.OPEN, OrderStatus.FILLED, OrderStatus.IN_PROGRESS),
                                  date__lte=tomorrow)
          .filter(Q(date__gte=today) | Q(end_date__gte=today))
          .select_related("employer", "region", "township")
          .annotate(taken=Count("assignments", filter=Q(assignments__status__in=WORKING_ASSIGNMENT)))
          .order_by("date", "start_time", "pk"))
    if township is not None:
        qs = qs.filter(township=township)
    out = {"today": [], "tomorrow": []}
    now = timezone.now()
    for o in qs:
        if o.has_ended(now):  # its work time is over: off the screen, whatever its stored status
            continue
        if o.date <= today:
            out["today"].append(o)
        if o.date == tomorrow or (o.end_date and o.end_date >= tomorrow):
            out["tomorrow"].append(o)
    return out


def employer_orders(employer_ids: list[int]):
    return (GigOrder.objects.filter(employer_id__in=employer_ids).select_related("employer", "region")
            .annotate(taken=Count("assignments", filter=Q(assignments__status__in=WORKING_ASSIGNMENT)),
                      waiting=Count("assignments", filter=Q(assignments__status=S.SIGNED_UP)))
            .order_by("-date", "-pk"))


def staff_orders(point_ids: list[int]):
    return (GigOrder.objects.filter(service_point_id__in=point_ids).select_related("employer", "region")
            .annotate(taken=Count("assignments", filter=Q(assignments__status__in=WORKING_ASSIGNMENT)),
                      waiting=Count("assignments", filter=Q(assignments__status=S.SIGNED_UP)))
            .order_by("-date", "-pk"))


def worker_assignments(worker: GigWorker):
    return (GigAssignment.objects.filter(worker=worker)
            .select_related("order", "order__employer", "order__region").order_by("-order__date", "-pk"))


def order_assignments(order: GigOrder):
    return order.assignments.select_related("worker").order_by("signed_up_at", "pk")


@dataclass
class WorkerRecord:
    worker_id: int
    name: str
    completed: int
    no_shows: int
    late_cancels: int
    stars: float | None
    ratings: int
    hours: Decimal
    recent: list = field(default_factory=list)


def worker_record(worker: GigWorker, recent: int = 10) -> WorkerRecord:
    """A worker's record of completed gigs, usable as a reference (names of employers are shown,
    the worker's own name is masked)."""
    worker.refresh_from_db(fields=["completed_count", "no_show_count", "late_cancel_count"])
    agg = Rating.objects.filter(worker=worker, direction=RatingDirection.EMPLOYER_TO_WORKER).aggregate(
        avg=Avg("stars"), n=Count("pk"))
    done = GigAssignment.objects.filter(worker=worker, status__in=(S.CHECKED_OUT, S.PAID, S.SETTLED, S.DISPUTED))
    hours = _dec(done.aggregate(h=Sum("hours_worked"))["h"])
    rows = [
        {"date": a.order.date, "work_type": a.order.get_work_type_display(), "employer": a.order.employer.display_name,
         "hours": a.hours_worked}
        for a in done.select_related("order", "order__employer").order_by("-order__date")[:recent]
    ]
    return WorkerRecord(worker_id=worker.pk, name=worker.masked_name, completed=worker.completed_count,
                        no_shows=worker.no_show_count, late_cancels=worker.late_cancel_count,
                        stars=round(agg["avg"], 1) if agg["avg"] else None, ratings=agg["n"], hours=hours,
                        recent=rows)


def employer_stars(employer_id: int) -> tuple[float | None, int]:
    agg = Rating.objects.filter(employer_id=employer_id, direction=RatingDirection.WORKER_TO_EMPLOYER).aggregate(
        avg=Avg("stars"), n=Count("pk"))
    return (round(agg["avg"], 1) if agg["avg"] else None), agg["n"]


@dataclass
class Candidate:
    worker: GigWorker
    distance_km: float | None
    score: float
    reasons: list[str]
    stars: float | None = None


def candidates(order: GigOrder, *, limit: int = 30) -> list[Candidate]:
    """Workers free on the order's date and within reach, ranked by distance, work type and record."""
    busy = GigAssignment.objects.filter(
        order__date=order.date, status__in=(S.CONFIRMED, S.CHECKED_IN, S.INVITED)).values("worker_id")
    already = GigAssignment.objects.filter(order=order).values("worker_id")
    workers = (GigWorker.objects.filter(availability__date=order.date)
               .exclude(pk__in=busy).exclude(pk__in=already).select_related("home_region").distinct())
    if order.employer.user_id:
        workers = workers.exclude(user_id=order.employer.user_id)
    stars = dict(Rating.objects.filter(direction=RatingDirection.EMPLOYER_TO_WORKER)
                 .values("worker_id").annotate(a=Avg("stars")).values_list("worker_id", "a"))
    out = []
    for w in workers[:5000]:
        d = haversine_km(w.lat, w.lon, order.lat, order.lon)
        if d is not None and d > w.max_distance_km:
            continue
        reasons = []
        score = 0.0
        if d is None:
            score += 0.3
            reasons.append(_("位置未知"))
        else:
            score += max(0.0, 1.0 - d / max(w.max_distance_km, 1))
            reasons.append(_("距离约 %(km).1f 公里") % {"km": d})
        if order.work_type in (w.work_types or []):
            score += 0.6
            reasons.append(_("会做%(work_type)s") % {"work_type": order.get_work_type_display()})
        elif not w.work_types:
            score += 0.2
        s = stars.get(w.pk)
        if s:
            score += (float(s) - 3) * 0.1
            reasons.append(_("评价 %(stars).1f 星") % {"stars": float(s)})
        if w.completed_count:
            score += min(w.completed_count, 20) * 0.01
            reasons.append(_("完成 %(completed_count)s 次") % {"completed_count": w.completed_count})
        if w.no_show_count:
            score -= 0.15 * w.no_show_count
            reasons.append(_("爽约 %(no_show_count)s 次") % {"no_show_count": w.no_show_count})
        if w.late_cancel_count:
            score -= 0.05 * w.late_cancel_count
        out.append(Candidate(worker=w, distance_km=round(d, 1) if d is not None else None, score=round(score, 3),
                             reasons=reasons, stars=round(float(s), 1) if s else None))
    out.sort(key=lambda c: (-c.score, c.distance_km if c.distance_km is not None else 1e9, c.worker.pk))
    return out[:limit]


def previous_workers(employer_id: int, limit: int = 50) -> list[GigWorker]:
    """Workers who worked for this employer (for one-tap rehire), most recent first."""
    ids = (GigAssignment.objects.filter(order__employer_id=employer_id,
                                        status__in=(S.CHECKED_OUT, S.PAID, S.SETTLED, S.DISPUTED))
           .order_by("-checked_out_at").values_list("worker_id", flat=True))
    seen = []
    for i in ids[:500]:
        if i not in seen:
            seen.append(i)
        if len(seen) >= limit:
            break
    by_id = GigWorker.objects.in_bulk(seen)
    return [by_id[i] for i in seen if i in by_id]


def open_arrears():
    return (ArrearsAlert.objects.filter(resolved_at__isnull=True)
            .select_related("employer", "order", "order__region", "assignment", "assignment__worker")
            .order_by("raised_at", "pk"))


def _dec(value) -> Decimal:
    """Sums come back as int/float-ish Decimals on SQLite; keep money and hours at two places everywhere."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def figures(*, date_from: dt.date, date_to: dt.date) -> dict:
    """Orders, workers, hours, pay settled and arrears open: totals, by day and by township."""
    orders = GigOrder.objects.filter(date__gte=date_from, date__lte=date_to)
    work = GigAssignment.objects.filter(order__date__gte=date_from, order__date__lte=date_to,
                                        status__in=WORKING_ASSIGNMENT)
    settled = Q(status=S.SETTLED)

    def block(group: str, label: str | None = None):
        rows: dict = {}
        for r in orders.exclude(status=OrderStatus.CANCELLED).values(group).annotate(n=Count("pk")):
            rows.setdefault(r[group], {})["orders"] = r["n"]
        for r in work.values(f"order__{group}").annotate(
                w=Count("worker", distinct=True), h=Sum("hours_worked"), p=Sum("pay_amount", filter=settled)):
            row = rows.setdefault(r[f"order__{group}"], {})
            row.update(workers=r["w"], hours=_dec(r["h"]), pay_settled=_dec(r["p"]))
        for r in ArrearsAlert.objects.filter(resolved_at__isnull=True, order__date__gte=date_from,
                                             order__date__lte=date_to).values(f"order__{group}").annotate(n=Count("pk")):
            rows.setdefault(r[f"order__{group}"], {})["arrears_open"] = r["n"]
        for row in rows.values():
            for k, v in (("orders", 0), ("workers", 0), ("hours", _dec(None)), ("pay_settled", _dec(None)),
                         ("arrears_open", 0)):
                row.setdefault(k, v)
        return rows

    by_day = block("date")
    by_town = block("township")

    names = dict(Region.objects.filter(pk__in=[k for k in by_town if k]).values_list("pk", "name"))
    totals = {
        "orders": orders.exclude(status=OrderStatus.CANCELLED).count(),
        "workers": work.values("worker").distinct().count(),
        "hours": _dec(work.aggregate(h=Sum("hours_worked"))["h"]),
        "pay_settled": _dec(work.filter(settled).aggregate(p=Sum("pay_amount"))["p"]),
        "arrears_open": ArrearsAlert.objects.filter(resolved_at__isnull=True).count(),
    }
    return {
        "date_from": date_from, "date_to": date_to, "totals": totals,
        "by_day": [{"date": k, **v} for k, v in sorted(by_day.items(), key=lambda kv: kv[0])],
        "by_township": [{"township_code": k or "", "township": names.get(k, _("未知")), **v}
                        for k, v in sorted(by_town.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))],
    }


WORK_TYPE_LABELS = dict(WorkType.choices)
