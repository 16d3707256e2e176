"""Roster and job-list imports: template, preview with every bad row, one-transaction commit, report."""

import io

import openpyxl
import pytest

from hongniang.core.models import AuditEvent
from hongniang.jobs.models import JobPosting
from hongniang.outreach import services
from hongniang.outreach.imports import ImportFileError
from hongniang.outreach.models import ImportBatch, ImportStatus
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

from .conftest import HEADERS, person, xlsx

pytestmark = pytest.mark.django_db


def upload(client, data, name="花名册.xlsx", kind="seekers", **extra):
    return client.post("/staff/imports/", {"kind": kind, "file": io.BytesIO(data) if False else _file(data, name),
                                           **extra})


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_template_has_chinese_headers_with_required_marks(client, staff_a):
    client.force_login(staff_a)
    r = client.get("/staff/imports/template/seekers/")
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    heads = [c.value for c in ws[1]]
    assert heads[:5] == ["姓名*", "身份证号*", "手机号*", "乡镇", "村（社区）*"]
    assert "岗位名称*" in [c.value for c in openpyxl.load_workbook(io.BytesIO(
        client.get("/staff/imports/template/postings/").content)).worksheets[0][1]]


def test_the_template_itself_reads_back_without_header_errors(staff_a, point_a, regions, occupations):
    from hongniang.outreach.imports import template_xlsx

    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx("seekers")))
    wb.worksheets[0].append(person(1))
    buf = io.BytesIO()
    wb.save(buf)
    batch = services.import_upload(actor=staff_a, kind="seekers", data=buf.getvalue(), filename="t.xlsx")
    assert (batch.total_rows, batch.valid_rows) == (1, 1)


def test_upload_previews_without_writing_then_commit_creates_the_valid_rows(client, staff_a, point_a, roster):
    client.force_login(staff_a)
    before = Seeker.objects.count()
    r = upload(client, roster([person(11), person(12, female=True), person(13)]))
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/staff/imports/{batch.pk}/"
    assert batch.status == ImportStatus.PREVIEWED and batch.valid_rows == 3
    assert Seeker.objects.count() == before  # nothing written before the commit
    page = client.get(f"/staff/imports/{batch.pk}/?show=all").content.decode()
    assert "确认导入 3 行有效数据" in page and f.valid_id_number(11) not in page  # masked in the preview

    r = client.post(f"/staff/imports/{batch.pk}/commit/")
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.created_rows == 3 and batch.payload == ""
    s = Seeker.objects.get(id_number_masked=Seeker.mask(f.valid_id_number(12, female=True)))
    assert (s.gender, s.birth_year) == ("F", 1985)  # from the ID number
    assert s.service_point == point_a and s.consent_channel == "paper" and s.consent_witness == staff_a
    assert s.home_region.code == "360781100201" and s.desired_occupations == ["6-05-01-03"]
    assert s.acceptable_shifts == ["day"] and s.unavailable_months == [5, 6]
    assert AuditEvent.objects.filter(action="import.commit").exists()


def test_every_invalid_row_is_listed_with_its_reason(client, staff_a, point_a, roster, seeker):
    existing_id = f.valid_id_number(21)
    f.SeekerFactory(id_number=existing_id, service_point=point_a)
    bad_id = f.valid_id_number(22)[:-1] + ("0" if f.valid_id_number(22)[-1] != "0" else "1")
    rows = [
        person(20),                                                     # row 2: fine
        ["李四", existing_id, "13907970021", "象湖镇", "沙洲坝", "", "", ""],  # 3: duplicate person
        ["王五", bad_id, "13907970022", "象湖镇", "沙洲坝", "", "", ""],        # 4: bad ID number
        ["赵六", f.valid_id_number(23), "1234", "象湖镇", "沙洲坝", "", "", ""],  # 5: bad phone
        ["钱七", f.valid_id_number(24), "13907970024", "象湖镇", "不存在村", "", "", ""],  # 6: unknown village
        ["", f.valid_id_number(25), "13907970025", "象湖镇", "沙洲坝", "", "", ""],  # 7: missing name
        person(20),                                                     # 8: same ID as row 2
    ]
    client.force_login(staff_a)
    upload(client, roster(rows))
    batch = ImportBatch.objects.get()
    errors = {r["n"]: " ".join(r["errors"]) for r in batch.report if r["errors"]}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8] and batch.valid_rows == 1
    assert "已登记" in errors[3]
    assert "校验位" in errors[4]
    assert "手机号码" in errors[5]
    assert "不存在村" in errors[6]
    assert "姓名" in errors[7]
    assert "第 2 行" in errors[8]
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    for n in (3, 4, 5, 6, 7, 8):
        assert f"<td>{n}</td>" in page
    client.post(f"/staff/imports/{batch.pk}/commit/")
    assert Seeker.objects.filter(registered_by=staff_a).count() == 1


def test_wrong_headers_name_the_missing_and_unknown_columns(client, staff_a, point_a, roster):
    client.force_login(staff_a)
    r = upload(client, roster([["张三", "x", "y"]], headers=["名字", "证件", "电话号码"]))
    page = r.content.decode()
    assert r.status_code == 200 and "表头缺少必填列" in page and "身份证号" in page and "村（社区）" in page
    assert "证件" in page  # unknown column named
    assert not ImportBatch.objects.exists()


def test_unknown_extra_columns_are_ignored_with_a_note(staff_a, point_a, roster):
    data = roster([person(31) + ["x"]], headers=HEADERS + ["微信号"])
    batch = services.import_upload(actor=staff_a, kind="seekers", data=data, filename="a.xlsx")
    assert batch.valid_rows == 1 and "微信号" in batch.notes[0]


def test_a_title_row_above_the_header_is_fine(staff_a, point_a, regions, occupations):
    data = xlsx([["象湖镇2024年求职登记花名册"], HEADERS, person(32)], merge=["A1:H1"])
    batch = services.import_upload(actor=staff_a, kind="seekers", data=data, filename="a.xlsx")
    assert (batch.total_rows, batch.valid_rows) == (1, 1)


def test_merged_cells_in_the_data_are_reported_on_each_row(staff_a, point_a, roster):
    rows = [person(41), person(42), person(43)]
    rows[1][3] = None
    data = roster(rows, merge=["D2:D3"])  # one township cell merged over two people
    batch = services.import_upload(actor=staff_a, kind="seekers", data=data, filename="a.xlsx")
    merged = [r["n"] for r in batch.report if any("合并单元格" in e for e in r["errors"])]
    assert merged == [2, 3] and batch.valid_rows == 1


def test_empty_rows_are_skipped_and_counted(staff_a, point_a, roster):
    data = roster([person(51), [None] * 8, [], person(52), ["", "", ""]])
    batch = services.import_upload(actor=staff_a, kind="seekers", data=data, filename="a.xlsx")
    assert batch.total_rows == 2 and any("3 个空行" in n for n in batch.notes)


def test_a_file_of_2000_bad_rows_lists_them_all_and_writes_nothing(client, staff_a, point_a, roster):
    rows = [[f"某{i}", f"3607811985030{i:04d}", "12345", "象湖镇", "沙洲坝", "", "", ""] for i in range(2000)]
    client.force_login(staff_a)
    upload(client, roster(rows))
    batch = ImportBatch.objects.get()
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (2000, 0, 2000)
    assert all(len(r["errors"]) >= 2 for r in batch.report)  # bad ID and bad phone on each
    r = client.get(f"/staff/imports/{batch.pk}/?page=40")
    assert r.status_code == 200 and "第 40 / 40 页" in r.content.decode()
    api = client.get(f"/api/v1/outreach/imports/{batch.pk}?offset=1900&limit=200").json()
    assert len(api["errors"]) == 100 and api["errors"][-1]["n"] == 2001
    client.post(f"/staff/imports/{batch.pk}/commit/")
    assert not Seeker.objects.filter(registered_by=staff_a).exists()


@pytest.mark.parametrize("data,name", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "照片.xlsx"),
    (b"%PDF-1.4 hello", "名单.pdf"),
    (b"PK\x03\x04not really a zip", "花名册.xlsx"),
    (b"", "空.xlsx"),
])
def test_a_file_that_is_not_excel_gets_a_clear_chinese_error(client, staff_a, point_a, regions, data, name):
    with pytest.raises(ImportFileError) as exc:
        services.import_upload(actor=staff_a, kind="seekers", data=data, filename=name)
    assert any(w in exc.value.message for w in ("不是 Excel", "已损坏", "空的"))
    client.force_login(staff_a)
    r = upload(client, data or b"x", name)
    assert r.status_code == 200 and ("不是 Excel" in r.content.decode() or "已损坏" in r.content.decode())


def test_csv_in_gbk_is_read(staff_a, point_a, regions, occupations):
    text = ",".join(HEADERS) + "\n" + ",".join(person(61)) + "\n"
    batch = services.import_upload(actor=staff_a, kind="seekers", data=text.encode("gbk"), filename="a.csv")
    assert batch.valid_rows == 1


def test_an_id_number_typed_as_a_number_gets_a_hint(staff_a, point_a, roster):
    row = person(71)
    row[1] = int(f.valid_id_number(71)[:15] + "000")  # Excel kept 15 significant digits
    batch = services.import_upload(actor=staff_a, kind="seekers", data=roster([row]), filename="a.xlsx")
    assert "文本格式" in " ".join(batch.report[0]["errors"])


def test_commit_revalidates_a_person_registered_after_the_preview(staff_a, point_a, roster):
    batch = services.import_upload(actor=staff_a, kind="seekers", data=roster([person(81), person(82)]),
                                   filename="a.xlsx")
    f.SeekerFactory(id_number=f.valid_id_number(82), service_point=point_a)
    batch = services.import_commit(actor=staff_a, batch=batch)
    assert batch.created_rows == 1
    assert [r["status_label"] for r in batch.report] == ["已导入", "未导入"]


def test_result_report_downloads_with_a_status_column(client, staff_a, point_a, roster):
    batch = services.import_upload(actor=staff_a, kind="seekers", data=roster([person(91), ["x"] * 8]),
                                   filename="a.xlsx")
    services.import_commit(actor=staff_a, batch=batch)
    client.force_login(staff_a)
    r = client.get(f"/staff/imports/{batch.pk}/report/")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-2:] == ("状态", "原因")
    assert rows[1][-2] == "已导入" and rows[2][-2] == "未导入" and rows[2][-1]
    assert f.valid_id_number(91) not in str(rows)


def test_another_points_staff_cannot_see_or_commit_a_batch(client, staff_a, staff_b, point_a, roster):
    batch = services.import_upload(actor=staff_a, kind="seekers", data=roster([person(95)]), filename="a.xlsx")
    client.force_login(staff_b)
    assert client.get(f"/staff/imports/{batch.pk}/").status_code == 404
    assert client.post(f"/staff/imports/{batch.pk}/commit/").status_code == 404
    assert client.get(f"/staff/imports/{batch.pk}/report/").status_code == 404
    assert client.post(f"/api/v1/outreach/imports/{batch.pk}/commit").status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_cancel_drops_the_rows(client, staff_a, point_a, roster):
    batch = services.import_upload(actor=staff_a, kind="seekers", data=roster([person(96)]), filename="a.xlsx")
    client.force_login(staff_a)
    client.post(f"/staff/imports/{batch.pk}/cancel/")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED and batch.payload == ""
    assert client.post(f"/api/v1/outreach/imports/{batch.pk}/commit").status_code == 409


def test_imports_are_refused_to_non_staff(client, hr, outsider):
    for user in (hr, outsider):
        client.force_login(user)
        assert client.get("/staff/imports/").status_code == 403
        assert client.get("/api/v1/outreach/imports/1").status_code == 403
    client.logout()
    assert client.get("/staff/imports/").status_code == 302
    assert client.get("/api/v1/outreach/imports/1").status_code == 401


def test_job_list_import_for_an_enterprise(client, staff_a, point_a, enterprise, regions, occupations):
    heads = ["岗位名称", "工种", "招聘人数", "计薪方式", "最低薪资（元）", "最高薪资（元）", "班次", "福利", "工作地点（乡镇/村）"]
    data = xlsx([heads,
                 ["缝纫工", "缝纫工", 10, "月薪", 4500, 6000, "长白班", "包吃住、班车", "象湖镇"],
                 ["保洁", "保洁", 2, "时薪", 25, 30, "弹性", "", "九堡镇坝溪"],
                 ["", "", 0, "年薪", 100, 50, "", "", "火星"]])
    client.force_login(staff_a)
    r = client.post("/api/v1/outreach/imports", {"kind": "postings", "enterprise_id": enterprise.pk,
                                                 "file": _file(data, "岗位.xlsx")})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["valid_rows"], body["error_rows"]) == (2, 1)
    bad = " ".join(body["errors"][0]["errors"])
    assert "岗位名称" in bad and "计薪方式" in bad and "火星" in bad
    r = client.post(f"/api/v1/outreach/imports/{body['id']}/commit")
    assert r.json()["created_rows"] == 2
    p = JobPosting.objects.get(title="缝纫工", enterprise=enterprise, board=True)
    assert p.lodging and p.shuttle and p.status == "published"
    assert JobPosting.objects.get(title="保洁").region_id == "360781103202"
    # imported postings go through the same review path as HR's: history shows create → submit → auto-approve
    assert list(p.events.values_list("action", flat=True)) == ["create", "submit", "auto_approve"]


def test_an_imported_posting_with_a_fee_waits_for_review(client, staff_a, point_a, enterprise, regions, occupations):
    heads = ["岗位名称", "工种", "招聘人数", "计薪方式", "最低薪资（元）", "最高薪资（元）", "班次", "福利", "工作地点（乡镇/村）",
             "岗位描述"]
    data = xlsx([heads, ["普工", "缝纫工", 3, "月薪", 4000, 5000, "长白班", "", "象湖镇", "入职需交押金300元"]])
    client.force_login(staff_a)
    body = client.post("/api/v1/outreach/imports", {"kind": "postings", "enterprise_id": enterprise.pk,
                                                    "file": _file(data, "岗位.xlsx")}).json()
    client.post(f"/api/v1/outreach/imports/{body['id']}/commit")
    p = JobPosting.objects.get(title="普工", enterprise=enterprise)
    assert p.status == "pending" and "fee_required" in p.check_flags


def test_a_job_list_needs_an_enterprise(client, staff_a, point_a, regions):
    client.force_login(staff_a)
    r = client.post("/api/v1/outreach/imports", {"kind": "postings", "file": _file(b"x", "a.xlsx")})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


def test_an_old_excel_xls_roster_is_read(client, staff_a, point_a, regions, occupations):
    """A .xls file (Excel 97–2003, written by xlwt for this test) previews like .xlsx: two good rows, one bad
    ID number with its reason."""
    from pathlib import Path

    data = (Path(__file__).parent / "fixtures" / "roster.xls").read_bytes()
    batch = services.import_upload(actor=staff_a, kind="seekers", data=data, filename="花名册.xls")
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (3, 2, 1)
    client.force_login(staff_a)
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    assert "身份证号码校验位不正确" in page and "王*" in page and "王五" not in page  # masked in the preview
