"""The bureau's Excel export of the workshop figures. Text cells a spreadsheet would run as a formula (starting
with = + - @, or a tab / carriage return) get a leading apostrophe: a workshop or township name typed by a user
never becomes a formula. (hongniang.core has no shared Excel writer; dashboards and siting each keep theirs and
sit above this layer.)"""

from __future__ import annotations

import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _fmt(v):
    return "" if v is None else v


def bureau_xlsx(fig: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    period = f"{fig['since'] or '开始'} 至 {fig['until'] or '今天'}" + (f"，乡镇 {fig['township']}" if fig["township"] else "")
    ws.append([neutralise(f"社区工厂（帮扶车间）数据 {period}")])
    ws["A1"].font = Font(bold=True, size=13)
    rows = [
        ("在册接单的社区工厂", fig["workshops_active"]), ("在册居家灵活就业人员", fig["home_workers_active"]),
        ("期间有计件的车间/居家", fig["workshops_working"]), ("期间有计件的人数", fig["people_working"]),
        ("其中在本乡镇或在家做的", fig["people_near_home"]), ("其中居家做的", fig["people_at_home"]),
        ("件数", fig["pieces"]), ("计件收入（元）", fig["earnings"]), ("工时（小时）", fig["hours"]),
        ("平均时薪（元/小时）", _fmt(fig["hourly_average"])), ("时薪中位数（按人月，元/小时）", _fmt(fig["hourly_median"])),
        ("人月数", fig["worker_months"]), ("达到最低小时工资的人月", fig["worker_months_at_minimum"]),
        ("达标比例（%）", _fmt(fig["share_at_minimum"])), ("目标（%）", fig["goal_share"]),
        ("最低小时工资（元）", fig["minimum_hourly"]), ("已发工钱（元）", fig["wages_paid"]),
        ("待发工钱（元）", fig["wages_due"]), ("未处理的欠薪预警", fig["arrears_open"]),
        ("需要重新试做的订单", fig["orders_flagged"]),
    ]
    ws.append([])
    for label, value in rows:
        ws.append([neutralise(label), float(value) if hasattr(value, "as_tuple") else value])
    ws.column_dimensions["A"].width = 34
    t = wb.create_sheet("按乡镇")
    header = ["乡镇", "乡镇代码", "社区工厂", "居家人员", "有计件的车间", "人数", "计件收入（元）", "工时", "时薪（元/小时）"]
    t.append(header)
    for c in t[1]:
        c.font = Font(bold=True)
    for r in fig["by_township"]:
        t.append([neutralise(r["township_name"]), neutralise(r["township"]), r["workshops"], r["home_workers"],
                  r["working_workshops"], r["people"], float(r["earn"]), float(r["hours"]),
                  float(r["hourly"]) if r["hourly"] is not None else ""])
    t.column_dimensions["A"].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
