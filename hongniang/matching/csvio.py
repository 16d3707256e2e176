"""CSV files of jobs and seekers (UTF-8, header row, extra columns ignored, empty cell = unknown).

Bad rows are reported as ``(line_number, reason)`` and skipped; parsing never raises on row content.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import namedtuple
from collections.abc import Callable, Iterator

from .types import BENEFITS, SHIFTS, Job, Seeker

JOB_FIELDS = ["job_id", "occupation_code", "lat", "lon", "wage_min", "wage_max", "shift", "headcount",
              "age_min", "age_max", "certificates", "benefits", "posted_on"]
SEEKER_FIELDS = ["seeker_id", "lat", "lon", "birth_year", "occupations", "certificates", "expected_wage",
                 "shifts", "max_commute_km", "relocate", "unavailable_months"]
SHIFT_ALIASES = {"长白班": "day", "白班": "day", "两班倒": "two_shift", "三班倒": "three_shift", "弹性": "flexible",
                 "兼职": "part_time", "居家计件": "home_piecework"}
BENEFIT_ALIASES = {"包吃": "board", "包住": "lodging", "班车": "shuttle", "五险一金": "social_insurance"}


class RowError(ValueError):
    pass


def _cell(row: dict, key: str) -> str | None:
    v = row.get(key)
    if v is None:
        return None
    v = v.strip()
    return v or None


def _int(row, key, lo=None, hi=None) -> int | None:
    v = _cell(row, key)
    if v is None:
        return None
    try:
        f = float(v)
    except ValueError:
        raise RowError(f"{key}: not a number: {v!r}") from None
    if not math.isfinite(f) or f != int(f):
        raise RowError(f"{key}: not a whole number: {v!r}")
    i = int(f)
    if (lo is not None and i < lo) or (hi is not None and i > hi):
        raise RowError(f"{key}: {i} out of range [{lo}, {hi}]")
    return i


def _float(row, key, lo=None, hi=None) -> float | None:
    v = _cell(row, key)
    if v is None:
        return None
    try:
        f = float(v)
    except ValueError:
        raise RowError(f"{key}: not a number: {v!r}") from None
    if not math.isfinite(f) or (lo is not None and f < lo) or (hi is not None and f > hi):
        raise RowError(f"{key}: {v} out of range [{lo}, {hi}]")
    return f


def _list(row, key) -> list[str]:
    v = _cell(row, key)
    if v is None:
        return []
    return [x.strip() for x in v.replace("；", ";").split(";") if x.strip()]


def _latlon(row):
    lat, lon = _float(row, "lat", -90, 90), _float(row, "lon", -180, 180)
    if (lat is None) != (lon is None):
        raise RowError("lat and lon must both be given or both be empty")
    return lat, lon


def _shift(name: str) -> str:
    s = SHIFT_ALIASES.get(name, name)
    if s not in SHIFTS:
        raise RowError(f"unknown shift {name!r} (one of {', '.join(SHIFTS)})")
    return s


def parse_job(row: dict) -> Job:
    jid = _cell(row, "job_id")
    if jid is None:
        raise RowError("job_id is empty")
    lat, lon = _latlon(row)
    wmin, wmax = _int(row, "wage_min", 0), _int(row, "wage_max", 0)
    if wmin is not None and wmax is not None and wmin > wmax:
        raise RowError(f"wage_min {wmin} > wage_max {wmax}")
    amin, amax = _int(row, "age_min", 0, 120), _int(row, "age_max", 0, 120)
    if amin is not None and amax is not None and amin > amax:
        raise RowError(f"age_min {amin} > age_max {amax}")
    shift = _cell(row, "shift")
    head = _int(row, "headcount", 1)
    benefits = []
    for b in _list(row, "benefits"):
        b = BENEFIT_ALIASES.get(b, b)
        if b not in BENEFITS:
            raise RowError(f"unknown benefit {b!r} (one of {', '.join(BENEFITS)})")
        benefits.append(b)
    posted = _cell(row, "posted_on")
    if posted is not None:
        try:
            posted = dt.date.fromisoformat(posted)
        except ValueError:
            raise RowError(f"posted_on: not a YYYY-MM-DD date: {posted!r}") from None
    return Job(
        job_id=jid, occupation_code=_cell(row, "occupation_code"), lat=lat, lon=lon, wage_min=wmin, wage_max=wmax,
        shift=_shift(shift) if shift else None, headcount=head if head is not None else 1, age_min=amin, age_max=amax,
        certificates=tuple(_list(row, "certificates")), benefits=frozenset(benefits), posted_on=posted,
    )


def parse_seeker(row: dict) -> Seeker:
    sid = _cell(row, "seeker_id")
    if sid is None:
        raise RowError("seeker_id is empty")
    lat, lon = _latlon(row)
    rel = _cell(row, "relocate")
    if rel is None or rel in ("0", "false", "False", "否", "no"):
        relocate = False
    elif rel in ("1", "true", "True", "是", "yes"):
        relocate = True
    else:
        raise RowError(f"relocate: expected 0 or 1, got {rel!r}")
    months = []
    for m in _list(row, "unavailable_months"):
        try:
            mi = int(m)
        except ValueError:
            raise RowError(f"unavailable_months: not a month: {m!r}") from None
        if not 1 <= mi <= 12:
            raise RowError(f"unavailable_months: {mi} not in 1-12")
        months.append(mi)
    return Seeker(
        seeker_id=sid, lat=lat, lon=lon, birth_year=_int(row, "birth_year", 1900, 2100),
        occupations=tuple(_list(row, "occupations")), certificates=tuple(_list(row, "certificates")),
        expected_wage=_int(row, "expected_wage", 0), shifts=frozenset(_shift(s) for s in _list(row, "shifts")),
        max_commute_km=_float(row, "max_commute_km", 0), relocate=relocate, unavailable_months=frozenset(months),
    )


def read_rows(path: str, parse: Callable, id_field: str, report: Callable[[int, str], None]) -> Iterator:
    """Yield parsed records; report(line, reason) for bad rows (and duplicate ids, later ones skipped)."""
    seen = set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            return
        header = [h.strip() for h in header]
        if id_field not in header:
            report(1, f"header has no {id_field} column")
            return
        n = len(header)
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as e:
                report(reader.line_num, f"unreadable row: {e}")
                continue
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) > n:
                values = values[:n]
            row = dict(zip(header, values, strict=False))
            try:
                rec = parse(row)
                rid = rec.job_id if id_field == "job_id" else rec.seeker_id
                if rid in seen:
                    raise RowError(f"duplicate {id_field} {rid!r}")
                seen.add(rid)
            except (RowError, ValueError, TypeError) as e:
                report(reader.line_num, str(e))
                continue
            yield rec


#: a parsed seeker row with the attributes of ``Seeker`` (no dataclass construction: the batch reads millions)
SeekerRecord = namedtuple("SeekerRecord", ["seeker_id", "lat", "lon", "birth_year", "occupations", "certificates", "expected_wage",
                                           "shifts", "max_commute_km", "relocate", "unavailable_months"])
_TRUE = frozenset(("1", "true", "True", "是", "yes"))
_FALSE = frozenset(("0", "false", "False", "否", "no"))


class _Row:
    """A row as a mapping of header -> cell without building a dict (the last column of a repeated name wins)."""

    __slots__ = ("pos", "values")

    def __init__(self, pos: dict[str, int]) -> None:
        self.pos = pos
        self.values: list[str] = []

    def get(self, key):
        i = self.pos.get(key)
        if i is None or i >= len(self.values):
            return None
        return self.values[i]


def read_seeker_records(path: str, report: Callable[[int, str], None]) -> Iterator[SeekerRecord]:
    """Like ``read_rows(path, parse_seeker, "seeker_id", report)`` (same checks, messages and skipped rows), but
    yields ``SeekerRecord`` tuples: for the batch command's millions of rows."""
    seen = set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            return
        header = [h.strip() for h in header]
        if "seeker_id" not in header:
            report(1, "header has no seeker_id column")
            return
        pos = {h: i for i, h in enumerate(header)}
        row = _Row(pos)
        p_id, p_lat, p_lon = pos.get("seeker_id"), pos.get("lat"), pos.get("lon")
        n = len(header)
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as e:
                report(reader.line_num, f"unreadable row: {e}")
                continue
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) > n:
                values = values[:n]
            row.values = values
            m = len(values)
            try:
                sid = values[p_id].strip() if p_id < m else ""
                if not sid:
                    raise RowError("seeker_id is empty")
                la = values[p_lat].strip() if p_lat is not None and p_lat < m else ""
                lo = values[p_lon].strip() if p_lon is not None and p_lon < m else ""
                if la or lo:
                    lat, lon = _latlon(row)
                else:
                    lat = lon = None
                rel = _cell(row, "relocate")
                if rel is None or rel in _FALSE:
                    relocate = False
                elif rel in _TRUE:
                    relocate = True
                else:
                    raise RowError(f"relocate: expected 0 or 1, got {rel!r}")
                months = []
                um = _cell(row, "unavailable_months")
                if um is not None:
                    for mo in _list(row, "unavailable_months"):
                        try:
                            mi = int(mo)
                        except ValueError:
                            raise RowError(f"unavailable_months: not a month: {mo!r}") from None
                        if not 1 <= mi <= 12:
                            raise RowError(f"unavailable_months: {mi} not in 1-12")
                        months.append(mi)
                by = _int(row, "birth_year", 1900, 2100)
                occ = _cell(row, "occupations")
                occs = tuple(_list(row, "occupations")) if occ is not None else ()
                cert = _cell(row, "certificates")
                certs = tuple(_list(row, "certificates")) if cert is not None else ()
                ew = _int(row, "expected_wage", 0)
                sh = _cell(row, "shifts")
                shifts = frozenset(_shift(x) for x in _list(row, "shifts")) if sh is not None else frozenset()
                mc = _float(row, "max_commute_km", 0)
                if sid in seen:
                    raise RowError(f"duplicate seeker_id {sid!r}")
                seen.add(sid)
            except (RowError, ValueError, TypeError) as e:
                report(reader.line_num, str(e))
                continue
            yield SeekerRecord(sid, lat, lon, by, occs, certs, ew, shifts, mc, relocate, frozenset(months))
