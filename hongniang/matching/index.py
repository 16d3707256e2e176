"""In-memory indexes with a spatial grid prefilter, updated in place (add / upsert / remove)."""

from __future__ import annotations

import math

import numpy as np

from .config import MatchConfig
from .core import (
    JCODE_DEAD,
    JOB_COLUMNS,
    LODGING,
    NEUTRAL_FRESH,
    NO_DATE,
    SEEKER_COLUMNS,
    Encoder,
    job_row,
    seeker_row,
)
from .types import Job, Seeker

KM_PER_DEG = math.pi * 6371.0088 / 180.0  # great-circle km per degree of latitude


BOX_DATA_CACHE = 2_000_000  # slots held in JobIndex.box_data's cached boxes (oldest evicted first)
BOX_CACHE = 4_000_000  # slots held in cached cell-range concatenations per grid (cleared on any change of the grid)


class Grid:
    """Slots bucketed by lat/lon cell. Query returns every slot whose cell touches the circle's bbox
    (a superset; exact distances are checked by the scorer)."""

    def __init__(self, cell_km: float, ref_lat: float) -> None:
        self.dlat = cell_km / KM_PER_DEG
        self.dlon = cell_km / (KM_PER_DEG * max(0.05, math.cos(math.radians(ref_lat))))
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.where: dict[int, tuple[int, int]] = {}
        self._arr: dict[tuple[int, int], np.ndarray] = {}
        self._all: np.ndarray | None = None
        self._boxes: dict[tuple[int, int, int, int], np.ndarray] = {}  # cached concatenations of cell ranges
        self._boxed = 0

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self.dlat), math.floor(lon / self.dlon))

    def add(self, slot: int, lat: float, lon: float) -> None:
        c = self.cell(lat, lon)
        self.cells.setdefault(c, []).append(slot)
        self.where[slot] = c
        self._arr.pop(c, None)
        self._all = None
        self._boxes.clear()
        self._boxed = 0

    def remove(self, slot: int) -> None:
        c = self.where.pop(slot, None)
        if c is None:
            return
        lst = self.cells[c]
        lst.remove(slot)
        if not lst:
            del self.cells[c]
        self._arr.pop(c, None)
        self._all = None
        self._boxes.clear()
        self._boxed = 0

    def _cell_arr(self, c) -> np.ndarray:
        a = self._arr.get(c)
        if a is None:
            a = self._arr[c] = np.array(self.cells[c], dtype=np.int64)
        return a

    def all(self) -> np.ndarray:
        if self._all is None:
            self._all = np.concatenate([self._cell_arr(c) for c in self.cells]) if self.cells else np.zeros(0, np.int64)
        return self._all

    def box(self, lat0: float, lat1: float, lon0: float, lon1: float, radius_km: float):
        """The cell range touching the bbox [lat0,lat1]x[lon0,lon1] grown by radius_km (None: everything)."""
        dlat = radius_km / KM_PER_DEG + 1e-9
        la0, la1 = lat0 - dlat, lat1 + dlat
        maxlat = max(abs(la0), abs(la1))
        if maxlat >= 89.0 or radius_km >= 2000:
            return None
        dlon = radius_km / (KM_PER_DEG * math.cos(math.radians(maxlat))) + 1e-9
        cy0, cy1 = math.floor(la0 / self.dlat), math.floor(la1 / self.dlat)
        cx0, cx1 = math.floor((lon0 - dlon) / self.dlon), math.floor((lon1 + dlon) / self.dlon)
        return (cy0, cy1, cx0, cx1)

    def query_key(self, key) -> np.ndarray:
        """Slots in a cell range from ``box`` (cached until the grid changes)."""
        if key is None:
            return self.all()
        hit = self._boxes.get(key)
        if hit is not None:
            return hit
        cy0, cy1, cx0, cx1 = key
        n_box = (cy1 - cy0 + 1) * (cx1 - cx0 + 1)
        if n_box > len(self.cells):
            parts = [self._cell_arr(c) for c in self.cells if cy0 <= c[0] <= cy1 and cx0 <= c[1] <= cx1]
        else:
            cells = self.cells
            parts = [self._cell_arr((cy, cx)) for cy in range(cy0, cy1 + 1) for cx in range(cx0, cx1 + 1) if (cy, cx) in cells]
        out = np.zeros(0, np.int64) if not parts else parts[0] if len(parts) == 1 else np.concatenate(parts)
        if self._boxed + out.size > BOX_CACHE:
            self._boxes.clear()
            self._boxed = 0
        self._boxes[key] = out
        self._boxed += out.size
        return out

    def query_box(self, lat0: float, lat1: float, lon0: float, lon1: float, radius_km: float) -> np.ndarray:
        """Slots in cells touching the bbox [lat0,lat1]x[lon0,lon1] grown by radius_km."""
        return self.query_key(self.box(lat0, lat1, lon0, lon1, radius_km))


class Buckets:
    """Slots grouped by an integer key, with cached arrays."""

    def __init__(self) -> None:
        self.lists: dict[int, list[int]] = {}
        self.where: dict[int, int] = {}
        self._arr: dict[int, np.ndarray] = {}

    def add(self, slot: int, key: int) -> None:
        self.lists.setdefault(key, []).append(slot)
        self.where[slot] = key
        self._arr.pop(key, None)

    def remove(self, slot: int) -> None:
        key = self.where.pop(slot, None)
        if key is None:
            return
        self.lists[key].remove(slot)
        if not self.lists[key]:
            del self.lists[key]
        self._arr.pop(key, None)

    def array(self, key: int) -> np.ndarray:
        a = self._arr.get(key)
        if a is None:
            a = self._arr[key] = np.array(self.lists.get(key, ()), dtype=np.int64)
        return a


class Store:
    """Struct-of-arrays with free slots; grows by doubling."""

    def __init__(self, columns: dict, cap: int = 1024) -> None:
        self.types = columns
        self.cap = cap
        self.cols = {k: np.zeros((cap, t[1]) if isinstance(t, tuple) else cap, dtype=t[0] if isinstance(t, tuple) else t)
                     for k, t in columns.items()}
        self.alive = np.zeros(cap, dtype=bool)
        self.free: list[int] = []
        self.n = 0  # high-water mark

    def _grow(self, need: int) -> None:
        cap = self.cap
        while cap < need:
            cap *= 2
        if cap != self.cap:
            for k, a in self.cols.items():
                b = np.zeros((cap,) + a.shape[1:], dtype=a.dtype)
                b[: self.cap] = a
                self.cols[k] = b
            al = np.zeros(cap, dtype=bool)
            al[: self.cap] = self.alive
            self.alive = al
            self.cap = cap

    def put(self, row: dict, slot: int | None = None) -> int:
        if slot is None:
            if self.free:
                slot = self.free.pop()
            else:
                slot = self.n
                self.n += 1
                self._grow(self.n)
        for k, v in row.items():
            self.cols[k][slot] = v
        self.alive[slot] = True
        return slot

    def drop(self, slot: int) -> None:
        self.alive[slot] = False
        self.free.append(slot)

    def widen(self, key: str, width: int) -> None:
        a = self.cols[key]
        if a.shape[1] < width:
            b = np.zeros((a.shape[0], width), dtype=a.dtype)
            b[:, : a.shape[1]] = a
            self.cols[key] = b


_LAY_OFF = 1 << 30
BOX_COLS = ("slots", "occ", "jcode", "pay_b", "invw_b", "jc")  # Box / layout columns (jc depends on the day)
LAYOUT_OVERFLOW = 2000  # jobs added since the layout was built, before it is rebuilt


class _Layout:
    """Located jobs in two runs (without / with a shuttle bus), each sorted by grid cell (row-major), with the
    columns of the per-job bound: a cell range is a few contiguous row slices, so a box costs a handful of
    slice concatenations (no per-job gather). Jobs added later sit in ``extra`` until the layout is rebuilt;
    removed ones are marked ``JCODE_DEAD``."""

    def __init__(self, index: JobIndex) -> None:
        c = index.store.cols
        self.runs = []
        self.where = {}  # slot -> (run, position)
        for sh in (False, True):
            slots, cy, cx = [], [], []
            for lo in (False, True):
                g = index.grids[(lo, sh)]
                for cell in g.cells:
                    a = g._cell_arr(cell)
                    slots.append(a)
                    cy.append(np.full(a.size, cell[0], np.int64))
                    cx.append(np.full(a.size, cell[1], np.int64))
            if slots:
                slots, cy, cx = np.concatenate(slots), np.concatenate(cy), np.concatenate(cx)
            else:
                slots = cy = cx = np.zeros(0, np.int64)
            key = ((cy + _LAY_OFF) << 32) + (cx + _LAY_OFF)
            order = np.argsort(key, kind="stable")
            slots, key = slots[order], key[order]
            run = {k: c[k][slots] for k in BOX_COLS[1:-1]}
            run.update(key=key, slots=slots, jc=None)
            self.where.update(zip(slots.tolist(), ((len(self.runs), i) for i in range(slots.size)), strict=True))
            self.runs.append(run)
        self.extra: dict[int, tuple[bool, int, int]] = {}  # slot -> (shuttle, cy, cx)
        self._extra_arr = None
        self.day = None

    def kill(self, slot: int) -> None:
        w = self.where.pop(slot, None)
        if w is not None:
            self.runs[w[0]]["jcode"][w[1]] = JCODE_DEAD
        if self.extra.pop(slot, None) is not None:
            self._extra_arr = None

    def add(self, slot: int, shuttle: bool, cell) -> None:
        self.extra[slot] = (shuttle, cell[0], cell[1])
        self._extra_arr = None

    def box(self, index: JobIndex, keys, today):
        """The BOX_COLS of the jobs in cell range ``keys[0]`` (no shuttle) / ``keys[1]`` (shuttle)."""
        if self.day != today:
            jcb = index.jconst_bound(today)
            for run in self.runs:
                run["jc"] = jcb[run["slots"]]
            self.day = today
        names = BOX_COLS
        parts: list = [[] for _ in names]
        for run, k in zip(self.runs, keys, strict=True):
            if k is None:
                sl = [slice(None)]
            else:
                cy0, cy1, cx0, cx1 = k
                cy = np.arange(cy0 + _LAY_OFF, cy1 + 1 + _LAY_OFF, dtype=np.int64) << 32
                ks = run["key"]
                lo = np.searchsorted(ks, cy + (cx0 + _LAY_OFF)).tolist()
                hi = np.searchsorted(ks, cy + (cx1 + 1 + _LAY_OFF)).tolist()
                sl = [slice(a, b) for a, b in zip(lo, hi, strict=True) if b > a]
            for i, nm in enumerate(names):
                col = run[nm]
                parts[i].extend(col[x] for x in sl)
        if self.extra:
            if self._extra_arr is None:
                e = self.extra
                self._extra_arr = (np.fromiter(e, np.int64, len(e)), np.array([v[0] for v in e.values()], bool),
                                   np.array([v[1] for v in e.values()], np.int64), np.array([v[2] for v in e.values()], np.int64))
            es, esh, ecy, ecx = self._extra_arr
            ok = np.zeros(es.size, bool)
            for sh, k in zip((False, True), keys, strict=True):
                if k is None:
                    ok |= esh == sh
                else:
                    ok |= (esh == sh) & (ecy >= k[0]) & (ecy <= k[1]) & (ecx >= k[2]) & (ecx <= k[3])
            sel = es[ok]
            if sel.size:
                c = index.store.cols
                for i, nm in enumerate(names):
                    parts[i].append(sel if nm == "slots" else index.jconst_bound(today)[sel] if nm == "jc" else c[nm][sel])
        return tuple(np.concatenate(p) if len(p) > 1 else p[0] if p else self.runs[0][nm][:0] for p, nm in zip(parts, names, strict=True))


class Box:
    """Candidates of one cell range (``JobIndex.box_data``): slots and the per-job bound's columns."""

    __slots__ = BOX_COLS + ("day",)

    def __init__(self, cols, day) -> None:
        for k, v in zip(BOX_COLS, cols, strict=True):
            setattr(self, k, v)
        self.day = day


class JobIndex:
    """Open jobs, for seeker -> jobs queries. ``upsert``/``remove`` change one job without a rebuild.

    Located jobs live in one of two grids (with / without lodging, so relocating seekers can reach every
    lodging job); jobs without a location are always candidates.
    """

    def __init__(self, jobs=(), config: MatchConfig | None = None) -> None:
        self.config = config or MatchConfig()
        self.enc = Encoder()
        self.store = Store(JOB_COLUMNS)
        self.store.cols["cert"] = np.zeros((self.store.cap, 1), dtype=np.uint64)
        # located jobs by (gives lodging, runs a shuttle): a seeker's box is grown by the shuttle distance only
        # for shuttle jobs, and relocating seekers reach every lodging job
        self.grids = {(lo, sh): Grid(self.config.cell_km, self.config.reference_lat) for lo in (False, True) for sh in (False, True)}
        self._cand_cache: dict = {}
        self._cand_size = 0
        self._box_cache: dict = {}  # see box_data
        self._box_size = 0
        self._lay: _Layout | None = None
        self._lodging: tuple | None = None
        self.nowhere: set[int] = set()
        self._nowhere_arr: np.ndarray | None = None
        self.lodging_by_occ = Buckets()  # lodging jobs by occupation row (-1 unknown), for relocating seekers
        self.slot_of: dict = {}
        self.jobs: list[Job | None] = []
        self.max_shuttle_extra = self.config.shuttle_extra_km
        self.prices_estimated = False
        self.text_cache: dict[int, tuple] = {}
        self.reason_cache: dict[int, str] = {}  # see engine._reasons
        self.reason_day = None
        self.one_cache: dict[tuple, tuple] = {}  # per-seeker occupation tables (engine._one_occ_tables)
        self._jconst: tuple | None = None  # (today, w_benefits * benefits + w_fresh * freshness) per slot
        self._penalty: np.ndarray | None = None  # exp(-price) per slot
        self._occ_row: np.ndarray | None = None
        self._occ_v = 0
        for j in jobs:
            self.upsert(j)

    def __len__(self) -> int:
        return len(self.slot_of)

    def __contains__(self, job_id) -> bool:
        return job_id in self.slot_of

    def get(self, job_id) -> Job:
        return self.jobs[self.slot_of[job_id]]

    def upsert(self, job: Job) -> None:
        """Add a job, or replace the job with the same id. A replaced job keeps its congestion price until the next
        pricing: an edit or a hire that touches a posting must not make it look uncrowded for the minutes until
        then (dropping the price to 0 sent everyone to the posting whose places were being filled)."""
        kept = 0.0
        if job.job_id in self.slot_of:
            kept = float(self.store.cols["price"][self.slot_of[job.job_id]])
            self.remove(job.job_id)
        row, mask = job_row(job, self.enc, self.config)
        W = self.enc.words
        self.store.widen("cert", W)
        slot = self.store.put(row)
        self.store.cols["cert"][slot, :] = 0
        self.store.cols["cert"][slot, : mask.shape[0]] = mask
        if slot >= len(self.jobs):
            self.jobs.extend([None] * (slot + 1 - len(self.jobs)))
        self.jobs[slot] = job
        self.slot_of[job.job_id] = slot
        self.store.cols["price"][slot] = kept
        self.text_cache.pop(slot, None)
        self.reason_cache.clear()
        self._jconst = None
        self._penalty = None
        self._occ_row = None
        self._cand_cache.clear()
        self._cand_size = 0
        self._box_cache.clear()
        self._box_size = 0
        self._lodging = None
        if job.lat is None:
            self.nowhere.add(slot)
            self._nowhere_arr = None
        else:
            g = self.grids[("lodging" in job.benefits, "shuttle" in job.benefits)]
            g.add(slot, job.lat, job.lon)
            if self._lay is not None:
                if len(self._lay.extra) >= LAYOUT_OVERFLOW:
                    self._lay = None
                else:
                    self._lay.add(slot, "shuttle" in job.benefits, g.where[slot])
        if "lodging" in job.benefits and job.lat is not None:
            self.lodging_by_occ.add(slot, int(row["occ"]))

    add = upsert

    def remove(self, job_id) -> None:
        slot = self.slot_of.pop(job_id)
        for g in self.grids.values():
            g.remove(slot)
        if self._lay is not None:
            self._lay.kill(slot)
        self._lodging = None
        self._cand_cache.clear()
        self._cand_size = 0
        self._box_cache.clear()
        self._box_size = 0
        self.lodging_by_occ.remove(slot)
        if slot in self.nowhere:
            self.nowhere.discard(slot)
            self._nowhere_arr = None
        self.jobs[slot] = None
        self.store.cols["price"][slot] = 0.0
        self.store.drop(slot)
        self._penalty = None

    def set_price(self, job_id, price: float) -> None:
        """Set the capacity penalty of one job directly (score multiplier exp(-price))."""
        self.store.cols["price"][self.slot_of[job_id]] = max(0.0, min(float(price), self.config.max_price))
        self._penalty = None

    def prices_changed(self) -> None:
        """Call after writing ``store.cols["price"]`` directly."""
        self._penalty = None

    def penalty(self) -> np.ndarray:
        """exp(-price) per slot (the capacity-aware score multiplier), cached until prices change."""
        if self._penalty is None or self._penalty.shape[0] != self.store.cap:
            self._penalty = np.exp(-self.store.cols["price"]).astype(np.float32)
        return self._penalty

    @property
    def occ_row(self) -> np.ndarray:
        """Per slot, the row of its occupation in the similarity tables (unknown -> the last row, V)."""
        if self._occ_row is None or self._occ_row.shape[0] != self.store.cap or self._occ_v != len(self.enc.occ):
            occ = self.store.cols["occ"]
            self._occ_v = len(self.enc.occ)
            self._occ_row = np.where(occ < 0, self._occ_v, occ).astype(np.intp)
        return self._occ_row

    def price(self, job_id) -> float:
        return float(self.store.cols["price"][self.slot_of[job_id]])

    def _nowhere(self) -> np.ndarray:
        if self._nowhere_arr is None:
            self._nowhere_arr = np.array(sorted(self.nowhere), dtype=np.int64)
        return self._nowhere_arr

    def lodging_sorted(self):
        """(located lodging jobs sorted by occupation row, their occupation rows, count per row), cached."""
        if self._lodging is None:
            c, n = self.store.cols, self.store.n
            slots = np.flatnonzero(self.store.alive[:n] & c["lodging"][:n] & ~np.isnan(c["x"][:n]))
            occ = self.occ_row[slots]
            order = np.argsort(occ, kind="stable")
            slots, occ = slots[order], occ[order]
            self._lodging = (slots, occ, np.bincount(occ, minlength=len(self.enc.occ) + 1))
        return self._lodging

    def candidates(self, lat0, lat1, lon0, lon1, reach_km: float, relocate: bool) -> np.ndarray:
        """Candidate slots for seekers inside the bbox with the given largest reach (a superset)."""
        return self.candidates_occ(lat0, lat1, lon0, lon1, reach_km, relocate)[0]

    def candidates_occ(self, lat0, lat1, lon0, lon1, reach_km: float, relocate: bool):
        """(candidate slots, their occupation rows, count per occupation row), cached per cell range until the
        index changes (a query near a large town then costs no concatenation)."""
        g = self.grids
        if lat0 is None:  # seeker location unknown: everything is a candidate
            keys = (None, None, None, None)
        else:
            r0, r1 = reach_km, reach_km + self.max_shuttle_extra
            keys = tuple(
                None if (lo and relocate) else g[(lo, sh)].box(lat0, lat1, lon0, lon1, r1 if sh else r0)
                for lo in (False, True) for sh in (False, True)
            )
        key = (keys, lat0 is None)
        hit = self._cand_cache.get(key)
        if hit is not None:
            return hit
        parts = [g[(lo, sh)].query_key(k) for (lo, sh), k in zip([(a, b) for a in (False, True) for b in (False, True)], keys, strict=True)]
        if self.nowhere:
            parts.append(self._nowhere())
        parts = [p for p in parts if p.size]
        slots = np.zeros(0, np.int64) if not parts else parts[0] if len(parts) == 1 else np.concatenate(parts)
        occ = self.occ_row[slots]
        out = (slots, occ, np.bincount(occ, minlength=len(self.enc.occ) + 1))
        if self._cand_size + slots.size > 4_000_000:
            self._cand_cache.clear()
            self._cand_size = 0
        self._cand_cache[key] = out
        self._cand_size += slots.size
        return out

    def box_data(self, lat, lon, reach_km: float, today) -> Box:
        """The candidate jobs of one (non-relocating) seeker's box with the columns of the per-job bound, contiguous
        (cached per cell range until the index changes; the day-dependent column per day)."""
        if lat is None:
            key = None
        else:
            g = self.grids[(False, False)]  # every grid has the same cells
            key = (g.box(lat, lat, lon, lon, reach_km), g.box(lat, lat, lon, lon, reach_km + self.max_shuttle_extra))
        b = self._box_cache.get(key)
        if b is None:
            if self._lay is None:
                self._lay = _Layout(self)
            cols = self._lay.box(self, (None, None) if key is None else key, today)
            if self.nowhere:
                nw = self._nowhere()
                c = self.store.cols
                more = [nw if k == "slots" else self.jconst_bound(today)[nw] if k == "jc" else c[k][nw] for k in BOX_COLS]
                cols = tuple(np.concatenate((a, b)) for a, b in zip(cols, more, strict=True))
            b = Box(cols, today)
            slots = b.slots
            cache = self._box_cache
            while cache and self._box_size + slots.size > BOX_DATA_CACHE:
                # evict the oldest boxes one by one (clearing ~400 at once costs ~1.5 ms inside one query)
                self._box_size -= cache.pop(next(iter(cache))).slots.size
            cache[key] = b
            self._box_size += slots.size
        if b.day != today:
            b.jc = self.jconst_bound(today)[b.slots]
            b.day = today
        return b

    def jconst_bound(self, today) -> np.ndarray:
        """``jconst`` + the distance weight (the per-job bound's seeker-independent part), per slot."""
        jc = self.jconst(today)
        if len(self._jconst) < 3:
            self._jconst = self._jconst + ((jc + np.float32(self.config.w_distance)).astype(np.float32),)
        return self._jconst[2]

    def gather(self, slots: np.ndarray) -> dict[str, np.ndarray]:
        c = self.store.cols
        return {k: c[k][slots] for k in c}

    def jconst(self, today) -> np.ndarray:
        """Per slot, the seeker-independent part of the seeker-side fit for ``today``
        (benefits and freshness), computed once per day and index version."""
        if self._jconst is None or self._jconst[0] != today:
            cfg, c = self.config, self.store.cols
            posted = c["posted"]
            age_days = np.maximum(0, today.toordinal() - posted.astype(np.int64)).astype(np.float32)
            fresh = np.where(posted == NO_DATE, NEUTRAL_FRESH, np.exp(-age_days / cfg.freshness_days)).astype(np.float32)
            self._jconst = (today, (cfg.w_benefits * c["benscore"] + cfg.w_fresh * fresh).astype(np.float32))
        return self._jconst[1]


SEEKER_WIDE_KM = 60.0
NO_OCC = -1  # by_prefix key of seekers without any desired occupation
KIND_STAY, KIND_RELOC, KIND_WIDE = 0, 1, 2
_CX = 1 << 24


def _cellkey(cy: int, cx: int) -> int:
    return (cy + _CX) * (2 * _CX) + (cx + _CX)


def _in_box(slots: np.ndarray, keys: np.ndarray, box) -> np.ndarray:
    """The slots (sorted by cell key) whose cell lies in ``box`` = (cy0, cy1, cx0, cx1) (None: all)."""
    if box is None or not slots.size:
        return slots
    cy0, cy1, cx0, cx1 = box
    cy = np.arange(cy0, cy1 + 1, dtype=np.int64)
    lo = np.searchsorted(keys, (cy + _CX) * (2 * _CX) + (cx0 + _CX), "left")
    hi = np.searchsorted(keys, (cy + _CX) * (2 * _CX) + (cx1 + _CX), "right")
    parts = [slots[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
    if not parts:
        return slots[:0]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


class SeekerIndex:
    """Seekers, for job -> candidates queries. ``upsert``/``remove`` change one seeker without a rebuild.

    Located seekers with reach <= 60 km live in a grid (relocating ones in a second grid, so a lodging
    job reaches all of them); seekers with a larger reach or no location are always candidates.
    """

    def __init__(self, seekers=(), config: MatchConfig | None = None) -> None:
        self.config = config or MatchConfig()
        self.enc = Encoder()
        K = self.config.max_desired
        cols = dict(SEEKER_COLUMNS)
        self.store = Store(cols)
        self.store.cols["cert"] = np.zeros((self.store.cap, 1), dtype=np.uint64)
        self.store.cols["occ"] = np.full((self.store.cap, K, 4), -2, dtype=np.int32)
        self.store.cols["n_occ"] = np.zeros(self.store.cap, dtype=np.int8)
        self.store.cols["kind"] = np.zeros(self.store.cap, dtype=np.int8)  # KIND_STAY / KIND_RELOC (grid) / KIND_WIDE
        self.store.cols["cellkey"] = np.zeros(self.store.cap, dtype=np.int64)
        self.grid_stay = Grid(self.config.cell_km, self.config.reference_lat)
        self.grid_reloc = Grid(self.config.cell_km, self.config.reference_lat)
        self.wide: set[int] = set()
        self._wide_arr: np.ndarray | None = None
        self.grid_reach = 0.0
        self.slot_of: dict = {}
        self.seekers: list[Seeker | None] = []
        # seekers by every occupation prefix (major / medium / minor group, occupation) of their desired list;
        # NO_OCC for seekers without one: job -> candidates scores the closest groups first
        self.by_prefix: dict[int, dict[int, None]] = {}
        self._prefix_keys: dict[int, tuple[int, ...]] = {}
        self._prefix_arr: dict[int, np.ndarray] = {}
        self._prepared = False
        for s in seekers:
            self.upsert(s)

    def __len__(self) -> int:
        return len(self.slot_of)

    def __contains__(self, seeker_id) -> bool:
        return seeker_id in self.slot_of

    def get(self, seeker_id) -> Seeker:
        return self.seekers[self.slot_of[seeker_id]]

    def upsert(self, s: Seeker) -> None:
        if s.seeker_id in self.slot_of:
            self.remove(s.seeker_id)
        cfg = self.config
        row = seeker_row(s, cfg)
        mask, _ = self.enc.cert_mask(s.certificates, grow=True)
        self.store.widen("cert", self.enc.words)
        slot = self.store.put(row)
        c = self.store.cols
        c["cert"][slot, :] = 0
        c["cert"][slot, : mask.shape[0]] = mask
        occ = c["occ"]
        occ[slot] = -2
        desired = s.occupations[: cfg.max_desired]
        for k, code in enumerate(desired):
            occ[slot, k] = self.enc.prefix_ids(code, grow=True, missing=-2)
        c["n_occ"][slot] = len(desired)
        keys = tuple({int(p) for p in occ[slot, : len(desired)].ravel() if p >= 0}) if desired else (NO_OCC,)
        self._prefix_keys[slot] = keys
        for k in keys:
            self.by_prefix.setdefault(k, {})[slot] = None
            self._prefix_arr.pop(k, None)
        if slot >= len(self.seekers):
            self.seekers.extend([None] * (slot + 1 - len(self.seekers)))
        self.seekers[slot] = s
        self.slot_of[s.seeker_id] = slot
        if s.lat is None or row["reach"] > SEEKER_WIDE_KM:
            self.wide.add(slot)
            self._wide_arr = None
            c["kind"][slot] = KIND_WIDE
        else:
            self.grid_reach = max(self.grid_reach, row["reach"])
            (self.grid_reloc if s.relocate else self.grid_stay).add(slot, s.lat, s.lon)
            c["kind"][slot] = KIND_RELOC if s.relocate else KIND_STAY
            cy, cx = self.grid_stay.cell(s.lat, s.lon)
            c["cellkey"][slot] = _cellkey(cy, cx)

    add = upsert

    def remove(self, seeker_id) -> None:
        slot = self.slot_of.pop(seeker_id)
        for k in self._prefix_keys.pop(slot, ()):
            d = self.by_prefix.get(k)
            if d is not None:
                d.pop(slot, None)
                self._prefix_arr.pop(k, None)
        self.grid_stay.remove(slot)
        self.grid_reloc.remove(slot)
        if slot in self.wide:
            self.wide.discard(slot)
            self._wide_arr = None
        self.seekers[slot] = None
        self.store.drop(slot)

    def _prefix_parts(self, key: int):
        """Per prefix: (stay slots, their cell keys), (relocating ...), wide slots; sorted by cell (cached)."""
        a = self._prefix_arr.get(key)
        if a is None:
            d = self.by_prefix.get(key, {})
            slots = np.fromiter(d, dtype=np.int64, count=len(d))
            c = self.store.cols
            kind, ck = c["kind"][slots], c["cellkey"][slots]
            out = []
            for k in (KIND_STAY, KIND_RELOC):
                sl = slots[kind == k]
                o = np.argsort(ck[kind == k], kind="stable")
                out.append((sl[o], ck[kind == k][o]))
            out.append(slots[kind == KIND_WIDE])
            a = self._prefix_arr[key] = tuple(out)
        return a

    def prepare(self) -> None:
        """Build every per-prefix cache now (else the first query of each prefix pays for it)."""
        for k in list(self.by_prefix):
            self._prefix_parts(k)
        self._prepared = True

    def with_prefix(self, key: int, job: Job, extra_km: float) -> np.ndarray:
        """Slots of the seekers with an occupation prefix id (``enc.prefix``, or NO_OCC) in their desired list
        who may reach the job: grid seekers in the cells around it (relocating ones anywhere for a lodging job)
        and the wide ones."""
        stay, reloc, wide = self._prefix_parts(key)
        if job.lat is None:
            parts = [stay[0], reloc[0], wide]
        else:
            box = self.grid_stay.box(job.lat, job.lat, job.lon, job.lon, self.grid_reach + extra_km)
            parts = [_in_box(*stay, box), reloc[0] if "lodging" in job.benefits else _in_box(*reloc, box), wide]
        parts = [p for p in parts if p.size]
        if not parts:
            return np.zeros(0, np.int64)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def candidates(self, job: Job, extra_km: float) -> np.ndarray:
        if self._wide_arr is None:
            self._wide_arr = np.array(sorted(self.wide), dtype=np.int64)
        if job.lat is None:
            parts = [self.grid_stay.all(), self.grid_reloc.all(), self._wide_arr]
        else:
            r = self.grid_reach + extra_km
            parts = [self.grid_stay.query_box(job.lat, job.lat, job.lon, job.lon, r)]
            if "lodging" in job.benefits:
                parts.append(self.grid_reloc.all())
            else:
                parts.append(self.grid_reloc.query_box(job.lat, job.lat, job.lon, job.lon, r))
            parts.append(self._wide_arr)
        parts = [p for p in parts if p.size]
        if not parts:
            return np.zeros(0, np.int64)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def gather(self, slots: np.ndarray) -> dict[str, np.ndarray]:
        c = self.store.cols
        return {k: c[k][slots] for k in c}


__all__ = ["JobIndex", "SeekerIndex", "Grid", "LODGING"]
