"""Excel memory bombs (issue 13 item 9): a small upload must not take a worker's memory or minutes. The archive's
expanded size is checked before parsing, sheets are streamed (read-only), reading stops at the row and
column limits, and an upload is refused by its size before it is read."""

from __future__ import annotations

import io
import zipfile

import pytest

from hongniang.outreach import imports
from hongniang.outreach.imports import ImportFileError, read_sheet, read_upload

from .conftest import HEADERS, person, xlsx

pytestmark = pytest.mark.django_db
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _with_sheet(chunks, *, dimension: str = "A1:H1") -> bytes:
    """A real workbook whose first sheet's XML is replaced by the given chunks (streamed into the zip, so
    the test never holds the expanded sheet in memory)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([HEADERS])))
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


def _rows(start: int, count: int, *, per_chunk: int = 5000):
    for first in range(start, start + count, per_chunk):
        yield "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>张{n}</t></is></c></row>'
                      for n in range(first, min(start + count, first + per_chunk))).encode()


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    filler = b"<row/>" * 100_000  # 600 KB a chunk, compresses to almost nothing
    bomb = _with_sheet(filler for _ in range(50))  # 30 MB of sheet XML
    assert len(bomb) < 200_000
    with pytest.raises(ImportFileError, match="解压后超过限制"):
        read_sheet(bomb, "花名册.xlsx")


def test_a_million_rows_stop_at_the_row_limit():
    bomb = _with_sheet(_rows(1, 300_000), dimension="A1:A300000")
    assert len(bomb) < imports.MAX_BYTES
    with pytest.raises(ImportFileError, match="数据超过 20000 行"):
        read_sheet(bomb, "花名册.xlsx", max_rows=20_000)


def test_a_sheet_claiming_every_column_is_read_only_up_to_the_column_limit():
    row = '<row r="1">' + "".join(f'<c r="{c}1" t="inlineStr"><is><t>x</t></is></c>' for c in ("A", "B", "XFD")) + "</row>"
    sheet = read_sheet(_with_sheet([row.encode()], dimension="A1:XFD1048576"), "花名册.xlsx")
    assert sheet.rows == [(1, ["x", "x"] + [None] * (imports.MAX_COLUMNS - 2))]


def test_a_far_away_last_row_is_not_padded_to_a_million_rows():
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(ImportFileError, match="行数太多"):
        read_sheet(_with_sheet([*_rows(1, 3), far], dimension="A1:A1048576"), "花名册.xlsx")


def test_an_upload_is_refused_by_its_size_before_it_is_read():
    class Huge:
        size = imports.MAX_BYTES + 1

        def read(self, *args):
            raise AssertionError("read before the size check")

    with pytest.raises(ImportFileError, match="文件太大"):
        read_upload(Huge())


def test_a_lying_upload_size_is_still_capped():
    class Liar(io.BytesIO):
        size = 10

    with pytest.raises(ImportFileError, match="文件太大"):
        read_upload(Liar(b"x" * (imports.MAX_BYTES + 5)))


def test_a_normal_roster_with_merged_title_still_reads(regions, occupations):
    sheet = read_sheet(xlsx([["象湖镇花名册"], HEADERS, person(1)], merge=["A1:H1"]), "花名册.xlsx")
    assert [n for n, _ in sheet.rows] == [1, 2, 3]
    assert sheet.merged == [(1, 1, 0, 7, "A1:H1")]


def test_the_staff_page_answers_a_bomb_with_a_chinese_message(client, staff_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_a)
    bomb = _with_sheet(b"<row/>" * 100_000 for _ in range(50))
    r = client.post("/staff/imports/", {"kind": "seekers", "file": SimpleUploadedFile("花名册.xlsx", bomb)})
    assert r.status_code in (200, 422) and "解压后超过限制" in r.content.decode()
