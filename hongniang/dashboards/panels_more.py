"""Panels of the capabilities beside the job market. Each is one `register` call; a panel whose app is not
installed yet is simply not shown (available=...). Job fairs and park visits (app `events`), live sessions
(`live`), village workshops (`workshops`) and siting (`siting`) add theirs here when their models land:
write a build function returning Charts from that app's stored rows (counts by month and township within
the Scope), register it, and add its metrics to aggregate.flows if they must be fast at scale."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from .aggregate import month_start
from .figures import Scope, as_of, hires, sums, township_names
from .panels import Chart, Panel, month_label, pct, register
from .panels_core import trend_scope


def _installed(label: str):
    return lambda: apps.is_installed(f"hongniang.{label}")


def gigs(scope: Scope) -> list[Chart]:
    ts = trend_scope(scope)
    months = ts.months()
    s = sums(ts, ("gig_orders", "gig_positions", "gig_worked"), by="month")
    worked = {m: v[0] for m, v in s["gig_worked"].items()}
    monthly = Chart("gigs.monthly", "零工市场：每月订单、用工与完工", "bar", [month_label(m) for m in months], [
        {"name": "零工订单", "data": [s["gig_orders"].get(m, (0, 0))[0] for m in months]},
        {"name": "需要人数", "data": [s["gig_positions"].get(m, (0, 0))[0] for m in months]},
        {"name": "完工人次", "data": [worked.get(m, 0) for m in months]},
    ], columns=["月份"])
    t = as_of(scope)
    r = hires(scope).filter(source="gig").aggregate(
        n=Count("id"), confirmed=Count("id", filter=Q(confirmed_on__lte=t)),
        r30=Count("id", filter=Q(f30_on__lte=t)), w30=Count("id", filter=Q(f30_on__lte=t, f30_working=True)))
    names = township_names()
    by_t = sums(scope, ("gig_orders",), by="township")["gig_orders"]
    codes = sorted(c for c in by_t if c in names)
    towns = Chart("gigs.townships", "各乡镇零工订单", "hbar", [names[c] for c in codes],
                  [{"name": "零工订单", "data": [by_t[c][0] for c in codes]}], columns=["乡镇"],
                  note=f"期内完工 {r['n']} 人次，其中工人确认收款 {r['confirmed']} 人次"
                       f"（{_p(pct(r['confirmed'], r['n']))}）；30 天内再次上工 {_p(pct(r['w30'], r['r30']))}")
    return [monthly, towns]


def _p(x) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


register(Panel("gigs", "零工市场", gigs, order=80, available=_installed("gigs")))


# --- job fairs, park visits (app events) and live sessions (app live) ----------------------------------


def _monthly_counts(qs, field: str, months, **filters) -> dict:
    rows = (qs.filter(**{f"{field}__date__gte": months[0], **filters}).annotate(m=TruncMonth(field))
            .values("m").annotate(n=Count("id")))
    return {month_start(r["m"].date() if hasattr(r["m"], "date") else r["m"]): r["n"] for r in rows}


def events(scope: Scope) -> list[Chart]:
    Event = apps.get_model("events", "Event")
    Registration = apps.get_model("events", "Registration")
    ts = trend_scope(scope)
    months = ts.months()
    ev = Event.objects.exclude(status__in=("draft", "cancelled")).filter(starts_at__date__lte=ts.end)
    reg = Registration.objects.filter(checked_in_at__isnull=False, checked_in_at__date__lte=ts.end)
    if scope.townships is not None:
        ev = ev.filter(township_id__in=scope.townships)
        reg = reg.filter(event__township_id__in=scope.townships)
    fairs = _monthly_counts(ev, "starts_at", months, kind__in=("fair_offline", "fair_online"))
    visits = _monthly_counts(ev, "starts_at", months, kind="park_visit")
    checked = _monthly_counts(reg, "checked_in_at", months)
    hired = {month_start(r["m"] if isinstance(r["m"], dt.date) else r["m"].date()): r["n"] for r in
             hires(ts).filter(channel__in=("fair", "park_visit")).annotate(m=TruncMonth("hired_on")).values("m")
             .annotate(n=Count("id"))}
    return [Chart("events.monthly", "招聘会与入园入企：场次、签到与录用", "bar", [month_label(m) for m in months], [
        {"name": "招聘会场次", "data": [fairs.get(m, 0) for m in months]},
        {"name": "入园入企场次", "data": [visits.get(m, 0) for m in months]},
        {"name": "签到人数", "data": [checked.get(m, 0) for m in months]},
        {"name": "经招聘会/入园录用", "data": [hired.get(m, 0) for m in months]},
    ], columns=["月份"], note="场次按开始日期；录用按录用日期，渠道为招聘会或入园入企的报名")]


def live(scope: Scope) -> list[Chart]:
    LiveSession = apps.get_model("live", "LiveSession")
    Lead = apps.get_model("live", "Lead")
    ts = trend_scope(scope)
    months = ts.months()
    sessions = _monthly_counts(LiveSession.objects.exclude(status="cancelled")
                               .filter(starts_at__date__lte=ts.end), "starts_at", months)
    leads = _monthly_counts(Lead.objects.filter(created_at__date__lte=ts.end), "created_at", months)
    hired = {month_start(r["m"] if isinstance(r["m"], dt.date) else r["m"].date()): r["n"] for r in
             hires(ts).filter(channel="live").annotate(m=TruncMonth("hired_on")).values("m").annotate(n=Count("id"))}
    note = "直播场次与报名线索为全市数（线索不分乡镇）" if scope.townships is not None else ""
    return [Chart("live.monthly", "直播带岗：场次、报名线索与录用", "bar", [month_label(m) for m in months], [
        {"name": "直播场次", "data": [sessions.get(m, 0) for m in months]},
        {"name": "报名线索", "data": [leads.get(m, 0) for m in months]},
        {"name": "经直播录用", "data": [hired.get(m, 0) for m in months]},
    ], columns=["月份"], note=note)]


register(Panel("events", "招聘会与入园入企", events, order=85, available=_installed("events")))
register(Panel("live", "直播带岗", live, order=86, available=_installed("live")))
