"""Build ganzhou_sites.csv: every town and village centre of Ganzhou prefecture (赣州市, 18 counties) as candidate
sites for the siting benchmark (bench/siting_scale.py), in the ``hongniang site --candidates`` format plus two
columns: ``site_id,name,lat,lon,kind,approximate``.

    python -m hongniang.data.build_ganzhou_sites [--source /work/shared/data/geo] [--out hongniang/data]

Source: ganzhou_towns_villages_vonng.csv (Vonng/adcode, CC BY 4.0; 2016 codes; GCJ-02 centres for 266 towns and
179 villages), converted to WGS-84. Centres the source lacks (43 towns, 3,714 villages) are placed by
hongniang.geo.loading.place_missing (1.5-4 km from the parent, from a hash of the code: deterministic) and marked
approximate=1. Pure standard library + hongniang.geo.loading; the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from hongniang.geo.loading import RegionRow, gcj02_to_wgs84, place_missing

HERE = Path(__file__).resolve().parent
SOURCES = [HERE / "sources", Path("/work/shared/data/geo")]
NAME = "ganzhou_towns_villages_vonng.csv"
KIND = {"county": "county", "town": "township", "village": "village"}


def build(source: Path | None = None) -> list[dict]:
    path = next((d / NAME for d in ([source] if source else []) + SOURCES if (d / NAME).exists()), None)
    if path is None:
        raise SystemExit(f"{NAME} not found (use --source)")
    rows: list[RegionRow] = []
    with open(path, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            kind = KIND.get(rec["level"])
            if kind is None or rec["virtual"] == "t":
                continue
            lat = lon = None
            if rec["latitude"] and rec["longitude"]:
                lon, lat = gcj02_to_wgs84(float(rec["longitude"]), float(rec["latitude"]))
                lat, lon = round(lat, 6), round(lon, 6)
            rows.append(RegionRow(code=rec["code"], parent_code=rec["parent"], name=rec["name"], kind=kind,
                                  lat=lat, lon=lon, extra={"county": rec["county"], "town": rec["town"]}))
    out = []
    for r in place_missing(rows):
        if r.kind == "county" or r.lat is None:
            continue
        label = r.extra["county"] + (r.extra["town"] if r.kind == "village" else "") + r.name
        out.append({"site_id": r.code, "name": label, "lat": f"{r.lat:.6f}", "lon": f"{r.lon:.6f}",
                    "kind": r.kind, "approximate": int(r.approximate)})
    out.sort(key=lambda x: x["site_id"])
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", type=Path, default=None)
    p.add_argument("--out", type=Path, default=HERE)
    a = p.parse_args(argv)
    rows = build(a.source)
    with open(a.out / "ganzhou_sites.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["site_id", "name", "lat", "lon", "kind", "approximate"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} sites ({sum(r['kind'] == 'township' for r in rows)} towns, "
          f"{sum(r['approximate'] for r in rows)} placed approximately) -> {a.out / 'ganzhou_sites.csv'}")


if __name__ == "__main__":
    main()
