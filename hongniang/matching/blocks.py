"""Batch blocks: seekers encoded into columns (``SeekerBatch``), and the group threshold algorithm that scores a
block of seekers (or one seeker, the exhaustive reference path) against the jobs around them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

from .config import MatchConfig
from .core import (
    CLOSE,
    EARTH_R,
    FULL_TIME_CODE,
    JCODE_CERT,
    JCODE_SHUTTLE,
    JCODES,
    JF_AFFORD_LO,
    JF_AGE_MAX,
    JF_AGE_MIN,
    JF_HALF,
    JF_INV_WMAX,
    JF_PAY_LO,
    JF_PAY_MID,
    NEUTRAL_DIST,
    NEUTRAL_SHIFT,
    RELOCATED_DIST,
    RELOCATED_NEAR,
    SEEKER_COLUMNS,
    SHIFT_BIT,
    chord_of_km,
    kernel_rules,
    kernel_soft,
    month_mask,
    months_ahead_mask,
    seeker_consts,
    seeker_row,
    seeker_view,
    shift_tables,
    shift_tables_one,
    tier_table,
    unit_vector,
    upper_bound_far,
)
from .index import JobIndex
from .types import Seeker

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

    def __init__(self, index, S, s_sims, e_sims, smask, today, capacity_aware, has_occ):
        self.index, self.S, self.s_sims, self.e_sims, self.today, self.cap = index, S, s_sims, e_sims, today, capacity_aware
        self.smask = smask
        self.B = s_sims.shape[0]
        self.jconst = index.jconst(today)
        self.penalty = index.penalty() if capacity_aware else None
        cfg = index.config
        self.sw = (s_sims * np.float32(cfg.w_occupation)).astype(np.float32)
        self.ew = (e_sims * np.float32(cfg.e_occupation)).astype(np.float32)
        self.maybe_nan = bool(index.nowhere) or bool(np.isnan(S.x).any())
        # capacity-aware: work far from every named occupation only fills the end of a list (rows x V+1)
        self.tw = tier_table(e_sims, has_occ, cfg) if capacity_aware and cfg.far_tier != 1.0 else None
        self.tw_flat = None if self.tw is None else self.tw.ravel()
        self.mode = None
        self.tabs = None  # per-row lookup tables of the fused block kernel (``_block_tabs``)


def _block_tabs(ctx: _Ctx):
    """Per-row tables by jcode (rows x 64, flattened) for ``_eval_block``: chord limit, 1/reach, excluded by R1 (no
    certificate held) / R3 / R5, weighted shift score, availability term; and the rows' unit vectors."""
    if ctx.tabs is None:
        S, cfg = ctx.S, ctx.index.config
        f32 = np.float32
        j = JCODES[None, :]
        c7 = (JCODES & 7)[None, :]
        sh = (j & JCODE_SHUTTLE) != 0
        lim = np.where(sh, S.chord_reach_shuttle[:, None], S.chord_reach[:, None]).astype(np.float64)
        invr = np.where(sh, S.inv_reach_shuttle[:, None], S.inv_reach[:, None]).astype(f32)
        ok7 = np.zeros((ctx.B, 8), dtype=bool)
        ok7[:, : S.shift_ok.shape[1]] = S.shift_ok
        sc7 = np.zeros((ctx.B, 8), dtype=f32)
        sc7[:, : S.shift_score.shape[1]] = S.shift_score
        full = FULL_TIME_CODE[c7]
        bad = ~ok7[:, JCODES & 7] | (S.unav_now[:, None] & full)
        no_cert = ~ctx.smask.any(axis=1)
        bad |= no_cert[:, None] & ((j & JCODE_CERT) != 0)
        avail = np.where(S.busy_soon[:, None] & full, f32(cfg.e_available * 0.5), f32(cfg.e_available)).astype(f32)
        xyz = np.stack([S.x, S.y, S.z], axis=1)
        ctx.tabs = (lim.ravel(), invr.ravel(), bad.ravel(), sc7[:, JCODES & 7].ravel(), avail.ravel(), xyz,
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
        if ctx.tw_flat is not None:
            score *= ctx.tw_flat.take(oi)
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
    if ctx.tw is not None:
        score *= ctx.tw[0][occ] if one else ctx.tw[rows, occ]
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
    if ctx.tw is not None:
        ub = ub * ctx.tw  # the tier multiplies the score (a bound of the score x the tier bounds the key)
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


def _search(index: JobIndex, S, s_sims, e_sims, smask, cands, reloc_rows, top, today, capacity_aware, prune, has_occ):
    """The threshold algorithm over local candidates ``slots`` and (rows in ``reloc_rows``) far lodging jobs.
    Returns ``(row_ptr, slots, score, chord, far, occ_e)`` in (row, rank) order."""
    cfg = index.config
    B = s_sims.shape[0]
    ctx = _Ctx(index, S, s_sims, e_sims, smask, today, capacity_aware, has_occ)
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
    res = (ptr,) + best[1:] + (occ_e,)
    return cap_far(index, res, has_occ) if capacity_aware else res


def cap_far(index: JobIndex, res: tuple, has_occ) -> tuple:
    """Capacity-aware lists keep at most ``far_max`` items of far work (not the occupation the person named, not
    its minor group, or no occupation; only for people who named one): the list says "其他可以考虑的工作" for them
    and they come last, so this drops the weakest end of the list. ``res`` is ``(row_ptr, slots, score, chord,
    far, occ_e)`` in (row, rank) order, ``has_occ`` per row."""
    cfg = index.config
    ptr, slots = res[0], res[1]
    if cfg.far_max is None or cfg.far_tier == 1.0 or not slots.size:
        return res
    cnt = np.diff(ptr)
    row_of = np.repeat(np.arange(cnt.size), cnt)
    tier_far = np.asarray(has_occ, dtype=bool)[row_of] & ((res[5] < CLOSE) | (index.store.cols["occ"].take(slots) < 0))
    if not tier_far.any():
        return res
    cum = np.cumsum(tier_far)
    before = np.concatenate(([0], cum))[ptr[:-1]]  # far items of the earlier rows
    keep = ~tier_far | (cum - before[row_of] <= cfg.far_max)
    if keep.all():
        return res
    ptr = np.concatenate(([0], np.cumsum(np.bincount(row_of[keep], minlength=cnt.size))))
    return (ptr,) + tuple(a[keep] for a in res[1:])


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
    has_occ = sb.has_occupations()[c["profile"][rows]]
    return _search(index, S, s_sims, e_sims, c["cert"][rows], cands, reloc_rows, top, today, capacity_aware, prune, has_occ)
