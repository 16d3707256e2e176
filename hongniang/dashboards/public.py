"""Headline figures for citizens and journalists (/figures/ and GET /api/v1/stats/public): counts only, with
small counts suppressed and the rest rounded, as labour statistics are published, so no person or enterprise can
be singled out. The same for every visitor: cached.

What is as of the last nightly run and what is current: the open postings and positions, the enterprises and the
hires are the stored daily facts up to the last day the nightly aggregation wrote (`as_of`; the hires are written
by that run too). The gig orders of this month are current (`gig_as_of`): the stored days of the month plus the
orders posted since the last stored day (today, and any day a failed night left out), counted live and kept
under the page cache's generation, which every gig-order write bumps (hongniang.flows.pagecache), for at most
LIVE_SECONDS."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from hongniang.core import pagecache
from hongniang.gigs.models import GigOrder

from .aggregate import COUNTY, day_start, month_start, township_of
from .figures import computing, last_day, stamp, stock_day, township_names
from .models import Fact, HireRecord, Period, Snapshot

SUPPRESS_BELOW = 10  # 1..9 are shown as "少于 10"
ROUND_TO = 5
CACHE_SECONDS = 600  # the stored figures (they change only with a nightly run)
LIVE_SECONDS = 60  # the current gig orders, at most (a gig-order write renews them sooner)
GIG = "gig_orders_this_month"
#: gig orders are counted by the day they were posted (the gig market lists them by the day of the work)
FIELDS = {"postings_open": "在招岗位", "positions_open": "在招人数", "enterprises": "企业",
          "enterprises_verified": "已认证企业", "hires_this_month": "本月录用上岗",
          "gig_orders_this_month": "本月新发布零工订单"}


def protect(n: int | None) -> int | None:
    """0 stays 0; 1..9 become None (suppressed); the rest round to the nearest 5."""
    if not n:
        return 0
    if n < SUPPRESS_BELOW:
        return None
    return int(ROUND_TO * round(n / ROUND_TO))


def compute() -> dict:
    """The public figures from the stored facts (what public_figures keeps)."""
    names = township_names()
    day = last_day()
    sday = stock_day(day) if day else None
    raw: dict[str, dict[str, int]] = {}

    def put(code, key, v):
        raw.setdefault(code, {k: 0 for k in FIELDS})[key] += int(v or 0)

    if sday:
        for r in (Fact.objects.filter(period=Period.DAY, day=sday, grain="area",
                                      metric__in=("postings_open", "positions_open", "enterprises_total"))
                  .exclude(township=COUNTY)
                  .values("metric", "township").annotate(v=Sum("value"), ver=Sum("verified"))):
            if r["metric"] == "enterprises_total":
                put(r["township"], "enterprises", r["v"])
                put(r["township"], "enterprises_verified", r["ver"])
            else:
                put(r["township"], r["metric"], r["v"])
    month = month_start(day) if day else month_start(timezone.localdate())
    if day:
        for r in (HireRecord.objects.filter(hired_on__gte=month, hired_on__lte=day).values("township")
                  .annotate(n=Count("id"))):
            put(r["township"], "hires_this_month", r["n"])
        for r in (Fact.objects.filter(Q(period=Period.DAY, day__gte=month, day__lte=day), grain="area",
                                      metric="gig_orders").exclude(township=COUNTY)
                  .values("township").annotate(v=Sum("value"))):
            put(r["township"], "gig_orders_this_month", r["v"])
    county = {k: sum(v[k] for v in raw.values()) for k in FIELDS}
    towns = [{"code": c, "name": names[c], **{k: protect(raw.get(c, {}).get(k, 0)) for k in FIELDS}}
             for c in sorted(names)]
    return {
        "as_of": day.isoformat() if day else None,
        "month": f"{month:%Y-%m}",
        "county": {k: protect(v) for k, v in county.items()},
        "townships": towns,
        "labels": FIELDS,
        "rules": f"只公布数量，不含任何个人信息；1–{SUPPRESS_BELOW - 1} 显示为“少于 {SUPPRESS_BELOW}”，其余四舍五入到 {ROUND_TO} 的倍数",
    }


def gig_orders(today: dt.date) -> dict[str, int]:
    """This month's gig orders by township (raw counts): the days the nightly run wrote, from the facts, and the
    orders posted after its last day up to now, from the gig orders themselves (counted as the run will count
    them: by the day posted, in the township of the order's place)."""
    month = month_start(today)
    day = last_day()
    out: dict[str, int] = {}
    if day and day >= month:
        for r in (Fact.objects.filter(period=Period.DAY, day__gte=month, day__lte=day, grain="area",
                                      metric="gig_orders").exclude(township=COUNTY)
                  .values("township").annotate(v=Sum("value"))):
            out[r["township"]] = out.get(r["township"], 0) + int(r["v"] or 0)
    since = max(month, day + dt.timedelta(days=1)) if day else month
    for r in (GigOrder.objects.filter(created_at__gte=day_start(since)).annotate(t=township_of("region_id"))
              .values("t").annotate(n=Count("id"))):
        out[r["t"]] = out.get(r["t"], 0) + r["n"]
    return out


def current_gigs(data: dict, now: dt.datetime | None = None) -> dict:
    """The stored public figures with this month's gig orders made current (`gig_month`, `gig_as_of`)."""
    now = timezone.localtime(now)
    raw = gig_orders(now.date())
    return {
        **data,
        "county": {**data["county"], GIG: protect(sum(raw.values()))},
        "townships": [{**t, GIG: protect(raw.get(t["code"], 0))} for t in data["townships"]],
        "gig_month": f"{now:%Y-%m}",
        "gig_as_of": now.isoformat(timespec="minutes"),
    }


def snapshot_key() -> str:
    """The last day written and the run's stamp: a run that rewrites figures of days already written (a backfill, a
    repair) gives new public figures too."""
    return f"dashboards:public:{last_day()}:{stamp()}"


def stored_figures() -> dict:
    """The figures as of the last nightly run: from the process cache, else the Snapshot the run wrote, else
    computed."""
    key = snapshot_key()
    data = cache.get(key)
    if data is None:
        data = Snapshot.objects.filter(key=key).values_list("payload", flat=True).first()
        if data is None:
            data = compute()
        cache.set(key, data, CACHE_SECONDS)
    return data


def public_figures() -> dict:
    """The stored figures with the gig orders current: kept under the page cache's generation (a new gig order
    bumps it) for at most LIVE_SECONDS; always computed when the page cache is off."""
    with computing():  # the run's last day and stamp read once
        key = f"{snapshot_key()}:gigs:{timezone.localdate()}"
        return pagecache.shared(key, lambda: current_gigs(stored_figures()), ttl=LIVE_SECONDS)
