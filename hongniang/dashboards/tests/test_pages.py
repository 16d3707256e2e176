"""The dashboard, drill-downs, Excel downloads, the API and the public figures: who sees what, masked."""

from __future__ import annotations

import io

import openpyxl
import pytest

from hongniang.core.models import AuditEvent
from hongniang.dashboards import public
from hongniang.geo.models import ServicePoint

SEPT_Q = "from=2026-09-01&to=2026-09-30"


@pytest.fixture
def hr_user(hr):
    return hr


def test_dashboard_needs_a_log_in(client, aggregated):
    r = client.get("/dashboard/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("who", ["seeker_user", "hr", "outsider"])
def test_dashboard_is_for_the_bureau_and_staff_only(client, aggregated, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/dashboard/").status_code == 403
    assert client.get(f"/dashboard/drill/hires/?{SEPT_Q}").status_code == 403
    assert client.get(f"/dashboard/export/trend.monthly.xlsx?{SEPT_Q}").status_code == 403


def test_bureau_dashboard_shows_figures_charts_and_provenance(client, aggregated, bureau):
    client.force_login(bureau)
    r = client.get(f"/dashboard/?{SEPT_Q}")
    page = r.content.decode()
    assert r.status_code == 200
    assert "录用上岗" in page and "已核实 1" in page and "查看明细" in page
    assert 'id="dash-charts"' in page and "vendor/echarts/echarts.custom.min.js" in page
    assert "vendor/echarts/echarts.min.js" not in page  # the trimmed bundle (line, bar, SVG), not the full 1.1 MB
    assert "<script>" not in page.replace('<script id="dash-charts" type="application/json">', "")
    for title in ("每月报名、面试、录用与新增", "各就业之家成效", "工种供需", "各渠道录用", "零工市场"):
        assert title in page
    assert "生成月报" in page


def test_a_bad_filter_is_a_chinese_message_not_an_error(client, aggregated, bureau):
    client.force_login(bureau)
    r = client.get("/dashboard/?from=2026-13-01")
    assert r.status_code == 200 and "日期格式应为 YYYY-MM-DD" in r.content.decode()
    r = client.get("/dashboard/?township=999999999999")
    assert "没有这个乡镇" in r.content.decode()


def test_staff_dashboard_is_their_area_only(client, aggregated, staff_b):
    client.force_login(staff_b)
    page = client.get(f"/dashboard/?{SEPT_Q}").content.decode()
    assert "九堡镇就业之家" in page and "象湖镇就业之家" not in page
    assert "生成月报" not in page
    assert client.get(f"/dashboard/?{SEPT_Q}&township=360781100000").status_code == 403
    assert client.get("/dashboard/report/?month=2026-09").status_code == 403


def test_drill_down_is_masked_and_audited(client, aggregated, bureau):
    client.force_login(bureau)
    page = client.get(f"/dashboard/drill/hires/?{SEPT_Q}").content.decode()
    assert "张**" in page and "张秀英" not in page and "已核实" in page
    assert f"/applications/{aggregated.a1.pk}/" in page
    assert AuditEvent.objects.filter(actor=bureau, action="dashboards.drill", reason="hires").exists()
    page = client.get(f"/dashboard/drill/seekers_new/?{SEPT_Q}").content.decode()
    assert "王**" in page and "139****0002" in page and "13911110002" not in page


def test_drill_down_keeps_other_points_people_out(client, aggregated, staff_a, staff_b):
    client.force_login(staff_b)
    page = client.get("/dashboard/drill/applications/?from=2026-08-01&to=2026-09-30").content.decode()
    assert "李**" in page  # s3, staff B's own seeker (applied 08-30)
    assert "张**" not in page and "王**" not in page  # point A's people
    assert "只列出本站点登记人员的记录" in page
    client.force_login(staff_a)
    page = client.get("/dashboard/drill/hires/?from=2026-08-01&to=2026-10-31").content.decode()
    assert "张**" in page and "李**" not in page


def test_unknown_drill_is_not_found(client, aggregated, bureau):
    client.force_login(bureau)
    assert client.get("/dashboard/drill/nothing/").status_code == 404
    assert client.get("/dashboard/export/nothing.chart.xlsx").status_code == 404


def test_each_chart_downloads_as_excel_with_formulas_neutralised(client, aggregated, bureau, point_a):
    point_a.name = "=HYPERLINK(\"http://x\")"
    point_a.save()
    client.force_login(bureau)
    r = client.get(f"/dashboard/export/points.outcomes.xlsx?{SEPT_Q}")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    r = client.get(f"/dashboard/export/trend.monthly.xlsx?{SEPT_Q}")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    sept = next(r for r in rows if r[0] == "2026年9月")
    assert sept[1] == 2 and sept[3] == 1  # applications, hires


def test_api_overview_is_scoped_and_says_what_is_verified(client, aggregated, bureau, staff_b, seeker_user):
    assert client.get(f"/api/v1/stats/overview?{SEPT_Q}").status_code == 401
    client.force_login(seeker_user)
    assert client.get(f"/api/v1/stats/overview?{SEPT_Q}").status_code == 403
    client.force_login(bureau)
    body = client.get(f"/api/v1/stats/overview?{SEPT_Q}").json()
    figs = {f["key"]: f for f in body["figures"]}
    assert figs["hires"]["value"] == 1 and figs["hires"]["verified"] == 1 and figs["hires"]["self_reported"] == 0
    assert figs["applications"]["value"] == 2
    assert body["period"] == {"from": "2026-09-01", "to": "2026-09-30", "as_of": "2026-09-30",
                              "stocks_on": "2026-09-30"}
    r = client.get(f"/api/v1/stats/overview?{SEPT_Q}&township=360781103000").json()
    assert {f["key"]: f["value"] for f in r["figures"]}["seekers_new"] == 1
    bad = client.get("/api/v1/stats/overview?from=2026-09-31")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    client.force_login(staff_b)
    assert client.get(f"/api/v1/stats/overview?{SEPT_Q}&township=360781100000").status_code == 403


def test_public_figures_show_counts_only(client, aggregated):
    r = client.get("/figures/")
    page = r.content.decode()
    assert r.status_code == 200 and "public" in r["Cache-Control"]
    assert "在招岗位" in page and "九堡镇" in page and "&lt;10" in page
    for personal in ("张秀英", "王建国", "李春花", "张**", "13911110001", "139****0001", "瑞金红都服饰"):
        assert personal not in page
    api = client.get("/api/v1/stats/public")
    assert api.status_code == 200 and "public" in api["Cache-Control"]
    body = api.json()
    assert body["as_of"] == "2026-10-31"
    text = api.content.decode()
    assert "张" not in text and "1391111" not in text
    assert set(body["county"]) == set(public.FIELDS)


def test_small_counts_are_suppressed_and_others_rounded():
    assert public.protect(0) == 0
    assert [public.protect(n) for n in (1, 5, 9)] == [None, None, None]
    assert public.protect(10) == 10 and public.protect(12) == 10 and public.protect(13) == 15
    assert public.protect(1234) == 1235


def test_navigation_has_the_dashboard_for_bureau_and_staff_and_public_figures_for_all(client, aggregated, bureau,
                                                                                      seeker_user):
    assert "公开数据" in client.get("/").content.decode()
    assert "数据看板" not in client.get("/").content.decode()
    client.force_login(bureau)
    assert "数据看板" in client.get("/").content.decode()
    client.force_login(seeker_user)
    assert "数据看板" not in client.get("/").content.decode()


def test_every_drill_down_answers_for_a_township_and_for_staff(client, aggregated, bureau, staff_a):
    from hongniang.dashboards.drill import DRILLS

    for user, q in ((bureau, f"{SEPT_Q}&township=360781100000"), (staff_a, SEPT_Q), (bureau, SEPT_Q)):
        client.force_login(user)
        for key in DRILLS:
            assert client.get(f"/dashboard/drill/{key}/?{q}").status_code == 200, (user, key)
    client.force_login(bureau)
    page = client.get(f"/dashboard/drill/enterprises/?{SEPT_Q}&township=360781100000").content.decode()
    assert "瑞金红都服饰有限公司" in page


def test_the_excel_download_is_a_formatted_table(client, aggregated, bureau):
    """Written row by row (openpyxl write-only): still a bold title and header, the pane frozen under the header,
    shares formatted as percentages, every row there."""
    client.force_login(bureau)
    r = client.get(f"/dashboard/export/points.outcomes.xlsx?{SEPT_Q}")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows())
    head = next(i for i, row in enumerate(rows) if row[0].value == "就业之家")
    assert rows[0][0].font.b and all(c.font.b for c in rows[head] if c.value)
    assert ws.freeze_panes == f"A{head + 2}"
    header = [c.value for c in rows[head]]
    share = header.index("回访完成率")
    body = rows[head + 1:]
    assert len(body) == ServicePoint.objects.count() and "象湖镇就业之家" in {row[0].value for row in body}
    shares = [row[share] for row in body if len(row) > share and row[share].value is not None]
    assert shares and all(c.number_format == "0.0%" for c in shares)  # a1's 7-day follow-up fell due: 0 of 1
    assert ws.column_dimensions["A"].width >= 10


def test_drill_down_pages_by_position_with_the_same_permissions(client, aggregated, bureau, staff_b, monkeypatch):
    """Next / previous pages are "after" / "before" a record (keyset: every page as fast as the first); the
    position is only a place in the order, so a record outside the user's rows never shows up through it."""
    import re

    from hongniang.dashboards import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(bureau)
    q = "from=2026-08-01&to=2026-09-30"
    seen, url = [], f"/dashboard/drill/applications/?{q}"
    for _ in range(5):
        page = client.get(url).content.decode()
        seen.append(re.findall(r'<th scope="row"><a href="(/applications/\d+/)"', page))
        nxt = re.search(r'href="\?([^"]*after=\d+[^"]*)"', page)
        if not nxt:
            break
        url = "/dashboard/drill/applications/?" + nxt.group(1).replace("&amp;", "&")
    assert [len(s) for s in seen] == [1, 1, 1]  # a1, a2, a3: newest first, one a page
    flat = [s[0] for s in seen]
    assert len(set(flat)) == 3
    prev = re.search(r'href="\?([^"]*before=\d+[^"]*)"', page).group(1).replace("&amp;", "&")
    back = client.get("/dashboard/drill/applications/?" + prev).content.decode()
    assert flat[1] in back and "上一页" in back  # the second page again, with a link to the first
    # staff B positioned after point A's record still sees only their own people
    client.force_login(staff_b)
    ev = aggregated.a2.events.order_by("id").first()
    pages = [client.get(f"/dashboard/drill/applications/?{q}&{pos}={ev.pk}").content.decode()
             for pos in ("after", "before")]
    assert any("李**" in p for p in pages)
    assert not any("张**" in p or "王**" in p for p in pages)


def test_a_charts_workbook_written_directly_reads_as_the_openpyxl_one():
    """The download's sheet written as XML directly (table_xlsx) reads back exactly as add_table's: values, bold,
    formats, frozen pane, widths, title; text that a spreadsheet would run stays text; control characters go."""
    from hongniang.dashboards import xlsx

    header = ["名", "数", "率", "空", "s", "x", "b", "n", "f"]
    rows = [["=cmd|' /C calc'!A0", 1, 0.5, None, " sp ", "a<b>&\"c\x07", True, -3, 1.25e-7], ["@x", 2, None, 3, "", "", False, 0, 0.0]]
    wb = xlsx.new_workbook(write_only=True)
    xlsx.add_table(wb, "标题<&>", header, rows, used=set(), notes=["范围", ""], percent_cols={2})
    ref = openpyxl.load_workbook(io.BytesIO(xlsx.to_bytes(wb))).active
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.table_xlsx("标题<&>", header, rows, notes=["范围", ""],
                                                            percent_cols={2}))).active
    for a, b in zip(ref.iter_rows(), ws.iter_rows(), strict=True):
        assert [c.value for c in a] == [c.value for c in b]
        assert [c.font.b for c in a] == [c.font.b for c in b]
        assert [c.number_format for c in a if c.value is not None] == [c.number_format for c in b if c.value is not None]
    assert ws["A4"].value == "'=cmd|' /C calc'!A0" and ws["F4"].value == 'a<b>&"c'
    assert (ws.freeze_panes, ws.title, ws.column_dimensions["A"].width) == (
        ref.freeze_panes, ref.title, ref.column_dimensions["A"].width)


def test_the_township_filter_offers_the_users_townships_with_the_chosen_one_selected(client, aggregated, bureau,
                                                                                      staff_b):
    client.force_login(bureau)
    page = client.get(f"/dashboard/?{SEPT_Q}&township=360781103000").content.decode()
    assert '<option value="360781103000" selected>九堡镇</option>' in page
    assert '<option value="360781100000">象湖镇</option>' in page
    client.force_login(staff_b)
    page = client.get(f"/dashboard/?{SEPT_Q}").content.decode()
    assert '<option value="360781103000">九堡镇</option>' in page and 'value="360781100000"' not in page
