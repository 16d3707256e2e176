"""Excel exports of the labour-supply table and of a recommendation (aggregate figures only). A text cell that
starts with = + - @ (or a tab / carriage return) is written with a leading apostrophe, so a spreadsheet never runs
it as a formula (CSV/formula injection)."""

from __future__ import annotations

from hongniang.core import xlsx


def workbook(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    wb = xlsx.new_workbook()
    for title, headers, rows in sheets:
        xlsx.add_sheet(wb, title, headers, rows)
    return xlsx.to_bytes(wb)


def supply_xlsx(sup) -> bytes:
    f = sup.filters
    filt = [["工种", f.occupation or "不限"], ["班次", f.shift or "不限"], ["年龄段", f.age or "不限"],
            ["可工作时间", f.availability or "不限"], ["是否愿意外出", f.relocate or "不限"], ["合计人数", sup.total]]
    return workbook([
        ("按乡镇", ["区划代码", "乡镇", "纬度", "经度", "人数"],
         [[r["code"], r["name"], r["lat"], r["lon"], r["people"]] for r in sup.townships]),
        ("按村", ["区划代码", "乡镇", "村（社区）", "纬度", "经度", "人数"],
         [[r["code"], r["township"], r["name"], r["lat"], r["lon"], r["people"]] for r in sup.villages]),
        ("筛选条件", ["条件", "值"], filt),
    ])


def recommendation_xlsx(result: dict, title: str = "选址结果") -> bytes:
    sheets = [("逐个排名", ["名次", "地点编号", "地点", "纬度", "经度", "可覆盖人数", "其中已表示愿意", "占需求比例"],
               [[n, r["site_id"], r["name"], r["lat"], r["lon"], r["people"], r["said_yes"], r["share"]]
                for n, r in enumerate(result.get("ranking", []), 1)])]
    for key, label in (("exact", "精确解"), ("greedy", "贪心解")):
        res = result.get(key)
        if res:
            sheets.append((label, ["顺序", "地点编号", "地点", "纬度", "经度", "单独可覆盖", "新增覆盖", "累计覆盖"],
                           [[n, s["site_id"], s["name"], s["lat"], s["lon"], s["people"], s["covered_new"],
                             s["covered_total"]] for n, s in enumerate(res["sites"], 1)]))
    return workbook(sheets)
