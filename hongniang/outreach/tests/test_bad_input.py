"""Issue 20, bad input on the import and export paths, performed: damaged .xlsx files in every importer (page,
API, service; roster and job list), Infinity and 20-digit numbers and age 3000 in a job list, and names that are
formulas or carry control characters in every Excel we write."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hongniang.core.models import ApiToken
from hongniang.jobs.models import JobPosting
from hongniang.outreach import exports, imports, services
from hongniang.outreach.imports import ImportFileError
from hongniang.outreach.models import ImportBatch
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

from .conftest import HEADERS, person, xlsx

pytestmark = pytest.mark.django_db

POSTING_HEADERS = ["岗位名称", "招聘人数", "计薪方式", "最低薪资（元）", "最高薪资（元）", "工作地点（乡镇/村）",
                   "最低年龄", "最高年龄"]


def _rezip(data: bytes, change) -> bytes:
    """`data` (an .xlsx) with its parts passed through change(name, bytes) -> bytes | None (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
    return out.getvalue()


def _sheet(name):
    return name.startswith("xl/worksheets/sheet")


def damaged(good: bytes) -> dict[str, bytes]:
    return {
        "truncated workbook": good[: len(good) // 2],
        "truncated sheet XML": _rezip(good, lambda n, b: b[: len(b) // 2] if _sheet(n) else b),
        "missing worksheet part": _rezip(good, lambda n, b: None if _sheet(n) else b),
        "garbage workbook.xml": _rezip(good, lambda n, b: b"<workbook><sheets><sheet" if n == "xl/workbook.xml" else b),
    }


def good_file(kind, regions, occupations) -> bytes:
    if kind == "seekers":
        return xlsx([HEADERS, person(1)])
    return xlsx([POSTING_HEADERS, ["缝纫工", "5", "月薪", "3800", "5000", "象湖镇", "18", "50"]])


@pytest.mark.parametrize("kind", ["seekers", "postings"])
@pytest.mark.parametrize("what", ["truncated workbook", "truncated sheet XML", "missing worksheet part",
                                  "garbage workbook.xml"])
def test_a_damaged_xlsx_gets_a_chinese_error_in_every_importer(client, staff_a, point_a, enterprise, regions,
                                                              occupations, kind, what):
    data = damaged(good_file(kind, regions, occupations))[what]
    extra = {"enterprise": enterprise} if kind == "postings" else {}
    # the service
    with pytest.raises(ImportFileError) as exc:
        services.import_upload(actor=staff_a, kind=kind, data=data, filename="名单.xlsx", **extra)
    assert "损坏" in exc.value.message or "不是 Excel" in exc.value.message or "工作表" in exc.value.message
    # the page
    client.force_login(staff_a)
    form = {"kind": kind, "file": SimpleUploadedFile("名单.xlsx", data)}
    if kind == "postings":
        form["enterprise"] = enterprise.pk
    r = client.post("/staff/imports/", form)
    assert r.status_code == 200 and exc.value.message in r.content.decode()
    # the API
    client.logout()
    key = ApiToken.objects.create(user=staff_a).key
    body = {"kind": kind, "file": SimpleUploadedFile("名单.xlsx", data)}
    if kind == "postings":
        body["enterprise_id"] = enterprise.pk
    r = client.post("/api/v1/outreach/imports", body, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert 400 <= r.status_code < 500 and r.json()["message"] == exc.value.message, r.content
    assert not ImportBatch.objects.exists() and not Seeker.objects.exists()


def test_the_good_files_are_read(staff_a, point_a, enterprise, regions, occupations):
    """The damaged files above differ from these only by the damage."""
    for kind, extra in (("seekers", {}), ("postings", {"enterprise": enterprise})):
        batch = services.import_upload(actor=staff_a, kind=kind, data=good_file(kind, regions, occupations),
                                       filename="名单.xlsx", **extra)
        assert batch.valid_rows == 1, batch.report


@pytest.mark.parametrize("column,value,message", [
    ("最低薪资（元）", "Infinity", "最低薪资请填写数字"),
    ("最低薪资（元）", "-Infinity", "最低薪资请填写数字"),
    ("最低薪资（元）", "12345678901234567890", "最低薪资数额过大"),
    ("招聘人数", "Infinity", "招聘人数请填写整数"),
    ("招聘人数", "12345678901234567890", "招聘人数数额过大"),
    ("最低年龄", "Infinity", "最低年龄请填写整数"),
    ("最低年龄", "3000", "最低年龄请填写 16–70 岁"),
    ("最低年龄", 1e20, "最低年龄数额过大"),
    ("最高年龄", "-Infinity", "最高年龄请填写整数"),
    ("最高年龄", "NaN", "最高年龄请填写整数"),
])
def test_bad_numbers_in_a_job_list_are_row_errors_in_chinese(staff_a, point_a, enterprise, regions, occupations,
                                                            column, value, message):
    row = dict(zip(POSTING_HEADERS, ["缝纫工", "5", "月薪", "3800", "5000", "象湖镇", "18", "50"], strict=True))
    row[column] = value
    batch = services.import_upload(actor=staff_a, kind="postings", data=xlsx([POSTING_HEADERS, list(row.values())]),
                                   filename="岗位.xlsx", enterprise=enterprise)
    assert batch.valid_rows == 0
    errors = batch.report[0]["errors"]
    assert any(message in e for e in errors), errors
    services.import_commit(actor=staff_a, batch=batch)
    assert not JobPosting.objects.exists()


NASTY = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "张\x01三\x07", "李\x7f四\x85", "王\x1b五"]


def test_formulas_and_control_characters_never_reach_an_export(client, staff_a, point_a, regions, occupations):
    """Old rows may still carry them (stored before the edge cleaned input): the roster export (full and masked)
    and the import report are still written, every formula as text, no control character."""
    for i, name in enumerate(NASTY):
        f.SeekerFactory(name=name, service_point=point_a, phone=f"1390797{i:04d}")
    for full in (True, False):
        data, n = exports.export_seekers(actor=staff_a, point_id=point_a.pk, full=full)
        assert n == len(NASTY)
        _assert_inert(data)
    report = [{"n": 2, "display": {"name": name}, "status_label": "有误", "errors": [name]} for name in NASTY]
    _assert_inert(imports.report_xlsx("seekers", report))
    client.force_login(staff_a)
    r = client.get("/staff/exports/seekers/")
    assert r.status_code == 200
    _assert_inert(b"".join(r.streaming_content) if r.streaming else r.content)


def test_a_roster_row_with_control_characters_is_imported_clean(staff_a, point_a, regions, occupations):
    row = person(3)
    row[0] = "赵\x07六\x9f\x1b"
    data = "\n".join(",".join(r) for r in (HEADERS, row)).encode()
    batch = services.import_upload(actor=staff_a, kind="seekers", data=data, filename="a.csv")
    services.import_commit(actor=staff_a, batch=batch)
    assert Seeker.objects.get().name == "赵六"


def _assert_inert(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not any(ord(ch) < 32 and ch not in "\t\n\r" or 0x7f <= ord(ch) <= 0x9f for ch in c.value)
                    assert not c.value.startswith(("=", "+", "@")) and not c.value.startswith("-2")
