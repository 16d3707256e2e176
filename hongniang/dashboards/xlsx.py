"""Excel files of the figures: each chart's data as a sheet. Text cells that a spreadsheet would run as a
formula (starting with = + - @, or a tab / carriage return before one) are written as text with a leading
apostrophe, so a name typed by a user can never become a formula in the bureau's Excel."""

from __future__ import annotations

from hongniang.core import xlsx

FORMULA_START = xlsx.FORMULA_START
neutralise = xlsx.cell  # every cell through the shared writer (core.xlsx)


def sheet_title(text: str, used: set[str]) -> str:
    bad = '[]:*?/\\'
    title = "".join("_" if ch in bad else ch for ch in text)[:28] or "数据"
    base, n = title, 2
    while title in used:
        title = f"{base[:25]}_{n}"
        n += 1
    used.add(title)
    return title


def add_table(wb, title: str, header: list, rows: list[list], *, used: set[str], notes: list[str] = (),
              percent_cols: set[int] = frozenset()):
    """A sheet: the title (bold), the notes, a bold header row (frozen below it) and the rows, shares as 0.0%.
    Works on a write-only workbook (new_workbook(write_only=True): rows are streamed, widths and the frozen pane
    set before the first row), which is what the downloads and the report use: several times faster to save."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet_title(title, used))
    notes = [n for n in notes if n]
    head_row = 2 + len(notes)
    for i, h in enumerate(header, start=1):
        width = max([len(str(h)) * 2 + 2] + [len(str(r[i - 1])) * 2 + 2 for r in rows[:200] if i - 1 < len(r)])
        ws.column_dimensions[get_column_letter(i)].width = min(40, max(10, width))
    ws.freeze_panes = f"A{head_row + 1}"
    if getattr(wb, "write_only", False):
        def styled(value, font=None, number_format=None):
            c = WriteOnlyCell(ws, value=neutralise(value))
            if font is not None:
                c.font = font
            if number_format:
                c.number_format = number_format
            return c

        bold = Font(bold=True)
        ws.append([styled(title, Font(bold=True, size=13))])
        for note in notes:
            ws.append([neutralise(note)])
        ws.append([styled(h, bold) for h in header])
        pcs = set(percent_cols)
        for row in rows:
            ws.append([styled(v, number_format="0.0%") if i in pcs else neutralise(v) for i, v in enumerate(row)])
        return ws
    ws.append([neutralise(title)])
    ws["A1"].font = Font(bold=True, size=13)
    for note in notes:
        ws.append([neutralise(note)])
    ws.append([neutralise(h) for h in header])
    for cell in ws[head_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([neutralise(v) for v in row])
    for col in percent_cols:
        for r in range(head_row + 1, ws.max_row + 1):
            ws.cell(row=r, column=col + 1).number_format = "0.0%"
    return ws


new_workbook = xlsx.new_workbook
to_bytes = xlsx.to_bytes


def chart_percent_cols(chart) -> set[int]:
    return chart.percent_cols()


def chart_workbook(chart, *, scope_label: str, period: str) -> bytes:
    wb = new_workbook(write_only=True)
    header, rows = chart.table()
    add_table(wb, chart.title, header, rows, used=set(), notes=[f"{scope_label} · {period}", chart.note],
              percent_cols=chart_percent_cols(chart))
    return to_bytes(wb)
