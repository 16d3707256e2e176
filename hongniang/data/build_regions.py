"""Build the bundled region files (generic format, see hongniang/geo/loading.py) from the reference data.

    python -m hongniang.data.build_regions                      # Ruijin: regions_360781.csv + boundary
    python -m hongniang.data.build_regions --county 360782      # another Ganzhou county (from the Vonng file)
    python -m hongniang.data.build_regions --source /work/shared/data/geo --out /tmp

Ruijin (360781) uses ruijin_townships.csv (2022 codes and names, WGS-84 township seats), ruijin_villages.csv
(2016 village codes, attached to the *current* township: 叶坪乡 → 叶坪镇 360781107000, 岗面乡 → 冈面乡) and the
GCJ-02 boundary, converted to WGS-84. Other Ganzhou counties use ganzhou_towns_villages_vonng.csv (2016 codes,
GCJ-02 town centres converted to WGS-84). Coordinates left empty are placed by the loader, not stored here.
Pure standard library + hongniang.geo.loading (no Django needed). Output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from hongniang.geo.loading import Boundary, RegionRow, gcj02_to_wgs84, write_region_csv

HERE = Path(__file__).resolve().parent
SOURCES = [HERE / "sources", Path("/work/shared/data/geo")]


def _find(name: str, source: Path | None) -> Path:
    for d in ([source] if source else []) + SOURCES:
        if (d / name).exists():
            return d / name
    raise SystemExit(f"source file {name} not found (looked in {', '.join(str(d) for d in SOURCES)}; use --source)")


def _short(name: str) -> str:
    for suffix in ("街道办事处", "街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def county_centre(code6: str, source: Path | None) -> tuple[str, float | None, float | None]:
    with open(_find("ganzhou_counties.csv", source), encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            if rec["code6"] == code6:
                lon, lat = gcj02_to_wgs84(float(rec["lng_gcj02"]), float(rec["lat_gcj02"]))
                return rec["name_2022"], lat, lon
    return "", None, None


def build_ruijin(source: Path | None) -> list[RegionRow]:
    name, lat, lon = county_centre("360781", source)
    rows = [RegionRow(code="360781000000", parent_code="", name=name or "瑞金市", short_name="瑞金",
                      kind="county", subkind="县级市", lat=lat, lon=lon)]
    current_by_2016: dict[str, str] = {}
    with open(_find("ruijin_townships.csv", source), encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            current_by_2016[rec["code12_2016"]] = rec["code12"]
            t_lat = float(rec["lat_wgs84"]) if rec["lat_wgs84"] else None
            t_lon = float(rec["lng_wgs84"]) if rec["lng_wgs84"] else None
            short = "瑞金经开区" if rec["kind"] == "开发区" else _short(rec["name"])
            rows.append(RegionRow(code=rec["code12"], parent_code="360781000000", name=rec["name"], short_name=short,
                                  kind="township", subkind=rec["kind"], lat=t_lat, lon=t_lon))
    with open(_find("ruijin_villages.csv", source), encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            parent = current_by_2016.get(rec["town_code12"], rec["town_code12"])
            v_lat = float(rec["lat_wgs84"]) if rec["lat_wgs84"] else None
            v_lon = float(rec["lng_wgs84"]) if rec["lng_wgs84"] else None
            subkind = "居委会" if "居委会" in rec["kind"] else rec["kind"]
            rows.append(RegionRow(code=rec["code12"], parent_code=parent, name=rec["name"],
                                  short_name=rec["short_name"], kind="village", subkind=subkind,
                                  lat=v_lat, lon=v_lon))
    return rows


def build_ganzhou_county(code6: str, source: Path | None) -> list[RegionRow]:
    rows: dict[str, RegionRow] = {}
    towns: set[str] = set()
    with open(_find("ganzhou_towns_villages_vonng.csv", source), encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            code = rec["code"]
            if not code.startswith(code6) or code in rows:
                continue
            lat = lon = None
            if rec["longitude"] and rec["latitude"]:
                lon, lat = gcj02_to_wgs84(float(rec["longitude"]), float(rec["latitude"]))
            if rec["level"] == "county":
                rows[code] = RegionRow(code=code, parent_code="", name=rec["name"], short_name="", kind="county",
                                       subkind="", lat=lat, lon=lon)
            elif rec["level"] == "town":
                towns.add(code)
                subkind = next((s for s in ("街道", "镇", "乡") if s in rec["name"]), "")
                rows[code] = RegionRow(code=code, parent_code=rec["parent"], name=rec["name"],
                                       short_name=_short(rec["name"]), kind="township", subkind=subkind,
                                       lat=lat, lon=lon)
            elif rec["level"] == "village":
                subkind = "居委会" if rec["name"].endswith(("居委会", "社区")) else "村委会"
                short = rec["name"]
                for suffix in ("村民委员会", "居民委员会", "村委会", "居委会"):
                    if short.endswith(suffix):
                        short = short[: -len(suffix)]
                        break
                rows[code] = RegionRow(code=code, parent_code=rec["parent"], name=rec["name"], short_name=short,
                                       kind="village", subkind=subkind, lat=lat, lon=lon)
    if not rows:
        raise SystemExit(f"county {code6} not found in ganzhou_towns_villages_vonng.csv")
    county = f"{code6}000000"
    if county in rows and rows[county].lat is None:
        _, rows[county].lat, rows[county].lon = county_centre(code6, source)
    order = {"county": 0, "township": 1, "village": 2}
    return sorted(rows.values(), key=lambda r: (order[r.kind], r.code))


def build_boundary(source: Path | None) -> dict:
    gcj = Boundary.from_file(_find("ruijin_boundary_gcj02.geojson", source))
    return gcj.map_points(lambda lon, lat: list(gcj02_to_wgs84(lon, lat))).to_geojson()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--county", default="360781", help="6-digit county code (default 360781 瑞金市)")
    parser.add_argument("--source", type=Path, help="directory holding the reference files")
    parser.add_argument("--out", type=Path, default=HERE, help="output directory (default: this directory)")
    args = parser.parse_args(argv)
    code6 = args.county[:6]
    rows = build_ruijin(args.source) if code6 == "360781" else build_ganzhou_county(code6, args.source)
    out = args.out / f"regions_{code6}.csv"
    write_region_csv(out, rows)
    print(f"wrote {out}: {len(rows)} regions, {sum(r.lat is None for r in rows)} without coordinates")
    if code6 == "360781":
        bnd = args.out / f"boundary_{code6}_wgs84.geojson"
        bnd.write_text(json.dumps(build_boundary(args.source), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {bnd}")


if __name__ == "__main__":
    main()
