"""The core panels: monthly trend, townships, service points, industries, occupations (supply against demand),
outcomes (retention, channels, pay) and filling postings."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import Q

from hongniang.catalog.models import Industry, Occupation
from hongniang.geo.models import ServicePoint

from .aggregate import month_start
from .figures import (
    IND,
    OCC,
    Scope,
    as_of,
    channel_outcomes,
    hires_by_point,
    pay,
    retention,
    sums,
    township_names,
)
from .panels import Chart, Panel, month_label, pct, register

TREND_MONTHS = 12


def trend_scope(scope: Scope) -> Scope:
    """The twelve months up to the period's end, same area (a trend needs history)."""
    first = month_start(scope.end)
    for _ in range(TREND_MONTHS - 1):
        first = month_start(first - dt.timedelta(days=1))
    return Scope(min(first, scope.start), scope.end, scope.townships, scope.points, scope.label, scope.township,
                 scope.staff)


def _months(scope: Scope) -> list[dt.date]:
    return scope.months()


def occupation_names(codes) -> dict[str, str]:
    return {c: (label or name) for c, name, label in
            Occupation.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name", "common_label")}


def industry_names(codes) -> dict[str, str]:
    return dict(Industry.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))


# --- trend ------------------------------------------------------------------------------------------


def trend(scope: Scope) -> list[Chart]:
    ts = trend_scope(scope)
    months = _months(ts)
    keys = ("applications", "interviews", "seekers_new", "postings_published")
    s = sums(ts, (*keys, "hires"), by="month")
    h = {m: v[0] for m, v in s["hires"].items()}
    labels = {"applications": "报名", "interviews": "约面试", "seekers_new": "新登记求职者",
              "postings_published": "新发布岗位"}
    series = [{"name": labels[k], "data": [s[k].get(m, (0, 0))[0] for m in months]} for k in keys]
    series.insert(2, {"name": "录用上岗", "data": [h.get(m, 0) for m in months]})
    return [Chart("trend.monthly", "每月报名、面试、录用与新增", "line", [month_label(m) for m in months], series,
                  columns=["月份"], note=f"{month_label(months[0])}至{month_label(months[-1])}，{scope.label}")]


# --- townships ----------------------------------------------------------------------------------------


def area(scope: Scope) -> list[Chart]:
    names = township_names()
    s = sums(scope, ("positions_open", "postings_open", "seekers_active", "enterprises_total", "hires"),
             by="township")
    h = {t: v[0] for t, v in s["hires"].items()}
    # ties by code: a set's order changes from process to process, and the chart with it
    codes = sorted(set(scope.townships or names) & set(names),
                   key=lambda c: (-(s["positions_open"].get(c, (0, 0))[0] + s["seekers_active"].get(c, (0, 0))[0]), c))
    cats = [names[c] for c in codes]
    series = [
        {"name": "在招人数", "data": [s["positions_open"].get(c, (0, 0))[0] for c in codes]},
        {"name": "正在求职", "data": [s["seekers_active"].get(c, (0, 0))[0] for c in codes]},
        {"name": "录用上岗", "data": [h.get(c, 0) for c in codes]},
        {"name": "在册企业", "data": [s["enterprises_total"].get(c, (0, 0))[0] for c in codes]},
    ]
    note = "岗位、企业按工作地统计；求职者、录用按本人所在乡镇统计"
    if scope.points is not None:
        note += "；求职者、录用只含本站点登记的人员"
    return [Chart("area.townships", "各乡镇岗位、求职与录用", "hbar", cats, series, columns=["乡镇"], note=note,
                  limit=30)]


# --- service points -----------------------------------------------------------------------------------


class _Point(NamedTuple):
    pk: int
    name: str


def points(scope: Scope) -> list[Chart]:
    qs = ServicePoint.objects.order_by("kind", "name")
    if scope.points is not None:
        qs = qs.filter(pk__in=scope.points)
    elif scope.townships is not None:
        qs = qs.filter(Q(region_id__in=scope.townships) | Q(region__parent_id__in=scope.townships))
    pts = [_Point(pk, name) for pk, name in qs.values_list("pk", "name")]  # 540 at a prefecture: no model objects
    s = sums(scope, ("seekers_total", "seekers_active", "seekers_new", "applications"), by="point_id")
    t = as_of(scope)
    h = hires_by_point(scope)
    ret = retention(scope, by="point_id")
    pay_by = pay(scope, by="point_id")
    rows = []
    for p in pts:
        r30 = ret.get(p.pk, {}).get(30, {"due": 0, "reached": 0, "working": 0})
        r7 = ret.get(p.pk, {}).get(7, {"due": 0, "reached": 0, "working": 0})
        due = sum(ret.get(p.pk, {}).get(d, {"due": 0})["due"] for d in (7, 30, 90))
        reached = sum(ret.get(p.pk, {}).get(d, {"reached": 0})["reached"] for d in (7, 30, 90))
        pr = pay_by.get(p.pk)
        rows.append([p.name, s["seekers_total"].get(p.pk, (0, 0))[0], s["seekers_active"].get(p.pk, (0, 0))[0],
                     s["seekers_new"].get(p.pk, (0, 0))[0], s["applications"].get(p.pk, (0, 0))[0], h.get(p.pk, 0),
                     due, pct(reached, due), pct(r7["working"], r7["reached"]), pct(r30["working"], r30["reached"]),
                     pct(pr["below"], pr["n"]) if pr else None])
    rows.sort(key=lambda r: (-(r[5] or 0), r[0]))
    cols = ["就业之家", "登记求职者", "正在求职", "新登记", "报名", "录用上岗", "应回访", "回访完成率", "7天仍在岗率",
            "30天仍在岗率", "首月工资低于承诺占比"]
    return [Chart("points.outcomes", "各就业之家成效（按录用排序）", "table", columns=cols, rows=rows, limit=60,
                  note=f"回访完成率＝期内到期的 7/30/90 天回访中截至 {t:%Y-%m-%d} 已回访的占比；仍在岗率只计已回访的人，"
                       "回访完成率低时该比率代表性有限")]


# --- industries ---------------------------------------------------------------------------------------


def industry(scope: Scope) -> list[Chart]:
    s = sums(scope, ("positions_open", "enterprises_total", "postings_published"), grain=IND, by="key")
    keys = set(s["positions_open"]) | set(s["enterprises_total"])
    names = industry_names(keys)
    order = sorted(keys, key=lambda k: (-s["positions_open"].get(k, (0, 0))[0], k is None, k or ""))
    cats = [names.get(k, "未填行业") for k in order]
    series = [{"name": "在招人数", "data": [s["positions_open"].get(k, (0, 0))[0] for k in order]},
              {"name": "在册企业", "data": [s["enterprises_total"].get(k, (0, 0))[0] for k in order]},
              {"name": "期内新发布岗位", "data": [s["postings_published"].get(k, (0, 0))[0] for k in order]}]
    return [Chart("industry.positions", "各行业在招人数与企业", "hbar", cats, series, columns=["行业"],
                  note="国民经济行业分类（GB/T 4754-2017）门类")]


# --- occupations: supply against demand ---------------------------------------------------------------


def occupation_gaps(scope: Scope) -> list[dict]:
    """Per occupation: open positions, seekers wanting it (first choice), vacancies per seeker (求人倍率)."""
    s = sums(scope, ("positions_open", "seekers_wanting"), grain=OCC, by="key")
    keys = (set(s["positions_open"]) | set(s["seekers_wanting"])) - {""}
    names = occupation_names(keys)
    out = []
    for k in keys:
        demand, supply = s["positions_open"].get(k, (0, 0))[0], s["seekers_wanting"].get(k, (0, 0))[0]
        out.append({"code": k, "name": names.get(k, k), "positions": demand, "seekers": supply,
                    "ratio": round(demand / supply, 2) if supply else None, "gap": demand - supply})
    out.sort(key=lambda r: (-r["gap"], r["name"]))
    return out


def occupation(scope: Scope) -> list[Chart]:
    gaps = occupation_gaps(scope)
    top = sorted(gaps, key=lambda r: -(r["positions"] + r["seekers"]))[:15]
    chart = Chart("occupation.supply_demand", "工种供需：在招人数与求职意向", "hbar", [r["name"] for r in top],
                  [{"name": "在招人数", "data": [r["positions"] for r in top]},
                   {"name": "求职意向人数", "data": [r["seekers"] for r in top]}], columns=["工种"],
                  note="求职意向按求职者的第一意向工种计；只列供需合计最多的 15 个工种")
    short = [r for r in gaps if r["gap"] > 0][:15]
    table = Chart("occupation.shortage", "紧缺工种（求人倍率＝在招人数 ÷ 求职意向人数）", "table",
                  columns=["工种", "在招人数", "求职意向人数", "求人倍率", "缺口（人）"],
                  rows=[[r["name"], r["positions"], r["seekers"], r["ratio"], r["gap"]] for r in short],
                  note="求人倍率大于 1 表示岗位多于求职者")
    return [chart, table]


# --- outcomes -----------------------------------------------------------------------------------------


def outcomes(scope: Scope) -> list[Chart]:
    t = as_of(scope)
    ret = retention(scope)
    cats = ["7 天", "30 天", "90 天"]
    r_chart = Chart("outcomes.retention", "回访：期内到期的回访与仍在岗", "bar", cats, [
        {"name": "应回访", "data": [ret[d]["due"] for d in (7, 30, 90)]},
        {"name": "已回访", "data": [ret[d]["reached"] for d in (7, 30, 90)]},
        {"name": "仍在岗", "data": [ret[d]["working"] for d in (7, 30, 90)]},
    ], columns=["上岗后"], note="；".join(
        f"{d} 天：回访完成 {_p(pct(ret[d]['reached'], ret[d]['due']))}，仍在岗率 "
        f"{_p(pct(ret[d]['working'], ret[d]['reached']))}" for d in (7, 30, 90)) + f"（截至 {t:%Y-%m-%d}）")
    ch = channel_outcomes(scope)
    c_chart = Chart("outcomes.channels", "各渠道录用与 30/90 天仍在岗率", "table",
                    columns=["渠道", "录用上岗", "30天已回访", "30天仍在岗率", "90天已回访", "90天仍在岗率"],
                    rows=[[r["label"], r["hires"], r["reached_30"], pct(r["working_30"], r["reached_30"]),
                           r["reached_90"], pct(r["working_90"], r["reached_90"])] for r in ch],
                    note="期内录用的人；仍在岗率只计已回访的人。零工：30 天内（第 1–30 天）或第 61–90 天再次上工记为仍在做")
    c_bar = Chart("outcomes.channel_hires", "各渠道录用上岗", "bar", [r["label"] for r in ch],
                  [{"name": "录用上岗", "data": [r["hires"] for r in ch]}], columns=["渠道"])
    p = pay(scope, by="occupation")
    names = occupation_names(p)
    prow = sorted(p.values(), key=lambda r: (-r["n"], r["occupation"]))[:15]
    pay_chart = Chart("outcomes.pay", "承诺与实发首月工资（按工种）", "bar",
                      [names.get(r["occupation"], r["occupation"] or "未填工种") for r in prow],
                      [{"name": "承诺月收入下限（平均）", "data": [round(r["promised"]) for r in prow]},
                       {"name": "实发首月工资（平均）", "data": [round(r["actual"]) for r in prow]}],
                      unit="元", columns=["工种"],
                      note="实发工资由求职者本人（或站点代其）填报；" + _pay_note(scope))
    return [r_chart, c_bar, c_chart, pay_chart]


def _p(x) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _pay_note(scope: Scope) -> str:
    p = pay(scope)
    if not p["n"]:
        return "期内无人填报"
    return (f"期内填报 {p['n']} 人，{p['below']} 人低于承诺；其中 {p['confirmed']} 人经回访确认工资按约定发放")


# --- filling postings -----------------------------------------------------------------------------------


def filling(scope: Scope) -> list[Chart]:
    ts = trend_scope(scope)
    months = _months(ts)
    s = sums(ts, ("positions_published", "hires", "fill_days", "fill_hires"), by="month")
    pub = s["positions_published"]
    rows = {m: {"n": s["hires"].get(m, (0, 0))[0],
                "ttf": (s["fill_days"].get(m, (0, 0))[0] / s["fill_hires"][m][0]) if s["fill_hires"].get(m, (0, 0))[0]
                else None} for m in months}
    return [Chart("filling.monthly", "招聘完成率与平均录用周期", "line", [month_label(m) for m in months], [
        {"name": "招聘完成率", "data": [pct(rows.get(m, {}).get("n", 0), pub.get(m, (0, 0))[0]) for m in months]},
        {"name": "平均录用周期（天）", "data": [round(rows[m]["ttf"], 1) if m in rows and rows[m]["ttf"] is not None
                                       else None for m in months]},
    ], columns=["月份"], note="完成率＝当月录用人次 ÷ 当月新发布招聘人数；录用周期＝岗位发布至录用的天数")]


register(Panel("trend", "每月动态", trend, order=10))
register(Panel("area", "各乡镇", area, order=20))
register(Panel("points", "各就业之家成效", points, order=30))
register(Panel("occupation", "工种供需", occupation, order=40))
register(Panel("outcomes", "就业成效：回访、渠道与工资", outcomes, order=50))
register(Panel("filling", "岗位招满", filling, order=60))
register(Panel("industry", "各行业", industry, order=70))

