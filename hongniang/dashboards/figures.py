"""Reading the figures: a Scope (period, area, and whose eyes) and the sums over the stored facts and hire
records. Nothing here reads today's live tables, so the same scope gives the same numbers later.

Where a figure counts: postings, positions and enterprises where the job is (the posting's township);
seekers, applications, interviews and hires where the person is (their township, and the service point they
registered at). The bureau sees the whole county or one township; service-point staff see their own points'
people and their points' townships' jobs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.geo.models import Region, RegionKind, ServicePoint

from . import channels, hirestats
from .aggregate import COUNTY, month_end, month_start
from .metrics import HIRE_SELF_LABEL, HIRE_VERIFIED_LABEL, METRICS
from .models import Fact, FactDay, Grain, HireRecord, HireStat, Period, Snapshot

AREA, OCC, IND, CHAN = Grain.AREA, Grain.OCCUPATION, Grain.INDUSTRY, Grain.CHANNEL
MAX_DAYS = 3 * 366 + 1
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date
    townships: tuple[str, ...] | None = None  # None: every township
    points: tuple[int, ...] | None = None  # None: every point (else: these points' people only)
    label: str = "全市"
    township: str = ""  # the township filter asked for ("" none)
    staff: bool = False

    @property
    def key(self) -> str:
        return f"{self.start}:{self.end}:{self.townships}:{self.points}"

    def months(self) -> list[dt.date]:
        out, m = [], month_start(self.start)
        while m <= self.end:
            out.append(m)
            m = month_start(m + dt.timedelta(days=32))
        return out

    def query(self) -> str:
        from urllib.parse import urlencode

        q = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.township:
            q["township"] = self.township
        return urlencode(q)


_memo: ContextVar[dict | None] = ContextVar("dashboards_figures_memo", default=None)


@contextmanager
def computing() -> Iterator[None]:
    """Within this block (a page, a download, the nightly snapshots, a report), what changes only with an
    aggregation run is read once: the run's stamp, the last day written, the stock day of a date, the townships'
    names, a scope's hire figures (HireView). Outside it every call reads again."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once(key, build):
    """build(), or what it gave for this key earlier inside the same `computing()` block."""
    memo = _memo.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]


def parse_day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("日期格式应为 YYYY-MM-DD"), field=name) from None


def townships() -> list[Region]:
    return list(Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code"))


def township_names() -> dict[str, str]:
    return once("township_names",
                lambda: dict(Region.objects.filter(kind=RegionKind.TOWNSHIP).values_list("code", "name")))


def may_see_dashboard(user) -> bool:
    return roles.is_bureau(user) or bool(roles.service_point_ids(user))


def scope_for(user, *, start: dt.date | None = None, end: dt.date | None = None, township: str = "",
              today: dt.date | None = None) -> Scope:
    """The scope a user asked for, checked: the bureau any township; staff their points' area only.
    Default period: this month so far."""
    if not may_see_dashboard(user):
        raise PermissionDeniedError(_("只有人社局和就业之家工作人员可以查看数据看板"))
    today = today or timezone.localdate()
    end = end or today
    start = start or month_start(end)
    if start > end:
        raise InvalidInput(_("开始日期不能晚于结束日期"), field="from")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(_("时间范围最长三年"), field="from")
    names = township_names()
    if township and township not in names:
        raise InvalidInput(_("没有这个乡镇"), field="township")
    if roles.is_bureau(user):
        if township:
            return Scope(start, end, (township,), None, names[township], township)
        return county(start, end)
    point_ids = tuple(sorted(roles.service_point_ids(user)))
    points = list(ServicePoint.objects.filter(pk__in=point_ids).values_list("name", "region_id", "region__kind",
                                                                             "region__parent_id"))
    # a point's township by the region tree (a village's code need not begin with its township's)
    towns = tuple(sorted({(p if k == RegionKind.VILLAGE and p else r) for _n, r, k, p in points if r}))
    if township and township not in towns:
        raise PermissionDeniedError(_("只能查看本站点所在乡镇的数据"))
    label = "、".join(n for n, *_r in points)
    return Scope(start, end, (township,) if township else towns, point_ids, label, township, staff=True)


# --- facts ------------------------------------------------------------------------------------------


def _spans(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]],
                                                   list[tuple[dt.date, dt.date]]]:
    """How [start, end] is read: (month rows added, day ranges added, day ranges taken away). A whole month is
    its month row; a partial month is its days, or — when fewer rows — its month row less the days outside the
    period (a month row is exactly the sum of its day rows: aggregate.rollup_months, hirestats._flush)."""
    months: list[dt.date] = []
    plus: list[tuple[dt.date, dt.date]] = []
    minus: list[tuple[dt.date, dt.date]] = []
    m = month_start(start)
    while m <= end:
        last = month_end(m)
        lo, hi = max(start, m), min(end, last)
        inside = (hi - lo).days + 1
        outside = (last - m).days + 1 - inside
        if lo == m and hi == last:
            months.append(m)
        elif 1 + outside < inside:
            months.append(m)
            if lo > m:
                minus.append((m, lo - dt.timedelta(days=1)))
            if hi < last:
                minus.append((hi + dt.timedelta(days=1), last))
        elif plus and plus[-1][1] == lo - dt.timedelta(days=1):
            plus[-1] = (plus[-1][0], hi)
        else:
            plus.append((lo, hi))
        m = last + dt.timedelta(days=1)
    return months, plus, minus


def _days_q(ranges) -> Q | None:
    q = None
    for a, b in ranges:
        one = Q(period=Period.DAY, day=a) if a == b else Q(period=Period.DAY, day__gte=a, day__lte=b)
        q = one if q is None else q | one
    return q


def _periods(start: dt.date, end: dt.date) -> Q:
    """Rows covering [start, end] once: whole months from month rows, the edges from day rows (the rows that
    signed() counts negative included: read with signed_sum)."""
    months, plus, minus = _spans(start, end)
    q = _days_q(plus + minus)
    if months:
        mq = Q(period=Period.MONTH, day__in=months)
        q = mq if q is None else mq | q
    return q


def signed_sum(field_: str, start: dt.date, end: dt.date):
    """Sum(field_) over the rows of _periods(start, end), the days taken away from a month row counted negative."""
    from django.db.models import BigIntegerField, Case, F, When

    _months, _plus, minus = _spans(start, end)
    if not minus:
        return Sum(field_)
    return Sum(Case(When(_days_q(minus), then=-F(field_)), default=F(field_), output_field=BigIntegerField()))


def _area(scope: Scope, metric: str, grain: str, by: str = "") -> Q:
    """The cells of the scope: the county cells for the whole county (unless broken down by township or point),
    else the townships' (demand) or the points' (supply, staff) cells."""
    side = METRICS[metric].side
    if scope.points is not None and side == "supply" and grain in (AREA, CHAN):
        return Q(point_id__in=scope.points)
    if scope.townships is not None:
        return Q(township__in=scope.townships)
    if by in ("township", "point_id"):
        return ~Q(township=COUNTY)
    return Q(township=COUNTY)


def _split(metrics, grain) -> dict[tuple, list[str]]:
    groups: dict[tuple, list[str]] = defaultdict(list)
    for m in metrics:
        groups[(METRICS[m].side, METRICS[m].kind)].append(m)
    return groups


def stamp() -> float:
    """The last aggregation run (the figures change only then)."""
    m = once("stamp", lambda: FactDay.objects.aggregate(m=Max("computed_at"))["m"])
    return m.timestamp() if m else 0


def cache_key(kind: str, scope: Scope, run: float | None = None) -> str:
    import hashlib

    run = stamp() if run is None else run
    return f"dash:{kind}:{hashlib.sha1(scope.key.encode()).hexdigest()[:16]}:{run}"


def peek(kind: str, scope: Scope, *, decode=None):
    """The figure set kept for the scope since the last aggregation run (process cache, else Snapshot), or None."""
    from django.core.cache import cache

    key = cache_key(kind, scope)
    value = cache.get(key)
    if value is None:
        snap = Snapshot.objects.filter(key=key).values_list("payload", flat=True).first()
        if snap is not None:
            value = decode(snap) if decode else snap
            cache.set(key, value, CACHE_SECONDS)
    return value


def cached(kind: str, scope: Scope, build, *, decode=None):
    """A figure set for a scope, kept until the next aggregation run (the facts change only then): read from the
    process cache, else from the Snapshot the run computed for the county's preset periods (decode turns its JSON
    back into objects), else computed (the first view of any other period and area) and kept in the cache."""
    from django.core.cache import cache

    value = peek(kind, scope, decode=decode)
    if value is None:
        with computing():
            value = build()
        cache.set(cache_key(kind, scope), value, CACHE_SECONDS)
    return value


def presets(today: dt.date) -> list[dict]:
    """The periods the dashboard offers as one tap (and the aggregation run computes ahead for the county)."""
    this = month_start(today)
    last = month_start(this - dt.timedelta(days=1))
    year_ago = month_start(this - dt.timedelta(days=330))
    return [{"label": _("本月"), "from": this, "to": today},
            {"label": _("上月"), "from": last, "to": this - dt.timedelta(days=1)},
            {"label": _("近 30 天"), "from": today - dt.timedelta(days=29), "to": today},
            {"label": _("近 12 个月"), "from": year_ago, "to": today},
            {"label": _("今年"), "from": today.replace(month=1, day=1), "to": today}]


def county(start: dt.date, end: dt.date) -> Scope:
    """The bureau's whole-county scope (what scope_for gives the bureau without a township)."""
    return Scope(start, end, None, None, "全市", "")


def figures_from_json(data: list[dict]) -> list[Figure]:
    return [Figure(**d) for d in data]


def last_day() -> dt.date | None:
    return once("last_day", lambda: FactDay.objects.aggregate(d=Max("day"))["d"])


def stock_day(end: dt.date) -> dt.date | None:
    return once(("stock_day", end),
                lambda: FactDay.objects.filter(stocks=True, day__lte=end).aggregate(d=Max("day"))["d"])


#: one statement per sums() call (stocks and flows, demand and supply side together), and the trend charts'
#: flows by month read once for every panel (False: one statement per side and kind, as before)
MERGE_SUMS = True


def sums(scope: Scope, metrics, *, grain: str = AREA, by: str = "") -> dict:
    """{metric: (value, verified)} or, with by ("township", "point_id", "key", "month"),
    {metric: {group: (value, verified)}}. Flows over the period; stocks at the last stored day <= end."""
    if (MERGE_SUMS and by == "month" and grain == AREA and _memo.get() is not None
            and all(METRICS[m].kind == "flow" for m in metrics)):
        # the trend, filling and gig panels ask for a few flows each over the same months: read them all once
        every = once(("month_flows", scope.key), lambda: _sums(scope, METRIC_FLOWS, grain, by))
        return {m: dict(every[m]) for m in metrics}
    return _sums(scope, metrics, grain, by)


METRIC_FLOWS = tuple(k for k, m in METRICS.items() if m.kind == "flow")


def _sums(scope: Scope, metrics, grain: str, by: str) -> dict:
    if not MERGE_SUMS:
        return _sums_apart(scope, metrics, grain, by)
    out: dict = {m: ({} if by else (0, 0)) for m in metrics}
    groups = _split(metrics, grain)
    sday = stock_day(scope.end) if any(kind == "stock" for _side, kind in groups) else None
    arms: list[tuple[Q, list[str], list[str]]] = []  # (area, stocks, flows): one per distinct area
    flows: list[str] = []
    for (_side, kind), ms in groups.items():
        if kind == "stock" and sday is None:
            continue
        area = _area(scope, ms[0], grain, by)
        arm = next((x for x in arms if x[0] == area), None)
        if arm is None:
            arm = (area, [], [])
            arms.append(arm)
        (arm[1] if kind == "stock" else arm[2]).extend(ms)
        if kind == "flow":
            flows += ms
    if not arms:
        return out
    where = None
    for area, stocks, fl in arms:
        rows = Q(metric__in=stocks, period=Period.DAY, day=sday) if stocks else None
        if fl:
            f = Q(metric__in=fl) & _periods(scope.start, scope.end)
            rows = f if rows is None else rows | f
        where = area & rows if where is None else where | (area & rows)
    _months, _plus, minus = _spans(scope.start, scope.end)
    taken = Q(metric__in=flows) & _days_q(minus) if flows and minus else None
    if by == "month":
        fields = ["metric", "period", "day"]
    elif by:
        fields = ["metric", by]
    else:
        fields = ["metric"]
    sql, params = _grouped(Fact.objects.filter(grain=grain).filter(where), fields, ["value", "verified"], taken)
    for row in _raw(sql, params):
        metric, v, ver = row[0], int(row[-2] or 0), int(row[-1] or 0)
        if not by:
            out[metric] = (v, ver)
            continue
        if by == "month":
            day = row[2] if isinstance(row[2], dt.date) else dt.date.fromisoformat(str(row[2])[:10])
            g = month_start(day) if METRICS[metric].kind == "flow" else sday
        else:
            g = row[1]
        a, b = out[metric].get(g, (0, 0))
        out[metric][g] = (a + v, b + ver)
    return out


def _sums_apart(scope: Scope, metrics, grain: str, by: str) -> dict:
    """sums() as it was: one statement per (side, kind) of the metrics (the reference of the merged statement)."""
    out: dict = {m: ({} if by else (0, 0)) for m in metrics}
    sday = None
    for (_side, kind), ms in _split(metrics, grain).items():
        qs = Fact.objects.filter(grain=grain, metric__in=ms).filter(_area(scope, ms[0], grain, by))
        if kind == "stock":
            sday = sday or stock_day(scope.end)
            if sday is None:
                continue
            qs = qs.filter(period=Period.DAY, day=sday)
        else:
            qs = qs.filter(_periods(scope.start, scope.end))
        if by == "month" and kind == "flow":
            fields = ("metric", "period", "day")
        elif by and by != "month":
            fields = ("metric", by)
        else:
            fields = ("metric",)
        if kind == "stock":
            v_sum, ver_sum = Sum("value"), Sum("verified")
        else:
            v_sum, ver_sum = signed_sum("value", scope.start, scope.end), signed_sum("verified", scope.start, scope.end)
        for r in qs.values(*fields).annotate(v=v_sum, ver=ver_sum):
            v, ver = int(r["v"] or 0), int(r["ver"] or 0)
            if not by:
                out[r["metric"]] = (v, ver)
                continue
            g = month_start(r["day"]) if by == "month" and kind == "flow" else (
                r.get(by) if by != "month" else sday)
            a, b = out[r["metric"]].get(g, (0, 0))
            out[r["metric"]][g] = (a + v, b + ver)
    return out


# --- hires ------------------------------------------------------------------------------------------


def hires(scope: Scope, *, start: dt.date | None = None, end: dt.date | None = None, field: str = "hired_on"):
    qs = HireRecord.objects.filter(**{f"{field}__gte": start or scope.start, f"{field}__lte": end or scope.end})
    if scope.points is not None:
        qs = qs.filter(point_id__in=scope.points)
    elif scope.townships is not None:
        qs = qs.filter(township__in=scope.townships)
    return qs


def as_of(scope: Scope) -> dt.date:
    """Outcomes (confirmations, follow-ups, pay) count when known by the period's end (or the last day
    aggregated): the same figure whenever it is asked for later."""
    last = last_day()
    return min(scope.end, last) if last else scope.end


def trend_start(scope: Scope, months: int = 12) -> dt.date:
    """The first day of the trend charts' months: `months` months up to the period's end (or the period's start
    when earlier), as panels_core.trend_scope."""
    y, m = divmod(scope.end.year * 12 + scope.end.month - 1 - (months - 1), 12)
    return min(dt.date(y, m + 1, 1), scope.start)


def max_outcome_day() -> dt.date | None:
    """The latest date any hire outcome became known (outcomes after a period's end are taken back out)."""
    def build():
        r = HireRecord.objects.aggregate(**{f: Max(f) for f in hirestats.OUTCOME_DATES})
        days = [d for d in r.values() if d is not None]
        return max(days) if days else None
    return once("max_outcome_day", build)


def stats_ready() -> bool:
    """Whether the hire records have been summed (HireStat rows exist, or there is no hire to sum)."""
    return once("stats_ready", lambda: HireStat.objects.exists() or not HireRecord.objects.exists())


class HireView:
    """The hire figures of a scope: sums of hirestats.tally over the records of a window on one of their dates
    (hired, started, pay reported), with outcomes as known at the period's end (as_of). The county reads them
    from HireStat rows (whole months from month rows, the edges from day rows; the outcomes that became known
    after the period's end taken back out); a township or service points count their own records, all windows
    from one statement."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.t = as_of(scope)
        # the county from the summed rows once an aggregation run has written them (else from the records)
        self.county = scope.townships is None and scope.points is None and stats_ready()
        self._windows: dict[tuple, hirestats.Tally] = {}
        self._rows: list[hirestats.Rec] | None = None
        self._later: list[hirestats.Rec] | None = None
        s, e = scope.start, scope.end
        # what one statement fetches for a township or points: every window the page and the report ask for
        self._ranges = {"h": (trend_start(scope), e), "s": (s - dt.timedelta(days=90), e - dt.timedelta(days=7)),
                        "p": (s, e)}

    def _area(self) -> Q:
        if self.scope.points is not None:
            return Q(point_id__in=self.scope.points)
        if self.scope.townships is not None:
            return Q(township__in=self.scope.townships)
        return Q()

    def window(self, anchor: str, a: dt.date, b: dt.date, *, months: bool = False, grains=None) -> hirestats.Tally:
        key = (anchor, a, b, months, grains)
        if key not in self._windows:
            self._windows[key] = (self._from_stats if self.county else self._from_records)(anchor, a, b, months,
                                                                                           grains)
        return self._windows[key]

    def _from_records(self, anchor, a, b, months, grains) -> hirestats.Tally:
        field_ = hirestats.ANCHORS[anchor]
        lo, hi = self._ranges[anchor]
        if lo <= a and b <= hi:
            if self._rows is None:
                q = Q()
                for anc, (x, y) in self._ranges.items():
                    f = hirestats.ANCHORS[anc]
                    q |= Q(**{f"{f}__gte": x, f"{f}__lte": y})
                self._rows = [hirestats.Rec._make(r) for r in
                              HireRecord.objects.filter(self._area()).filter(q).values_list(*hirestats.FIELDS)]
            rows = self._rows
        else:
            rows = [hirestats.Rec._make(r) for r in HireRecord.objects.filter(self._area())
                    .filter(**{f"{field_}__gte": a, f"{field_}__lte": b}).values_list(*hirestats.FIELDS)]
        out = hirestats.Tally()
        for r in rows:
            day = getattr(r, field_)
            if day is not None and a <= day <= b:
                out.add_record(r, anchor, self.t, months=months, grains=grains)
        return out

    def _from_stats(self, anchor, a, b, months, grains) -> hirestats.Tally:
        return _StatsWindow(self, anchor, a, b, months, grains)

    #: read the county's windows of a page (hired, started 7/30/90 days before, pay reported) together: one
    #: statement for the county's cells, one for the service points' (False: one statement per window, as before)
    BATCH = True
    #: the county's people placed from the linked hire records (HireRecord.prev_hired_on): the period's app
    #: hires less the repeat hires (False: a distinct count of the persons over every hire, as before)
    LINKED = True

    def _page_windows(self) -> list[tuple[str, dt.date, dt.date]]:
        s, e = self.scope.start, self.scope.end
        return [("h", s, e), *[("s", s - dt.timedelta(days=d), e - dt.timedelta(days=d)) for d in (7, 30, 90)],
                ("p", s, e)]

    #: the service points' cells of a page's windows carry only what the figures by point read (hires_by_point: n;
    #: retention by point: n, r<d>, w<d> of its own window; pay by point: the pay measures), so the points'
    #: statement sums 15 measures instead of 37 (False: every measure of the anchor, as before)
    POINT_MEASURES = True

    def _point_measures(self, w: _StatsWindow) -> tuple[str, ...]:
        if w.anchor == "s":
            day = (self.scope.start - w.a).days
            return ("n", f"r{day}", f"w{day}")
        return ("n",) if w.anchor == "h" else hirestats.ANCHOR_MEASURES[w.anchor]

    def batched(self, w: _StatsWindow) -> bool:
        return (w.anchor, w.a, w.b) in self._page_windows()

    def load_batch(self, points: bool) -> None:
        """Every page window's cells (the county's, or the service points') not read yet, in one round trip: each
        window's statement as before (its rows, signed sums, grouped by cell), joined with UNION ALL and read
        without the ORM's per-row converters (a points window is 540 rows)."""
        wins = [w for w in (self.window(anc, a, b) for anc, a, b in self._page_windows())
                if not (w._points if points else w._county)]
        if not wins:
            return
        keys = ["grain", "point_id", "key"] if points else ["grain", "key"]
        owns = [self._point_measures(w) if points and self.POINT_MEASURES else hirestats.ANCHOR_MEASURES[w.anchor]
                for w in wins]
        measures = [m for m in hirestats.MEASURES if any(m in own for own in owns)]
        parts, params = [], []
        for i, w in enumerate(wins):
            own = owns[i]
            qs = HireStat.objects.filter(anchor=w.anchor).filter(_periods(w.a, w.b))
            if points:
                qs = qs.filter(grain=hirestats.AREA).exclude(township=COUNTY)
            else:
                qs = qs.filter(township=COUNTY)
            minus = _spans(w.a, w.b)[2]
            sql, ps = _grouped(qs, keys, [m if m in own else None for m in measures],
                               _days_q(minus) if minus else None, tag=str(i))
            parts.append(sql)
            params += ps
        rows = _raw(" UNION ALL ".join(parts), params)
        for w in wins:
            if points:
                w._points = True
            else:
                w._county = True
        nk = len(keys)
        at = [[(m, 1 + nk + j) for j, m in enumerate(measures) if m in own]
              for own in owns]  # each window's measures: (name, column)
        for row in rows:
            i = row[0]
            grain, point, key = (row[1], row[2], row[3]) if points else (row[1], None, row[2])
            wins[i].add_row(grain, point, key, None, {m: int(row[j] or 0) for m, j in at[i]})
        for w in wins:
            w.correct()

    def _known_later(self, anchor: str, a: dt.date, b: dt.date) -> list[hirestats.Rec]:
        """The county's records in the window with an outcome known after the period's end (none when the period
        ends on the last day aggregated): one statement for every window of the page."""
        last = max_outcome_day()
        if last is None or self.t >= last:
            return []
        later = Q()
        for f in hirestats.OUTCOME_DATES:
            later |= Q(**{f"{f}__gt": self.t})
        lo, hi = self._ranges[anchor]
        if lo <= a and b <= hi:
            if self._later is None:
                q = Q()
                for anc, (x, y) in self._ranges.items():
                    f = hirestats.ANCHORS[anc]
                    q |= Q(**{f"{f}__gte": x, f"{f}__lte": y})
                self._later = [hirestats.Rec._make(r) for r in
                               HireRecord.objects.filter(later).filter(q).values_list(*hirestats.FIELDS)]
            return self._later
        field_ = hirestats.ANCHORS[anchor]
        return [hirestats.Rec._make(r) for r in HireRecord.objects.filter(later)
                .filter(**{f"{field_}__gte": a, f"{field_}__lte": b}).values_list(*hirestats.FIELDS)]

    def people(self) -> int:
        """People hired in the period (a person hired twice counts once): app hires only."""
        s, e = self.scope.start, self.scope.end
        if self.county:
            if not self.LINKED:
                return HireRecord.objects.filter(hired_on__gte=s, hired_on__lte=e, source="app") \
                    .aggregate(n=Count("person_id", distinct=True))["n"]
            # each person's first app hire in the period counts: the period's app hires (the summed rows, as
            # the hires figure) less the repeats, whose previous hire fell in the period too (a few thousand
            # index entries, where the distinct count read every hire of the period)
            app = self.window("h", s, e).total()["app"]
            return app - HireRecord.objects.filter(prev_hired_on__gte=s, hired_on__lte=e).count()
        self.window("h", s, e)  # fetches the area's records (self._rows)
        return len({r.person_id for r in self._rows if r.source == "app" and s <= r.hired_on <= e})


def _grouped(qs, keys, measures, minus: Q | None, *, tag: str = "") -> tuple[str, list]:
    """SQL and parameters of: the rows of qs, each with its sign (-1 on the days taken away from a month row, else
    +1) computed once, summed per keys as sign × measure (the statement signed_sum writes, with one CASE per row
    instead of one per measure; measures given as None are read as 0). tag: a constant first column."""
    from django.db import connection
    from django.db.models import Case, IntegerField, Value, When

    own = [m for m in measures if m is not None]
    sign = Case(When(minus, then=Value(-1)), default=Value(1), output_field=IntegerField()) if minus else Value(1)
    inner, params = qs.annotate(sg=sign).values(*keys, *own, "sg").query.sql_with_params()
    qn = connection.ops.quote_name
    cols = ([tag] if tag else []) + [qn(k) for k in keys]
    cols += ["0" if m is None else f"SUM({qn('sg')} * {qn(m)})" for m in measures]
    return (f"SELECT {', '.join(cols)} FROM ({inner}) t GROUP BY {', '.join(qn(k) for k in keys)}",
            list(params))


def _raw(sql: str, params) -> list[tuple]:
    """The rows of a statement, as the database driver gives them (no ORM converters: a few thousand grouped rows
    cost more in Django's per-row converters than in the database)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


class _StatsWindow(hirestats.Tally):
    """A county window read from HireStat rows: the county's cells when a total, a key or a month is asked for,
    the service points' cells (a bigger read) only when the points are; the outcomes known after the period's end
    taken back out once."""

    def __init__(self, view: HireView, anchor, a, b, months, grains):
        super().__init__()
        self.view, self.anchor, self.a, self.b, self.months, self.grains = view, anchor, a, b, months, grains
        self._county = self._points = self._corrected = False

    def _load(self, points: bool) -> None:
        if HireView.BATCH and not self.months and not self.grains and self.view.batched(self):
            self.view.load_batch(points)
            return
        measures = hirestats.ANCHOR_MEASURES[self.anchor]
        qs = HireStat.objects.filter(anchor=self.anchor).filter(_periods(self.a, self.b))
        if points:
            qs = qs.filter(grain=hirestats.AREA).exclude(township=COUNTY)
            fields = ["grain", "point_id", "key"]
        else:
            qs = qs.filter(township=COUNTY)
            if self.grains:
                qs = qs.filter(grain__in=self.grains)
            fields = ["grain", "key"]
        if self.months:
            qs = qs.annotate(mon=TruncMonth("day"))
            fields.append("mon")
        for r in qs.values(*fields).annotate(**{f"s_{m}": signed_sum(m, self.a, self.b) for m in measures}):
            mon = r.get("mon")
            if isinstance(mon, dt.datetime):
                mon = mon.date()
            self.add_row(r["grain"], r["point_id"] if points else None, r["key"], mon,
                         {m: int(r[f"s_{m}"] or 0) for m in measures})
        self.correct()

    def correct(self) -> None:
        """Take back out, once, the outcomes of the window's records that became known after the period's end."""
        if not self._corrected:
            self._corrected = True
            field_ = hirestats.ANCHORS[self.anchor]
            for rec in self.view._known_later(self.anchor, self.a, self.b):
                day = getattr(rec, field_)
                if day is not None and self.a <= day <= self.b:
                    self.add_record(rec, self.anchor, self.view.t, months=self.months, grains=self.grains)
                    self.add_record(rec, self.anchor, None, sign=-1, months=self.months, grains=self.grains)

    def _sum(self, keep):
        if not self._county:
            self._load(points=False)
            self._county = True
        return super()._sum(keep)

    def by_point(self):
        if not self._points:
            self._load(points=True)
            self._points = True
        return hirestats.Tally._sum(self, lambda c: c[1] if c[0] == hirestats.AREA and c[1] is not None else None)


def hire_view(scope: Scope) -> HireView:
    """The scope's HireView (one per scope inside a `computing()` block)."""
    return once(("hires", scope.key), lambda: HireView(scope))


def hire_totals(scope: Scope) -> dict:
    hv = hire_view(scope)
    tot = hv.window("h", scope.start, scope.end).total()
    return {"hires": tot["n"], "hires_app": tot["app"], "verified": tot["verified"], "placed": hv.people()}


def time_to_fill(scope: Scope) -> dict:
    hist = {int(k): v["n"] for k, v in hire_view(scope).window("h", scope.start, scope.end).by_key(hirestats.TTF)
            .items() if v["n"]}
    total = sum(hist.values())
    if not total:
        return {"median_days": None, "n": 0}
    seen = 0
    for days in sorted(hist):
        seen += hist[days]
        if seen * 2 >= total:
            return {"median_days": days, "n": total}
    return {"median_days": None, "n": total}


def retention(scope: Scope, *, by: str = "") -> dict:
    """Follow-ups at 7/30/90 days that fell due in the period: how many were due, reached (done by the
    period's end) and still working. by: "" | "point_id"."""
    hv = hire_view(scope)
    out: dict = {}
    for day in (7, 30, 90):
        w = hv.window("s", scope.start - dt.timedelta(days=day), scope.end - dt.timedelta(days=day))
        groups = w.by_point() if by == "point_id" else {None: w.total()}
        for g, v in groups.items():
            if by and not v["n"]:
                continue
            out.setdefault(g, {d: {"due": 0, "reached": 0, "working": 0} for d in (7, 30, 90)})[day] = {
                "due": v["n"], "reached": v[f"r{day}"], "working": v[f"w{day}"]}
    if by:
        return out
    return out.get(None) or {d: {"due": 0, "reached": 0, "working": 0} for d in (7, 30, 90)}


def _pay_row(v: dict) -> dict:
    n = v["n"]
    return {"n": n, "promised": v["promised"] / n if n else None, "actual": v["actual"] / n if n else None,
            "below": v["below"], "confirmed": v["confirmed"]}


def pay(scope: Scope, *, by: str = "") -> dict:
    """First-month pay reported in the period against the posting's promised monthly minimum.
    by: "" | "point_id" | "occupation"."""
    w = hire_view(scope).window("p", scope.start, scope.end)
    if by == "point_id":
        return {k: {**_pay_row(v), by: k} for k, v in w.by_point().items() if v["n"]}
    if by == "occupation":
        return {k: {**_pay_row(v), by: k} for k, v in w.by_key(hirestats.OCC).items() if v["n"]}
    return _pay_row(w.total())


def hires_by_point(scope: Scope) -> dict[int, int]:
    """Hires (and gigs worked) in the period by the service point the person registered at."""
    return {k: v["n"] for k, v in hire_view(scope).window("h", scope.start, scope.end).by_point().items() if v["n"]}


def gig_outcomes(scope: Scope) -> dict:
    """Gigs worked in the period: how many, confirmed paid by the worker, known and worked again at 30 days."""
    tot = hire_view(scope).window("h", scope.start, scope.end).total()
    return {"n": tot["gig"], "confirmed": tot["gig_confirmed"], "r30": tot["gig_r30"], "w30": tot["gig_w30"]}


def hires_by_month(scope: Scope, start: dt.date, keys) -> dict[dt.date, int]:
    """Hires through these channels per month (first day) from `start` to the period's end."""
    w = hire_view(scope).window("h", start, scope.end, months=True, grains=(hirestats.CHAN,))
    return w.by_month(hirestats.CHAN, set(keys))


# --- the headline figures ---------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int | float | None
    unit: str
    verified: int | None = None
    verified_label: str = ""
    self_label: str = ""
    note: str = ""
    drill: str = ""  # drill-down key ("" none)
    extra: dict = field(default_factory=dict)

    @property
    def verified_share(self) -> float | None:
        if self.verified is None or not self.value:
            return None
        return round(self.verified / self.value, 3)

    def as_dict(self) -> dict:
        d = {"key": self.key, "label": self.label, "value": self.value, "unit": self.unit}
        if self.verified is not None:
            d.update(verified=self.verified, self_reported=(self.value or 0) - self.verified,
                     verified_share=self.verified_share, verified_means=self.verified_label,
                     self_reported_means=self.self_label)
        if self.note:
            d["note"] = self.note
        return d


HEADLINE = ("enterprises_total", "enterprises_new", "postings_open", "positions_open", "postings_published",
            "positions_published", "seekers_total", "seekers_active", "seekers_new", "applications", "interviews")
DRILLS = {"enterprises_total": "enterprises", "enterprises_new": "enterprises_new", "postings_open": "postings",
          "positions_open": "postings", "postings_published": "postings_new", "seekers_total": "seekers",
          "seekers_active": "seekers", "seekers_new": "seekers_new", "applications": "applications",
          "interviews": "interviews", "hires": "hires", "placed": "hires"}


def headline(scope: Scope) -> list[Figure]:
    s = sums(scope, HEADLINE)
    out = []
    for key in HEADLINE:
        m = METRICS[key]
        v, ver = s[key]
        out.append(Figure(key, m.label, v, m.unit, ver if m.verified_label else None, m.verified_label,
                          m.self_label, drill=DRILLS.get(key, "")))
    h = hire_totals(scope)
    out.append(Figure("hires", "录用上岗", h["hires"], "人次", h["verified"], HIRE_VERIFIED_LABEL, HIRE_SELF_LABEL,
                      note="含零工市场完工" if h["hires"] != h["hires_app"] else "", drill="hires"))
    out.append(Figure("placed", "实现就业人数", h["placed"], "人", drill="hires"))
    positions = s["positions_published"][0]
    out.append(Figure("fill_rate", "招聘完成率", round(h["hires_app"] / positions, 3) if positions else None, "",
                      note="录用人次 ÷ 同期新发布招聘人数"))
    ttf = time_to_fill(scope)
    out.append(Figure("time_to_fill", "录用周期中位数", ttf["median_days"], "天", note="岗位发布至录用"))
    return out


def overview(scope: Scope) -> dict:
    """The headline figures with their provenance, the period and the data's date (the API's answer)."""
    figs = headline(scope)
    ret = retention(scope)
    p = pay(scope)
    return {
        "period": {"from": scope.start.isoformat(), "to": scope.end.isoformat(),
                   "as_of": as_of(scope).isoformat(),
                   "stocks_on": (stock_day(scope.end) or scope.end).isoformat()},
        "area": {"label": scope.label, "township": scope.township or None,
                 "service_points": list(scope.points) if scope.points is not None else None},
        "figures": [f.as_dict() for f in figs],
        "retention": {str(d): {**v, "rate": round(v["working"] / v["reached"], 3) if v["reached"] else None,
                               "coverage": round(v["reached"] / v["due"], 3) if v["due"] else None}
                      for d, v in ret.items()},
        "pay": {"reports": p["n"], "promised_avg": round(p["promised"]) if p["promised"] else None,
                "actual_avg": round(p["actual"]) if p["actual"] else None, "below_promise": p["below"],
                "confirmed_by_followup": p["confirmed"]},
    }


def channel_outcomes(scope: Scope) -> list[dict]:
    """Hires by channel in the period, and of those, still working at 30 and 90 days (as far as known)."""
    rows = {k: v for k, v in hire_view(scope).window("h", scope.start, scope.end).by_key(hirestats.CHAN).items()
            if v["n"]}
    out = []
    for key, label in channels.CHANNELS.items():
        r = rows.get(key)
        if r is None and key == "other":
            continue
        r = r or dict.fromkeys(hirestats.MEASURES, 0)
        out.append({"channel": key, "label": label, "hires": r["n"], "reached_30": r["r30"],
                    "working_30": r["w30"], "reached_90": r["r90"], "working_90": r["w90"]})
    return out
