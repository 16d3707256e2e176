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
    s = sums(ts, ("gig_orders", "gig_positions"), by="month")
    worked = {month_start(r["m"] if isinstance(r["m"], dt.date) else r["m"].date()): r["n"] for r in
              hires(ts).filter(source="gig").annotate(m=TruncMonth("hired_on")).values("m").annotate(n=Count("id"))}
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
