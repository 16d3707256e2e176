"""Reads for the staff workspace: scoped to the viewer's points (the bureau: all), a fixed number of
queries per page whatever the data size."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent, ApplicationStatus
from hongniang.core import roles
from hongniang.employers.models import Enterprise
from hongniang.geo.models import Region, RegionKind, ServicePoint
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.recommend.selectors import call_list_for
from hongniang.seekers.models import Seeker

from .models import FOLLOWUP_DAYS, CallLog, FollowUp, FollowUpStatus, ImportBatch, ImportStatus

DUE_AHEAD_DAYS = 7
NEAR_KM = 30.0


def point_ids(user) -> list[int] | None:
    """The points whose data the user sees; None means all (the bureau)."""
    if roles.is_bureau(user):
        return None
    return roles.service_point_ids(user)


def _scoped(qs: QuerySet, user, field: str = "service_point_id") -> QuerySet:
    ids = point_ids(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def points_of(user):
    qs = ServicePoint.objects.select_related("region__parent").order_by("kind", "name")
    ids = point_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


# --- jobs near a point ------------------------------------------------------------------------------


def _km(lat1, lon1, lat2, lon2) -> float:
    p = math.pi / 180
    a = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


@dataclass
class NearJob:
    posting: object
    distance_km: float | None


def open_jobs_near(lat: float | None, lon: float | None, *, km: float = NEAR_KM, limit: int = 20,
                   since: dt.datetime | None = None, township_code: str | None = None) -> list[NearJob]:
    """Published postings within `km` of a place (or in its township), nearest first."""
    qs = (JobPosting.objects.filter(status=PostingStatus.PUBLISHED)
          .select_related("enterprise", "township", "region"))
    if since is not None:
        qs = qs.filter(published_at__gte=since)
    if lat is None or lon is None:
        rows = list(qs.filter(township_id=township_code)[:limit]) if township_code else list(qs[:limit])
        return [NearJob(p, None) for p in rows]
    dlat = km / 111.0
    dlon = km / (111.0 * max(0.2, math.cos(lat * math.pi / 180)))
    cond = Q(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
    if township_code:
        cond |= Q(township_id=township_code)
    rows = list(qs.filter(cond).order_by("-published_at")[:2000])
    out = [NearJob(p, round(_km(lat, lon, p.lat, p.lon), 1) if p.lat is not None else None) for p in rows]
    out = [j for j in out if j.distance_km is None or j.distance_km <= km or
           (township_code and j.posting.township_id == township_code)]
    out.sort(key=lambda j: (j.distance_km is None, j.distance_km or 0))
    return out[:limit]


# --- call lists -------------------------------------------------------------------------------------


def called_seeker_ids(posting) -> set[int]:
    return set(CallLog.objects.filter(posting=posting).values_list("seeker_id", flat=True))


def call_list(posting, user, *, top: int = 30):
    """The matching engine's call list for the user's points, without anyone already called about this
    job (or already applied to it)."""
    points = roles.service_point_ids(user)
    if not points:
        return []
    called = called_seeker_ids(posting)
    items = call_list_for(posting, user, points, top=top + len(called))
    return [i for i in items if i.seeker.pk not in called and not i.applied][:top]


def call_logs(posting, user) -> QuerySet[CallLog]:
    return (_scoped(CallLog.objects.filter(posting=posting), user)
            .select_related("seeker__home_region__parent", "staff").order_by("-at"))


# --- follow-ups -------------------------------------------------------------------------------------


def followups(user, *, state: str = "due", today: dt.date | None = None) -> QuerySet[FollowUp]:
    """state: "due" (pending, due within the next week), "overdue" (pending, past its day), "done"."""
    today = today or timezone.localdate()
    qs = _scoped(FollowUp.objects.all(), user)
    if state == "overdue":
        qs = qs.filter(status=FollowUpStatus.PENDING, due_on__lt=today)
    elif state == "done":
        qs = qs.exclude(status=FollowUpStatus.PENDING).order_by("-done_at", "-id")  # ties: a stable page order
    else:
        qs = qs.filter(status=FollowUpStatus.PENDING, due_on__gte=today,
                       due_on__lte=today + dt.timedelta(days=DUE_AHEAD_DAYS))
    if state != "done":
        qs = qs.order_by("due_on", "id")  # the most urgent first: the oldest overdue, then today's
    return qs.select_related("seeker__home_region__parent", "enterprise", "application__posting", "service_point")


def followup_or_none(user, pk: int) -> FollowUp | None:
    return (_scoped(FollowUp.objects.select_related("seeker", "enterprise", "application__posting"), user)
            .filter(pk=pk).first())


@dataclass
class Retention:
    enterprise_id: int
    enterprise_name: str
    hires: int
    by_day: dict  # day → (recorded, still working, rate or None)


def retention_by_enterprise(user) -> list[Retention]:
    """Per enterprise: hires followed up, and at 7/30/90 days the share of those reached still working."""
    qs = _scoped(FollowUp.objects.all(), user)
    hires = dict(qs.values("enterprise_id").annotate(n=Count("application_id", distinct=True))
                 .values_list("enterprise_id", "n"))
    stats = (qs.filter(status=FollowUpStatus.DONE).values("enterprise_id", "day")
             .annotate(total=Count("id"), working=Count("id", filter=Q(still_working=True))))
    names = dict(Enterprise.objects.filter(pk__in=list(hires)).values_list("pk", "name"))
    table: dict[int, dict] = {e: {} for e in hires}
    for row in stats:
        rate = round(100 * row["working"] / row["total"]) if row["total"] else None
        table[row["enterprise_id"]][row["day"]] = (row["total"], row["working"], rate)
    out = [Retention(e, names.get(e, ""), hires[e], {d: table[e].get(d, (0, 0, None)) for d in FOLLOWUP_DAYS})
           for e in hires]
    out.sort(key=lambda r: (-r.hires, r.enterprise_name))
    return out


# --- figures ----------------------------------------------------------------------------------------


@dataclass
class PointFigures:
    point: object
    registered: int = 0
    active: int = 0
    placed_this_month: int = 0
    followups_due: int = 0
    followups_overdue: int = 0


def figures(user, today: dt.date | None = None) -> list[PointFigures]:
    """Registered, active, placed this month, follow-ups due and overdue: one line per visible point
    (five grouped queries in all, whatever the number of points)."""
    today = today or timezone.localdate()
    points = list(points_of(user))
    ids = [p.pk for p in points]
    rows = {p.pk: PointFigures(p) for p in points}
    for pid, total, active in (Seeker.objects.filter(service_point_id__in=ids).values("service_point_id")
                               .annotate(n=Count("id"), a=Count("id", filter=Q(is_active=True)))
                               .values_list("service_point_id", "n", "a")):
        rows[pid].registered, rows[pid].active = total, active
    month_start = timezone.make_aware(dt.datetime(today.year, today.month, 1))
    for pid, n in (ApplicationEvent.objects.filter(to_status=ApplicationStatus.HIRED, at__gte=month_start,
                                                   application__seeker__service_point_id__in=ids)
                   .values("application__seeker__service_point_id")
                   .annotate(n=Count("application_id", distinct=True))
                   .values_list("application__seeker__service_point_id", "n")):
        rows[pid].placed_this_month = n
    pending = FollowUp.objects.filter(service_point_id__in=ids, status=FollowUpStatus.PENDING)
    for pid, due, overdue in (pending.values("service_point_id").annotate(
            due=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_AHEAD_DAYS))),
            overdue=Count("id", filter=Q(due_on__lt=today)))
            .values_list("service_point_id", "due", "overdue")):
        rows[pid].followups_due, rows[pid].followups_overdue = due, overdue
    return [rows[p.pk] for p in points]


@dataclass
class TownshipFigures:
    name: str
    items: list
    totals: dict


def figures_by_township(items: list[PointFigures]) -> list[TownshipFigures]:
    """The points' figures grouped by their township (a point above township level under its own region), in
    the order the townships first appear."""
    groups: dict[str, list[PointFigures]] = {}
    for i in items:
        region = i.point.region
        township = region.township if region is not None else None
        groups.setdefault((township or region).name if (township or region) else "", []).append(i)
    return [TownshipFigures(name, rows, totals(rows)) for name, rows in groups.items()]


def totals(items: list[PointFigures]) -> dict:
    return {k: sum(getattr(i, k) for i in items) for k in
            ("registered", "active", "placed_this_month", "followups_due", "followups_overdue")}


# --- the workspace ----------------------------------------------------------------------------------


def open_batches(user) -> QuerySet[ImportBatch]:
    return (_scoped(ImportBatch.objects.filter(status=ImportStatus.PREVIEWED), user)
            .select_related("service_point", "enterprise"))


def batches(user) -> QuerySet[ImportBatch]:
    return _scoped(ImportBatch.objects.all(), user).select_related("service_point", "enterprise", "created_by")


def batch_or_none(user, pk: int) -> ImportBatch | None:
    return batches(user).filter(pk=pk).first()


def placements(user) -> QuerySet:
    """Hired applications of the user's points' seekers, newest first."""
    qs = Application.objects.filter(status=ApplicationStatus.HIRED)
    ids = point_ids(user)
    if ids is not None:
        qs = qs.filter(seeker__service_point_id__in=ids)
    return (qs.select_related("seeker__home_region__parent", "seeker__service_point", "posting__enterprise")
            .order_by("-updated_at", "-id"))


def townships_for_posters(user):
    """Townships a user prints posters for: their points' townships (the bureau: all)."""
    qs = Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code")
    ids = point_ids(user)
    if ids is None:
        return qs
    codes = set()
    for region in Region.objects.filter(service_points__pk__in=ids).select_related("parent"):
        t = region.township
        if t is not None:
            codes.add(t.code)
    return qs.filter(code__in=codes)
