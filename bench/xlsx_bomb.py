"""Excel "bombs" against the roster reader: time and peak Python memory of the old way (openpyxl's full
load, then every row) and of `hongniang.outreach.imports.read_sheet` (archive check, streaming, limits).

    .venv/bin/python bench/xlsx_bomb.py [--rows 100000]

Three files: many small rows (under the expanded-size limit: the reader stops at the row limit), one row
claiming 16,384 columns over a million-row dimension, and a highly compressed 30 MB sheet (refused before
parsing). Peak memory from tracemalloc (Python allocations; the process RSS is higher). Needs no database."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _base() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号", "手机号", "乡镇", "村（社区）"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_sheet(chunks, dimension: str) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(_base()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in base.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with z.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(f'<?xml version="1.0"?><worksheet {NS}><dimension ref="{dimension}"/><sheetData>'.encode())
                    for chunk in chunks:
                        fh.write(chunk)
                    fh.write(b"</sheetData></worksheet>")
            else:
                z.writestr(info, base.read(info.filename))
    return out.getvalue()


def many_rows(n: int) -> bytes:
    def chunks():
        for first in range(1, n + 1, 5000):
            yield "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>张{i}</t></is></c>'
                          f'<c r="B{i}"><v>{i}</v></c></row>' for i in range(first, min(n + 1, first + 5000))).encode()
    return with_sheet(chunks(), f"A1:B{n}")


def wide_row() -> bytes:
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(c)}1"><v>1</v></c>' for c in range(1, 16385, 97))
    return with_sheet([f'<row r="1">{cells}</row>'.encode(), b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'],
                      "A1:XFD1048576")


def compressed() -> bytes:
    return with_sheet((b"<row/>" * 100_000 for _ in range(50)), "A1:A1")


def old_way(data: bytes) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    ws = wb.worksheets[0]
    return sum(1 for _ in ws.iter_rows(values_only=True))


def new_way(data: bytes) -> int:
    from hongniang.outreach.imports import ImportFileError, read_sheet

    try:
        return len(read_sheet(data, "bomb.xlsx", max_rows=20_000).rows)
    except ImportFileError as exc:
        return f"refused: {exc.message[:24]}"


def one(name: str, reader: str, rows: int) -> None:
    """Child process: build the file, read it once, print seconds and the peak resident memory."""
    import resource

    data = FILES[name](rows)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    result = (old_way if reader == "old" else new_way)(data)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{len(data) // 1024}\t{secs:.2f}\t{peak / 1024:.0f}\t{(peak - base) / 1024:.0f}\t{result}")


FILES = {"many rows": many_rows, "16k columns x 1M-row dimension": lambda rows: wide_row(),
         "30 MB sheet, compressed": lambda rows: compressed()}


def main() -> None:
    import subprocess

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a reader is stopped")
    parser.add_argument("--one", nargs=2, metavar=("FILE", "READER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
    import django

    django.setup()
    if args.one:
        one(args.one[0], args.one[1], args.rows)
        return
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'file':34} {'KB':>6}  {'reader':6} {'seconds':>8} {'peak RSS MB':>11} {'growth MB':>9}  result")
    for name in FILES:
        for reader in ("old", "new"):
            try:
                out = subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--one", name, reader],
                                     capture_output=True, text=True, timeout=args.timeout)
                kb, secs, peak, growth, result = (out.stdout.strip().split("\t") + [""] * 5)[:5]
                if out.returncode:
                    result = "crashed: " + (out.stderr.strip().splitlines() or ["?"])[-1][:60]
            except subprocess.TimeoutExpired:
                kb, secs, peak, growth, result = "", f">{args.timeout}", "", "", "stopped (timeout)"
            label = name if name != "many rows" else f"{args.rows:,} rows"
            print(f"{label:34} {kb:>6}  {reader:6} {secs:>8} {peak:>11} {growth:>9}  {result}")


if __name__ == "__main__":
    main()
