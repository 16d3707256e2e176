"""Job -> candidates: the best seekers for one job (outreach / call lists), exact and pruned by occupation level."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import numpy as np

from .blocks import upper_bound_local
from .config import MatchConfig
from .core import (
    NEUTRAL_AFFORD,
    NEUTRAL_OCC,
    NEUTRAL_PAY,
    NEUTRAL_SHIFT,
    Encoder,
    chord_of_km,
    job_row,
    job_view,
    months_ahead_mask,
    pair_rules,
    pair_soft,
)
from .explain import seeker_reasons
from .index import NO_OCC, SeekerIndex
from .reference import _today, chord_to_km
from .types import Job, Match


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
