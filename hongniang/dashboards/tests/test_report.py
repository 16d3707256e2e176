"""The monthly report: both files, A4 with the font embedded, the same figures later, and its delivery."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from hongniang.dashboards import report, services
from hongniang.dashboards.models import MonthlyReport
from hongniang.jobs.models import JobPosting
from hongniang.notifications.models import Notification
from hongniang.seekers.models import Seeker

from .conftest import SEPT, TODAY, at, event, run


def sheet(path, title):
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb[title].iter_rows(values_only=True)]


def test_monthly_report_command_writes_xlsx_and_an_a4_pdf_with_the_font_embedded(aggregated, tmp_path):
    out = io.StringIO()
    call_command("monthly_report", "--month", "2026-09", "--out", str(tmp_path), stdout=out)
    xlsx, pdf = tmp_path / "report-2026-09.xlsx", tmp_path / "report-2026-09.pdf"
    assert xlsx.exists() and pdf.exists() and "wrote" in out.getvalue()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data
    assert b"/FontFile2" in data  # the Chinese font is embedded (TrueType subset)
    rows = sheet(xlsx, "主要指标")
    hires = next(r for r in rows if r and r[0] == "录用上岗")
    assert hires[1] == "1人次" and hires[2] == "0人次" and hires[3] == "新增"
    wb = openpyxl.load_workbook(xlsx)
    assert {"主要指标", "紧缺工种", "数据来源与核实"} <= set(wb.sheetnames) and len(wb.sheetnames) > 8


def test_report_rejects_a_bad_month(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_report", "--month", "2026-9x", "--out", str(tmp_path))


def test_a_past_months_report_gives_the_same_figures_after_later_changes(aggregated, tmp_path, regions):
    first = report.write_report(SEPT, str(tmp_path / "a"))
    before = sheet(first["xlsx"], "主要指标"), sheet(first["xlsx"], "各就业之家成效（按录用排序）")
    # later: people move and stop looking, the posting closes, a new hire and a follow-up arrive, a new point opens
    Seeker.objects.filter(pk=aggregated.s1.pk).update(home_region=regions["v_jiubao"], is_active=False)
    Seeker.objects.update(is_active=False)
    JobPosting.objects.filter(pk=aggregated.posting.pk).update(status="closed")
    aggregated.a2.status = "hired"
    aggregated.a2.start_date = dt.date(2026, 11, 3)
    aggregated.a2.save()
    event(aggregated.a2, "withdrawn", "applied", "2026-11-02")
    event(aggregated.a2, "applied", "hired", "2026-11-03")
    from hongniang.outreach.models import FollowUp
    from hongniang.testing import factories as f

    FollowUp.objects.create(application=aggregated.a3, seeker=aggregated.s3, enterprise=aggregated.enterprise,
                            day=30, hired_on=dt.date(2026, 10, 5), due_on=dt.date(2026, 11, 4), status="done",
                            still_working=True, done_at=at("2026-11-04"))
    f.ServicePointFactory(name="新开的就业之家", region=regions["xianghu"])
    run("2026-11-01", "2026-11-30", today=dt.date(2026, 12, 1))
    second = report.write_report(SEPT, str(tmp_path / "b"))
    after = sheet(second["xlsx"], "主要指标"), sheet(second["xlsx"], "各就业之家成效（按录用排序）")
    assert first["figures"] == second["figures"]

    def stable(rows):  # without the "generated at" note: it holds the minute the file was written
        return [r for r in rows if not (isinstance(r[0], str) and "生成于" in r[0])]

    assert stable(before[0]) == stable(after[0]) and stable(before[1]) == stable(after[1])
    assert len(stable(before[0])) == len(before[0]) - 1  # exactly one row was left out


def test_report_button_downloads_both_formats_for_the_bureau(client, aggregated, bureau):
    client.force_login(bureau)
    r = client.get("/dashboard/report/?month=2026-09&format=xlsx")
    assert r.status_code == 200 and 'report-2026-09.xlsx' in r["Content-Disposition"]
    r = client.get("/dashboard/report/?month=2026-09")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = client.get("/dashboard/report/?month=nonsense")
    assert r.status_code == 422 and "月份格式" in r.content.decode()


def test_second_working_day():
    assert services.second_working_day(dt.date(2026, 11, 15)) == dt.date(2026, 11, 3)  # Sun 1st, Mon 2nd
    assert services.second_working_day(dt.date(2026, 9, 20)) == dt.date(2026, 9, 2)


def test_holidays_move_the_second_working_day(settings):
    settings.HOLIDAYS = ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
    settings.MAKEUP_WORKDAYS = ["2026-10-10"]
    assert services.second_working_day(dt.date(2026, 10, 1)) == dt.date(2026, 10, 9)


def test_periodic_command_delivers_last_months_report_once_on_the_second_working_day(aggregated, bureau, settings,
                                                                                     tmp_path):
    settings.REPORTS_DIR = str(tmp_path)
    out = io.StringIO()
    call_command("send_monthly_report", "--today", "2026-10-01", "--wet-run", stdout=out)
    assert "nothing to do" in out.getvalue() and not MonthlyReport.objects.exists()
    call_command("send_monthly_report", "--today", "2026-10-02", stdout=out)
    assert "DRY RUN" in out.getvalue() and not MonthlyReport.objects.exists()
    call_command("send_monthly_report", "--today", "2026-10-02", "--wet-run", stdout=out)
    rep = MonthlyReport.objects.get()
    assert rep.month == SEPT and rep.delivered_at is not None and rep.figures["hires"] == 1
    assert (tmp_path / "report-2026-09.pdf").exists() and (tmp_path / "report-2026-09.xlsx").exists()
    note = Notification.objects.get(recipient=bureau)
    assert "2026年9月" in note.title and "/dashboard/report/?month=2026-09" in note.url
    call_command("send_monthly_report", "--today", "2026-10-02", "--wet-run", stdout=out)
    assert Notification.objects.filter(recipient=bureau).count() == 1


def test_aggregate_command_dry_run_writes_nothing_and_wet_run_is_idempotent(county):
    from hongniang.dashboards.models import Fact

    out = io.StringIO()
    call_command("aggregate_stats", "--from", "2026-09-01", "--to", "2026-09-30", stdout=out)
    assert "DRY RUN" in out.getvalue() and not Fact.objects.exists()
    call_command("aggregate_stats", "--from", "2026-09-01", "--to", "2026-09-30", "--wet-run", stdout=out)
    n = Fact.objects.count()
    call_command("aggregate_stats", "--from", "2026-09-01", "--to", "2026-09-30", "--wet-run", stdout=out)
    assert Fact.objects.count() == n > 0
    out = io.StringIO()
    call_command("aggregate_stats", stdout=out)  # nightly: from the day after the last written to yesterday
    assert "would write facts for" in out.getvalue()
    _ = TODAY
