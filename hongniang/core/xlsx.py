"""The one way this project writes Excel cells. Every export (outreach rosters, import reports and templates,
dashboards, siting) appends its rows through `row()` / `add_sheet()`, so in every workbook we hand out:
- a text cell that starts with = + - @ (or a tab / carriage return) is written with a leading apostrophe, so a
  spreadsheet never runs it as a formula (formula / CSV injection: a seeker named "=HYPERLINK(...)");
- control characters and lone surrogates (which openpyxl refuses, failing the whole export) are removed.
"""

from __future__ import annotations

import io

from .textclean import clean_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value safe to put in a cell: text cleaned and never a formula; numbers, dates and None unchanged."""
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def row(values) -> list:
    return [cell(v) for v in values]


def new_workbook(*, write_only: bool = False):
    """An empty workbook (no default sheet)."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    return wb


def add_sheet(wb, title: str, headers, rows, *, widths: dict[int, int] | None = None, freeze: bool = True):
    """A sheet with a bold header row and `rows`, every cell through `cell()`."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=clean_text(title)[:31] or "Sheet")
    ws.append(row(headers))
    for c in ws[1]:
        c.font = Font(bold=True)
    if freeze:
        ws.freeze_panes = "A2"
    for values in rows:
        ws.append(row(values))
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, max(10, len(str(h)) * 2 + 2))
    return ws


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
