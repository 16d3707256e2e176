"""Loading administrative regions (county → township → village) from a generic CSV file.

The generic format (UTF-8, header row, one region a row; parents before or after children, any order):

    code,parent_code,name,short_name,kind,subkind,lat,lon

- code: 12-digit statistical code (区划代码), unique
- parent_code: code of the parent region; empty for the county (or a code not in the file/database → no parent)
- kind: county | township | village
- subkind: free text such as 镇 / 乡 / 街道 / 开发区 / 村委会 / 居委会
- lat, lon: WGS-84 decimal degrees, or empty when unknown

Regions without coordinates are placed deterministically near their parent (see `place_missing`) and
marked approximate=True. Coordinate helpers convert GCJ-02 (Chinese web maps) to WGS-84.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from hongniang.geo.models import Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FIELDS = ["code", "parent_code", "name", "short_name", "kind", "subkind", "lat", "lon"]
KINDS = ("county", "township", "village")
PLACE_MIN_KM = 1.5
PLACE_MAX_KM = 4.0
PLACE_ATTEMPTS = 64


class RegionFileError(ValueError):
    """The region file is malformed (message names the line)."""


# --- GCJ-02 ↔ WGS-84 (the widely published "eviltransform" formulas, Krasovsky 1940 ellipsoid) -----------

_A = 6378245.0
_EE = 0.00669342162296594323


def _out_of_china(lon: float, lat: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if _out_of_china(lon, lat):
        return lon, lat
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Inverse of wgs84_to_gcj02 by fixed-point iteration (error < 1e-7 degrees, a centimetre)."""
    if _out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(8):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-9 and abs(dlat) < 1e-9:
            break
    return round(wlon, 6), round(wlat, 6)


# --- boundary ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Boundary:
    """A (multi)polygon in lon/lat: a list of polygons, each a list of rings (outer first, then holes)."""

    polygons: tuple

    @classmethod
    def from_geojson(cls, data: dict) -> Boundary:
        if data.get("type") == "FeatureCollection":
            polys = []
            for feat in data["features"]:
                polys.extend(cls.from_geojson(feat).polygons)
            return cls(tuple(polys))
        if data.get("type") == "Feature":
            return cls.from_geojson(data["geometry"])
        if data.get("type") == "Polygon":
            return cls((tuple(tuple(map(tuple, ring)) for ring in data["coordinates"]),))
        if data.get("type") == "MultiPolygon":
            return cls(tuple(tuple(tuple(map(tuple, ring)) for ring in poly) for poly in data["coordinates"]))
        raise ValueError(f"unsupported GeoJSON type: {data.get('type')}")

    @classmethod
    def from_file(cls, path: str | Path) -> Boundary:
        return cls.from_geojson(json.loads(Path(path).read_text(encoding="utf-8")))

    def contains(self, lon: float, lat: float) -> bool:
        for poly in self.polygons:
            if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, hole) for hole in poly[1:]):
                return True
        return False

    def to_geojson(self) -> dict:
        if len(self.polygons) == 1:
            return {"type": "Polygon", "coordinates": [[list(p) for p in ring] for ring in self.polygons[0]]}
        return {"type": "MultiPolygon",
                "coordinates": [[[list(p) for p in ring] for ring in poly] for poly in self.polygons]}

    def map_points(self, fn) -> Boundary:
        return Boundary(tuple(tuple(tuple(fn(*pt) for pt in ring) for ring in poly) for poly in self.polygons))


def _in_ring(x: float, y: float, ring) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


# --- rows --------------------------------------------------------------------------------------------------


@dataclass
class RegionRow:
    code: str
    parent_code: str
    name: str
    short_name: str = ""
    kind: str = "village"
    subkind: str = ""
    lat: float | None = None
    lon: float | None = None
    approximate: bool = False
    extra: dict = field(default_factory=dict, compare=False)


def read_region_csv(path: str | Path) -> list[RegionRow]:
    rows: list[RegionRow] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in ("code", "parent_code", "name", "kind") if f not in (reader.fieldnames or [])]
        if missing:
            raise RegionFileError(f"{path}: missing columns {', '.join(missing)} (expected {','.join(FIELDS)})")
        for lineno, rec in enumerate(reader, start=2):
            code = (rec.get("code") or "").strip()
            kind = (rec.get("kind") or "").strip()
            if not code or not code.isdigit() or len(code) > 12:
                raise RegionFileError(f"{path}:{lineno}: bad code {code!r}")
            code = code.ljust(12, "0")
            if code in seen:
                raise RegionFileError(f"{path}:{lineno}: duplicate code {code}")
            seen.add(code)
            if kind not in KINDS:
                raise RegionFileError(f"{path}:{lineno}: kind must be one of {'|'.join(KINDS)}, got {kind!r}")
            lat, lon = _num(rec.get("lat")), _num(rec.get("lon"))
            if (lat is None) != (lon is None):
                raise RegionFileError(f"{path}:{lineno}: give both lat and lon or neither")
            if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise RegionFileError(f"{path}:{lineno}: coordinates out of range")
            parent = (rec.get("parent_code") or "").strip()
            rows.append(RegionRow(
                code=code, parent_code=parent.ljust(12, "0") if parent else "", name=(rec.get("name") or "").strip(),
                short_name=(rec.get("short_name") or "").strip(), kind=kind,
                subkind=(rec.get("subkind") or "").strip(), lat=lat, lon=lon))
            if not rows[-1].name:
                raise RegionFileError(f"{path}:{lineno}: empty name")
    return rows


def write_region_csv(path: str | Path, rows: list[RegionRow]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(FIELDS)
        for r in rows:
            w.writerow([r.code, r.parent_code, r.name, r.short_name, r.kind, r.subkind,
                        "" if r.lat is None else f"{r.lat:.6f}", "" if r.lon is None else f"{r.lon:.6f}"])


def _num(value) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


# --- deterministic placement -------------------------------------------------------------------------------


def _offset(code: str, attempt: int, anchor_lat: float) -> tuple[float, float]:
    digest = hashlib.sha256(f"{code}:{attempt}".encode()).digest()
    angle = int.from_bytes(digest[:8], "big") / 2**64 * 2 * math.pi
    frac = int.from_bytes(digest[8:16], "big") / 2**64
    km = PLACE_MIN_KM + (PLACE_MAX_KM - PLACE_MIN_KM) * frac
    dlat = km * math.sin(angle) / 111.32
    dlon = km * math.cos(angle) / (111.32 * math.cos(math.radians(anchor_lat)))
    return dlat, dlon


def place_near(code: str, anchor: tuple[float, float], boundary: Boundary | None) -> tuple[float, float]:
    """A point 1.5–4 km from anchor (lat, lon), chosen from a hash of `code`, inside `boundary` if given.
    Tries up to PLACE_ATTEMPTS deterministic candidates, then falls back to the anchor itself."""
    alat, alon = anchor
    for attempt in range(PLACE_ATTEMPTS):
        dlat, dlon = _offset(code, attempt, alat)
        lat, lon = round(alat + dlat, 6), round(alon + dlon, 6)
        if boundary is None or boundary.contains(lon, lat):
            return lat, lon
    return round(alat, 6), round(alon, 6)


def place_missing(rows: list[RegionRow], boundary: Boundary | None = None,
                  county_centre: tuple[float, float] | None = None) -> list[RegionRow]:
    """Return copies of rows where every region has coordinates. Townships without a seat go near the mean of
    their known villages, else near the county centre; villages without coordinates go near their township.
    Placed rows get approximate=True. Pure and deterministic."""
    out = [replace(r) for r in rows]
    by_code = {r.code: r for r in out}
    counties = [r for r in out if r.kind == "county"]
    known = [r for r in out if r.lat is not None and r.kind != "county"]
    if county_centre is None:
        c = next((r for r in counties if r.lat is not None), None)
        if c is not None:
            county_centre = (c.lat, c.lon)
        elif known:
            county_centre = (sum(r.lat for r in known) / len(known), sum(r.lon for r in known) / len(known))
    for c in counties:
        if c.lat is None and county_centre is not None:
            c.lat, c.lon = county_centre
            c.approximate = True
    villages_of: dict[str, list[RegionRow]] = {}
    for r in out:
        if r.kind == "village":
            villages_of.setdefault(r.parent_code, []).append(r)
    for t in (r for r in out if r.kind == "township"):
        if t.lat is not None:
            continue
        vs = [v for v in villages_of.get(t.code, []) if v.lat is not None]
        if vs:
            anchor = (sum(v.lat for v in vs) / len(vs), sum(v.lon for v in vs) / len(vs))
        else:
            parent = by_code.get(t.parent_code)
            anchor = (parent.lat, parent.lon) if parent and parent.lat is not None else county_centre
        if anchor is None:
            continue
        t.lat, t.lon = place_near(t.code, anchor, boundary)
        t.approximate = True
    for v in (r for r in out if r.kind == "village"):
        if v.lat is not None:
            continue
        parent = by_code.get(v.parent_code)
        anchor = (parent.lat, parent.lon) if parent and parent.lat is not None else county_centre
        if anchor is None:
            continue
        v.lat, v.lon = place_near(v.code, anchor, boundary)
        v.approximate = True
    return out


# --- bundled files -----------------------------------------------------------------------------------------


def bundled_region_file(county: str) -> Path:
    return DATA_DIR / f"regions_{county[:6]}.csv"


def bundled_boundary_file(county: str) -> Path:
    return DATA_DIR / f"boundary_{county[:6]}_wgs84.geojson"


def bundled_counties() -> list[str]:
    return sorted(p.stem.split("_")[1] for p in DATA_DIR.glob("regions_*.csv"))


# --- database ----------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    approximate: int = 0
    by_kind: dict = field(default_factory=dict)

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in self.by_kind.items())
        return (f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged ({kinds}; "
                f"{self.approximate} placed approximately)")


_COMPARED = ("name", "short_name", "kind", "subkind", "parent_id", "lat", "lon", "approximate")


def load_regions(rows: list[RegionRow], *, wet_run: bool) -> LoadReport:
    """Upsert rows into geo.Region (keyed by code). Changes nothing unless wet_run."""
    from django.db import transaction

    codes = {r.code for r in rows}
    parents = {r.parent_code for r in rows if r.parent_code}
    existing = Region.objects.in_bulk(list(codes))
    known_parents = codes | set(Region.objects.filter(code__in=list(parents - codes)).values_list("code", flat=True))
    report = LoadReport()
    to_create, to_update = [], []
    for r in rows:
        report.by_kind[r.kind] = report.by_kind.get(r.kind, 0) + 1
        report.approximate += r.approximate
        values = dict(name=r.name, short_name=r.short_name, kind=r.kind, subkind=r.subkind,
                      parent_id=r.parent_code if r.parent_code in known_parents else None,
                      lat=r.lat, lon=r.lon, approximate=r.approximate)
        obj = existing.get(r.code)
        if obj is None:
            to_create.append(Region(code=r.code, **values))
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            to_update.append(obj)
        else:
            report.unchanged += 1
    report.created, report.updated = len(to_create), len(to_update)
    if wet_run and (to_create or to_update):
        order = {k: i for i, k in enumerate(KINDS)}
        to_create.sort(key=lambda o: (order[o.kind], o.code))
        with transaction.atomic():
            Region.objects.bulk_create(to_create, batch_size=500)
            Region.objects.bulk_update(to_update, list(_COMPARED), batch_size=500)
    return report


def rows_for(county: str | None = None, file: str | Path | None = None,
             boundary: str | Path | None = None) -> tuple[list[RegionRow], Boundary | None]:
    """Read a region file (bundled for `county`, or `file`) and place the regions lacking coordinates."""
    if file is None:
        if county is None:
            raise RegionFileError("give a county code or a file")
        file = bundled_region_file(county)
        if not file.exists():
            raise RegionFileError(f"no bundled region file for county {county} (have: {', '.join(bundled_counties())})")
        if boundary is None and bundled_boundary_file(county).exists():
            boundary = bundled_boundary_file(county)
    rows = read_region_csv(file)
    bnd = Boundary.from_file(boundary) if boundary else None
    return place_missing(rows, bnd), bnd
