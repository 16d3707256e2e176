from __future__ import annotations

import pytest
from django.core.management import call_command

from hongniang.geo.loading import (
    Boundary,
    RegionRow,
    bundled_boundary_file,
    gcj02_to_wgs84,
    place_missing,
    read_region_csv,
    rows_for,
)
from hongniang.geo.models import Region


def test_gcj02_conversion_matches_the_published_wgs84_seat():
    # 象湖镇 seat: GCJ-02 116.023655,25.891262 → WGS-84 116.018804,25.894257 (ruijin_townships.csv)
    assert gcj02_to_wgs84(116.023655, 25.891262) == pytest.approx((116.018804, 25.894257), abs=2e-6)


def test_missing_coordinates_are_placed_deterministically_inside_the_boundary():
    rows_a, boundary = rows_for(county="360781")
    rows_b, _ = rows_for(county="360781")
    assert [(r.lat, r.lon) for r in rows_a] == [(r.lat, r.lon) for r in rows_b]
    placed = [r for r in rows_a if r.approximate]
    without = [r.code for r in read_region_csv(bundled_boundary_file("360781").with_name("regions_360781.csv"))
               if r.lat is None]
    assert sorted(r.code for r in placed) == sorted(without)
    assert all(boundary.contains(r.lon, r.lat) for r in rows_a)
    by_code = {r.code: r for r in rows_a}
    for v in (r for r in placed if r.kind == "village"):
        t = by_code[v.parent_code]
        km = ((v.lat - t.lat) * 111.32) ** 2 + ((v.lon - t.lon) * 111.32 * 0.9) ** 2
        assert 1.2 ** 2 < km < 4.2 ** 2


def test_placement_retries_to_stay_inside_a_small_boundary():
    square = Boundary.from_geojson({"type": "Polygon", "coordinates": [[[116.0, 25.9], [116.03, 25.9], [116.03, 25.93],
                                                                         [116.0, 25.93], [116.0, 25.9]]]})
    rows = [RegionRow("360781000000", "", "县", kind="county", lat=25.905, lon=116.005)] + [
        RegionRow(f"3607810001{i:02d}", "360781000000", f"村{i}", kind="township") for i in range(30)]
    placed = place_missing(rows, square)
    assert all(square.contains(r.lon, r.lat) for r in placed)
    assert all(r.approximate for r in placed[1:])


@pytest.mark.django_db
def test_load_regions_is_a_dry_run_without_wet_run():
    call_command("load_regions", "--county", "360781")
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_load_regions_twice_gives_the_same_rows():
    call_command("load_regions", "--county", "360781", "--wet-run")
    first = list(Region.objects.values_list("code", "parent_id", "lat", "lon", "approximate"))
    call_command("load_regions", "--county", "360781", "--wet-run")
    assert list(Region.objects.values_list("code", "parent_id", "lat", "lon", "approximate")) == first
    assert Region.objects.filter(kind="county").count() == 1
    assert Region.objects.filter(kind="township").count() == 18
    assert Region.objects.filter(kind="village").count() == 241


@pytest.mark.django_db
def test_renamed_townships_get_their_villages():
    call_command("load_regions", "--wet-run")
    yeping = Region.objects.get(code="360781107000")
    assert yeping.name == "叶坪镇"
    assert yeping.children.count() == 30
    assert not Region.objects.filter(code="360781200000").exists()
    gangmian = Region.objects.get(code="360781203000")
    assert gangmian.name == "冈面乡" and gangmian.approximate
    assert gangmian.children.count() == 8
    assert all(v.lat is not None and v.approximate for v in gangmian.children.all())


@pytest.mark.django_db
def test_load_any_county_from_a_generic_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("code,parent_code,name,short_name,kind,subkind,lat,lon\n"
                    "360733000000,,会昌县,会昌,county,,25.6,115.78\n"
                    "360733100000,360733000000,文武坝镇,文武坝,township,镇,25.6038,115.7992\n"
                    "360733100201,360733100000,某村委会,某,village,村委会,,\n", encoding="utf-8")
    call_command("load_regions", "--file", str(path), "--wet-run")
    v = Region.objects.get(code="360733100201")
    assert v.parent.name == "文武坝镇" and v.approximate and v.lat is not None


def test_bundled_files_are_wgs84():
    rows = read_region_csv("hongniang/data/regions_360781.csv")
    assert bundled_boundary_file("360781").exists()
    xianghu = next(r for r in rows if r.code == "360781100000")
    assert (xianghu.lat, xianghu.lon) == (25.894257, 116.018804)
