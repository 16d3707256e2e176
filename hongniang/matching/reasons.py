"""Reason texts of recommendation lists, fast: cached per-job parts and per (job, pay class, occupation class,
crowded) texts; the same text as the reference ``explain.job_reasons`` (a property test checks it)."""

from __future__ import annotations

import math

import numpy as np

from .core import CLOSE
from .explain import OTHER_WORK, SEP, benefit_texts, wage_mid, wage_text
from .index import JobIndex
from .prices import crowded_price, soft_scores
from .reference import chord_to_km
from .types import NON_FULL_TIME, SHIFT_ZH

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
    desired occupations; below ``CLOSE``: "其他可以考虑的工作") and the crowded flag are computed on arrays; everything
    after the distance is cached per (job, pay class, occupation class, far, crowded) for the day. ``dks``: NaN for
    an unknown distance."""
    cache = index.reason_cache
    if index.reason_day != today_ord:
        cache.clear()
        index.reason_day = today_ord
    st = index.store.cols
    mid = st["mid64"].take(slots)
    unknown_occ = st["occ"].take(slots) < 0
    if unknown_occ.any():  # a job without an occupation: nothing to say about it (but it is not close work)
        occs = np.where(unknown_occ & ~np.isnan(occs), 0.0, occs)
    crowded = st["price"].take(slots) > crowded_price(index.config)
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
            keys.append((slot << 8) | (wc << 4) | (oc << 2) | ((oe < CLOSE) << 1) | cr)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = mid / expected
            wc = np.where(r >= 1.1, 2, np.where(r >= 0.95, 3, 4))
            wc = np.where((expected != 0) & ~np.isnan(expected), wc, 5)
            wc = np.where(st["below_min"].take(slots), 1, wc)
            wc = np.where(np.isnan(mid), 0, wc)
            oe = occs.astype(np.float64)
            oc = np.where(oe >= 0.999, 1, np.where(oe >= 0.599, 2, np.where(oe >= 0.299, 3, 0)))
            far = (oe < CLOSE).astype(np.int64)  # NaN (nothing named): not far
        keys = ((slots.astype(np.int64) << 8) | (wc << 4) | (oc << 2) | (far << 1) | crowded).tolist()
    texts = index.text_cache
    out = []
    for key, d, fa in zip(keys, dks.tolist(), fars.tolist(), strict=True):
        rest = cache.get(key)
        if rest is None:
            slot, wc, oc, far, cr = key >> 8, (key >> 4) & 15, (key >> 2) & 3, (key >> 1) & 1, key & 1
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
            if far:
                parts.append(OTHER_WORK)
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


def _block_matches(index, sb, rows, res, today, with_reasons=True, capacity_aware=False):
    """Turn one scored block into (seeker_row, [(slot, soft score, distance_km, reasons)])."""
    ptr, slots, score, chord, far, occ_e = res
    has = np.repeat(sb.has_occupations()[sb.cols["profile"][rows]], np.diff(ptr))
    score = soft_scores(index, slots, score, occ_e, has, capacity_aware)
    dk_all = chord_to_km(chord) if chord.size else chord.astype(np.float64)
    texts = _block_texts(index, sb, rows, res, today, dk_all) if with_reasons else [""] * slots.size
    sl, scl, dkl = slots.tolist(), score.tolist(), dk_all.tolist()
    ptrl = ptr.tolist()
    for b, r in enumerate(rows.tolist()):
        lo, hi = ptrl[b], ptrl[b + 1]
        yield r, [(slot, sc, None if d != d else d, t) for slot, sc, d, t in zip(sl[lo:hi], scl[lo:hi], dkl[lo:hi], texts[lo:hi], strict=True)]
