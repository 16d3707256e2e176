"""The single-seeker search (the on-line path): an exact threshold algorithm over the cell-sorted layout."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from .blocks import _search, _seeker_one, cap_far
from .config import MatchConfig
from .core import (
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
    SHIFT_BIT,
    chord_of_km,
    month_mask,
    months_ahead_mask,
    shift_tables_one,
    tier_table,
    unit_vector,
    upper_bound_far,
)
from .index import JobIndex
from .types import Seeker


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
    has_occ = np.array([bool(seeker.occupations[: cfg.max_desired])])
    return _search(index, S, s1[None, :], e1[None, :], smask, cands, reloc, top, today, capacity_aware, prune, has_occ)


# --------------------------------------------------------------------------- the single-seeker path


class _One:
    """A single seeker's constants for the fused kernel: scalars and small per-seeker lookup tables, by the
    job's ``jcode`` (shift code, shuttle, lodging, needs a certificate) and ``os`` ((occupation + 1) x 16 + shift
    code + 8 x needs a certificate)."""

    __slots__ = ("xyz", "age", "c_pay", "e2", "cw", "ne2", "lim", "invr", "bad", "avail", "shift", "bshift", "bex", "sw", "ew", "ewb", "e", "smask",
                 "reach", "relocate", "nan_risk", "tw")


_ONE_RULES: dict = {}


def _one_rules(shifts: int, shift_best: float, reach: float, unav_now: bool, busy_soon: bool, certs: bool, cfg: MatchConfig):
    """Per-seeker tables by jcode (64 entries): chord limit, 1/reach, excluded by R1 (no certificate held) /
    R3 / R5, the availability term, the weighted shift score, and for the bound the shift score and 0 with -inf
    where excluded. Cached (by reach, and by the shift / month / certificate class)."""
    f32 = np.float32
    key = (reach, cfg.shuttle_extra_km)
    geo = _ONE_RULES.get(key)
    if geo is None:
        sh = (JCODES & JCODE_SHUTTLE) != 0
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
            shift_bad[:n_sc] |= FULL_TIME_CODE[:n_sc]
        shift_row[:n_sc] = sc[0]
        c7 = JCODES & 7
        bad = shift_bad[c7]
        if not certs:
            bad = bad | ((JCODES & JCODE_CERT) != 0)
        avail = np.where(FULL_TIME_CODE[c7] & busy_soon, f32(cfg.e_available * 0.5), f32(cfg.e_available)).astype(f32)
        shift64 = shift_row[c7]
        cls = _ONE_RULES[key] = (bad, avail, shift64, np.where(bad, -np.inf, shift64).astype(f32), np.where(bad, -np.inf, 0.0).astype(f32))
    if len(_ONE_RULES) > 4096:
        _ONE_RULES.clear()
    return geo + cls


def _one_occ(index: JobIndex, desired: tuple):
    """(seeker-side, employer-side) weighted occupation closeness by occupation row (index -1: unknown), the
    employer side + the best near / availability terms (for the bound), the unweighted employer side, the
    capacity-aware tier multiplier (None without tiers). Cached per desired list."""
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
        tw = tier_table(e, bool(desired), cfg) if cfg.far_tier != 1.0 else None
        hit = (sw, ew, (ew + f32(cfg.e_near + cfg.e_available)).astype(f32), e, tw)
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
    P.sw, P.ew, P.ewb, P.e, P.tw = _one_occ(index, s.occupations[: cfg.max_desired])
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
            if P.tw is not None:
                score *= P.tw.take(occ)
        if P.nan_risk:
            bad |= np.isnan(score)
    keep = np.flatnonzero(~bad)
    return slots[keep], score[keep], ch[keep]


def _one_bound(P: _One, box, cfg: MatchConfig, capacity_aware: bool) -> np.ndarray:
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
        if capacity_aware and P.tw is not None:
            ub *= P.tw.take(box.occ)
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


PASS_JOBS_SINGLE = 300  # a single query's first pass over local jobs: the best this many by the per-job bound
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
    if penalty is not None and P.tw is not None:
        gb = gb * P.tw
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
        ub = _one_bound(P, box, cfg, capacity_aware)
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
    out = (ptr,) + res[1:] + (occ_e,)
    return cap_far(index, out, [bool(seeker.occupations[: cfg.max_desired])]) if capacity_aware else out
