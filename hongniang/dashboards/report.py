"""The monthly report: `manage.py monthly_report --month YYYY-MM --out DIR` writes DIR/report-YYYY-MM.xlsx and
DIR/report-YYYY-MM.pdf (A4, Chinese font embedded, charts drawn in). The month's figures, the change against
the previous month and the same month a year before, the occupations in shortage, the service points' table,
and every dashboard chart's data (Excel).

Reproducible: every number is read from the stored daily facts and hire records with outcomes as known at the
month's end (hongniang.dashboards.figures), never from today's live tables, so the report for a past month
gives the same figures when run again later."""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import cjkfont

from . import panels, xlsx
from .aggregate import month_end
from .figures import Figure, Scope, as_of, computing, headline, overview
from .models import FactDay
from .panels_core import occupation_gaps

COUNTY_NAME = "瑞金市"
PALETTE = ["#c8102e", "#1f5fa8", "#2e8b57", "#d48806", "#6f42c1", "#555555"]


def parse_month(text: str) -> dt.date:
    try:
        d = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ValueError(_("月份格式应为 YYYY-MM，例如 2025-03")) from None
    return d.replace(day=1)


def month_scope(month: dt.date, *, township: str = "", label: str = "全市") -> Scope:
    return Scope(month, month_end(month), (township,) if township else None, None, label, township)


def shift_month(month: dt.date, n: int) -> dt.date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return dt.date(y, m + 1, 1)


@dataclass
class ReportData:
    month: dt.date
    scope: Scope
    figures: list[Figure]
    prev: dict[str, Figure]
    last_year: dict[str, Figure]
    overview: dict
    shortage: list[dict]
    charts: list[tuple[str, list]]  # (panel title, charts)
    days_missing: int
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


def collect(month: dt.date) -> ReportData:
    with computing():
        return _collect(month)


def _collect(month: dt.date) -> ReportData:
    scope = month_scope(month)
    figs = headline(scope)
    prev = {f.key: f for f in headline(month_scope(shift_month(month, -1)))}
    last_year = {f.key: f for f in headline(month_scope(shift_month(month, -12)))}
    built = []
    for panel, charts in panels.build(scope):
        if panel.in_report:
            if panel.key == "points":
                for c in charts:  # a point with nothing in the month adds no line (nor one opened later)
                    c.rows = [r for r in c.rows if any(v for v in r[1:])]
            built.append((panel.title, charts))
    last = min(month_end(month), timezone.localdate() - dt.timedelta(days=1))
    written = FactDay.objects.filter(day__gte=month, day__lte=last).count()
    missing = max(0, (last - month).days + 1 - written)
    return ReportData(month, scope, figs, prev, last_year, overview(scope), occupation_gaps(scope)[:10], built,
                      missing)


def change(cur, old) -> str:
    if cur is None or old is None:
        return "—"
    if isinstance(cur, float) or isinstance(old, float):
        return f"{(cur - old) * 100:+.1f} 个百分点" if abs(cur) <= 1 and abs(old) <= 1 else f"{cur - old:+.1f}"
    if not old:
        return "—" if not cur else "新增"
    return f"{(cur - old) / old * 100:+.1f}%"


def fmt(f: Figure | None) -> str:
    if f is None or f.value is None:
        return "—"
    if f.key == "fill_rate":
        return f"{f.value * 100:.1f}%"
    return f"{f.value:,}{f.unit}" if isinstance(f.value, int) else f"{f.value}{f.unit}"


def figure_rows(data: ReportData) -> list[list]:
    rows = []
    for f in data.figures:
        p, y = data.prev.get(f.key), data.last_year.get(f.key)
        share = f"{f.verified_share * 100:.0f}%" if f.verified_share is not None else ""
        rows.append([f.label, fmt(f), fmt(p), change(f.value, p.value if p else None), fmt(y),
                     change(f.value, y.value if y else None), share])
    return rows


FIGURE_HEADER = ["指标", "本月", "上月", "环比", "去年同月", "同比", "已核实占比"]


# --- Excel ------------------------------------------------------------------------------------------


def write_xlsx(data: ReportData, path: str) -> None:
    wb = xlsx.new_workbook(write_only=True)
    used: set[str] = set()
    notes = [f"{COUNTY_NAME}公共就业服务月报 · {data.label}",
             f"数据来源：红娘平台每日汇总（截至 {as_of(data.scope):%Y-%m-%d}），生成于 {timezone.localtime(data.generated_at):%Y-%m-%d %H:%M}"]
    if data.days_missing:
        notes.append(f"注意：本月有 {data.days_missing} 天尚未汇总")
    xlsx.add_table(wb, "主要指标", FIGURE_HEADER, figure_rows(data), used=used, notes=notes)
    prov = [[f.label, f.value, f.verified, (f.value or 0) - (f.verified or 0), f.verified_label, f.self_label]
            for f in data.figures if f.verified is not None]
    xlsx.add_table(wb, "数据来源与核实", ["指标", "数量", "已核实", "自报", "已核实指", "自报指"], prov, used=used)
    xlsx.add_table(wb, "紧缺工种", ["工种", "在招人数", "求职意向人数", "求人倍率", "缺口（人）"],
                   [[r["name"], r["positions"], r["seekers"], r["ratio"], r["gap"]] for r in data.shortage],
                   used=used, notes=["按缺口（在招人数 − 求职意向人数）从大到小"])
    for _title, charts in data.charts:
        for c in charts:
            header, rows = c.table()
            xlsx.add_table(wb, c.title, header, rows, used=used, notes=[c.note],
                           percent_cols=xlsx.chart_percent_cols(c))
    wb.save(path)


# --- PDF --------------------------------------------------------------------------------------------


def _chart_drawing(chart, font: str, width: float, height: float):
    """A ReportLab drawing of a bar or line chart (vector: sharp in print)."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    series = [s for s in chart.series if any(v for v in s["data"] if v)][:4]
    cats = chart.categories
    if not series or not cats:
        return None
    data = [[(v or 0) for v in s["data"]] for s in series]
    d = Drawing(width, height)
    legend_h = 18
    if chart.kind == "line":
        c = HorizontalLineChart()
    elif chart.kind == "hbar":
        c = HorizontalBarChart()
        cats, data = cats[:12], [row[:12] for row in data]
    else:
        c = VerticalBarChart()
    c.x, c.y = 60 if chart.kind == "hbar" else 40, 30
    c.width, c.height = width - c.x - 10, height - 30 - legend_h - 10
    c.data = data
    c.categoryAxis.categoryNames = [str(x)[:8] for x in cats]
    c.categoryAxis.labels.fontName = font
    c.categoryAxis.labels.fontSize = 7
    c.valueAxis.labels.fontName = font
    c.valueAxis.labels.fontSize = 7
    c.valueAxis.valueMin = 0
    if chart.kind != "hbar" and len(cats) > 6:
        c.categoryAxis.labels.angle = 30
        c.categoryAxis.labels.boxAnchor = "ne"
    for i in range(len(data)):
        color = colors.HexColor(PALETTE[i % len(PALETTE)])
        if chart.kind == "line":
            c.lines[i].strokeColor = color
            c.lines[i].strokeWidth = 1.5
        else:
            c.bars[i].fillColor = color
            c.bars[i].strokeColor = None
    d.add(c)
    legend = Legend()
    legend.fontName, legend.fontSize = font, 8
    legend.x, legend.y = 40, height - 4
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 90
    legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), s["name"]) for i, s in enumerate(series)]
    d.add(legend)
    return d


def _cell(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v * 100:.1f}%" if -1 <= v <= 1 else f"{v:.1f}"
    return str(v)


PDF_CHARTS = ("trend.monthly", "area.townships", "occupation.supply_demand", "outcomes.retention",
              "outcomes.channel_hires", "outcomes.pay", "gigs.monthly")
PDF_TABLES = ("occupation.shortage", "points.outcomes", "outcomes.channels")


def write_pdf(data: ReportData, path: str) -> dict:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

    # the story is made twice: once to learn every character printed, then with the font subset to them
    embedded = cjkfont.find_font() is not None
    font = "HNR" + uuid.uuid4().hex[:12] if embedded else "STSong-Light"
    if not embedded:  # no CJK font file at all: a CID font the viewer supplies (not embedded)
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(font))
    used: list[str] = ["0123456789.,%+-—–…（）：；，。、 "]

    def Paragraph(text, style):  # noqa: N802 - the platypus name, recording the text
        from reportlab.platypus import Paragraph as P

        used.append(text)
        return P(text, style)

    def build_story(font):
        h1 = ParagraphStyle("h1", fontName=font, fontSize=18, leading=24, spaceAfter=4)
        h2 = ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4,
                            textColor=colors.HexColor("#c8102e"))
        body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
        small = ParagraphStyle("small", fontName=font, fontSize=7.5, leading=10, wordWrap="CJK",
                               textColor=colors.HexColor("#555555"))
        cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.5, wordWrap="CJK")
        width = A4[0] - 30 * mm

        def table(header, rows, col_widths=None):
            t = Table([[Paragraph(_esc(h), cell) for h in header]] +
                      [[Paragraph(_esc(_cell(v)), cell) for v in r] for r in rows],
                      colWidths=col_widths, repeatRows=1)
            t.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e5e7")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]))
            return t

        story = [Paragraph(f"{COUNTY_NAME}公共就业服务月报 · {data.label}", h1),
                 Paragraph(_esc(f"数据来源：红娘平台每日汇总，截至 {as_of(data.scope):%Y-%m-%d}；"
                                f"生成于 {timezone.localtime(data.generated_at):%Y-%m-%d %H:%M}。"
                                "岗位、企业按工作地统计；求职者、录用按本人所在乡镇统计。"), small)]
        if data.days_missing:
            story.append(Paragraph(_esc(f"注意：本月有 {data.days_missing} 天尚未汇总，相关数字不完整。"), body))
        story += [Paragraph("主要指标", h2),
                  table(FIGURE_HEADER, figure_rows(data),
                        [width * x for x in (0.2, 0.14, 0.14, 0.12, 0.14, 0.12, 0.14)])]
        prov = [f"{f.label}：已核实 {f.verified:,}（{f.verified_label}），自报 {(f.value or 0) - f.verified:,}（{f.self_label}）"
                for f in data.figures if f.verified is not None and f.value]
        if prov:
            story.append(Paragraph(_esc("数据来源与核实：" + "；".join(prov) + "。"), small))
        charts = {c.key: c for _t, cs in data.charts for c in cs}
        story.append(Paragraph("紧缺工种（求人倍率）", h2))
        if data.shortage:
            story.append(table(["工种", "在招人数", "求职意向人数", "求人倍率", "缺口（人）"],
                               [[r["name"], r["positions"], r["seekers"], r["ratio"], r["gap"]] for r in data.shortage]))
        else:
            story.append(Paragraph("本月无岗位多于求职者的工种。", body))
        for key in PDF_CHARTS:
            c = charts.get(key)
            if c is None:
                continue
            drawing = _chart_drawing(c, font, width, 62 * mm if c.kind != "hbar" else 80 * mm)
            used.extend([*map(str, c.categories), *[s["name"] for s in c.series]])
            block = [Paragraph(_esc(c.title), h2)]
            block.append(drawing if drawing is not None else Paragraph("本月无数据。", body))
            if c.note:
                block.append(Paragraph(_esc(c.note), small))
            story.append(KeepTogether(block))
        for key in PDF_TABLES:
            c = charts.get(key)
            if c is None or key == "occupation.shortage":
                continue
            header, rows = c.table()
            story += [Paragraph(_esc(c.title), h2), table(header, rows[:80])]
            if c.note:
                story.append(Paragraph(_esc(c.note), small))
        story.append(Spacer(1, 6 * mm))
        return story

    story = build_story("Helvetica")  # first pass: learn every character the pages print
    foot = f"{COUNTY_NAME}人力资源和社会保障局 · 公共就业服务月报 {data.label}"
    used.extend([foot, "第页"])
    if embedded:
        cjkfont.register("".join(used), name=font)
    story = build_story(font)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(15 * mm, 10 * mm, foot)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=f"{COUNTY_NAME}公共就业服务月报 {data.label}",
                            author="红娘 · 瑞金公共就业服务")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    with open(path, "wb") as fh:
        fh.write(buf.getvalue())
    return {"font": font, "embedded": embedded}


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figures_summary(data: ReportData) -> dict:
    return {f.key: f.value for f in data.figures}


def write_report(month: dt.date, out_dir: str) -> dict:
    """Write both files; returns their paths, the headline figures and facts about the PDF."""
    os.makedirs(out_dir, exist_ok=True)
    data = collect(month)
    stem = os.path.join(out_dir, f"report-{month:%Y-%m}")
    write_xlsx(data, stem + ".xlsx")
    pdf = write_pdf(data, stem + ".pdf")
    return {"xlsx": stem + ".xlsx", "pdf": stem + ".pdf", "figures": figures_summary(data),
            "days_missing": data.days_missing, **pdf}

