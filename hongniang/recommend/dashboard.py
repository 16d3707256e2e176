"""The placement dashboard's one read (page and API): recommendation -> view -> application -> hire, by the
seeker's township and by the posting's occupation, for a period. The bureau sees the county; staff of a service
point see the townships of their points; nobody else."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from hongniang.catalog.models import Occupation
from hongniang.core import roles
from hongniang.core.errors import PermissionDeniedError
from hongniang.geo.models import Region, ServicePoint

from . import outcomes
from .models import Impression

PERIODS = (30, 90, 365)
PAGE_OCCUPATIONS = 15


@dataclass
class Row:
    key: str
    name: str
    shown: int = 0
    viewed: int = 0
    applied: int = 0
    hired: int = 0

    def rate(self, a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    @property
    def view_rate(self):
        return self.rate(self.viewed, self.shown)

    @property
    def apply_rate(self):
        return self.rate(self.applied, self.shown)

    @property
    def hire_rate(self):
        return self.rate(self.hired, self.shown)

    @property
    def hire_per_application(self):
        return self.rate(self.hired, self.applied)

    @staticmethod
    def pct(x) -> str:
        return "—" if x is None else f"{x * 100:.1f}%"

    @property
    def view_pct(self) -> str:
        return self.pct(self.view_rate)

    @property
    def apply_pct(self) -> str:
        return self.pct(self.apply_rate)

    @property
    def hire_pct(self) -> str:
        return self.pct(self.hire_rate)

    @property
    def hire_per_application_pct(self) -> str:
        return self.pct(self.hire_per_application)

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "shown": self.shown, "viewed": self.viewed, "applied": self.applied,
                "hired": self.hired, "view_rate": self.view_rate, "apply_rate": self.apply_rate, "hire_rate": self.hire_rate,
                "hire_per_application": self.hire_per_application}


@dataclass
class Funnel:
    days: int
    since: dt.datetime
    scope: str  # 全县 or the townships' names
    total: Row
    townships: list[Row] = field(default_factory=list)
    occupations: list[Row] = field(default_factory=list)
    engines: list[Row] = field(default_factory=list)

    def occupations_on_page(self, n: int = PAGE_OCCUPATIONS) -> list[Row]:
        """The ``n`` occupations recommended most, then one row summing the rest (a phone page stays short; the API
        and the Excel keep every row)."""
        head, rest = self.occupations[:n], self.occupations[n:]
        if not rest:
            return head
        other = Row("", gettext("其余 %(n)d 个工种") % {"n": len(rest)})
        for r in rest:
            other.shown, other.viewed = other.shown + r.shown, other.viewed + r.viewed
            other.applied, other.hired = other.applied + r.applied, other.hired + r.hired
        return [*head, other]


def engine_name(label: str) -> str:
    """The impression's engine label (``capacity/hand-set``, ``plain/cal-3``, see ``config.engine_label``) in words."""
    mode, _, weights = label.partition("/")
    how = {"capacity": gettext("分流排序"), "plain": gettext("普通排序")}.get(mode, mode)
    if weights == "hand-set":
        return gettext("%(how)s（人工权重）") % {"how": how}
    if weights.startswith("cal-"):
        return gettext("%(how)s（校准权重 #%(n)s）") % {"how": how, "n": weights[4:]}
    return how if not weights else f"{how}（{weights}）"


def allowed_townships(user) -> list[str] | None:
    """None: the whole county (bureau); a list of township codes (staff); PermissionDeniedError otherwise."""
    if roles.is_bureau(user):
        return None
    points = roles.service_point_ids(user)
    if not points:
        raise PermissionDeniedError(gettext("仅人社局和就业之家工作人员可查看推荐成效"), code="not_allowed")

    codes = set()
    for p in ServicePoint.objects.filter(pk__in=points).select_related("region__parent"):
        t = p.region.township if p.region_id else None
        if t is not None:
            codes.add(t.code)
    return sorted(codes)


def placement_funnel(user, *, days: int = 90) -> Funnel:
    """The figures (checks the permission; no personal data leaves: only counts by group)."""
    scope = allowed_townships(user)
    days = days if days in PERIODS else 90
    since = timezone.now() - dt.timedelta(days=days)
    qs = Impression.objects.filter(first_shown_at__gte=since)
    rows = list(qs.values_list("seeker_id", "posting_id", "first_shown_at", "viewed_at", "engine",
                               "seeker__home_region__kind", "seeker__home_region_id", "seeker__home_region__parent_id",
                               "posting__occupation_id").iterator(chunk_size=5000))
    applied: dict = {}
    hired: dict = {}
    for o in outcomes.collect(since=since - dt.timedelta(days=1), kinds=("applied", "hired")):
        d = applied if o.kind == "applied" else hired
        key = (o.seeker_id, o.posting_id)
        d[key] = min(d.get(key, o.at), o.at)
    slack = dt.timedelta(minutes=1)
    by_t: dict = defaultdict(lambda: [0, 0, 0, 0])
    by_o: dict = defaultdict(lambda: [0, 0, 0, 0])
    by_e: dict = defaultdict(lambda: [0, 0, 0, 0])
    tot = [0, 0, 0, 0]
    allowed = None if scope is None else set(scope)
    for sid, pid, shown, viewed, engine, kind, region, parent, occ in rows:
        township = region if kind == "township" else (parent if kind == "village" else None)
        if allowed is not None and township not in allowed:
            continue
        a = applied.get((sid, pid))
        h = hired.get((sid, pid))
        v = (1, 1 if viewed else 0, 1 if a and a >= shown - slack else 0, 1 if h and h >= shown - slack else 0)
        for acc in (by_t[township or ""], by_o[occ or ""], by_e[engine], tot):
            for i in range(4):
                acc[i] += v[i]
    names_t = dict(Region.objects.filter(code__in=[k for k in by_t if k]).values_list("code", "name"))
    names_o = dict(Occupation.objects.filter(code__in=[k for k in by_o if k]).values_list("code", "name"))

    def table(d, names, unknown):
        out = [Row(k, names.get(k, k) if k else unknown, *v) for k, v in d.items()]
        out.sort(key=lambda r: (-r.shown, r.key))
        return out

    label = gettext("全县") if scope is None else "、".join(Region.objects.filter(code__in=scope).values_list("name", flat=True)) or "—"
    return Funnel(days=days, since=since, scope=label, total=Row("", gettext("合计"), *tot),
                  townships=table(by_t, names_t, gettext("未填乡镇")), occupations=table(by_o, names_o, gettext("未填工种")),
                  engines=table(by_e, {k: engine_name(k) for k in by_e}, ""))
