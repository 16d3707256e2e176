"""Excel files of the figures: each chart's data as a sheet. Text cells that a spreadsheet would run as a
formula (starting with = + - @, or a tab / carriage return before one) are written as text with a leading
apostrophe, so a name typed by a user can never become a formula in the bureau's Excel."""

from __future__ import annotations

from hongniang.core import xlsx
from hongniang.core.textclean import clean_text

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
    header, rows = chart.table()
    notes = [f"{scope_label} · {period}", chart.note]
    plain = (str, int, float, type(None))
    if all(isinstance(v, plain) for r in rows for v in r) and all(isinstance(h, str) for h in header):
        return table_xlsx(chart.title, header, rows, notes=notes, percent_cols=chart_percent_cols(chart))
    wb = new_workbook(write_only=True)
    add_table(wb, chart.title, header, rows, used=set(), notes=notes, percent_cols=chart_percent_cols(chart))
    return to_bytes(wb)


# --- one table as a workbook, written directly -------------------------------------------------------------
# A chart's download is one sheet of text and numbers. openpyxl (without lxml) serialises every cell through
# a generic XML writer: ~0.2 s for the points table's 540 x 11 cells on a quiet machine, more than computing
# its figures. The same sheet — bold title and header, frozen pane, widths, 0.0 % shares, every text cell
# through the shared writer's cell() (never a formula, no control characters) — written as its XML directly.

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_BOLD, _TITLE, _PCT = 1, 2, 3


def _column(i: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _text(value: str) -> str:
    from xml.sax.saxutils import escape

    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<is><t{space}>{escape(value)}</t></is>"


def _cell(ref: str, value, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":  # openpyxl writes no value for an empty text either
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):  # NaN / infinity: not a number in Excel
            return f'<c r="{ref}"{s} t="inlineStr">{_text(str(value))}</c>'
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr">{_text(neutralise(str(value)))}</c>'


def table_xlsx(title: str, header: list, rows: list[list], *, notes=(), percent_cols=frozenset()) -> bytes:
    """One sheet as add_table() writes it (title, notes, header, rows), as .xlsx bytes."""
    import io
    import zipfile
    from xml.sax.saxutils import quoteattr

    notes = [n for n in notes if n]
    ncols = max([len(header)] + [len(r) for r in rows]) or 1
    letters = [_column(i) for i in range(1, ncols + 1)]
    head_row = 2 + len(notes)
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_NS_R}>',
           f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{head_row}" topLeftCell="A{head_row + 1}" '
           f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A{head_row + 1}" '
           f'sqref="A{head_row + 1}"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>']
    for i, h in enumerate(header, start=1):
        width = max([len(str(h)) * 2 + 2] + [len(str(r[i - 1])) * 2 + 2 for r in rows[:200] if i - 1 < len(r)])
        out.append(f'<col min="{i}" max="{i}" width="{min(40, max(10, width))}" customWidth="1"/>')
    out.append("</cols><sheetData>")
    n = 1
    out.append(f'<row r="1">{_cell("A1", title, _TITLE)}</row>')
    for note in notes:
        n += 1
        out.append(f'<row r="{n}">{_cell(f"A{n}", note)}</row>')
    n += 1
    out.append(f'<row r="{n}">' + "".join(_cell(f"{letters[i]}{n}", h, _BOLD) for i, h in enumerate(header))
               + "</row>")
    pcs = set(percent_cols)
    for r in rows:
        n += 1
        out.append(f'<row r="{n}">' + "".join(
            _cell(f"{letters[i]}{n}", v, _PCT if i in pcs and v is not None else 0) for i, v in enumerate(r))
            + "</row>")
    out.append('</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
               "</worksheet>")
    name = quoteattr(sheet_title(clean_text(title), set()))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_NS_R}>'
            f'<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
        "xl/worksheets/sheet1.xml": "".join(out),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in parts.items():
            z.writestr(path, text.encode("utf-8"))
    return buf.getvalue()
