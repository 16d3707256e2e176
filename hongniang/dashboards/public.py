"""Headline figures for citizens and journalists (/figures/ and GET /api/v1/stats/public): counts only, from
the stored daily facts, with small counts suppressed and the rest rounded, as labour statistics are
published, so no person or enterprise can be singled out. The same for every visitor: cached."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .aggregate import COUNTY, month_start
from .figures import last_day, stamp, stock_day, township_names
from .models import Fact, HireRecord, Period, Snapshot

SUPPRESS_BELOW = 10  # 1..9 are shown as "少于 10"
ROUND_TO = 5
CACHE_SECONDS = 600
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


def snapshot_key() -> str:
    """The last day written and the run's stamp: a run that rewrites figures of days already written (a backfill, a
    repair) gives new public figures too."""
    return f"dashboards:public:{last_day()}:{stamp()}"


def public_figures() -> dict:
    """The public figures: from the process cache, else the Snapshot the nightly run wrote, else computed."""
    key = snapshot_key()
    data = cache.get(key)
    if data is None:
        data = Snapshot.objects.filter(key=key).values_list("payload", flat=True).first()
        if data is None:
            data = compute()
        cache.set(key, data, CACHE_SECONDS)
    return data


