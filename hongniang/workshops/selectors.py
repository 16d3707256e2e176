"""Reads shared by the workshops pages and API: who sees what (permissions.py), workshops' records and free
capacity, the ranking of workshops for an order, balances, pieces and wages, the enterprise's and the
bureau's figures. Personal data (workers' names, pieces, wages) is read only through functions that check the
permission and write an audit row."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hongniang.catalog.models import Occupation
from hongniang.core import roles, wages
from hongniang.core.audit import audit
from hongniang.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.geo.models import Region, RegionKind
from hongniang.matching.core import haversine_km, occupation_levels

from . import ledger
from .machines import ORDER, SHARE, WAGE
from .models import (
    ACTIVE_SHARE,
    Handover,
    HandoverKind,
    HandoverPhoto,
    OrderStatus,
    OutsourcingOrder,
    PieceRecord,
    Share,
    ShareStatus,
    WageArrearsAlert,
    WageLine,
    WageStatus,
    Workshop,
    WorkshopKind,
    WorkshopPhoto,
    WorkshopStatus,
    WorkshopWorker,
)
from .permissions import (
    can_manage_order,
    can_see_order,
    can_see_workshop,
    is_wage_worker,
    may_see_share,
    owned_workshop_ids,
    staff_township_codes,
)

S = ShareStatus
# pieces × the rate they earn: already computed pieces at the rate of their computation (see ledger.EARN)
EARN = ledger.EARN
# ranking weights: distance, skills, free capacity, record
W_DIST, W_SKILL, W_CAP, W_RECORD = Decimal("0.35"), Decimal("0.25"), Decimal("0.2"), Decimal("0.2")
NEAR_KM = 30.0


def _today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------------------------------ records, capacity

def records(workshop_ids) -> dict[int, dict]:
    """Each workshop's record: shares done, on-time rate (delivered by the order's deadline), reject rate (of the
    goods handed back) and its workers' average 元/h."""
    ids = list(workshop_ids)
    out = {i: {"orders_done": 0, "on_time_rate": None, "reject_rate": None, "avg_hourly": None} for i in ids}
    delivered = (Share.objects.filter(workshop_id__in=ids, delivered_at__isnull=False)
                 .values_list("workshop_id", "delivered_at", "order__deadline"))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for wid, at, deadline in delivered:
        counts[wid][0] += 1
        counts[wid][1] += timezone.localdate(at) <= deadline
    for wid, (n, on_time) in counts.items():
        out[wid]["orders_done"] = n
        out[wid]["on_time_rate"] = (Decimal(on_time) * 100 / n).quantize(ledger.CENT)
    back = (Handover.objects.filter(share__workshop_id__in=ids).exclude(kind=HandoverKind.OUT)
            .values("share__workshop_id", "kind").annotate(q=Sum("quantity")))
    ret: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in back:
        ret[r["share__workshop_id"]][0] += r["q"] or 0
        if r["kind"] == HandoverKind.REJECT:
            ret[r["share__workshop_id"]][1] += r["q"] or 0
    for wid, (returned, rejected) in ret.items():
        if returned:
            out[wid]["reject_rate"] = (Decimal(rejected) * 100 / returned).quantize(ledger.CENT)
    earn = (PieceRecord.objects.filter(share__workshop_id__in=ids).values("share__workshop_id")
            .annotate(e=Sum(EARN), h=Sum("hours")))
    for r in earn:
        if r["h"]:
            out[r["share__workshop_id"]]["avg_hourly"] = ledger.money(Decimal(r["e"]) / r["h"])
    return out


def capacity(workshops) -> dict[int, dict]:
    """Free capacity in worker-hours a day: stations × usual hours, less what the active shares still need
    (remaining pieces at the trial speed, spread over the days left before their deadlines)."""
    ws = list(workshops)
    today = _today()
    busy: dict[int, Decimal] = defaultdict(Decimal)
    shares = (Share.objects.filter(workshop__in=ws, status__in=ACTIVE_SHARE)
              .select_related("order").only("workshop_id", "quantity", "order__trial_pieces_per_hour",
                                            "order__deadline", "order__piece_rate"))
    done = dict(PieceRecord.objects.filter(share__in=shares).values("share_id").annotate(p=Sum("pieces"))
                .values_list("share_id", "p"))
    for s in shares:
        left = max(0, s.quantity - (done.get(s.pk) or 0))
        days = max(1, (s.order.deadline - today).days)
        busy[s.workshop_id] += Decimal(left) / s.order.trial_pieces_per_hour / days
    out = {}
    for w in ws:
        total = Decimal(w.stations) * w.hours_per_day
        free = max(Decimal(0), total - busy[w.pk])
        out[w.pk] = {"hours_per_day": total.quantize(Decimal("0.1")), "free_hours_per_day": free.quantize(Decimal("0.1")),
                     "free_stations": int(free / w.hours_per_day) if w.hours_per_day else 0}
    return out


# ------------------------------------------------------------------------------------------------- public list

def public_workshops(*, township: str = "", skill: str = "", q: str = ""):
    """Workshops taking orders (home workers are people: not listed publicly)."""
    qs = (Workshop.objects.filter(status=WorkshopStatus.ACTIVE, kind=WorkshopKind.WORKSHOP)
          .select_related("township", "region", "service_point").order_by("township_id", "name", "pk"))
    if township:
        qs = qs.filter(Q(township_id=township) | Q(township__name=township))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(skills_text__icontains=q))
    if skill:
        rows = [w for w in qs if any(c == skill or c.startswith(skill + "-") for c in w.skills)]
        return rows
    return list(qs)


def occupation_names(codes) -> dict[str, str]:
    return dict(Occupation.objects.filter(code__in=set(codes)).values_list("code", "name"))


def public_dicts(rows) -> list[dict]:
    """What anyone may see of workshops: no owner, no phone, no workers."""
    names = occupation_names(c for w in rows for c in w.skills)
    caps = capacity(rows)
    recs = records(w.pk for w in rows)
    return [{"id": w.pk, "name": w.name, "township": w.township_id or "",
             "township_name": w.township.name if w.township_id else "",
             "village": w.region.name if w.region.kind == RegionKind.VILLAGE else "",
             "service_point": w.service_point.name if w.service_point_id else "",
             "lat": w.lat, "lon": w.lon, "stations": w.stations, "usual_hours": w.usual_hours,
             "skills": [{"code": c, "name": names.get(c, "")} for c in w.skills], "skills_text": w.skills_text,
             "equipment": w.equipment, "free_hours_per_day": caps[w.pk]["free_hours_per_day"],
             "free_stations": caps[w.pk]["free_stations"], "orders_done": recs[w.pk]["orders_done"],
             "on_time_rate": recs[w.pk]["on_time_rate"], "reject_rate": recs[w.pk]["reject_rate"]}
            for w in rows]


# ------------------------------------------------------------------------------------------------ who sees what

def workshops_for(user):
    """Workshops the user may manage or look after: own ones; staff: those in their townships; the bureau: all."""
    qs = Workshop.objects.select_related("township", "region", "service_point")
    if roles.is_bureau(user):
        return qs
    cond = Q(pk__in=owned_workshop_ids(user))
    towns = staff_township_codes(user)
    if towns:
        cond |= Q(township_id__in=towns)
    return qs.filter(cond)


def workshop_for(user, pk) -> Workshop:
    w = Workshop.objects.select_related("township", "region").filter(pk=pk).first()
    if w is None or not can_see_workshop(user, w):
        raise NotFoundError(_("找不到该车间"))
    return w


def workshop_photo_for(user, pk) -> WorkshopPhoto:
    """A photo of a workshop, for those who see the workshop (the owner, its township's staff, the bureau)."""
    photo = WorkshopPhoto.objects.select_related("workshop").filter(pk=pk).first()
    if photo is None or not can_see_workshop(user, photo.workshop):
        raise NotFoundError(_("找不到该照片"))
    return photo


def workers_of(user, workshop: Workshop) -> list[WorkshopWorker]:
    if not can_see_workshop(user, workshop):
        raise NotFoundError(_("找不到该车间"))
    audit(actor=user, action="workshops.view_workers", target=workshop)
    return list(workshop.workers.select_related("home_region").order_by("-active", "name", "pk"))


def orders_for(user, *, status: str = ""):
    """Orders the user may see: the enterprise's own; a workshop's, those it has a share of; staff, those with a
    share in their townships; the bureau, all."""
    qs = OutsourcingOrder.objects.select_related("enterprise", "occupation")
    if not roles.is_bureau(user):
        cond = Q(enterprise_id__in=roles.enterprise_ids(user))
        mine = owned_workshop_ids(user)
        if mine:
            cond |= Q(pk__in=Share.objects.filter(workshop_id__in=mine).values("order_id"))
        towns = staff_township_codes(user)
        if towns:
            cond |= Q(pk__in=Share.objects.filter(workshop__township_id__in=towns).values("order_id"))
        qs = qs.filter(cond)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def order_for(user, pk) -> OutsourcingOrder:
    order = OutsourcingOrder.objects.select_related("enterprise", "occupation", "region").filter(pk=pk).first()
    if order is None or not can_see_order(user, order):
        raise NotFoundError(_("找不到该订单"))
    return order


def shares_of(user, order: OutsourcingOrder):
    """The order's shares this user may see: all for its enterprise and the bureau; a workshop its own; staff
    those of workshops in their townships."""
    qs = order.shares.select_related("workshop", "workshop__township").order_by("pk")
    if can_manage_order(user, order):
        return qs
    cond = Q(workshop_id__in=owned_workshop_ids(user))
    towns = staff_township_codes(user)
    if towns:
        cond |= Q(workshop__township_id__in=towns)
    return qs.filter(cond)


def share_for(user, pk) -> Share:
    share = Share.objects.select_related("order", "order__enterprise", "workshop").filter(pk=pk).first()
    if share is None or not (can_manage_order(user, share.order) or can_see_workshop(user, share.workshop)):
        raise NotFoundError(_("找不到该分单"))
    return share


def my_shares(user, *, statuses=None):
    """Shares of the workshops the user runs (the owner's phone pages)."""
    qs = (Share.objects.filter(workshop_id__in=owned_workshop_ids(user))
          .select_related("order", "order__enterprise", "workshop").order_by("order__deadline", "pk"))
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs


def handovers_of(user, order: OutsourcingOrder) -> list[Handover]:
    shares = shares_of(user, order)
    return list(Handover.objects.filter(share__in=shares).select_related("share__workshop")
                .prefetch_related("photos").order_by("date", "pk"))


def handover_photo_for(user, pk) -> HandoverPhoto:
    """A photo of rejected goods, for those who see its share (the enterprise, the workshop, its township's staff,
    the bureau)."""
    photo = (HandoverPhoto.objects.select_related("handover__share__order", "handover__share__workshop")
             .filter(pk=pk).first())
    if photo is None or not may_see_share(user, photo.handover.share):
        raise NotFoundError(_("找不到该照片"))
    return photo


def balances(user, order: OutsourcingOrder) -> dict:
    """The running balance per share the user sees, and their total."""
    shares = list(shares_of(user, order))
    by = ledger.balances_by_share(s.pk for s in shares)
    total = ledger.Balance()
    rows = []
    for s in shares:
        b = by.get(s.pk, ledger.Balance())
        total.out += b.out
        total.back += b.back
        total.reject += b.reject
        rows.append({"share": s, **b.as_dict()})
    return {"shares": rows, "total": total.as_dict()}


def pieces_of(user, order: OutsourcingOrder, *, day: dt.date | None = None) -> list[PieceRecord]:
    shares = shares_of(user, order)
    qs = PieceRecord.objects.filter(share__in=shares).select_related("worker", "share__workshop")
    if day:
        qs = qs.filter(day=day)
    audit(actor=user, action="workshops.view_pieces", target=order)
    return list(qs.order_by("day", "share_id", "worker_id"))


def wages_of(user, order: OutsourcingOrder) -> list[WageLine]:
    shares = shares_of(user, order)
    cond = Q(share__in=shares)
    if getattr(user, "is_authenticated", False):
        cond |= Q(share__order=order, worker__user=user)
    audit(actor=user, action="workshops.view_wages", target=order)
    return list(WageLine.objects.filter(cond).select_related("worker", "share__workshop").distinct()
                .order_by("share_id", "worker_id"))


def order_for_worker_or_viewer(user, pk) -> OutsourcingOrder:
    """The order, for those who see it or a worker paid on it (the worker sees only their own wages)."""
    order = OutsourcingOrder.objects.select_related("enterprise").filter(pk=pk).first()
    if order is None:
        raise NotFoundError(_("找不到该订单"))
    if can_see_order(user, order):
        return order
    if getattr(user, "is_authenticated", False) and WageLine.objects.filter(share__order=order,
                                                                            worker__user=user).exists():
        return order
    raise NotFoundError(_("找不到该订单"))


def may_see_wage(user, wage: WageLine) -> bool:
    return (can_manage_order(user, wage.share.order) or can_see_workshop(user, wage.share.workshop)
            or is_wage_worker(user, wage))


def my_wages(user) -> list[WageLine]:
    """A worker's own wages (the worker confirms or disputes them)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(WageLine.objects.filter(worker__user=user)
                .select_related("share__order", "share__workshop").order_by("-due_date", "-pk"))


def workshop_wages(user, workshop: Workshop) -> list[WageLine]:
    if not can_see_workshop(user, workshop):
        raise NotFoundError(_("找不到该车间"))
    audit(actor=user, action="workshops.view_wages", target=workshop)
    return list(WageLine.objects.filter(share__workshop=workshop).select_related("worker", "share__order")
                .order_by("status", "-due_date", "worker__name"))


def buttons(obj, user) -> list[dict]:
    machine = {OutsourcingOrder: ORDER, Share: SHARE, WageLine: WAGE}[type(obj)]
    return machine.buttons(obj, user)


# ------------------------------------------------------------------------------------------------------ ranking

def _skill_score(order: OutsourcingOrder, codes: list[str]) -> Decimal:
    """1 the same occupation, 0.8 the same minor group, 0.5 the same medium group, 0.2 the same major group;
    0.4 when either side names none (the matching engine's neutral closeness)."""
    if not order.occupation_id or not codes:
        return Decimal("0.4")
    want = occupation_levels(order.occupation_id)
    best = Decimal(0)
    for c in codes:
        have = occupation_levels(c)
        common = 0
        for a, b in zip(want, have, strict=False):
            if a != b:
                break
            common += 1
        best = max(best, {4: Decimal(1), 3: Decimal("0.8"), 2: Decimal("0.5"), 1: Decimal("0.2")}.get(common,
                                                                                                       Decimal(0)))
    return best


#: what a skill score means to the person sending the work (see _skill_score)
SKILL_LABELS = ((Decimal(1), _lazy("熟练：做过同样的活")), (Decimal("0.8"), _lazy("做过类似的活")),
                (Decimal("0.5"), _lazy("做过相近的活")), (Decimal("0.4"), _lazy("没登记会做什么")),
                (Decimal("0.2"), _lazy("新手：只做过同一大类的活")), (Decimal(0), _lazy("新手：没做过这类活")))


def skill_label(score) -> str:
    """The words for a skill score of rank_workshops (1 → 做过同样的活 … 0 → 新手)."""
    score = Decimal(str(score))
    return str(next(label for floor, label in SKILL_LABELS if score >= floor))


def rank_workshops(order: OutsourcingOrder, *, limit: int = 20, township: str = "") -> list[dict]:
    """Workshops for an order, best first: distance (the matching engine's haversine), skills against the
    order's occupation code and minor group, free capacity before the deadline, and record (on time, rejects).
    Workshops already offered a part are left out."""
    qs = Workshop.objects.filter(status=WorkshopStatus.ACTIVE).exclude(
        pk__in=order.shares.values("workshop_id")).select_related("township", "region")
    if township:
        qs = qs.filter(township_id=township)
    ws = list(qs[:2000])
    caps = capacity(ws)
    recs = records(w.pk for w in ws)
    days = max(1, (order.deadline - _today()).days)
    taken = order.shares.exclude(status__in=(S.DECLINED, S.CANCELLED)).aggregate(n=Sum("offered_quantity"))["n"] or 0
    remaining = max(1, order.quantity - taken)
    rows = []
    for w in ws:
        d = None
        if None not in (w.lat, w.lon, order.lat, order.lon):
            d = haversine_km(order.lat, order.lon, w.lat, w.lon)
        dist = Decimal("0.3") if d is None else Decimal(str(max(0.0, 1 - d / NEAR_KM))).quantize(Decimal("0.001"))
        skill = _skill_score(order, w.skills)
        free_pieces = caps[w.pk]["free_hours_per_day"] * order.trial_pieces_per_hour / ledger.FAIR_RATE_FACTOR * days
        cap = min(Decimal(1), free_pieces / remaining)
        rec = recs[w.pk]
        if rec["orders_done"]:
            on_time = (rec["on_time_rate"] or 0) / 100
            rejects = rec["reject_rate"] or Decimal(0)
            allowed = max(order.allowed_reject_rate, Decimal("0.5"))
            record = Decimal("0.6") * on_time + Decimal("0.4") * max(Decimal(0), 1 - rejects / (2 * allowed))
        else:
            record = Decimal("0.6")
        score = W_DIST * dist + W_SKILL * skill + W_CAP * cap + W_RECORD * record
        rows.append({"workshop": w, "distance_km": None if d is None else round(d, 1), "skill": skill,
                     "capacity": cap.quantize(Decimal("0.01")), "record": record.quantize(Decimal("0.01")),
                     "free_pieces": int(free_pieces), "score": score.quantize(Decimal("0.001")), **rec})
    rows.sort(key=lambda r: (-r["score"], r["distance_km"] if r["distance_km"] is not None else 1e9,
                             r["workshop"].pk))
    return rows[:limit]


# ------------------------------------------------------------------------------------------- enterprise view

def enterprise_overview(user) -> dict:
    """For the enterprise's page: orders in progress, late ones, reject rate by workshop, material outstanding."""
    ents = roles.enterprise_ids(user)
    orders = list(OutsourcingOrder.objects.filter(enterprise_id__in=ents).order_by("deadline", "pk"))
    today = _today()
    active = [o for o in orders if o.status in (OrderStatus.OPEN, OrderStatus.IN_PROGRESS)]
    shares = list(Share.objects.filter(order__in=orders).select_related("workshop", "order"))
    bal = ledger.balances_by_share(s.pk for s in shares)
    late = []
    for s in shares:
        if s.status in ACTIVE_SHARE and s.order.deadline < today:
            late.append(s)
        elif s.delivered_at and timezone.localdate(s.delivered_at) > s.order.deadline:
            late.append(s)
    by_ws: dict[int, dict] = {}
    for s in shares:
        b = bal.get(s.pk, ledger.Balance())
        row = by_ws.setdefault(s.workshop_id, {"workshop": s.workshop, "back": 0, "reject": 0, "outstanding": 0})
        row["back"] += b.back
        row["reject"] += b.reject
        row["outstanding"] += b.outstanding if s.status not in (S.CANCELLED, S.DECLINED) else 0
    for row in by_ws.values():
        n = row["back"] + row["reject"]
        row["reject_rate"] = (Decimal(row["reject"]) * 100 / n).quantize(ledger.CENT) if n else None
    outstanding = [{"share": s, **bal.get(s.pk, ledger.Balance()).as_dict()} for s in shares
                   if bal.get(s.pk) and bal[s.pk].outstanding and s.status not in (S.CANCELLED, S.DECLINED)]
    return {"orders": orders, "active": active, "late": late,
            "by_workshop": sorted(by_ws.values(), key=lambda r: -(r["reject_rate"] or 0)),
            "outstanding": outstanding, "flagged": [o for o in active if o.needs_trial]}


# ------------------------------------------------------------------------------------------- bureau figures

def _township_filter(township: str) -> Q:
    if not township:
        return Q()
    return Q(township_id=township) | Q(township__name=township)


def worker_months(*, since: dt.date | None = None, until: dt.date | None = None, township: str = "") -> list[dict]:
    """Each worker's earnings and hours per calendar month (pieces × piece rate over the hours recorded)."""
    qs = PieceRecord.objects.all()
    if since:
        qs = qs.filter(day__gte=since)
    if until:
        qs = qs.filter(day__lte=until)
    if township:
        qs = qs.filter(Q(share__workshop__township_id=township) | Q(share__workshop__township__name=township))
    rows = (qs.annotate(month=TruncMonth("day")).values("worker_id", "month", "share__workshop__township_id")
            .annotate(earn=Sum(EARN), hours=Sum("hours")).order_by())
    merged: dict[tuple, dict] = {}
    for r in rows:
        key = (r["worker_id"], r["month"])
        m = merged.setdefault(key, {"worker_id": r["worker_id"], "month": r["month"],
                                    "township": r["share__workshop__township_id"], "earn": Decimal(0),
                                    "hours": Decimal(0)})
        m["earn"] += Decimal(r["earn"] or 0)
        m["hours"] += Decimal(r["hours"] or 0)
    out = []
    for m in merged.values():
        m["hourly"] = ledger.money(m["earn"] / m["hours"]) if m["hours"] else None
        out.append(m)
    return out


def bureau_figures(*, since: dt.date | None = None, until: dt.date | None = None, township: str = "") -> dict:
    """The bureau's figures (the workshops page and the dashboard panel): workshops active by township, people
    working at or near home, wages paid and due, hourly equivalents and the share of worker-months at or above
    the hourly minimum (goal ≥ 90 %). since/until: dates (inclusive) of the pieces and payments counted;
    township: a township code or name ("" the whole county). Counts only: no personal data."""
    minimum = wages.minimum_hourly()
    wq = Workshop.objects.filter(_township_filter(township))
    pq = PieceRecord.objects.filter(Q(share__workshop__in=wq))
    if since:
        pq = pq.filter(day__gte=since)
    if until:
        pq = pq.filter(day__lte=until)
    # people: workers with pieces in the period; "near home" = they live in the workshop's township, or work at home
    people = (pq.values("worker_id", "worker__home_region__parent_id", "worker__home_region_id",
                        "share__workshop__township_id", "share__workshop__kind").distinct())
    working, near, at_home = set(), set(), set()
    for r in people:
        working.add(r["worker_id"])
        if r["share__workshop__kind"] == WorkshopKind.HOME:
            at_home.add(r["worker_id"])
            near.add(r["worker_id"])
        elif r["share__workshop__township_id"] and r["share__workshop__township_id"] in (
                r["worker__home_region__parent_id"], r["worker__home_region_id"]):
            near.add(r["worker_id"])
    paid_q = WageLine.objects.filter(share__workshop__in=wq, status__in=(WageStatus.PAID, WageStatus.CONFIRMED))
    if since:
        paid_q = paid_q.filter(paid_at__date__gte=since)
    if until:
        paid_q = paid_q.filter(paid_at__date__lte=until)
    paid = paid_q.aggregate(n=Sum("paid_amount"))["n"] or Decimal(0)
    due = (WageLine.objects.filter(share__workshop__in=wq, status__in=(WageStatus.DUE, WageStatus.DISPUTED))
           .aggregate(n=Sum("amount"))["n"] or Decimal(0))
    totals = pq.aggregate(earn=Sum(EARN), hours=Sum("hours"), pieces=Sum("pieces"))
    months = worker_months(since=since, until=until, township=township)
    hourly = [m["hourly"] for m in months if m["hourly"] is not None]
    at_or_above = sum(1 for h in hourly if h >= minimum)
    # by township
    by_town: dict[str, dict] = {}
    names = dict(Region.objects.filter(kind=RegionKind.TOWNSHIP).values_list("code", "name"))
    for code, kind, status in wq.values_list("township_id", "kind", "status"):
        row = by_town.setdefault(code or "", {"township": code or "", "township_name": names.get(code, "—"),
                                              "workshops": 0, "home_workers": 0, "working_workshops": 0,
                                              "people": 0, "earn": Decimal(0), "hours": Decimal(0)})
        if status == WorkshopStatus.ACTIVE:
            row["home_workers" if kind == WorkshopKind.HOME else "workshops"] += 1
    working_ws = defaultdict(set)
    people_by_town = defaultdict(set)
    for code, ws_id, worker_id in pq.values_list("share__workshop__township_id", "share__workshop_id",
                                                 "worker_id").distinct():
        working_ws[code or ""].add(ws_id)
        people_by_town[code or ""].add(worker_id)
    for r in pq.values("share__workshop__township_id").annotate(earn=Sum(EARN), hours=Sum("hours")).order_by():
        code = r["share__workshop__township_id"] or ""
        row = by_town.get(code)
        if row is not None:
            row["earn"], row["hours"] = Decimal(r["earn"] or 0), Decimal(r["hours"] or 0)
    town_rows = []
    for code, row in sorted(by_town.items(), key=lambda kv: kv[0]):
        row["working_workshops"] = len(working_ws.get(code, ()))
        row["people"] = len(people_by_town.get(code, ()))
        row["hourly"] = ledger.money(row["earn"] / row["hours"]) if row["hours"] else None
        row["earn"] = ledger.money(row["earn"])
        row["hours"] = row["hours"].quantize(Decimal("0.1"))
        town_rows.append(row)
    return {
        "since": since, "until": until, "township": township,
        "minimum_hourly": minimum,
        "workshops_active": wq.filter(status=WorkshopStatus.ACTIVE, kind=WorkshopKind.WORKSHOP).count(),
        "home_workers_active": wq.filter(status=WorkshopStatus.ACTIVE, kind=WorkshopKind.HOME).count(),
        "workshops_working": len({w for s in working_ws.values() for w in s}),
        "people_working": len(working),
        "people_near_home": len(near),
        "people_at_home": len(at_home),
        "pieces": totals["pieces"] or 0,
        "earnings": ledger.money(totals["earn"] or 0),
        "hours": Decimal(totals["hours"] or 0).quantize(Decimal("0.1")),
        "hourly_average": ledger.money(Decimal(totals["earn"]) / totals["hours"]) if totals["hours"] else None,
        "hourly_median": ledger.money(statistics.median(hourly)) if hourly else None,
        "worker_months": len(hourly),
        "worker_months_at_minimum": at_or_above,
        "share_at_minimum": (Decimal(at_or_above) * 100 / len(hourly)).quantize(Decimal("0.1")) if hourly else None,
        "goal_share": Decimal(90),
        "wages_paid": ledger.money(paid),
        "wages_due": ledger.money(due),
        "arrears_open": WageArrearsAlert.objects.filter(workshop__in=wq, resolved_at__isnull=True).count(),
        "orders_flagged": OutsourcingOrder.objects.filter(
            needs_trial=True, shares__workshop__in=wq).distinct().count(),
        "by_township": town_rows,
    }


def open_arrears():
    """Unresolved arrears alerts, oldest first (the bureau's page)."""
    return (WageArrearsAlert.objects.filter(resolved_at__isnull=True)
            .select_related("workshop", "order", "wage").order_by("raised_at", "pk"))


ARREARS_STATUSES = ("open", "resolved", "all")


def arrears_for(user, *, status: str = "open"):
    """Arrears alerts for the bureau (all) and for staff of service points (the workshops of their townships):
    status "open" (default, oldest first, like the bureau's page), "resolved" or "all" (newest first). Anyone
    else: PermissionDeniedError. Personal data (the worker, the amount): the read is audited."""
    if status not in ARREARS_STATUSES:
        raise InvalidInput(_("status 只能是 open（未处理）、resolved（已处理）或 all（全部）"), field="status")
    qs = WageArrearsAlert.objects.select_related("workshop", "workshop__township", "order", "order__enterprise",
                                                 "wage", "wage__worker")
    if not roles.is_bureau(user):
        if not roles.is_staff_member(user):
            raise PermissionDeniedError(_("只有人社局和乡镇工作人员可以查看欠薪预警"))
        qs = qs.filter(workshop__township_id__in=staff_township_codes(user))
    if status == "open":
        qs = qs.filter(resolved_at__isnull=True).order_by("raised_at", "pk")
    else:
        qs = (qs.filter(resolved_at__isnull=False) if status == "resolved" else qs).order_by("-raised_at", "-pk")
    audit(actor=user, action="workshops.view_arrears", status=status)
    return qs


def bureau_disputes(user) -> dict:
    """What goes to the bureau (its disputes page): shares whose check a workshop disputes (with the material
    balance and the rejects with their photos against the sample), wages a worker disputes, and open arrears
    alerts, oldest first, with the worker's phone (the bureau calls them). Bureau only; the view is audited."""
    roles.require_bureau(user, _("只有人社局工作人员可以处理社区工厂的争议"))
    shares = list(Share.objects.filter(status=S.DISPUTED)
                  .select_related("order", "order__enterprise", "workshop", "workshop__township")
                  .order_by("updated_at", "pk")[:200])
    bal = ledger.balances_by_share(s.pk for s in shares)
    rejects = defaultdict(list)
    for h in (Handover.objects.filter(share__in=shares, kind=HandoverKind.REJECT).prefetch_related("photos")
              .order_by("date", "pk")):
        rejects[h.share_id].append(h)
    wage_rows = list(WageLine.objects.filter(status=WageStatus.DISPUTED)
                     .select_related("worker", "share", "share__order", "share__workshop")
                     .order_by("due_date", "pk")[:200])
    alerts = list(open_arrears().select_related("wage__worker", "order__enterprise")[:200])
    audit(actor=user, action="workshops.view_disputes", shares=len(shares), wages=len(wage_rows),
          arrears=len(alerts))
    return {"shares": [{"share": s, "balance": bal.get(s.pk, ledger.Balance()), "rejects": rejects[s.pk]}
                       for s in shares],
            "wages": wage_rows, "alerts": alerts}
