"""The matching engine: seeker -> jobs, job -> candidates, batch, and the capacity-aware mode."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from types import SimpleNamespace

import numpy as np

from .config import MatchConfig
from .core import (
    EARTH_R,
    JCODE_CERT,
    JCODE_SHUTTLE,
    JF_AFFORD_LO,
    JF_AGE_MAX,
    JF_AGE_MIN,
    JF_HALF,
    JF_INV_WMAX,
    JF_PAY_LO,
    JF_PAY_MID,
    NEUTRAL_AFFORD,
    NEUTRAL_DIST,
    NEUTRAL_OCC,
    NEUTRAL_PAY,
    NEUTRAL_SHIFT,
    NO_DATE,
    RELOCATED_DIST,
    RELOCATED_NEAR,
    SEEKER_COLUMNS,
    SHIFT_BIT,
    chord_of_km,
    job_view,
    kernel_rules,
    kernel_soft,
    month_mask,
    months_ahead_mask,
    pair_rules,
    pair_soft,
    seeker_consts,
    seeker_row,
    seeker_view,
    shift_tables,
    shift_tables_one,
    unit_vector,
    upper_bound_far,
)
from .explain import SEP, benefit_texts, job_reasons, seeker_reasons, wage_mid, wage_text
from .index import NO_OCC, JobIndex, SeekerIndex
from .types import NON_FULL_TIME, SHIFT_ZH, SHIFTS, Job, Match, Seeker

CROWDED_PRICE = 0.15
_PART_TIME_CODES = frozenset(SHIFTS.index(x) + 1 for x in NON_FULL_TIME)  # shift codes that are not full-time
_FULL_TIME_CODE = np.array([c not in _PART_TIME_CODES for c in range(8)])
_JCODES = np.arange(64)  # a job whose capacity penalty exceeds this is marked "报名人多"


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def chord_to_km(chord):
    return 2.0 * EARTH_R * np.arcsin(np.minimum(1.0, np.asarray(chord) / 2.0))


# --------------------------------------------------------------------------- a reference implementation


def violations(seeker: Seeker, job: Job, config: MatchConfig | None = None, today: dt.date | None = None) -> list[str]:
    """The hard rules a (seeker, job) pair breaks, in plain Python (the documented reference).

    R1 certificate: the job requires a certificate the seeker does not hold.
    R2 age: the seeker's age (today's year - birth year) is outside [age_min, age_max].
    R3 shift: the seeker listed acceptable shifts and the job's shift is not among them.
    R4 commute: the distance exceeds the seeker's maximum commute (default when unknown), plus
       ``shuttle_extra_km`` if the job runs a shuttle bus - unless the seeker will relocate and the job gives lodging.
    R5 unavailable: the job is full-time (any shift but part_time / home_piecework; unknown counts as full-time)
       and the seeker is unavailable in the current month (or the next ``unavailable_horizon_months``).
    Unknown values never exclude (except R5's unknown shift, and a missing certificate).
    """
    from .core import haversine_km

    cfg = config or MatchConfig()
    today = _today(today)
    out = []
    if set(job.certificates) - set(seeker.certificates):
        out.append("certificate")
    if seeker.birth_year is not None:
        age = today.year - seeker.birth_year
        if (job.age_min is not None and age < job.age_min) or (job.age_max is not None and age > job.age_max):
            out.append("age")
    if seeker.shifts and job.shift is not None and job.shift not in seeker.shifts:
        out.append("shift")
    if seeker.lat is not None and job.lat is not None:
        d = haversine_km(seeker.lat, seeker.lon, job.lat, job.lon)
        reach = seeker.max_commute_km if seeker.max_commute_km is not None else cfg.default_max_commute_km
        if "shuttle" in job.benefits:
            reach += cfg.shuttle_extra_km
        if d > reach and not (seeker.relocate and "lodging" in job.benefits):
            out.append("commute")
    months = {((today.month - 1 + k) % 12) + 1 for k in range(1 + cfg.unavailable_horizon_months)}
    if job.shift not in NON_FULL_TIME and months & set(seeker.unavailable_months):
        out.append("unavailable")
    return out


# --------------------------------------------------------------------------- encoded seekers for a JobIndex


REACH_CLASSES = np.array([5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 60.0])  # km; batch blocks do not mix classes


class SeekerBatch:
    """Seekers encoded against one JobIndex's vocabularies (columns, occupation profiles, certificate masks)."""

    def __init__(self, index: JobIndex) -> None:
        self.index = index
        self.ids: list = []
        self._parts: list[dict] = []
        self.profiles: list[tuple] = []
        self._profile_of: dict[tuple, int] = {}
        self.cols: dict[str, np.ndarray] = {}

    def extend(self, seekers: Sequence[Seeker]) -> None:
        """Encode seekers (``Seeker`` or any record with its attributes, e.g. ``csvio.SeekerRecord``): one Python
        pass building plain values (the same as ``seeker_row``), then one array per column."""
        cfg, enc = self.index.config, self.index.enc
        n = len(seekers)
        K = cfg.max_desired
        d_reach, d_exp = cfg.default_max_commute_km, cfg.default_expected_wage
        desir = cfg.shift_desirability
        shift_key: dict = {}  # frozenset of shifts -> (mask, best desirability)
        month_key: dict = {}
        prof_of, profiles = self._profile_of, self.profiles
        nan = math.nan
        vals = []
        prof = np.empty(n, dtype=np.int32)
        cert = np.zeros((n, enc.words), dtype=np.uint64)
        for i, s in enumerate(seekers):
            sh = s.shifts
            t = shift_key.get(sh)
            if t is None:
                mask = 0
                for x in sh:
                    mask |= SHIFT_BIT[x]
                t = shift_key[sh] = (mask, max((desir.get(x, NEUTRAL_SHIFT) for x in sh), default=1.0))
            um = s.unavailable_months
            u = month_key.get(um)
            if u is None:
                u = month_key[um] = month_mask(um)
            lat = s.lat
            x, y, z = unit_vector(lat, s.lon)
            mc, by, ew = s.max_commute_km, s.birth_year, s.expected_wage
            vals.append((x, y, z, float(mc) if mc is not None else d_reach, bool(s.relocate), by if by is not None else nan,
                         ew if ew is not None else d_exp, t[0], t[1], u, lat if lat is not None else nan,
                         s.lon if lat is not None else nan, ew is not None))
            key = s.occupations[:K]
            p = prof_of.get(key)
            if p is None:
                p = prof_of[key] = len(profiles)
                profiles.append(key)
            prof[i] = p
            if s.certificates:
                cert[i] = enc.cert_mask(s.certificates, grow=False)[0]
        names = list(SEEKER_COLUMNS) + ["lat", "lon", "known_wage"]
        types = list(SEEKER_COLUMNS.values()) + [np.float64, np.float64, bool]
        cols = {}
        for k, (name, tp) in enumerate(zip(names, types, strict=True)):
            cols[name] = np.array([v[k] for v in vals], dtype=tp) if vals else np.zeros(0, dtype=tp)
        cols["profile"] = prof
        cols["cert"] = cert
        self.ids.extend(s.seeker_id for s in seekers)
        self._parts.append(cols)
        self.cols = {}

    def finish(self) -> SeekerBatch:
        if self._parts:
            if self.cols:
                self._parts.insert(0, self.cols)
            self.cols = {k: np.concatenate([p[k] for p in self._parts]) for k in self._parts[0]}
            self._parts = []
        return self

    def __len__(self) -> int:
        return len(self.ids)

    def has_occupations(self) -> np.ndarray:
        """Per profile, whether it lists any desired occupation."""
        h = getattr(self, "_has_occ", None)
        if h is None or h.size != len(self.profiles):
            h = self._has_occ = np.array([bool(p) for p in self.profiles], dtype=bool)
        return h

    def blocks(self, block: int = 256, cell_km: float = 15.0, rows: np.ndarray | None = None) -> list[np.ndarray]:
        """Rows grouped by (relocate, grid cell), in blocks of at most ``block``."""
        c = self.cols
        rows = np.arange(len(self.ids)) if rows is None else rows
        lat, lon = c["lat"][rows], c["lon"][rows]
        unknown = np.isnan(lat)
        dl = cell_km / 111.2
        cy = np.where(unknown, -(10**6), np.floor(np.nan_to_num(lat) / dl)).astype(np.int64)
        cx = np.where(unknown, -(10**6), np.floor(np.nan_to_num(lon) / (dl / math.cos(math.radians(25.9))))).astype(np.int64)
        # and by reach class: a block's candidate jobs are those within its largest reach, so mixing a 5 km
        # and a 30 km seeker would score the first against 36x too many jobs
        rc = np.searchsorted(REACH_CLASSES, c["reach"][rows]).astype(np.int64)
        key = (c["relocate"][rows].astype(np.int64) << 62) + (rc << 56) + ((cy + 2**20) << 28) + (cx + 2**20)
        order = np.argsort(key, kind="stable")
        sk = key[order]
        cuts = np.flatnonzero(np.diff(sk)) + 1
        out = []
        for g in np.split(order, cuts):
            for i in range(0, len(g), block):
                out.append(rows[g[i : i + block]])
        return out


#: the threshold algorithm: (row, occupation) groups are scored in passes of decreasing upper bound (first each
#: row's most promising groups up to a pass size, then 8x that, then the rest); after each pass a row's k-th
#: best score prunes every group whose bound is lower
PASS_PAIRS_SINGLE = 1000  # a single query's first pass scores its most promising groups up to this many jobs
PASS_JOBS_SINGLE = 300  # a single query's first pass over local jobs: the best this many by the per-job bound
PASS_PAIRS_ROW = 160  # per row in a batch block
SMALL_BLOCK = 8  # up to this many rows, pairs are found with a (rows x candidates) mask instead of a sort


class _NS:
    """A bare namespace (seeker fields)."""


def upper_bound_local(s_occ, e_occ, cfg: MatchConfig):
    """Highest possible score of a pair given only the occupation closeness on both sides (every other part
    at its maximum, no capacity penalty); a small margin keeps it an upper bound under float32 rounding."""
    side_s = cfg.w_occupation * s_occ + cfg.w_pay + cfg.w_distance + cfg.w_shift + cfg.w_benefits + cfg.w_fresh
    side_e = cfg.e_occupation * e_occ + cfg.e_near + cfg.e_afford + cfg.e_available
    return 200.0 / (1.0 / side_s + 1.0 / side_e) * 1.0001 + 1e-4


def _pairs(need: np.ndarray, occ_c: np.ndarray, V: int, order_cache: list):
    """(row, candidate position) of every pair whose (row, occupation of the candidate) is in ``need``,
    grouped by row. ``occ_c``: occupation row of each candidate (V = unknown)."""
    B = need.shape[0]
    if B <= SMALL_BLOCK:
        if B == 1:
            pos = np.flatnonzero(need[0][occ_c])
            return None, pos
        r, pos = np.nonzero(need[:, occ_c])
        return r, pos
    if not order_cache:
        order = np.argsort(occ_c, kind="stable")
        off = np.searchsorted(occ_c[order], np.arange(V + 2))
        order_cache += [order, off]
    order, off = order_cache
    bs, os_ = np.nonzero(need)
    lo, hi = off[os_], off[os_ + 1]
    cnt = hi - lo
    nz = cnt > 0
    bs, lo, cnt = bs[nz], lo[nz], cnt[nz]
    total = int(cnt.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ends = np.cumsum(cnt)
    step = np.ones(total, np.int64)
    step[0] = lo[0]
    if lo.size > 1:
        step[ends[:-1]] = lo[1:] - (lo[:-1] + cnt[:-1]) + 1
    return np.repeat(bs, cnt), order[np.cumsum(step)]


def _seekers_block(index: JobIndex, sb: SeekerBatch, rows: np.ndarray, today: dt.date):
    """Seeker fields of a block as arrays (one entry per row)."""
    cfg = index.config
    c = sb.cols
    sub = {k: c[k][rows] for k in ("x", "y", "z", "reach", "relocate", "birth_year", "expected", "shifts", "shift_best", "unav")}
    v = seeker_view(sub, cfg, today)
    S = _NS()
    S.__dict__.update(v.__dict__)
    S.shift_ok, S.shift_score = shift_tables(sub["shifts"], sub["shift_best"], cfg)
    return seeker_consts(S, cfg)


def _seeker_one(index: JobIndex, s: Seeker, today: dt.date):
    """Seeker fields of one seeker as numpy scalars (same dtypes as ``_seekers_block``)."""
    cfg = index.config
    r = seeker_row(s, cfg)
    S = _NS()
    S.x, S.y, S.z = np.float64(r["x"]), np.float64(r["y"]), np.float64(r["z"])
    S.reach = np.float64(r["reach"])
    S.relocate = bool(r["relocate"]) and s.lat is not None
    S.expected = np.float32(r["expected"])
    S.shifts = int(r["shifts"])
    S.age = np.float32(today.year - np.float32(r["birth_year"]))
    now = months_ahead_mask(today, 0, 1 + cfg.unavailable_horizon_months)
    soon = months_ahead_mask(today, 1 + cfg.unavailable_horizon_months, 3)
    S.unav_now = bool(r["unav"] & now)
    S.busy_soon = bool(r["unav"] & soon)
    S.chord_reach = np.float64(chord_of_km(r["reach"]))
    S.chord_reach_shuttle = np.float64(chord_of_km(r["reach"] + cfg.shuttle_extra_km))
    S.shift_ok, S.shift_score = shift_tables_one(S.shifts, np.float32(r["shift_best"]), cfg)
    return seeker_consts(S, cfg)


class _Ctx:
    """Per-block state shared by the passes: seeker fields, occupation closeness, certificate masks."""

    def __init__(self, index, S, s_sims, e_sims, smask, today, capacity_aware):
        self.index, self.S, self.s_sims, self.e_sims, self.today, self.cap = index, S, s_sims, e_sims, today, capacity_aware
        self.smask = smask
        self.B = s_sims.shape[0]
        self.jconst = index.jconst(today)
        self.penalty = index.penalty() if capacity_aware else None
        cfg = index.config
        self.sw = (s_sims * np.float32(cfg.w_occupation)).astype(np.float32)
        self.ew = (e_sims * np.float32(cfg.e_occupation)).astype(np.float32)
        self.maybe_nan = bool(index.nowhere) or bool(np.isnan(S.x).any())
        self.mode = None
        self.tabs = None  # per-row lookup tables of the fused block kernel (``_block_tabs``)


def _block_tabs(ctx: _Ctx):
    """Per-row tables by jcode (rows x 64, flattened) for ``_eval_block``: chord limit, 1/reach, excluded by R1 (no
    certificate held) / R3 / R5, weighted shift score, availability term; and the rows' unit vectors."""
    if ctx.tabs is None:
        S, cfg = ctx.S, ctx.index.config
        f32 = np.float32
        j = _JCODES[None, :]
        c7 = (_JCODES & 7)[None, :]
        sh = (j & JCODE_SHUTTLE) != 0
        lim = np.where(sh, S.chord_reach_shuttle[:, None], S.chord_reach[:, None]).astype(np.float64)
        invr = np.where(sh, S.inv_reach_shuttle[:, None], S.inv_reach[:, None]).astype(f32)
        ok7 = np.zeros((ctx.B, 8), dtype=bool)
        ok7[:, : S.shift_ok.shape[1]] = S.shift_ok
        sc7 = np.zeros((ctx.B, 8), dtype=f32)
        sc7[:, : S.shift_score.shape[1]] = S.shift_score
        full = _FULL_TIME_CODE[c7]
        bad = ~ok7[:, _JCODES & 7] | (S.unav_now[:, None] & full)
        no_cert = ~ctx.smask.any(axis=1)
        bad |= no_cert[:, None] & ((j & JCODE_CERT) != 0)
        avail = np.where(S.busy_soon[:, None] & full, f32(cfg.e_available * 0.5), f32(cfg.e_available)).astype(f32)
        xyz = np.stack([S.x, S.y, S.z], axis=1)
        ctx.tabs = (lim.ravel(), invr.ravel(), bad.ravel(), sc7[:, _JCODES & 7].ravel(), avail.ravel(), xyz,
                    np.asarray(S.age, dtype=f32), np.asarray(S.c_pay, dtype=f32), np.asarray(S.e2, dtype=f32),
                    ctx.sw.ravel(), ctx.ew.ravel(), bool(np.any(~(np.asarray(S.reach) > 1e-30))))
    return ctx.tabs


def _eval_block(ctx: _Ctx, slots: np.ndarray, rows: np.ndarray):
    """``_eval_pairs`` for a batch block in one fused pass over per-row lookup tables (the same float32
    operations as ``kernel_rules`` + ``kernel_soft``, so the same scores). Returns (rows, slots, score, chord, far)."""
    lim, invr, bad_t, shift_t, avail_t, sxyz, age, c_pay, e2, sw, ew, nan_risk = _block_tabs(ctx)
    index, cfg = ctx.index, ctx.index.config
    st = index.store.cols
    far = ctx.mode == "far"
    f32 = np.float32
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        xyz = st["xyz"].take(slots, axis=0)
        xyz -= sxyz.take(rows, axis=0)
        xyz *= xyz
        ch = xyz[:, 0] + xyz[:, 1]
        ch += xyz[:, 2]
        np.sqrt(ch, out=ch)
        jc = st["jcode"].take(slots)
        ri = rows * 64
        ri += jc
        if far:
            bad = ~(ch > lim.take(ri))  # within reach: the near search's pair
        else:
            bad = ch > lim.take(ri)  # R4 (relocating rows: far pairs are the far search's); NaN passes
        bad |= bad_t.take(ri)  # R3, R5, R1 for rows without certificates
        jf = st["jf"].take(slots, axis=0)
        a = age.take(rows)
        bad |= jf[:, JF_AGE_MIN] > a  # R2 (unknown age: NaN passes)
        bad |= jf[:, JF_AGE_MAX] < a
        idx = np.flatnonzero(jc & JCODE_CERT)
        if idx.size:  # R1 for rows holding certificates
            jm = st["cert"][slots[idx]]
            sm = ctx.smask[rows[idx]]
            w = min(jm.shape[1], sm.shape[1])
            miss = ((jm[:, :w] & ~sm[:, :w]) != 0).any(axis=1)
            if jm.shape[1] > w:
                miss |= (jm[:, w:] != 0).any(axis=1)
            bad[idx] |= miss
        keep = np.flatnonzero(~bad)
        if keep.size < slots.size:
            slots, rows, ch, ri, jf = slots[keep], rows[keep], ch[keep], ri[keep], jf[keep]
        if far:
            dist = f32(cfg.w_distance) * f32(RELOCATED_DIST)
            near = f32(cfg.e_near) * f32(RELOCATED_NEAR)
        else:
            d = (EARTH_R * ch).astype(f32)
            dist = d * invr.take(ri)
            np.subtract(f32(1.0), dist, out=dist)
            np.maximum(dist, f32(0.0), out=dist)
            near = d * f32(1.0 / cfg.e_near_km)
            np.subtract(f32(1.0), near, out=near)
            np.maximum(near, f32(0.0), out=near)
            dist *= f32(cfg.w_distance)
            near *= f32(cfg.e_near)
            if ctx.maybe_nan:
                nan_d = np.isnan(d)
                dist = np.where(nan_d, f32(cfg.w_distance) * f32(NEUTRAL_DIST), dist)
                near = np.where(nan_d, f32(cfg.e_near) * f32(NEUTRAL_DIST), near)
        pay = jf[:, JF_PAY_MID] * c_pay.take(rows)
        pay -= f32(0.75)
        pay = np.fmin(np.fmax(pay, jf[:, JF_PAY_LO]), f32(1.0))
        oi = rows * ctx.sw.shape[1]
        oi += index.occ_row.take(slots)
        side_s = sw.take(oi)
        side_s += shift_t.take(ri)
        side_s += ctx.jconst.take(slots)
        pay *= f32(cfg.w_pay)
        side_s += pay
        side_s += dist
        side_s *= jf[:, JF_HALF]
        afford = jf[:, JF_INV_WMAX] * e2.take(rows)
        np.subtract(f32(3.0), afford, out=afford)
        afford = np.fmin(np.fmax(afford, jf[:, JF_AFFORD_LO]), f32(1.0))
        side_e = ew.take(oi)
        side_e += near
        afford *= f32(cfg.e_afford)
        side_e += afford
        side_e += avail_t.take(ri)
        np.reciprocal(side_s, out=side_s)
        np.reciprocal(side_e, out=side_e)
        side_s += side_e
        score = np.divide(f32(200.0), side_s, out=side_s)
        if ctx.penalty is not None:
            score *= ctx.penalty.take(slots)
    if nan_risk:
        good = ~np.isnan(score)
        if not good.all():
            rows, slots, score, ch = rows[good], slots[good], score[good], ch[good]
    return rows, slots, score, ch, np.full(slots.size, far)


def _eval_pairs(ctx: _Ctx, slots: np.ndarray, rows):
    """Hard rules of every pair first (cheap columns), then the soft score of the pairs that pass.
    ``rows`` is None for a single seeker. Returns (rows, slots, score, chord, far, occ_e) of the eligible pairs."""
    index, S = ctx.index, ctx.S
    st = index.store.cols
    one = rows is None
    cert_ok = None
    needs = st["needs_cert"][slots]
    if one and not ctx.smask.any():
        cert_ok = ~needs
    elif needs.any():
        idx = np.flatnonzero(needs)
        jm = st["cert"][slots[idx]]
        sm = ctx.smask[:1] if one else ctx.smask[rows[idx]]
        w = min(jm.shape[1], sm.shape[1])
        bad = ((jm[:, :w] & ~sm[:, :w]) != 0).any(axis=1)
        if jm.shape[1] > w:
            bad |= (jm[:, w:] != 0).any(axis=1)
        cert_ok = np.ones(slots.size, dtype=bool)
        cert_ok[idx] = ~bad
    ok, chord, far, shuttle = kernel_rules(S, st, slots, rows, cert_ok, one)
    if ctx.mode == "near" and far is not None:
        ok &= ~far
    elif ctx.mode == "far":
        ok &= far
    keep = np.flatnonzero(ok)
    if keep.size < slots.size:
        slots, chord, shuttle = slots[keep], chord[keep], shuttle[keep]
        far = None if far is None else far[keep]
        if not one:
            rows = rows[keep]
    occ = ctx.index.occ_row[slots]
    if one:
        occ_s, occ_e = ctx.sw[0][occ], ctx.ew[0][occ]
    else:
        occ_s, occ_e = ctx.sw[rows, occ], ctx.ew[rows, occ]
    score = kernel_soft(S, st, slots, rows, chord, far, shuttle, occ_s, occ_e, ctx.jconst, ctx.penalty, index.config, one, ctx.maybe_nan)
    if far is None:
        far = np.zeros(slots.size, dtype=bool)
    if one:
        rows = np.zeros(slots.size, dtype=np.int64)
    good = ~np.isnan(score)
    if not good.all():
        rows, slots, score, chord, far = rows[good], slots[good], score[good], chord[good], far[good]
    return rows, slots, score, chord, far


def _select(parts, B: int, top: int):
    """Merge scored pairs and keep each row's ``top`` best (higher score first, ties by smaller slot).
    Returns the flattened arrays in (row, rank) order and each row's threshold (k-th best, -inf if fewer)."""
    parts = [p for p in parts if p[0].size] or parts[:1]
    cols = [np.concatenate([p[i] for p in parts]) if len(parts) > 1 else parts[0][i] for i in range(5)]
    rows, slots, score = cols[:3]
    if rows.size == 0:
        return tuple(cols), np.full(B, -np.inf)
    if B == 1:
        if rows.size > top:
            # the k-th best, then everything at least as good, in order
            kth = np.partition(score, rows.size - top)[rows.size - top]
            cand = np.flatnonzero(score >= kth)
        else:
            cand = np.arange(rows.size)
        take = cand[np.lexsort((slots[cand], -score[cand]))][:top]
        thr = np.array([score[take[-1]] if take.size >= top else -np.inf], dtype=np.float64)
        return tuple(c[take] for c in cols), thr
    if B <= 256 and slots.max() < (1 << 24):
        bits = score.view(np.int32).astype(np.int64)
        key = (rows.astype(np.int64) << 55) | ((0x7FFFFFFF - bits) << 24) | slots.astype(np.int64)
        order = np.argsort(key)
    else:
        order = np.lexsort((slots, -score, rows))
    rs = rows[order]
    first = np.searchsorted(rs, np.arange(B + 1))
    rank = np.arange(rs.size) - first[rs]
    take = order[rank < top]
    cnt = np.diff(first)
    thr = np.full(B, -np.inf)
    full = np.flatnonzero(cnt >= top)
    if full.size:
        thr[full] = score[order[first[full] + top - 1]]
    return tuple(c[take] for c in cols), thr


def _run_groups(ctx: _Ctx, best, thr, cands, occ_c, counts, ub, allowed, top: int, prune: bool):
    """The group threshold algorithm: (row, occupation) groups of ``cands`` in passes of decreasing bound ``ub``
    (rows x V+1); returns the merged ``(best, thr)``."""
    V = len(ctx.index.enc.occ)
    B = ub.shape[0]
    if allowed is not None and B > 1:
        ub = np.where(allowed[:, None], ub, -np.inf)
    done = np.zeros(ub.shape, dtype=bool)
    cache: list = []
    if prune:
        # pass sizes: each row first takes its most promising occupation groups up to ~m candidates
        order = np.argsort(-ub, axis=1, kind="stable")
        ub_sorted = np.take_along_axis(ub, order, axis=1)
        cum = np.cumsum(counts[order], axis=1)
        m1 = PASS_PAIRS_SINGLE if B == 1 else max(PASS_PAIRS_ROW, 8 * top)
        plan = []
        for m in (m1, 8 * m1):
            k = np.minimum((cum < m).sum(axis=1), V)
            plan.append(ub_sorted[np.arange(B), k])
        plan.append(np.full(B, -np.inf))
    else:
        plan = [np.full(B, -np.inf)]
    for L in plan:
        need = (ub >= np.maximum(thr, L)[:, None]) & ~done
        if not need.any():
            continue
        done |= need
        r, pos = _pairs(need, occ_c, V, cache)
        if pos.size == 0:
            continue
        new = _eval_pairs(ctx, cands[pos], r) if r is None else _eval_block(ctx, cands[pos], r)
        if best[0].size and new[0].size:
            keep = new[2] >= thr[new[0]]
            new = tuple(a[keep] for a in new)
        best, thr = _select([best, new], B, top)
    return best, thr


def _search(index: JobIndex, S, s_sims, e_sims, smask, cands, reloc_rows, top, today, capacity_aware, prune):
    """The threshold algorithm over local candidates ``slots`` and (rows in ``reloc_rows``) far lodging jobs.
    Returns ``(row_ptr, slots, score, chord, far, occ_e)`` in (row, rank) order."""
    cfg = index.config
    B = s_sims.shape[0]
    ctx = _Ctx(index, S, s_sims, e_sims, smask, today, capacity_aware)
    best = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0), np.zeros(0, bool))
    thr = np.full(B, -np.inf)
    slots, occ_c, counts = cands
    if reloc_rows is not None and reloc_rows.any():
        ctx.mode = "near"  # far pairs are left to the far pass below (no pair is scored twice)
    if slots.size:
        ub = upper_bound_local(s_sims.astype(np.float64), e_sims.astype(np.float64), cfg)
        best, thr = _run_groups(ctx, best, thr, slots, occ_c, counts, ub, None, top, prune)
    if reloc_rows is not None and reloc_rows.any():
        # far pairs (beyond reach, into the lodging) of relocating rows: every lodging job, by occupation
        ub = upper_bound_far(s_sims.astype(np.float64), e_sims.astype(np.float64), cfg)
        if ((ub >= thr[:, None]) & reloc_rows[:, None]).any():
            ctx.mode = "far"
            best, thr = _run_groups(ctx, best, thr, *index.lodging_sorted(), ub, reloc_rows, top, prune)
    ptr = np.searchsorted(best[0], np.arange(B + 1))
    occ_e = e_sims[best[0], index.occ_row[best[1]]]
    return (ptr,) + best[1:] + (occ_e,)


def _sims_block(index: JobIndex, sb: SeekerBatch, rows: np.ndarray):
    enc, cfg = index.enc, index.config
    prof = sb.cols["profile"][rows]
    up, inv = np.unique(prof, return_inverse=True)
    sims = [enc.occupation_similarity(sb.profiles[p], cfg) for p in up]
    return np.stack([s for s, _ in sims])[inv], np.stack([e for _, e in sims])[inv]


def _score_block(index: JobIndex, sb: SeekerBatch, rows: np.ndarray, top: int, today: dt.date, capacity_aware: bool,
                 prune: bool = True):
    """Score one block of seekers against their candidate jobs; returns each row's top selection as
    flattened arrays ``(row_ptr, slots, score, chord, far, occ_e)`` in (row, rank) order.

    Candidates: jobs in the grid cells around the block (and, for relocating seekers, lodging jobs anywhere).
    Exact pruning (threshold algorithm): candidates are grouped by occupation; a (row, occupation) group is
    scored only while its score upper bound (``upper_bound_local`` / ``upper_bound_far``) is at least the
    row's k-th best so far. ``prune=False`` scores everything (the reference the bench and tests compare against).
    """
    c = sb.cols
    lat, lon = c["lat"][rows], c["lon"][rows]
    reach = c["reach"][rows]
    unknown = bool(np.isnan(lat).any())
    st = index.store.cols
    if unknown:
        slots = index.candidates(None, None, None, None, 0.0, True)
    else:
        slots = index.candidates(lat.min(), lat.max(), lon.min(), lon.max(), float(reach.max()), False)
        if slots.size and len(rows) > 1:
            # tighter circle around the block: jobs farther than (largest reach + shuttle + block radius) fail R4
            cx, cy, cz = (c["x"][rows].mean(), c["y"][rows].mean(), c["z"][rows].mean())
            nrm = math.sqrt(cx * cx + cy * cy + cz * cz)
            cx, cy, cz = cx / nrm, cy / nrm, cz / nrm
            rad = float(np.max(np.sqrt((c["x"][rows] - cx) ** 2 + (c["y"][rows] - cy) ** 2 + (c["z"][rows] - cz) ** 2)))
            rad_km = 2 * EARTH_R * math.asin(min(1.0, rad / 2))
            r = float(reach.max()) + rad_km + 1e-6
            lim = np.array([chord_of_km(r), chord_of_km(r + index.max_shuttle_extra)])
            ch = np.sqrt((st["x"][slots] - cx) ** 2 + (st["y"][slots] - cy) ** 2 + (st["z"][slots] - cz) ** 2)
            slots = slots[~(ch > lim[st["shuttle"][slots].view(np.int8)])]
    occ = index.occ_row[slots]
    cands = (slots, occ, np.bincount(occ, minlength=len(index.enc.occ) + 1))
    S = _seekers_block(index, sb, rows, today)
    s_sims, e_sims = _sims_block(index, sb, rows)
    reloc_rows = None if unknown else c["relocate"][rows]
    return _search(index, S, s_sims, e_sims, c["cert"][rows], cands, reloc_rows, top, today, capacity_aware, prune)


def _recommend_one(seeker: Seeker, index: JobIndex, top: int, today: dt.date, capacity_aware: bool, prune: bool = True):
    """A single seeker's top list (the on-line path: no batch encoding, numpy scalars for the seeker)."""
    if prune:
        return _search_one(index, seeker, top, today, capacity_aware)
    cfg, enc = index.config, index.enc
    S = _seeker_one(index, seeker, today)
    if seeker.lat is None:
        cands = index.candidates_occ(None, None, None, None, 0.0, True)
    else:
        cands = index.candidates_occ(seeker.lat, seeker.lat, seeker.lon, seeker.lon, float(S.reach), False)
    s1, e1 = enc.occupation_similarity(seeker.occupations[: cfg.max_desired], cfg)
    smask = enc.cert_mask(seeker.certificates, grow=False)[0][None, :] if seeker.certificates else np.zeros((1, enc.words), np.uint64)
    reloc = np.array([S.relocate])
    return _search(index, S, s1[None, :], e1[None, :], smask, cands, reloc, top, today, capacity_aware, prune)


# --------------------------------------------------------------------------- the single-seeker path


class _One:
    """A single seeker's constants for the fused kernel: scalars and small per-seeker lookup tables, by the
    job's ``jcode`` (shift code, shuttle, lodging, needs a certificate) and ``os`` ((occupation + 1) x 16 + shift
    code + 8 x needs a certificate)."""

    __slots__ = ("xyz", "age", "c_pay", "e2", "cw", "ne2", "lim", "invr", "bad", "avail", "shift", "bshift", "bex", "sw", "ew", "ewb", "e", "smask",
                 "reach", "relocate", "nan_risk")


_ONE_RULES: dict = {}


def _one_rules(shifts: int, shift_best: float, reach: float, unav_now: bool, busy_soon: bool, certs: bool, cfg: MatchConfig):
    """Per-seeker tables by jcode (64 entries): chord limit, 1/reach, excluded by R1 (no certificate held) /
    R3 / R5, the availability term, the weighted shift score, and for the bound the shift score and 0 with -inf
    where excluded. Cached (by reach, and by the shift / month / certificate class)."""
    f32 = np.float32
    key = (reach, cfg.shuttle_extra_km)
    geo = _ONE_RULES.get(key)
    if geo is None:
        sh = (_JCODES & JCODE_SHUTTLE) != 0
        cr, crs = float(chord_of_km(reach)), float(chord_of_km(reach + cfg.shuttle_extra_km))
        inv_r = (f32(1.0) / np.asarray(reach, dtype=f32)).astype(f32)
        inv_rs = (f32(1.0) / np.asarray(reach + cfg.shuttle_extra_km, dtype=f32)).astype(f32)
        geo = _ONE_RULES[key] = (np.where(sh, crs, cr).astype(np.float64), np.where(sh, inv_rs, inv_r).astype(f32))
    key = (shifts, shift_best, unav_now, busy_soon, certs, cfg.e_available, cfg.w_shift)
    cls = _ONE_RULES.get(key)
    if cls is None:
        ok, sc = shift_tables_one(shifts, np.float32(shift_best), cfg)
        shift_bad = np.ones(8, dtype=bool)  # code 7 (JCODE_DEAD) is always excluded
        shift_row = np.zeros(8, dtype=f32)
        n_sc = ok.shape[1]
        shift_bad[:n_sc] = ~ok[0] if shifts else False
        if unav_now:
            shift_bad[:n_sc] |= _FULL_TIME_CODE[:n_sc]
        shift_row[:n_sc] = sc[0]
        c7 = _JCODES & 7
        bad = shift_bad[c7]
        if not certs:
            bad = bad | ((_JCODES & JCODE_CERT) != 0)
        avail = np.where(_FULL_TIME_CODE[c7] & busy_soon, f32(cfg.e_available * 0.5), f32(cfg.e_available)).astype(f32)
        shift64 = shift_row[c7]
        cls = _ONE_RULES[key] = (bad, avail, shift64, np.where(bad, -np.inf, shift64).astype(f32), np.where(bad, -np.inf, 0.0).astype(f32))
    if len(_ONE_RULES) > 4096:
        _ONE_RULES.clear()
    return geo + cls


def _one_occ(index: JobIndex, desired: tuple):
    """(seeker-side, employer-side) weighted occupation closeness by occupation row (index -1: unknown), the
    employer side + the best near / availability terms (for the bound), the unweighted employer side. Cached
    per desired list."""
    cfg = index.config
    V = len(index.enc.occ)
    key = (desired, V)
    cache = index.one_cache
    hit = cache.get(key)
    if hit is None:
        f32 = np.float32
        s, e = index.enc.occupation_similarity(desired, cfg)
        sw = (s * f32(cfg.w_occupation)).astype(f32)
        ew = (e * f32(cfg.e_occupation)).astype(f32)
        hit = (sw, ew, (ew + f32(cfg.e_near + cfg.e_available)).astype(f32), e)
        if len(cache) > 20_000:
            cache.clear()
        cache[key] = hit
    return hit


def _one_params(index: JobIndex, s: Seeker, today: dt.date) -> _One:
    cfg, enc = index.config, index.enc
    f32 = np.float32
    P = _One()
    P.xyz = np.array(unit_vector(s.lat, s.lon))
    P.age = f32(today.year - s.birth_year) if s.birth_year is not None else f32(np.nan)
    exp = f32(s.expected_wage if s.expected_wage is not None else cfg.default_expected_wage)
    P.c_pay = f32(1.25) / exp if exp else f32(np.inf)
    P.e2 = f32(2.0) * exp
    P.cw = P.c_pay * f32(cfg.w_pay)
    P.ne2 = -(P.e2 * f32(cfg.e_afford))
    shifts = 0
    for sh in s.shifts:
        shifts |= SHIFT_BIT[sh]
    best = max((cfg.shift_desirability.get(sh, NEUTRAL_SHIFT) for sh in s.shifts), default=1.0)
    reach = float(s.max_commute_km) if s.max_commute_km is not None else cfg.default_max_commute_km
    unav = month_mask(s.unavailable_months)
    unav_now = bool(unav & months_ahead_mask(today, 0, 1 + cfg.unavailable_horizon_months))
    busy_soon = bool(unav & months_ahead_mask(today, 1 + cfg.unavailable_horizon_months, 3))
    P.smask = enc.cert_mask(s.certificates, grow=False)[0] if s.certificates else None
    if P.smask is not None and not P.smask.any():
        P.smask = None
    certs = P.smask is not None
    rules = _one_rules(shifts, float(f32(best)), reach, unav_now, busy_soon, certs, cfg)
    P.lim, P.invr, P.bad, P.avail, P.shift, P.bshift, P.bex = rules
    P.sw, P.ew, P.ewb, P.e = _one_occ(index, s.occupations[: cfg.max_desired])
    P.reach = reach
    # NaN scores come only from 0 x inf in the distance part (a zero reach); else every step is NaN-free
    P.nan_risk = not (reach > 1e-30 and math.isfinite(reach))
    P.relocate = bool(s.relocate) and s.lat is not None
    return P


def _eval_one(P: _One, st: dict, slots: np.ndarray, jconst: np.ndarray, penalty, maybe_nan: bool, cfg: MatchConfig,
              far: bool = False):
    """Rules and score of one seeker x ``slots`` in one fused pass (the same float32 operations as
    ``kernel_rules`` + ``kernel_soft``, so the same scores). Far (relocation) pairs are excluded, or with
    ``far`` (``slots`` are lodging jobs of a relocating seeker) only they are kept.
    Returns (slots, score, chord) of the eligible jobs."""
    f32 = np.float32
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        xyz = st["xyz"].take(slots, axis=0)
        xyz -= P.xyz
        xyz *= xyz
        ch = xyz[:, 0] + xyz[:, 1]
        ch += xyz[:, 2]
        np.sqrt(ch, out=ch)
        jc = st["jcode"].take(slots)
        if far:
            bad = ~(ch > P.lim.take(jc))  # within reach: the near search's pair
        else:
            bad = ch > P.lim.take(jc)  # R4 (NaN: unknown distance passes)
        bad |= P.bad.take(jc)  # R3, R5, R1 for a seeker without certificates
        jf = st["jf"].take(slots, axis=0)
        if P.age == P.age:  # R2 (unknown age passes)
            bad |= jf[:, JF_AGE_MIN] > P.age
            bad |= jf[:, JF_AGE_MAX] < P.age
        if P.smask is not None:  # R1 certificates
            idx = np.flatnonzero(jc & JCODE_CERT)
            if idx.size:
                jm = st["cert"][slots[idx]]
                sm = P.smask
                w = min(jm.shape[1], sm.shape[0])
                miss = ((jm[:, :w] & ~sm[None, :w]) != 0).any(axis=1)
                if jm.shape[1] > w:
                    miss |= (jm[:, w:] != 0).any(axis=1)
                bad[idx] |= miss
        if far:  # moving into the lodging: constant distance parts
            dist = f32(cfg.w_distance) * f32(RELOCATED_DIST)
            near = f32(cfg.e_near) * f32(RELOCATED_NEAR)
        else:
            d = (EARTH_R * ch).astype(f32)
            dist = d * P.invr.take(jc)
            np.subtract(f32(1.0), dist, out=dist)
            np.maximum(dist, f32(0.0), out=dist)
            near = d * f32(1.0 / cfg.e_near_km)
            np.subtract(f32(1.0), near, out=near)
            np.maximum(near, f32(0.0), out=near)
            dist *= f32(cfg.w_distance)
            near *= f32(cfg.e_near)
        if maybe_nan and not far:
            nan_d = np.isnan(d)
            dist = np.where(nan_d, f32(cfg.w_distance) * f32(NEUTRAL_DIST), dist)
            near = np.where(nan_d, f32(cfg.e_near) * f32(NEUTRAL_DIST), near)
        pay = jf[:, JF_PAY_MID] * P.c_pay
        pay -= f32(0.75)
        pay = np.fmin(np.fmax(pay, jf[:, JF_PAY_LO]), f32(1.0))
        occ = st["occ"].take(slots)
        side_s = P.sw.take(occ)  # -1 (unknown occupation): the last entry
        side_s += P.shift.take(jc)
        side_s += jconst.take(slots)
        pay *= f32(cfg.w_pay)
        side_s += pay
        side_s += dist
        side_s *= jf[:, JF_HALF]
        afford = jf[:, JF_INV_WMAX] * P.e2
        np.subtract(f32(3.0), afford, out=afford)
        afford = np.fmin(np.fmax(afford, jf[:, JF_AFFORD_LO]), f32(1.0))
        side_e = P.ew.take(occ)
        side_e += near
        afford *= f32(cfg.e_afford)
        side_e += afford
        side_e += P.avail.take(jc)
        np.reciprocal(side_s, out=side_s)
        np.reciprocal(side_e, out=side_e)
        side_s += side_e
        score = np.divide(f32(200.0), side_s, out=side_s)
        if penalty is not None:
            score *= penalty.take(slots)
        if P.nan_risk:
            bad |= np.isnan(score)
    keep = np.flatnonzero(~bad)
    return slots[keep], score[keep], ch[keep]


def _one_bound(P: _One, box, cfg: MatchConfig) -> np.ndarray:
    """Per candidate job of the box, an upper bound of the seeker's score: the kernel with the exact occupation,
    shift, benefits, freshness, pay and affordability parts, distance / nearness / availability at their best,
    unknown pay / wage_max and the below-minimum halving at their best (no capacity penalty); -inf when R1 (no
    certificate held), R3 or R5 excludes the job. A margin covers float32 rounding."""
    f32 = np.float32
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        a = P.sw.take(box.occ)
        a += P.bshift.take(box.jcode)
        a += box.jc
        p = box.pay_b * P.cw
        p -= f32(0.75 * cfg.w_pay)
        np.fmax(p, f32(0.0), out=p)
        np.fmin(p, f32(cfg.w_pay), out=p)
        a += p
        q = box.invw_b * P.ne2
        q += f32(3.0 * cfg.e_afford)
        np.fmax(q, f32(0.0), out=q)
        np.fmin(q, f32(cfg.e_afford), out=q)
        q += P.ewb.take(box.occ)
        q += P.bex.take(box.jcode)
        np.reciprocal(a, out=a)
        np.reciprocal(q, out=q)
        a += q
        ub = np.divide(f32(200.0 * 1.0001), a, out=a)
        ub += f32(1e-3)
    return ub


def _merge_one(best, new, top: int):
    """Keep the ``top`` best of two (slots, score, chord) sets (higher score first, ties by smaller slot)."""
    if best[0].size:
        if not new[0].size:
            return best
        cols = tuple(np.concatenate((a, b)) for a, b in zip(best, new, strict=True))
    else:
        cols = new
    slots, score = cols[0], cols[1]
    n = slots.size
    if n > top:
        kth = np.partition(score, n - top)[n - top]
        cand = np.flatnonzero(score >= kth)
    else:
        cand = np.arange(n)
    take = cand[np.lexsort((slots[cand], -score[cand]))][:top]
    return tuple(c[take] for c in cols)


PASS_FAR_SINGLE = 1000  # the far search's first pass: the best occupation groups up to this many lodging jobs


def _far_one(index: JobIndex, P: _One, seeker: Seeker, best, thr: float, top: int, jconst, penalty, cfg: MatchConfig):
    """A relocating seeker's far pairs (lodging jobs beyond reach, taken by moving into the lodging): their
    score does not depend on the distance, so lodging jobs sorted by occupation are taken group by group in
    order of the group's bound (``upper_bound_far``), first up to ``PASS_FAR_SINGLE`` jobs, then every group
    whose bound reaches the k-th best."""
    slots_l, _occ_l, counts = index.lodging_sorted()
    if not slots_l.size:
        return best, thr
    key = ("far", seeker.occupations[: cfg.max_desired], len(index.enc.occ))
    gb = index.one_cache.get(key)
    if gb is None:
        s1, e1 = index.enc.occupation_similarity(key[1], cfg)
        gb = index.one_cache[key] = upper_bound_far(s1.astype(np.float64), e1.astype(np.float64), cfg)
    off = np.concatenate(([0], np.cumsum(counts)))
    st = index.store.cols
    done = np.zeros(gb.size, bool)
    for first in (True, False):
        need = (counts > 0) & ~done
        if thr > -np.inf:
            need &= gb >= thr
        gs = np.flatnonzero(need)
        if not gs.size:
            break
        gs = gs[np.argsort(-gb[gs], kind="stable")]
        if first:
            gs = gs[: max(1, int(np.searchsorted(np.cumsum(counts[gs]), PASS_FAR_SINGLE)))]
        done[gs] = True
        lo, hi = off[gs].tolist(), off[gs + 1].tolist()
        pick = np.concatenate([slots_l[a:b] for a, b in zip(lo, hi, strict=True)])
        new = _eval_one(P, st, pick, jconst, penalty, False, cfg, far=True)
        if new[0].size:
            if best[0].size:
                keep = new[1] >= thr
                new = tuple(a[keep] for a in new)
            best = _merge_one(best, new + (np.ones(new[0].size, bool),), top)
            thr = float(best[1][-1]) if best[1].size >= top else -np.inf
    return best, thr


def _search_one(index: JobIndex, seeker: Seeker, top: int, today: dt.date, capacity_aware: bool):
    """A single seeker's exact top list (the on-line path). The candidate box's jobs get an upper bound each
    (``_one_bound``, a few operations on contiguous cached columns); the best ``PASS_JOBS_SINGLE`` by bound are
    scored first (rules and score fused, ``_eval_one``), then (if fewer than ``top`` are eligible) the next 8x,
    then every job whose bound reaches the k-th best. Relocating seekers then get the far search by occupation."""
    cfg = index.config
    st = index.store.cols
    P = _one_params(index, seeker, today)
    box = index.box_data(seeker.lat, seeker.lon, P.reach, today)
    jconst = index.jconst(today)
    penalty = index.penalty() if capacity_aware else None
    maybe_nan = bool(index.nowhere) or seeker.lat is None
    best = (np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0))
    thr = -np.inf
    n = box.slots.size
    if n:
        ub = _one_bound(P, box, cfg)
        slots = box.slots
        lo = np.inf  # every job with a bound >= lo has been scored
        for m in (PASS_JOBS_SINGLE, 8 * PASS_JOBS_SINGLE, None):
            final = m is None or n <= m
            if not final:
                if thr > -np.inf:
                    continue  # sized passes only until the seeker has ``top`` eligible jobs
                k = np.partition(ub, n - m)[n - m]
                final = k == -np.inf
            if final:
                k = -np.inf
                sel = (ub >= thr) if thr > -np.inf else (ub > -np.inf)  # -inf: excluded by R1 / R3 / R5
            else:
                sel = ub >= k
            if lo < np.inf:
                sel &= ub < lo
            pick = np.flatnonzero(sel)
            lo = k
            if pick.size:
                new = _eval_one(P, st, slots[pick], jconst, penalty, maybe_nan, cfg)
                if best[0].size and new[0].size:
                    keep = new[1] >= thr
                    new = tuple(a[keep] for a in new)
                best = _merge_one(best, new, top)
                thr = float(best[1][-1]) if best[1].size >= top else -np.inf
            if final or thr >= lo:
                break  # every unscored job's bound is below the k-th best
    best = best + (np.zeros(best[0].size, bool),)
    if P.relocate:
        best, thr = _far_one(index, P, seeker, best, thr, top, jconst, penalty, cfg)
    res = (np.zeros(best[0].size, np.int64),) + best[:3] + (best[3],)
    ptr = np.array([0, res[1].size])
    occ_e = P.e.take(st["occ"].take(res[1]))
    return (ptr,) + res[1:] + (occ_e,)


_WAGE_SUFFIX = ("", "，低于最低工资", "，高于期望", "，符合期望", "，低于期望", "")
_OCC_TEXT = ("", "意向工种", "相近工种", "同类工种")


def _job_parts(index: JobIndex, slot: int):
    """(wage text, mid wage, below the minimum, shift + benefit text, posted ordinal) of a job, cached per slot."""
    t = index.text_cache.get(slot)
    if t is None:
        job = index.jobs[slot]
        mid = wage_mid(job)
        below = job.shift not in NON_FULL_TIME and mid is not None and mid < index.config.minimum_wage_monthly
        tail = ([SHIFT_ZH[job.shift]] if job.shift else []) + benefit_texts(job.benefits)
        t = index.text_cache[slot] = (wage_text(job), mid, below, SEP.join(tail), job.posted_on.toordinal() if job.posted_on else None)
    return t


def _reasons(index: JobIndex, slots: np.ndarray, dks: np.ndarray, fars: np.ndarray, expected: np.ndarray, occs: np.ndarray,
             today_ord: int) -> list[str]:
    """The texts of explain.job_reasons for a list of (seeker, job) results, from cached per-job parts: the pay
    class (vs the seeker's expected pay: NaN unknown), the occupation class (``occs``: NaN for a seeker without
    desired occupations) and the crowded flag are computed on arrays; everything after the distance is cached
    per (job, pay class, occupation class, crowded) for the day. ``dks``: NaN for an unknown distance."""
    cache = index.reason_cache
    if index.reason_day != today_ord:
        cache.clear()
        index.reason_day = today_ord
    st = index.store.cols
    mid = st["mid64"].take(slots)
    crowded = st["price"].take(slots) > CROWDED_PRICE
    if slots.size <= 64:  # one seeker's list: plain Python is cheaper than a dozen array operations
        keys = []
        for slot, m, below, e, oe, cr in zip(slots.tolist(), mid.tolist(), st["below_min"].take(slots).tolist(), expected.tolist(),
                                             occs.tolist(), crowded.tolist(), strict=True):
            if m != m:
                wc = 0
            elif below:
                wc = 1
            elif e != e or e == 0:
                wc = 5
            else:
                r = m / e
                wc = 2 if r >= 1.1 else (3 if r >= 0.95 else 4)
            oc = 1 if oe >= 0.999 else 2 if oe >= 0.599 else 3 if oe >= 0.299 else 0
            keys.append((slot << 7) | (wc << 3) | (oc << 1) | cr)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = mid / expected
            wc = np.where(r >= 1.1, 2, np.where(r >= 0.95, 3, 4))
            wc = np.where((expected != 0) & ~np.isnan(expected), wc, 5)
            wc = np.where(st["below_min"].take(slots), 1, wc)
            wc = np.where(np.isnan(mid), 0, wc)
            oe = occs.astype(np.float64)
            oc = np.where(oe >= 0.999, 1, np.where(oe >= 0.599, 2, np.where(oe >= 0.299, 3, 0)))
        keys = ((slots.astype(np.int64) << 7) | (wc << 3) | (oc << 1) | crowded).tolist()
    texts = index.text_cache
    out = []
    for key, d, fa in zip(keys, dks.tolist(), fars.tolist(), strict=True):
        rest = cache.get(key)
        if rest is None:
            slot, wc, oc, cr = key >> 7, (key >> 3) & 15, (key >> 1) & 3, key & 1
            wt, _mid, _below, tail, posted = texts.get(slot) or _job_parts(index, slot)
            parts = []
            if wt:
                parts.append(wt + _WAGE_SUFFIX[wc])
            if tail:
                parts.append(tail)
            if oc:
                parts.append(_OCC_TEXT[oc])
            if posted is not None and 0 <= today_ord - posted <= 3:
                parts.append("新发布")
            if cr:
                parts.append("报名人多")
            rest = SEP.join(parts)
            if len(cache) > 400_000:
                cache.clear()
            cache[key] = rest
        if d != d:
            out.append(rest)
            continue
        head = f"距家 {d:.1f} 公里，可住宿舍" if fa else f"距家 {d:.1f} 公里"
        out.append(head + SEP + rest if rest else head)
    return out


def fast_job_reasons(index, slot, d_km, far, expected, occ_e, today_ord, crowded) -> str:
    """Same text as explain.job_reasons, from cached per-job parts (see ``_reasons``)."""
    del crowded  # from the job's price, as in the lists
    return _reasons(index, np.array([slot]), np.array([math.nan if d_km is None else d_km]), np.array([bool(far)]),
                    np.array([math.nan if expected is None else float(expected)]), np.array([math.nan if occ_e is None else occ_e]),
                    today_ord)[0]


def _block_texts(index, sb, rows, res, today, dk_all) -> list[str]:
    """The reason texts of one scored block's results, in (row, rank) order."""
    ptr, slots, _score, _chord, far, occ_e = res
    if not slots.size:
        return []
    c = sb.cols
    cnt = np.diff(ptr)
    exp = np.where(c["known_wage"][rows], c["expected"][rows].astype(np.float64), np.nan)
    has_occ = sb.has_occupations()[c["profile"][rows]]
    occs = np.where(np.repeat(has_occ, cnt), occ_e, np.nan)
    return _reasons(index, slots, dk_all, far, np.repeat(exp, cnt), occs, today.toordinal())


def _block_matches(index, sb, rows, res, today, with_reasons=True):
    """Turn one scored block into (seeker_row, [(slot, score, distance_km, reasons)])."""
    ptr, slots, score, chord, far, occ_e = res
    dk_all = chord_to_km(chord) if chord.size else chord.astype(np.float64)
    texts = _block_texts(index, sb, rows, res, today, dk_all) if with_reasons else [""] * slots.size
    sl, scl, dkl = slots.tolist(), score.tolist(), dk_all.tolist()
    ptrl = ptr.tolist()
    for b, r in enumerate(rows.tolist()):
        lo, hi = ptrl[b], ptrl[b + 1]
        yield r, [(slot, sc, None if d != d else d, t) for slot, sc, d, t in zip(sl[lo:hi], scl[lo:hi], dkl[lo:hi], texts[lo:hi], strict=True)]


# --------------------------------------------------------------------------- public API


def recommend_jobs(
    seeker: Seeker, index: JobIndex, top: int = 20, capacity_aware: bool = True, today: dt.date | None = None
) -> list[Match]:
    """The best ``top`` open jobs for one seeker, best first. Hard rules are never broken.

    capacity_aware=True multiplies each score by the job's congestion penalty exp(-price) (see
    ``estimate_prices``); with no prices estimated it equals the plain ranking.
    """
    today = _today(today)
    ptr, slots, score, chord, far, occ_e = _recommend_one(seeker, index, top, today, capacity_aware)
    if not slots.size:
        return []
    dk = chord_to_km(chord)
    exp = math.nan if seeker.expected_wage is None else float(seeker.expected_wage)
    occs = occ_e if seeker.occupations else np.full(occ_e.size, np.nan)
    reasons = _reasons(index, slots, dk, far, np.full(slots.size, exp), occs, today.toordinal())
    sl, dk = slots.tolist(), dk.tolist()
    jobs, sid = index.jobs, seeker.seeker_id
    return [Match(jobs[slot].job_id, sid, round(sc, 3), rs, None if d != d else round(d, 3))
            for slot, sc, d, rs in zip(sl, score.tolist(), dk, reasons, strict=True)]


def explain_match(seeker: Seeker, job: Job, config: MatchConfig | None = None, today: dt.date | None = None) -> Match | None:
    """Score and explain one pair (None if a hard rule excludes it; see ``violations`` for which)."""
    idx = JobIndex([job], config=config)
    res = recommend_jobs(seeker, idx, top=1, capacity_aware=False, today=today)
    return res[0] if res else None


def _seeker_tiers(occ: np.ndarray, jp: list[int], cfg: MatchConfig) -> np.ndarray:
    """(C, K) closeness tier of each desired occupation of candidate seekers to the job's prefixes ``jp``."""
    t1, t2, t3, t4 = cfg.occupation_tiers
    return np.where(
        occ[:, :, 3] == jp[3], t1, np.where(occ[:, :, 2] == jp[2], t2, np.where(occ[:, :, 1] == jp[1], t3, np.where(occ[:, :, 0] == jp[0], t4, 0.0)))
    ).astype(np.float32)


def _rank_bound(expected, tier: float, J, Jv, cfg: MatchConfig) -> np.ndarray:
    """Upper bound of the score of seekers with closeness at most ``tier`` for one job, from their expected pay."""
    E = expected.astype(np.float64)
    mid, wmax = float(J.wage_mid[0]), float(J.wage_max[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        pay = np.full(E.shape, NEUTRAL_PAY) if math.isnan(mid) else np.clip(0.5 + 1.25 * (mid / E - 1.0), 0.0, 1.0)
        aff = np.full(E.shape, NEUTRAL_AFFORD) if math.isnan(wmax) else np.clip(1.0 - 2.0 * (E - wmax) / wmax, 0.0, 1.0)
    below = bool(Jv.below_min[0])
    if below:
        pay = 0.0
    shift = 1.0 if J.shift_bit[0] else NEUTRAL_SHIFT
    side_s = cfg.w_occupation * tier + cfg.w_pay * pay + cfg.w_distance + cfg.w_shift * shift + cfg.w_benefits * float(Jv.benscore[0]) + cfg.w_fresh * float(Jv.fresh[0])
    if below:
        side_s = 0.5 * side_s
    side_e = cfg.e_occupation * tier + cfg.e_near + cfg.e_afford * aff + cfg.e_available
    return 200.0 / (1.0 / side_s + 1.0 / side_e) * 1.0001 + 1e-4


def _rank_eval(si: SeekerIndex, slots, job, J, Jv, jp, mask, decay, cfg, today, thr=-math.inf, tier=None):
    """Rules first on the cheap seeker columns, then the score of the seekers that pass.
    Returns (slots, score, chord, far, occ_e) of the eligible seekers."""
    from types import SimpleNamespace

    st = si.store.cols
    if thr > -math.inf and tier is not None:
        # cheap bound first: the level's occupation closeness, the job's own terms and the seeker's expected
        # pay are exact; distance terms at their best
        slots = slots[_rank_bound(st["expected"][slots], tier, J, Jv, cfg) >= thr]
        if not slots.size:
            return slots, np.zeros(0, np.float32), np.zeros(0), np.zeros(0, bool), np.zeros(0, np.float32)
    now = months_ahead_mask(today, 0, 1 + cfg.unavailable_horizon_months)
    reach = st["reach"][slots]
    R = SimpleNamespace(
        x=st["x"][slots], y=st["y"][slots], z=st["z"][slots], relocate=st["relocate"][slots], shifts=st["shifts"][slots],
        age=(today.year - st["birth_year"][slots]).astype(np.float32), unav_now=(st["unav"][slots] & now) != 0,
        chord_reach=chord_of_km(reach), chord_reach_shuttle=chord_of_km(reach + cfg.shuttle_extra_km),
    )
    cert_ok = None
    if mask.any():
        sm = st["cert"][slots]
        w = min(sm.shape[1], mask.shape[0])
        cert_ok = ~((mask[None, :w] & ~sm[:, :w]) != 0).any(axis=1)
    ok, chord, far = pair_rules(R, J, cert_ok)
    keep = np.flatnonzero(ok)
    slots, chord, far, reach = slots[keep], chord[keep], far[keep], reach[keep]
    if not slots.size:
        return slots, np.zeros(0, np.float32), chord, far, np.zeros(0, np.float32)
    soon = months_ahead_mask(today, 1 + cfg.unavailable_horizon_months, 3)
    S = SimpleNamespace(reach=reach, expected=st["expected"][slots], shift_best=st["shift_best"][slots],
                        busy_soon=(st["unav"][slots] & soon) != 0)
    if job.occupation_code is None:
        occ_s = occ_e = np.full(slots.size, NEUTRAL_OCC, dtype=np.float32)
    else:
        tier = _seeker_tiers(st["occ"][slots], jp, cfg)
        occ_s = (tier * decay).max(axis=1)
        occ_e = tier.max(axis=1)
        none = st["n_occ"][slots] == 0
        if none.any():
            occ_s = np.where(none, NEUTRAL_OCC, occ_s)
            occ_e = np.where(none, NEUTRAL_OCC, occ_e)
    score = pair_soft(S, Jv, True, chord, far, occ_s, occ_e, cfg, False)
    return slots, score, chord, far, occ_e


def _rank_candidates(job: Job, si: SeekerIndex, top: int, today: dt.date, prune: bool = True):
    """Best ``top`` seekers for a job: (slots, score, chord, far, occ_e) best first.

    Exact pruning: seekers are bucketed by every occupation prefix of their desired list, so the candidates
    closest to the job's occupation (same occupation, then same minor / medium / major group, then people
    without a stated occupation, then everybody else in reach) are scored first; a level is skipped once the
    current k-th best beats the level's score upper bound (``upper_bound_local``)."""
    cfg = si.config
    enc = si.enc
    mask, all_known = enc.cert_mask(job.certificates, grow=False)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0), np.zeros(0, bool), np.zeros(0, np.float32))
    if not all_known or not len(si):
        return empty
    if prune and not si._prepared:
        si.prepare()
    from .core import Encoder, job_row

    row, _ = job_row(job, Encoder(), cfg)
    J = SimpleNamespace(**{k: np.array([v]) for k, v in row.items() if k in (
        "x", "y", "z", "ben", "shift_bit", "age_min", "age_max", "full_time", "wage_mid", "wage_max")})
    Jv = job_view({k: np.array([v]) for k, v in row.items()}, cfg, today)
    jp = enc.prefix_ids(job.occupation_code, grow=False, missing=-3)
    K = si.store.cols["occ"].shape[1]
    decay = np.array([cfg.desire_decay[min(k, len(cfg.desire_decay) - 1)] for k in range(K)], dtype=np.float32)
    extra = cfg.shuttle_extra_km if "shuttle" in job.benefits else 0.0

    def rest():
        return si.candidates(job, extra)

    if prune and job.occupation_code is not None:
        t1, t2, t3, t4 = cfg.occupation_tiers
        levels = [(t1, jp[3]), (t2, jp[2]), (t3, jp[1]), (t4, jp[0]), (NEUTRAL_OCC, NO_OCC), (0.0, None)]
        levels = [(float(upper_bound_local(t, t, cfg)), key, t) for t, key in levels]
        levels.sort(key=lambda x: -x[0])
    else:
        levels = [(math.inf, None, None)]
    best, thr = empty, -math.inf
    seen = np.zeros(si.store.n, dtype=bool) if len(levels) > 1 else None
    for ub, key, tier in levels:
        if ub < thr:
            break
        if key is None:
            cand = rest()
        elif key < 0 and key != NO_OCC:
            continue  # the job's prefix is unknown to every seeker
        else:
            cand = si.with_prefix(key, job, extra)
        if seen is not None:
            cand = cand[~seen[cand]]
            seen[cand] = True
        if not cand.size:
            continue
        new = _rank_eval(si, cand, job, J, Jv, jp, mask, decay, cfg, today, thr, tier)
        if best[0].size and new[0].size:
            keep = new[1] >= thr
            new = tuple(a[keep] for a in new)
        allc = tuple(np.concatenate([a, b]) for a, b in zip(best, new, strict=True))
        sl, sc = allc[0], allc[1]
        if sl.size > top:
            kth = np.partition(sc, sl.size - top)[sl.size - top]
            cand_i = np.flatnonzero(sc >= kth)
        else:
            cand_i = np.arange(sl.size)
        order = cand_i[np.lexsort((sl[cand_i], -sc[cand_i]))][:top]
        best = tuple(a[order] for a in allc)
        thr = float(best[1][-1]) if best[1].size >= top else -math.inf
    return best


def rank_candidates(job: Job, seeker_index: SeekerIndex, top: int = 50, today: dt.date | None = None) -> list[Match]:
    """The best ``top`` seekers for one job (an outreach / call list), best first. Hard rules are never broken."""
    today = _today(today)
    cfg = seeker_index.config
    slots, score, chord, far, occ_e = _rank_candidates(job, seeker_index, top, today)
    if not slots.size:
        return []
    st = seeker_index.store.cols
    jp = seeker_index.enc.prefix_ids(job.occupation_code, grow=False, missing=-3)
    K = st["occ"].shape[1]
    decay = np.array([cfg.desire_decay[min(k, len(cfg.desire_decay) - 1)] for k in range(K)], dtype=np.float32)
    tier = _seeker_tiers(st["occ"][slots], jp, cfg)
    none = (st["n_occ"][slots] == 0) | (job.occupation_code is None)
    out = []
    dk = chord_to_km(chord)
    for j, slot in enumerate(slots.tolist()):
        s = seeker_index.seekers[slot]
        d = float(dk[j])
        d = None if math.isnan(d) else d
        rank = int(np.argmax(tier[j] * decay)) if not none[j] else None
        reasons = seeker_reasons(
            s, job, distance_km=d, relocated=bool(far[j]), occupation_rank=rank, occupation_closeness=float(occ_e[j]), today=today
        )
        out.append(Match(job.job_id, s.seeker_id, round(float(score[j]), 3), reasons, None if d is None else round(d, 3)))
    return out


def _as_batch(index: JobIndex, seekers) -> SeekerBatch:
    if isinstance(seekers, SeekerBatch):
        return seekers.finish()
    sb = SeekerBatch(index)
    if isinstance(seekers, SeekerIndex):
        seekers = [s for s in seekers.seekers if s is not None]
    chunk: list[Seeker] = []
    for s in seekers:
        chunk.append(s)
        if len(chunk) >= 50_000:
            sb.extend(chunk)
            chunk = []
    if chunk:
        sb.extend(chunk)
    return sb.finish()


_DEMAND: dict = {}


def _demand(index, sb, blocks, top, today, w) -> np.ndarray:
    """Demand per job slot of the seekers in ``blocks`` under the index's current prices."""
    n = index.store.n
    demand = np.zeros(n)
    for b in blocks:
        ptr, slots = _score_block(index, sb, b, top, today, capacity_aware=True)[:2]
        if slots.size:
            cnt = np.diff(ptr)
            rank = np.arange(slots.size) - np.repeat(ptr[:-1], cnt)
            norm = np.cumsum(w)[np.maximum(cnt, 1) - 1]
            demand += np.bincount(slots, weights=w[rank] / np.repeat(norm, cnt), minlength=n)
    return demand


def _demand_task(args) -> np.ndarray:
    price, blocks = args
    g = _DEMAND
    index = g["index"]
    index.store.cols["price"][: price.size] = price
    index.prices_changed()
    return _demand(index, g["sb"], blocks, g["top"], g["today"], g["w"])


def estimate_prices(
    index: JobIndex,
    seekers,
    *,
    top: int = 10,
    today: dt.date | None = None,
    rounds: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    workers: int = 1,
) -> dict:
    """Set every job's congestion price from simulated demand (the capacity-aware mode).

    Each round, every (sampled: whole place-blocks, at most ``demand_sample``) seeker gets a top-``top`` list under the current prices; a seeker's unit of
    demand is spread over the list with weights decaying by ``demand_rank_decay`` per rank; a job whose
    demand exceeds its headcount gets a higher price, an under-demanded one a lower price
    (price += step * log(demand / headcount), kept in [0, max_price]). This is a dual (price) method for the
    assignment problem: prices make crowded jobs less attractive so lists spread over open positions.
    ``workers`` > 1 computes each round's demand in that many forked processes (the same prices up to float rounding).
    """
    cfg = index.config
    today = _today(today)
    rounds = cfg.price_rounds if rounds is None else rounds
    sb = _as_batch(index, seekers)
    n = len(sb)
    cap = sample if sample is not None else cfg.demand_sample
    if n > cap:
        # cluster sample: whole place-blocks in random order until ``cap`` seekers (every seeker has the same
        # chance to be in it, and the blocks stay dense, which is what makes a block cheap to score)
        blocks = sb.blocks()
        pick = np.random.default_rng(seed).permutation(len(blocks))
        sizes = np.array([len(blocks[i]) for i in pick])
        k = int(np.searchsorted(np.cumsum(sizes), cap)) + 1
        blocks = [blocks[i] for i in pick[:k]]
        rows = np.concatenate(blocks)
    else:
        rows = np.arange(n)
        blocks = sb.blocks(rows=rows)
    scale = n / max(1, len(rows))
    st = index.store
    st.cols["price"][:] = 0.0
    index.prices_changed()
    alive = st.alive[: st.n]
    head = np.maximum(1, st.cols["headcount"][: st.n]).astype(np.float64)
    w = cfg.demand_rank_decay ** np.arange(top)
    w = w / w.sum()
    demand = np.zeros(st.n)
    price = np.zeros(st.n)
    acc = np.zeros(st.n)
    pool = None
    if workers > 1 and len(blocks) > 1:
        import multiprocessing as mp

        _DEMAND.update(index=index, sb=sb, top=top, today=today, w=w)
        pool = mp.get_context("fork").Pool(workers)
    try:
        for t in range(rounds):
            st.cols["price"][: st.n] = price
            index.prices_changed()
            if pool is None:
                demand = _demand(index, sb, blocks, top, today, w)
            else:
                parts = [blocks[i::workers * 4] for i in range(workers * 4)]
                demand = sum(pool.map(_demand_task, [(price, p) for p in parts]))
            demand *= scale
        # congestion relative to the market as a whole: in a tight market every job is over-demanded,
        # and only the jobs more crowded than the average should be pushed down
            tight = max(1.0, demand[alive].sum() / head[alive].sum()) if alive.any() else 1.0
            ratio = np.maximum(demand / (head * tight), 0.05)
            price = np.clip(price + cfg.price_step / math.sqrt(t + 1) * np.log(ratio), 0.0, cfg.max_price)
            price = np.where(alive, price, 0.0)
            acc += price
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            _DEMAND.clear()
    # the average of the iterates (damps the oscillation of a plain price update)
    st.cols["price"][: st.n] = np.where(alive, acc / max(1, rounds), 0.0)
    index.prices_changed()
    index.prices_estimated = True
    over = alive & (demand > head)
    return {
        "seekers_sampled": int(len(rows)),
        "rounds": rounds,
        "jobs_over_demanded": int(over.sum()),
        "mean_price": float(st.cols["price"][: st.n][alive].mean()) if alive.any() else 0.0,
    }


def batch_recommend(
    seekers: Iterable[Seeker] | SeekerBatch,
    index: JobIndex,
    top: int = 20,
    capacity_aware: bool = True,
    today: dt.date | None = None,
    estimate: bool = True,
) -> Iterator[tuple[object, list[Match]]]:
    """Recommendations for many seekers: yields (seeker_id, matches). Seekers come grouped by place
    (not in input order). With capacity_aware and ``estimate``, prices are estimated from these seekers first
    unless the index already has them."""
    today = _today(today)
    sb = _as_batch(index, seekers)
    if capacity_aware and estimate and not index.prices_estimated:
        estimate_prices(index, sb, today=today)
    for rows in sb.blocks():
        res = _score_block(index, sb, rows, top, today, capacity_aware)
        for r, lst in _block_matches(index, sb, rows, res, today):
            sid = sb.ids[r]
            yield sid, [Match(index.jobs[s].job_id, sid, round(sc, 3), rs, None if d is None else round(d, 3)) for s, sc, d, rs in lst]


__all__ = [
    "recommend_jobs",
    "rank_candidates",
    "batch_recommend",
    "estimate_prices",
    "explain_match",
    "violations",
    "job_reasons",
    "SeekerBatch",
    "NO_DATE",
    "unit_vector",
]
