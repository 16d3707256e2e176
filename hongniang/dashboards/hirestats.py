"""Hire records pre-summed: what the dashboard counts over `HireRecord` (hires, verified hires, gigs worked,
time to fill, retention at 7/30/90 days, promised against actual pay, channels), summed per day and per month
into `HireStat` rows by the nightly aggregation, so that a period of the whole county reads whole months from
month rows and the edges from day rows instead of scanning every hire of the period (figures.HireView).

A record counts on three dates ("anchors"): the day it was hired (hires, channels, time to fill, gigs), the day
the person started (the follow-ups due 7/30/90 days later) and the day the first pay was reported (pay). Its
outcomes (confirmed, followed up, paid as promised) count "as of" the period's end: the rows hold every outcome
known when they were written, and a reader subtracts the outcomes that became known after its period's end
(few: those of the last days or weeks, found through the outcome dates' indexes) — so a figure is exactly what
counting the records gives (`tally` is the one definition, used both to write the rows and to count records).

Cells: the county's (township "*", every grain) and, for the grain "area", each township × service point
(the points table of the county's dashboard). A township's or a service point's own view counts its records
directly (a few hundred to a few thousand rows, one statement). `rebuild()` rewrites every row from the hire
records, so a second run writes the same rows."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict, namedtuple

from django.db import connection, transaction

from .models import HireRecord, HireStat, Period

COUNTY = "*"
AREA, CHAN, OCC, TTF = "area", "chan", "occ", "ttf"
#: anchor -> the record's date it counts on
ANCHORS = {"h": "hired_on", "s": "start_on", "p": "pay_on"}
MEASURES = ("n", "app", "gig", "verified", "gig_confirmed", "gig_r30", "gig_w30", "r7", "w7", "r30", "w30", "r90",
            "w90", "promised", "actual", "below", "confirmed")
IDX = {m: i for i, m in enumerate(MEASURES)}
#: the measures each anchor's rows carry (the others are 0 there)
ANCHOR_MEASURES = {"h": ("n", "app", "gig", "verified", "gig_confirmed", "gig_r30", "gig_w30", "r30", "w30", "r90",
                         "w90"),
                   "s": ("n", "r7", "w7", "r30", "w30", "r90", "w90"),
                   "p": ("n", "promised", "actual", "below", "confirmed")}
#: the dates of the outcomes a figure counts only when known by the period's end
OUTCOME_DATES = ("verified_on", "confirmed_on", "f7_on", "f30_on", "f90_on", "paid_ok_on")
FIELDS = ("source", "person_id", "hired_on", "start_on", "pay_on", "township", "point_id", "channel", "occupation",
          "days_to_fill", "promised_min", "pay_amount", "verified_on", "confirmed_on", "f7_on", "f7_working",
          "f30_on", "f30_working", "f90_on", "f90_working", "paid_ok", "paid_ok_on")
Rec = namedtuple("Rec", FIELDS)


def _known(day: dt.date | None, t: dt.date | None) -> bool:
    return day is not None and (t is None or day <= t)


def tally(r: Rec, anchor: str, t: dt.date | None) -> list[tuple[str, str, dict]]:
    """What one record adds on its `anchor` date: [(grain, key, {measure: value})], outcomes known by t (None:
    every outcome known now). The one definition of the hire figures (figures.HireView reads its sums)."""
    out: list[tuple[str, str, dict]] = []
    if anchor == "h":
        gig = r.source == "gig"
        v = {"n": 1, "app": int(r.source == "app"), "gig": int(gig), "verified": int(_known(r.verified_on, t))}
        if gig:
            k30 = _known(r.f30_on, t)
            v.update(gig_confirmed=int(_known(r.confirmed_on, t)), gig_r30=int(k30),
                     gig_w30=int(k30 and r.f30_working is True))
        out.append((AREA, "", v))
        c = {"n": 1}
        for day, on, working in ((30, r.f30_on, r.f30_working), (90, r.f90_on, r.f90_working)):
            k = _known(on, t)
            c[f"r{day}"] = int(k and working is not None)
            c[f"w{day}"] = int(k and working is True)
        out.append((CHAN, r.channel or "", c))
        if r.source == "app" and r.days_to_fill is not None:
            out.append((TTF, str(r.days_to_fill), {"n": 1}))
    elif anchor == "s":
        s = {"n": 1}
        for day, on, working in ((7, r.f7_on, r.f7_working), (30, r.f30_on, r.f30_working),
                                 (90, r.f90_on, r.f90_working)):
            k = _known(on, t)
            s[f"r{day}"] = int(k and working is not None)
            s[f"w{day}"] = int(k and working is True)
        out.append((AREA, "", s))
    elif r.pay_amount is not None and r.promised_min is not None:
        p = {"n": 1, "promised": r.promised_min, "actual": r.pay_amount, "below": int(r.pay_amount < r.promised_min),
             "confirmed": int(r.paid_ok is True and _known(r.paid_ok_on, t))}
        out.append((AREA, "", p))
        out.append((OCC, r.occupation or "", p))
    return out


def _vec() -> list[int]:
    return [0] * len(MEASURES)


def _add(vec: list[int], values: dict, sign: int = 1) -> None:
    for m, v in values.items():
        vec[IDX[m]] += sign * v


class Tally:
    """Sums of measures per (grain, point, key, month): point None for the area's totals, a point id for the
    area grain by service point; month None unless asked for."""

    def __init__(self):
        self.cells: dict[tuple, list[int]] = defaultdict(_vec)

    def add_record(self, r: Rec, anchor: str, t: dt.date | None, *, sign: int = 1, months: bool = False,
                   grains=None) -> None:
        day = getattr(r, ANCHORS[anchor])
        m = day.replace(day=1) if months else None
        for grain, key, values in tally(r, anchor, t):
            if grains and grain not in grains:
                continue
            _add(self.cells[(grain, None, key, m)], values, sign)
            if grain == AREA:
                _add(self.cells[(grain, r.point_id, key, m)], values, sign)

    def add_row(self, grain: str, point, key: str, month, values: dict) -> None:
        _add(self.cells[(grain, point, key, month)], values)

    def _sum(self, keep) -> dict[object, dict]:
        out: dict[object, list[int]] = {}
        for cell, vec in self.cells.items():
            g = keep(cell)
            if g is not None:
                acc = out.get(g)
                out[g] = list(vec) if acc is None else [x + y for x, y in zip(acc, vec, strict=True)]
        return {g: dict(zip(MEASURES, vec, strict=True)) for g, vec in out.items()}

    def total(self, grain: str = AREA) -> dict:
        return self._sum(lambda c: 0 if c[0] == grain and c[1] is None else None).get(0, dict.fromkeys(MEASURES, 0))

    def by_key(self, grain: str) -> dict[str, dict]:
        return self._sum(lambda c: c[2] if c[0] == grain and c[1] is None else None)

    def by_point(self) -> dict[int, dict]:
        return self._sum(lambda c: c[1] if c[0] == AREA and c[1] is not None else None)

    def by_month(self, grain: str, keys) -> dict[dt.date, int]:
        s = self._sum(lambda c: c[3] if c[0] == grain and c[1] is None and c[2] in keys else None)
        return {m: v["n"] for m, v in s.items() if v["n"]}


# --- writing ----------------------------------------------------------------------------------------------


def _flush(anchor: str, cells: dict) -> list[HireStat]:
    months: dict[tuple, list[int]] = defaultdict(_vec)
    objs = []
    for (day, grain, town, point, key), vec in cells.items():
        objs.append(HireStat(period=Period.DAY, day=day, anchor=anchor, grain=grain, township=town, point_id=point,
                             key=key, **dict(zip(MEASURES, vec, strict=True))))
        acc = months[(day.replace(day=1), grain, town, point, key)]
        for i, v in enumerate(vec):
            acc[i] += v
    for (month, grain, town, point, key), vec in months.items():
        objs.append(HireStat(period=Period.MONTH, day=month, anchor=anchor, grain=grain, township=town,
                             point_id=point, key=key, **dict(zip(MEASURES, vec, strict=True))))
    return objs


def link_people() -> int:
    """Set each hire record's `prev_hired_on`: the hired_on of the same person's previous app hire (ordered by
    hired_on, then id), None for their first and for gigs. Writes only the records whose link changed (a night
    adds a few hundred; a backfill of an earlier hire moves the person's next one). Returns rows written.

    What it is for: the people placed in [s, e] (each person once) are the app hires of [s, e] less those whose
    previous app hire fell in [s, e] too — each person's first hire in the period is the one counted."""
    table = connection.ops.quote_name(HireRecord._meta.db_table)
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cur:
        cur.execute(f"""
            UPDATE {table} AS h SET prev_hired_on = x.prev
            FROM (SELECT id, LAG(hired_on) OVER (PARTITION BY person_id ORDER BY hired_on, id) AS prev
                  FROM {table} WHERE source = %s) AS x
            WHERE h.id = x.id AND h.prev_hired_on {differs} x.prev""", ["app"])
        n = cur.rowcount
        cur.execute(f"UPDATE {table} SET prev_hired_on = NULL WHERE prev_hired_on IS NOT NULL AND source <> %s",
                    ["app"])
        return n + cur.rowcount


def rebuild() -> dict:
    """Rewrite every HireStat row from the hire records (outcomes as known now), and link each person's hires
    (link_people: what the people placed are counted by, from the same records as the rows). Returns rows and
    seconds."""
    t0 = time.perf_counter()
    n = 0
    with transaction.atomic():
        linked = link_people()
        HireStat.objects.all().delete()
        for anchor, field in ANCHORS.items():
            month, cells = None, defaultdict(_vec)
            qs = (HireRecord.objects.filter(**{f"{field}__isnull": False}).order_by(field, "id")
                  .values_list(*FIELDS))
            for row in qs.iterator(chunk_size=5000):
                r = Rec._make(row)
                day = getattr(r, field)
                if month is not None and day.replace(day=1) != month:
                    objs = _flush(anchor, cells)
                    HireStat.objects.bulk_create(objs, batch_size=5000)
                    n += len(objs)
                    cells = defaultdict(_vec)
                month = day.replace(day=1)
                for grain, key, values in tally(r, anchor, None):
                    _add(cells[(day, grain, COUNTY, 0, key)], values)
                    if grain == AREA:
                        _add(cells[(day, grain, r.township or "", r.point_id or 0, key)], values)
            objs = _flush(anchor, cells)
            HireStat.objects.bulk_create(objs, batch_size=5000)
            n += len(objs)
    if connection.vendor == "postgresql":  # the planner's counts of the rewritten table (its reads pick indexes)
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {HireStat._meta.db_table}")
    return {"hire_stat_rows": n, "hire_stat_seconds": round(time.perf_counter() - t0, 2), "hires_linked": linked}
