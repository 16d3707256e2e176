"""Sorted searches (newest, pay, distance with a query): pages read window by window along the sort key."""

from __future__ import annotations

import time

from django.db import connection
from django.db.models import QuerySet

from .query import ParsedQuery
from .results import RankedResults
from .tokens import GEO_SHIFTS, PAY_STEPS, PUB_SHIFTS, _ft, _grid, _pub_hour


class SortedResults(RankedResults):
    """Matches of a query in a list order (newest, pay, distance: `qs` is the filtered posting queryset in that
    order; `point` the (lat, lon) of a distance sort). Counted as RankedResults counts (at most COUNT_CAP + 1,
    the same statements). With at most COUNT_CAP matches their ids are known and a page sorts just those.

    Above that a page is read window by window along the sort key, newest / best paid / nearest first, as
    `_pg_newest` reads ids: a window is a range of the key held by a few bucket tokens (publication hours,
    pay thresholds, grid cells around the point), so the index hands over only the matches inside it and the
    posting table sorts those exactly; windows are disjoint and in key order, so their pages join up into the
    exact list order. Each window is sized from per-process counts of published postings along the key
    (`key_histogram`) and the share of postings that match (seen while counting) to hold 1.5× what is still
    missing; the last reads everything left. Sorting every match instead cost 50–100 ms for a word in 5–80 %
    of 100k postings."""

    def __init__(self, qs: QuerySet, parsed: ParsedQuery, filter_tokens: list[str] | None = None,
                 exact: bool = False, load=None, sort: str = "newest", point: tuple[float, float] | None = None,
                 rows=None):
        super().__init__(qs, parsed, filter_tokens, exact, load)
        self.key = "distance" if sort == "distance" and point is not None else sort if sort == "pay" else "newest"
        self.point = point
        #: (queryset, start, stop) -> postings: how a page is read (default: the slice itself)
        self.rows = rows or (lambda qs, start, stop: list(qs[start:stop]))

    def ids(self, offset: int, limit: int) -> list[int]:
        return self._page(offset, limit, lambda qs, start, stop: list(qs.values_list("pk", flat=True)[start:stop]))

    def __getitem__(self, item):
        if isinstance(item, slice):  # the postings straight from the statement that sorts them
            start = item.start or 0
            stop = item.stop if item.stop is not None else start + 100
            if self.key == "distance":
                # ids first, then the postings: the planner cannot tell how many of a window's matches lie in
                # the disk, guesses one, and joined the enterprise to each of ~700 before sorting (15 vs 5 ms)
                return RankedResults.__getitem__(self, item)
            return self._page(start, max(0, stop - start), self.rows)
        return self[item : item + 1][0]

    def _page(self, offset: int, limit: int, read) -> list:
        if limit <= 0:
            return []
        known = self.matched_ids()
        if known is not None:
            return read(self.qs.filter(pk__in=known), offset, offset + limit)
        return self._windowed(offset + limit, read)[offset:]

    def _share(self) -> float:
        """Matches per posting, from the newest COUNT_CAP + 1 matches and the ids they span."""
        newest = self._newest or []
        return len(newest) / max(1, newest[0] - newest[-1] + 1) if newest else 1.0

    def _windowed(self, need: int, read) -> list:
        from django.db.models.expressions import RawSQL

        units = key_units(self.key, self.point)
        counts = [c for c, _w in units]
        left = sum(counts)
        share, found, covered, i, steps = self._share(), 0, 0, 0, 0
        out: list[int] = []
        while len(out) < need:
            missing = need - len(out)
            if steps:
                share = max(found, 0.5) / max(covered, 1)
            target = 1.5 * missing / max(share, 1e-9)
            j, acc = i, 0
            while j < len(units) and acc < target:
                acc += counts[j]
                j += 1
            if steps >= 4 or acc >= (left - covered) / 2:
                j, acc = len(units), left - covered  # the rest
            tokens, cond = key_window(self.key, self.point, units, i, j)
            table, col, where, params = self._where(tokens)
            sql = f"SELECT {col} FROM {table} WHERE {where}"
            if tokens and self.key == "distance" and table != "search_fts":
                # PostgreSQL: the window's matches as an array first, then those postings by primary key — as
                # `IN (…)` the planner joined them to a scan of every posting (no index serves a distance
                # bound): 18 ms for 700 matches near the town centre
                sql = f"SELECT unnest(ARRAY({sql}))"
            qs = self.qs.filter(pk__in=RawSQL(sql, params))
            if cond is not None:
                qs = qs.filter(cond)
            rows = read(qs, 0, missing)
            out += rows
            found, covered, i, steps = found + len(rows), covered + acc, j, steps + 1
            if j >= len(units):
                break
        return out


NEAR_CELLS = 2000  # distance units: the nearest cells one by one, the others together
_HIST_TTL = 300.0
_hist: dict = {}


def key_histogram(key: str) -> dict:
    """Published postings counted along a sort key, kept per process for five minutes (an estimate: windows
    are sized from it, never bounded by it): newest — per 16-hour bucket of publication; pay — at or above each
    pay step; distance — per grid cell of 2**GEO_SHIFTS[0]."""
    now = time.monotonic()
    at, data = _hist.get(key, (float("-inf"), None))
    if data is not None and now - at < _HIST_TTL:
        return data
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if key == "pay":
            cols = ", ".join(f"count(*) FILTER (WHERE monthly_max >= {s})" if pg
                             else f"sum(monthly_max >= {s})" for s in PAY_STEPS)
            cur.execute(f"SELECT count(*), {cols} FROM jobs_jobposting WHERE status = 'published'")
            total, *above = cur.fetchone()
            data = {"total": total or 0, "above": [a or 0 for a in above]}
        elif key == "distance":
            b = GEO_SHIFTS[0]
            gx = "floor((lon + 180) * 1000)::bigint" if pg else "CAST((lon + 180) * 1000 AS INTEGER)"
            gy = "floor((lat + 90) * 1000)::bigint" if pg else "CAST((lat + 90) * 1000 AS INTEGER)"
            cur.execute(f"SELECT {gx} >> {b}, {gy} >> {b}, count(*) FROM jobs_jobposting "
                        "WHERE status = 'published' AND lat IS NOT NULL AND lon IS NOT NULL GROUP BY 1, 2")
            import numpy as np

            rows = cur.fetchall()
            data = {"cells": np.array(rows, dtype=np.float64).reshape(-1, 3)}  # x, y, postings
            cur.execute("SELECT count(*) FROM jobs_jobposting WHERE status = 'published' AND (lat IS NULL OR "
                        "lon IS NULL)")
            data["unplaced"] = cur.fetchone()[0]
        else:
            hour = ("floor(extract(epoch FROM published_at) / 3600)::bigint" if pg
                    else "(CAST(strftime('%s', published_at) AS INTEGER) / 3600)")
            cur.execute(f"SELECT {hour} >> {PUB_SHIFTS[0]}, count(*) FROM jobs_jobposting "
                        "WHERE status = 'published' AND published_at IS NOT NULL GROUP BY 1")
            data = {"buckets": dict(cur.fetchall())}
    _hist[key] = (now, data)
    return data


def key_units(key: str, point: tuple[float, float] | None) -> list[tuple[int, object]]:
    """The sort key cut into units in list order, each (postings in it, what bounds it): 16-hour buckets from
    now back (their number), pay-step intervals from the top (their lower step, 0 for the last), grid cells by
    the distance of their centre from the point (that distance, in degrees of latitude)."""
    from django.utils import timezone

    h = key_histogram(key)
    if key == "pay":
        above = h["above"]
        units = [(above[-1], PAY_STEPS[-1])]  # at or above the top step
        units += [(above[k] - above[k + 1], PAY_STEPS[k]) for k in range(len(PAY_STEPS) - 2, -1, -1)]
        return [*units, (h["total"] - above[0], 0)]  # below the lowest step
    if key == "distance":
        import math

        import numpy as np

        lat, lon = point
        cells, size = h["cells"], (1 << GEO_SHIFTS[0]) / 1000
        d = np.hypot((cells[:, 1] + 0.5) * size - 90 - lat, ((cells[:, 0] + 0.5) * size - 180 - lon)
                     * math.cos(math.radians(lat)))
        order = np.argsort(d, kind="stable")
        # the nearest 2,000 cells one by one (a page never needs more); the others with the postings without
        # a point in the last unit, which a window reads as "everything after"
        near, far = order[:NEAR_CELLS], order[NEAR_CELLS:]
        rest = int(cells[far, 2].sum()) + h["unplaced"]
        return [(int(n), float(r)) for n, r in zip(cells[near, 2], d[near], strict=True)] + [(rest, math.inf)]
    top = (_pub_hour(timezone.now()) >> PUB_SHIFTS[0]) + 1  # the next bucket too: clocks of workers differ
    buckets = h["buckets"]
    oldest = min(buckets, default=top)
    return [(buckets.get(b, 0), b) for b in range(top, oldest - 1, -1)]


def key_window(key: str, point, units: list, i: int, j: int):
    """(tokens, one of which every posting in the window holds, or None; a condition on the posting queryset
    or None) of the units [i, j) of `key_units` — j past the end: every posting after unit i - 1."""
    from django.db.models import Q

    # the bounds are also given on the posting columns although the tokens imply them: an index walk in list
    # order then stays inside the window (PostgreSQL's parallel index walk read 90,000 postings for 20
    # matches in the newest window when only the tokens bounded it)
    last = j >= len(units)
    if key == "pay":  # monthly_max in [lower step of unit j - 1, lower step of unit i - 1)
        lower = units[j - 1][1]
        cond = Q(monthly_max__lt=units[i - 1][1]) if i else Q()
        return ([_ft("px", lower)] if lower else None), (cond & Q(monthly_max__gte=lower) if lower else cond) or None
    if key == "distance":  # distance in (centre distance of unit i - 1, that of unit j - 1]
        lo = units[i - 1][1] if i else None
        if last:
            return None, ((Q(_d2__gt=lo * lo) | Q(_d2__isnull=True)) if lo is not None else None)
        hi = units[j - 1][1]
        import math

        # the box around the disk as well: the planner knows how many postings lie in a range of lat / lon,
        # not how many pass an expression (it guessed a third of all and scanned the table)
        dlon = hi / max(math.cos(math.radians(point[0])), 1e-6)
        cond = Q(_d2__lte=hi * hi, lat__range=(point[0] - hi, point[0] + hi),
                 lon__range=(point[1] - dlon, point[1] + dlon))
        return _disk_tokens(point, hi), (cond & Q(_d2__gt=lo * lo) if lo is not None else cond)
    hi = units[i][1] + 1  # newest: 16-hour buckets [bucket of unit j - 1, bucket of unit i]
    before = Q(published_at__lt=_bucket_start(hi))
    if last:
        return None, (before if i else None)
    lo = units[j - 1][1]
    return _range_tokens("pd", PUB_SHIFTS, lo, hi), before & Q(published_at__gte=_bucket_start(lo))


def _bucket_start(bucket: int):
    """When 16-hour publication bucket `bucket` begins."""
    import datetime as dt

    return dt.datetime.fromtimestamp((bucket << PUB_SHIFTS[0]) * 3600, tz=dt.UTC)


def _range_tokens(kind: str, shifts: tuple[int, ...], lo: int, hi: int) -> list[str]:
    """Tokens of aligned buckets covering exactly [lo, hi) (in buckets of 2**shifts[0]), the largest first."""
    base, out, x = shifts[0], [], lo
    while x < hi:
        for s in reversed(shifts):
            size = 1 << (s - base)
            if x % size == 0 and x + size <= hi:
                out.append(_ft(kind, f"{s}x{x >> (s - base)}"))
                x += size
                break
    return out


def _disk_tokens(point: tuple[float, float], radius: float) -> list[str] | None:
    """Grid-cell tokens of the smallest cells of which at most 24 cover the disk of `radius` (degrees of
    latitude) around the point; None when even the largest cells would take more."""
    import math

    lat, lon = point
    k = max(math.cos(math.radians(lat)), 1e-6)
    dlon = radius / k
    x0, y0 = _grid(lat - radius, lon - dlon)
    x1, y1 = _grid(lat + radius, lon + dlon)
    px, py = _grid(lat, lon)
    for s in GEO_SHIFTS:
        xs, ys = range(x0 >> s, (x1 >> s) + 1), range(y0 >> s, (y1 >> s) + 1)
        if len(xs) * len(ys) > 100:
            continue
        size = 1 << s
        cells = []
        for x in xs:  # the cells of the box that the disk reaches (grid units: 1/1000 degree)
            ex = max(x * size - px, 0, px - (x + 1) * size) * k
            for y in ys:
                ey = max(y * size - py, 0, py - (y + 1) * size)
                if ex * ex + ey * ey <= (radius * 1000 + 2) ** 2:  # 2 units: the floored point
                    cells.append(_ft("geo", f"{s}x{x}y{y}"))
        if len(cells) <= 24:
            return cells
    return None
