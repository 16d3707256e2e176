"""The dashboard's panels as a registry: a panel is a title and a function from a Scope to charts. The page,
the Excel download of each chart and the monthly report all walk this registry, so a new capability (job
fairs, live sessions, workshops, siting) adds its panel with one `register` call in a module listed in
PANEL_MODULES (or from its own AppConfig.ready, if it may import dashboards) and nothing else changes.

A Chart is plain data: categories and series for ECharts, the same rows for the table shown without JavaScript,
for the Excel download and for the PDF."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from .figures import Scope, cached, computing, peek


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar" | "hbar" | "line" | "table"
    categories: list[str] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)  # {"name", "data": [number | None], "unit"?}
    unit: str = ""
    note: str = ""  # coverage / provenance: always say how much of the figure is known
    columns: list[str] = field(default_factory=list)  # for kind "table"
    rows: list[list] = field(default_factory=list)
    stack: bool = False
    percent: bool = False  # series are shares 0..1
    limit: int = 0  # on the page (chart and table) only the first `limit` rows; the Excel has them all

    def table(self) -> tuple[list[str], list[list]]:
        """Header and rows: the chart's data as a table (page fallback, Excel, PDF)."""
        if self.kind == "table":
            return self.columns, self.rows
        header = [self.columns[0] if self.columns else "", *[s["name"] for s in self.series]]
        rows = [[c, *[s["data"][i] if i < len(s["data"]) else None for s in self.series]]
                for i, c in enumerate(self.categories)]
        return header, rows

    def echarts(self) -> dict:
        """The data the page's script turns into an ECharts option (no functions, JSON only)."""
        n = self.limit or len(self.categories)
        return {"key": self.key, "kind": self.kind, "categories": self.categories[:n],
                "series": [{**s, "data": s["data"][:n]} for s in self.series],
                "unit": self.unit, "stack": self.stack, "percent": self.percent}

    @property
    def truncated(self) -> int:
        """How many rows the page leaves out (0: none)."""
        total = len(self.rows) if self.kind == "table" else len(self.categories)
        return max(0, total - self.limit) if self.limit else 0

    def percent_cols(self) -> set[int]:
        header, _rows = self.table()
        if self.percent:
            return set(range(1, len(header)))
        return {i for i, h in enumerate(header) if "率" in str(h) or "占比" in str(h)}

    def display(self) -> tuple[list[str], list[list[str]]]:
        """The table as text for a page: shares as percentages, missing values as a dash."""
        header, rows = self.table()
        pc = self.percent_cols()
        out = []
        for r in rows[:self.limit or None]:
            line = []
            for i, v in enumerate(r):
                if v is None:
                    line.append("—")
                elif i in pc and isinstance(v, int | float):
                    line.append(f"{v * 100:.1f}%")
                elif isinstance(v, int) and not isinstance(v, bool):
                    line.append(f"{v:,}")
                else:
                    line.append(str(v))
            out.append(line)
        return [str(h) for h in header], out

    def table_html(self) -> str:
        """display() as the page's <table> (header and body), built in one pass: a points table of 60 × 11 cells
        through the template's loops cost more than computing its figures."""
        from django.utils.html import escape
        from django.utils.safestring import mark_safe

        header, rows = self.display()
        if not rows:
            return ""
        out = ['<div class="table-scroll"><table class="data"><thead><tr>']
        out += [f'<th scope="col">{escape(h)}</th>' for h in header]
        out.append("</tr></thead>\n  <tbody>")
        for r in rows:
            out.append(f'<tr><th scope="row">{escape(r[0])}</th>' if r else "<tr>")
            out += [f"<td>{escape(v)}</td>" for v in r[1:]]
            out.append("</tr>")
        out.append("</tbody></table></div>")
        return mark_safe("".join(out))  # every value escaped above

    @property
    def empty(self) -> bool:
        if self.kind == "table":
            return not self.rows
        return not any(v for s in self.series for v in s["data"] if v)


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    build: Callable[[Scope], list[Chart]]
    order: int = 100
    available: Callable[[], bool] = lambda: True
    description: str = ""
    in_report: bool = True


_panels: dict[str, Panel] = {}

#: modules that register panels when first needed (the core panels, then the capabilities' panels)
PANEL_MODULES = ["hongniang.dashboards.panels_core", "hongniang.dashboards.panels_more"]
_loaded = False


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def _load() -> None:
    global _loaded
    if not _loaded:
        for name in PANEL_MODULES:
            importlib.import_module(name)
        _loaded = True


def all_panels() -> list[Panel]:
    _load()
    return [p for p in sorted(_panels.values(), key=lambda p: (p.order, p.key)) if p.available()]


def build(scope: Scope, *, only: str = "") -> list[tuple[Panel, list[Chart]]]:
    out = []
    with computing():
        for p in all_panels():
            if only and p.key != only:
                continue
            out.append((p, p.build(scope)))
    return out


def build_cached(scope: Scope) -> list[tuple[Panel, list[Chart]]]:
    """build(scope), kept until the next aggregation run (figures.cached)."""
    panels = {p.key: p for p in all_panels()}
    charts = cached("panels", scope, lambda: [(p.key, cs) for p, cs in build(scope)], decode=charts_from_json)
    return [(panels[k], cs) for k, cs in charts if k in panels]


def charts_to_json(built: list[tuple[str, list[Chart]]]) -> list:
    """build()'s charts as JSON (a Snapshot's payload)."""
    from dataclasses import asdict

    return [[key, [asdict(c) for c in charts]] for key, charts in built]


def charts_from_json(data: list) -> list[tuple[str, list[Chart]]]:
    return [(key, [Chart(**c) for c in charts]) for key, charts in data]


def find_chart(scope: Scope, key: str) -> Chart | None:
    """One chart of the scope: from the figures kept since the last aggregation run when there are any, else
    only its panel (a chart's key starts with its panel's) is computed."""
    kept = peek("panels", scope, decode=charts_from_json)
    if kept is not None:
        built = kept
    else:
        panel = key.split(".")[0]
        if panel in {p.key for p in all_panels()}:  # kept like the page's figures, until the next run
            built = cached(f"panel-{panel}", scope, lambda: [(p.key, cs) for p, cs in build(scope, only=panel)],
                           decode=charts_from_json)
        else:
            built = [(p.key, cs) for p, cs in build_cached(scope)]
    for _panel, charts in built:
        for c in charts:
            if c.key == key:
                return c
    return None


def month_label(m: dt.date) -> str:
    return f"{m.year}年{m.month}月"


def pct(a, b) -> float | None:
    return round(a / b, 3) if b else None
