"""Panels of the capabilities beside the job market. Each is one `register` call; a panel whose app is not
installed yet is simply not shown (available=...). Job fairs and park visits (app `events`), live sessions
(`live`), village workshops (`workshops`) and siting (`siting`) add theirs here when their models land:
write a build function returning Charts from that app's stored rows (counts by month and township within
the Scope), register it, and add its metrics to aggregate.flows if they must be fast at scale."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hongniang.core import wages
from hongniang.sitelib import calibration as cal
from hongniang.workshops.ledger import EARN, money
from hongniang.workshops.selectors import bureau_figures

from .aggregate import month_start
from .figures import Scope, gig_outcomes, hires_by_month, once, sums, township_names
from .panels import Chart, Panel, month_label, pct, register
from .panels_core import trend_scope


def _installed(label: str):
    return lambda: apps.is_installed(f"hongniang.{label}")


#: the tables these panels count rows of: which of them hold no row at all is read once for the page, in one
#: statement, and a panel's statement over an empty table (which could only give no rows) is not sent — a county
#: that has not held a fair or a live session yet reads none of their tables (False: every statement, as before)
PANEL_TABLES = (("events", "Event"), ("events", "Registration"), ("live", "LiveSession"), ("live", "Lead"),
                ("workshops", "Workshop"), ("workshops", "PieceRecord"), ("workshops", "WageLine"), ("siting", "Scenario"),
                ("siting", "ScenarioEvent"), ("siting", "OpenedSite"))
SKIP_EMPTY = True


def _empty_tables() -> frozenset[str]:
    models = []
    for label, name in PANEL_TABLES:
        try:
            models.append(apps.get_model(label, name))
        except LookupError:
            continue
    if not models:
        return frozenset()
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(f"NOT EXISTS (SELECT 1 FROM {qn(m._meta.db_table)})" for m in models))
        row = cur.fetchone()
    return frozenset(m._meta.db_table for m, empty in zip(models, row, strict=True) if empty)


def _empty(model) -> bool:
    """Whether the model's table holds no row (read once inside a `computing()` block, as the page is built)."""
    return SKIP_EMPTY and model._meta.db_table in once("panel_tables_empty", _empty_tables)


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
    r = gig_outcomes(scope)
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
    if _empty(qs.model):
        return {}
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
    hired = hires_by_month(scope, ts.start, ("fair", "park_visit"))
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
    hired = hires_by_month(scope, ts.start, ("live",))
    note = "直播场次与报名线索为全市数（线索不分乡镇）" if scope.townships is not None else ""
    return [Chart("live.monthly", "直播带岗：场次、报名线索与录用", "bar", [month_label(m) for m in months], [
        {"name": "直播场次", "data": [sessions.get(m, 0) for m in months]},
        {"name": "报名线索", "data": [leads.get(m, 0) for m in months]},
        {"name": "经直播录用", "data": [hired.get(m, 0) for m in months]},
    ], columns=["月份"], note=note)]


register(Panel("events", "招聘会与入园入企", events, order=85, available=_installed("events")))


# --- 社区工厂 (app workshops): piecework sent to village workshops and home workers ------------------------------


def _month_key(value) -> dt.date:
    """The first day of the month of a TruncMonth value (a date, or an aware datetime for a DateTimeField)."""
    return month_start(value.date() if isinstance(value, dt.datetime) else value)


def workshops(scope: Scope) -> list[Chart]:
    PieceRecord = apps.get_model("workshops", "PieceRecord")
    WageLine = apps.get_model("workshops", "WageLine")
    ts = trend_scope(scope)
    months = ts.months()
    pieces = PieceRecord.objects.filter(day__gte=months[0], day__lte=ts.end)
    paid = WageLine.objects.filter(status__in=("paid", "confirmed"), paid_at__date__gte=months[0],
                                   paid_at__date__lte=ts.end)
    if scope.townships is not None:
        pieces = pieces.filter(share__workshop__township_id__in=scope.townships)
        paid = paid.filter(share__workshop__township_id__in=scope.townships)
    by_month, paid_by_month = {}, {}
    if not _empty(PieceRecord):
        by_month = {_month_key(r["m"]): r for r in
                    pieces.annotate(m=TruncMonth("day")).values("m").annotate(
                        people=Count("worker_id", distinct=True), n=Sum("pieces"),
                        earn=Sum(EARN))}  # computed pieces at their own rate
    if not _empty(WageLine):
        paid_by_month = {_month_key(r["m"]): r["n"] for r in
                         paid.annotate(m=TruncMonth("paid_at")).values("m").annotate(n=Sum("paid_amount"))}
    monthly = Chart("workshops.monthly", "社区工厂：每月在家门口做工的人数、计件工钱与已发工钱", "bar",
                    [month_label(m) for m in months], [
                        {"name": "做工人数", "data": [by_month.get(m, {}).get("people", 0) for m in months]},
                        {"name": "计件工钱（元）", "data": [round(float(by_month.get(m, {}).get("earn") or 0))
                                                      for m in months]},
                        {"name": "已发工钱（元）", "data": [round(float(paid_by_month.get(m) or 0)) for m in months]},
                    ], columns=["月份"], note="计件工钱＝件数 × 订单单价（车间按日登记）；已发＝车间登记发放、按发放日期")
    one = scope.townships is None or len(scope.townships) == 1  # the headline is the county's or one township's
    if _empty(apps.get_model("workshops", "Workshop")):  # none registered: bureau_figures' zeros, not its statements
        f = {"by_township": [], "share_at_minimum": None, "people_working": 0, "people_near_home": 0,
             "worker_months": 0, "worker_months_at_minimum": 0, "minimum_hourly": wages.minimum_hourly(),
             "wages_due": money(0), "arrears_open": 0}
    else:
        f = bureau_figures(since=scope.start, until=scope.end, township=scope.townships[0] if scope.townships else "")
    rows = [[r["township_name"], r["workshops"], r["home_workers"], r["working_workshops"], r["people"],
             float(r["earn"]), None if r["hourly"] is None else float(r["hourly"])]
            for r in f["by_township"] if scope.townships is None or r["township"] in scope.townships]
    share = f["share_at_minimum"]
    towns = Chart("workshops.townships", "各乡镇社区工厂与居家做工", "table",
                  columns=["乡镇", "在册车间", "居家灵活就业", "期内有活的车间", "做工人数", "计件工钱（元）",
                           "折合时薪（元）"], rows=rows,
                  note=(f"期内 {f['people_working']} 人做工，其中 {f['people_near_home']} 人在本乡镇或在家；"
                        f"{f['worker_months']} 个人月中 {f['worker_months_at_minimum']} 个时薪不低于最低工资"
                        f" {f['minimum_hourly']} 元（{'—' if share is None else f'{share}%'}，目标 ≥ 90%）；"
                        f"待发工钱 {f['wages_due']} 元，未处理欠薪预警 {f['arrears_open']} 条。"
                        "工时为车间登记，未经工人确认" if one else "工时为车间登记，未经工人确认"))
    return [monthly, towns]


register(Panel("workshops", "社区工厂", workshops, order=87, available=_installed("workshops")))
register(Panel("live", "直播带岗", live, order=86, available=_installed("live")))


# --- 因人设厂 (app siting): scenarios saved and shared, sites opened through the platform, calibration -------
# siting is dashboards' sibling (neither imports the other): its rows are read through the ORM, and the
# calibration rule comes from the pure library both use (hongniang.sitelib.calibration).


def _monthly_dates(qs, field: str, months) -> dict:
    if _empty(qs.model):
        return {}
    rows = (qs.filter(**{f"{field}__gte": months[0]}).annotate(m=TruncMonth(field)).values("m")
            .annotate(n=Count("id")))
    return {month_start(r["m"] if isinstance(r["m"], dt.date) else r["m"].date()): r["n"] for r in rows}


def _opened_in_scope(scope: Scope):
    OpenedSite = apps.get_model("siting", "OpenedSite")
    qs = OpenedSite.objects.all()
    if scope.townships is not None:
        qs = qs.filter(Q(region_id__in=scope.townships) | Q(region__parent_id__in=scope.townships))
    return qs


def siting_calibration(scope: Scope, today: dt.date) -> list[list]:
    """Per site opened through the platform (opened by the period's end): predicted against actual headcount at
    3, 6 and 12 months (actual = hires at its postings who had started and not left; the rule of siting's
    calibration page)."""
    Application = apps.get_model("applications", "Application")
    FollowUp = apps.get_model("outreach", "FollowUp")
    if _empty(apps.get_model("siting", "OpenedSite")):
        return []
    sites = list(_opened_in_scope(scope).filter(opened_on__lte=scope.end).select_related("enterprise")
                 .prefetch_related("postings").order_by("-opened_on", "-id"))
    posting_sites: dict[int, list[int]] = {}
    for s in sites:
        for p in s.postings.all():
            posting_sites.setdefault(p.pk, []).append(s.pk)
    hires = list(Application.objects.filter(posting_id__in=list(posting_sites), status="hired")
                 .values("id", "posting_id", "start_date", "actual_start_date"))
    left: dict[int, dt.date] = {}
    for fu in FollowUp.objects.filter(application_id__in=[h["id"] for h in hires], still_working=False) \
            .values("application_id", "done_at", "due_on"):
        day = timezone.localtime(fu["done_at"]).date() if fu["done_at"] else fu["due_on"]
        if fu["application_id"] not in left or day < left[fu["application_id"]]:
            left[fu["application_id"]] = day
    by_site: dict[int, list] = {}
    for h in hires:
        started = h["actual_start_date"] or h["start_date"]
        if started is None:
            continue
        for sid in posting_sites[h["posting_id"]]:
            by_site.setdefault(sid, []).append(cal.Hire(started=started, left=left.get(h["id"])))
    rows = []
    for s in sites:
        checks = cal.calibrate(opened_on=s.opened_on, predicted=s.predicted(), hires=by_site.get(s.pk, []),
                               today=min(today, scope.end))
        line = [s.name, s.enterprise.name, s.get_kind_display(), s.opened_on.isoformat()]
        for c in checks:
            line += [c["predicted"], c["actual"], None if c["error"] is None else round(c["error"], 3)]
        rows.append(line)
    return rows


def siting(scope: Scope) -> list[Chart]:
    Scenario = apps.get_model("siting", "Scenario")
    ScenarioEvent = apps.get_model("siting", "ScenarioEvent")
    ts = trend_scope(scope)
    months = ts.months()
    scen = Scenario.objects.filter(created_at__date__lte=ts.end)
    staff_made = _monthly_counts(scen.filter(by_enterprise=False), "created_at", months)
    ent_made = _monthly_counts(scen.filter(by_enterprise=True), "created_at", months)
    shared = _monthly_counts(ScenarioEvent.objects.filter(action="share", at__date__lte=ts.end), "at", months)
    opened = _opened_in_scope(ts).filter(opened_on__lte=ts.end)
    kinds = dict(apps.get_model("siting", "OpenedSite")._meta.get_field("kind").choices)
    by_kind = {k: _monthly_dates(opened.filter(kind=k), "opened_on", months) for k in kinds}
    note = "方案数为全市数（方案不分乡镇）；开设地点按所在乡镇" if scope.townships is not None else ""
    charts = [Chart("siting.monthly", "因人设厂：选址方案与经平台开设的地点", "bar", [month_label(m) for m in months], [
        {"name": "工作人员做的方案", "data": [staff_made.get(m, 0) for m in months]},
        {"name": "企业自做的方案", "data": [ent_made.get(m, 0) for m in months]},
        {"name": "分享给企业", "data": [shared.get(m, 0) for m in months]},
        *[{"name": f"开设{label}", "data": [by_kind[k].get(m, 0) for m in months]} for k, label in kinds.items()],
    ], columns=["月份"], note=note)]
    if not scope.staff:  # calibration is the bureau's (as on siting's own calibration page)
        rows = siting_calibration(scope, timezone.localdate())
        done = [r for r in rows if r[6] is not None]  # the 3-month actual is known
        within = sum(1 for r in done if r[6] is not None and abs(r[6]) <= 0.2 + 1e-12)
        cols = ["地点", "企业", "类型", "开设日期"]
        for mth in (3, 6, 12):
            cols += [f"{mth}个月预测", f"{mth}个月实际", f"{mth}个月偏差率"]
        charts.append(Chart("siting.calibration", "预测校准：经平台开设地点的预测与实际用工", "table", columns=cols,
                            rows=rows, limit=30,
                            note=f"实际＝该地点岗位录用且已上岗、未离职的人数；偏差＝实际 ÷ 预测 − 1，目标 ±20% 以内。"
                                 f"已到 3 个月的 {len(done)} 个地点中 {within} 个在 ±20% 以内"))
    return charts


register(Panel("siting", "因人设厂", siting, order=88, available=_installed("siting")))
