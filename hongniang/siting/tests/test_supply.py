"""The labour-supply map: who may see it, the filters, the minimum group size for enterprises, the Excel export."""

from __future__ import annotations

import gzip
import io
import json

import openpyxl
import pytest
from django.utils import timezone

from hongniang.core.models import AuditEvent
from hongniang.geo.models import Region
from hongniang.testing import factories as f

from .conftest import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1/siting/supply"
PAGE = "/siting/"


def test_anonymous_gets_the_login_page_and_401(client, people):
    r = client.get(PAGE)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get(API).status_code == 401


@pytest.mark.parametrize("who", ["seeker_user", "outsider"])
def test_seekers_and_other_users_may_not_see_it(client, people, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
    r = client.get(API)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


@pytest.mark.parametrize("who", ["staff_a", "staff_b", "bureau"])
def test_staff_and_bureau_see_exact_counts_by_township_and_village(client, people, placed, who, request):
    client.force_login(request.getfixturevalue(who))
    r = client.get(API, {"occupation": "6-05-01-03"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 19 and body["masked"] is False  # the hired one, the inactive one and the cleaner are out
    assert [(t["name"], t["people"]) for t in body["townships"]] == [("象湖镇", 12), ("九堡镇", 7)]
    assert [(v["name"], v["township"], v["people"]) for v in body["villages"]] == [
        ("沙洲坝村委会", "象湖镇", 12), ("九堡村委会", "九堡镇", 4), ("坝溪村委会", "九堡镇", 3)]
    page = client.get(PAGE, {"occupation": "6-05-01-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "沙洲坝村委会" in html and 'data-value="12"' in html and "<10" not in html


def test_enterprises_see_only_groups_of_ten_or_more(client, people, hr):
    client.force_login(hr)
    body = client.get(API, {"occupation": "6-05-01-03"}).json()
    assert body["masked"] is True and body["total"] == 20  # 19 rounded to 5
    assert [(t["name"], t["people"]) for t in body["townships"]] == [("象湖镇", 10), ("九堡镇", "<10")]
    assert {v["name"]: v["people"] for v in body["villages"]} == {"沙洲坝村委会": 10, "九堡村委会": "<10",
                                                                 "坝溪村委会": "<10"}
    # the total minus the shown township (20 - 10) is not the hidden 7
    html = client.get(PAGE, {"occupation": "6-05-01-03"}).content.decode()
    assert "&lt;10" in html and "不足 10 人" in html
    assert "刘测试" not in html  # never a person


def test_filters_by_occupation_group_shift_age_availability_and_relocation(client, people, staff_a):
    client.force_login(staff_a)

    def total(**q):
        return client.get(API, q).json()["total"]

    assert total() == 20  # with the cleaner
    assert total(occupation="6-05") == 19  # a group: everyone wanting an occupation inside it
    assert total(occupation="4-09-08-01") == 1
    assert total(shift="day") == 16  # 6 day-only + 6 any shift + 3 any + the cleaner; the 4 part-timers refuse
    assert total(shift="part_time") == 10  # 6 who accept any shift + the 4 part-timers
    year = timezone.localdate().year
    born = [1980 + n for n in range(12)] + [1990] * 4 + [1970] * 3 + [1985]
    assert total(age="36-45") == sum(1 for b in born if 36 <= year - b <= 45)
    assert total(availability="part_time") == 4
    assert total(relocate="yes") == 3


def test_bad_filter_is_a_422_in_chinese(client, people, staff_a):
    client.force_login(staff_a)
    r = client.get(API, {"occupation": "缝纫"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    assert client.get(API, {"shift": "night"}).status_code == 422


def test_excel_export_has_both_tables_and_neutralises_formulas(client, people, staff_a, regions):
    evil = Region.objects.create(code="360781103299", name="=HYPERLINK(\"http://x\")", kind="village",
                                 parent=regions["jiubao"], lat=25.93, lon=115.90)
    f.SeekerFactory(home_region=evil, lat=evil.lat, lon=evil.lon)
    client.force_login(staff_a)
    r = client.get(PAGE + "supply.xlsx", {"occupation": "6-05-01-03"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["按乡镇", "按村", "筛选条件"]
    villages = [[c.value for c in row] for row in wb["按村"].iter_rows(min_row=2)]
    names = {row[2]: row[5] for row in villages}
    assert names["沙洲坝村委会"] == 12
    assert "'=HYPERLINK(\"http://x\")" in names and not any(str(n).startswith("=") for n in names)
    assert AuditEvent.objects.filter(action="siting.supply_export", actor=staff_a).exists()


def test_enterprise_export_is_masked_too(client, people, hr):
    client.force_login(hr)
    wb = openpyxl.load_workbook(io.BytesIO(client.get(PAGE + "supply.xlsx").content))
    counts = {row[1].value: row[4].value for row in wb["按乡镇"].iter_rows(min_row=2)}
    assert counts == {"象湖镇": 15, "九堡镇": "<10"}  # 13 rounded to 5


def test_boundary_geojson_for_the_map(client, people, staff_a):
    client.force_login(staff_a)
    r = client.get(PAGE + "boundary.geojson")
    assert r.status_code == 200
    geo = r.json()
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    zipped = client.get(PAGE + "boundary.geojson", headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip" and len(zipped.content) < len(r.content) / 2
    assert "Accept-Encoding" in zipped["Vary"] and "Content-Encoding" not in r
    assert json.loads(gzip.decompress(zipped.content)) == geo


def test_map_page_loads_echarts_from_static_files_without_inline_scripts(client, people, staff_a):
    client.force_login(staff_a)
    html = client.get(PAGE).content.decode()
    assert "vendor/echarts/echarts.custom.min.js" in html and "siting/map.js" in html
    import re

    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag


def test_map_page_loads_the_trimmed_echarts_bundle_not_the_full_one(client, people, staff_a):
    """A phone on a slow network gets ECharts with only the map's and the dashboard's parts (627 kB, 214 kB
    gzipped), not the full 1.1 MB build (368 kB gzipped); the Apache licence header stays at its top."""
    from django.contrib.staticfiles import finders

    client.force_login(staff_a)
    html = client.get(PAGE).content.decode()
    assert "vendor/echarts/echarts.custom.min.js" in html and "vendor/echarts/echarts.min.js" not in html
    path = finders.find("vendor/echarts/echarts.custom.min.js")
    with open(path, "rb") as fh:
        bundle = fh.read()
    assert 300_000 < len(bundle) < 700_000 and len(gzip.compress(bundle)) < 250_000
    assert b"Licensed to the Apache Software Foundation" in bundle[:200] and b"Apache License, Version 2.0" in bundle[:1000]
    for needed in (b"registerMap", b"encodeHTML", b"effectScatter", b"getInstanceByDom"):
        assert needed in bundle
    assert finders.find("vendor/echarts/echarts.min.js") is None  # no stray full build to be linked by mistake


def test_nav_entry_for_staff_bureau_and_enterprises_only(client, people, staff_a, hr, seeker_user):
    assert 'href="/siting/"' not in client.get("/").content.decode()
    client.force_login(seeker_user)
    assert 'href="/siting/"' not in client.get("/").content.decode()
    for user in (staff_a, hr):
        client.force_login(user)
        assert 'href="/siting/"' in client.get("/").content.decode()


def test_api_with_a_bearer_token(client, people, bureau):
    r = client.get(API, **bearer(bureau))
    assert r.status_code == 200 and r.json()["total"] == 20
