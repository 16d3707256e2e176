"""The matching engine's public API: seeker -> jobs, job -> candidates, batch, and the capacity-aware mode.

The work is split by concern: ``reference`` (the rules in plain Python), ``single`` (one seeker's search),
``blocks`` (batch blocks), ``candidates`` (job -> seekers), ``prices`` (capacity-aware prices), ``reasons``
(reason texts)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator

import numpy as np

from .blocks import SeekerBatch, _score_block
from .candidates import rank_candidates
from .config import MatchConfig
from .core import (
    NO_DATE,
    unit_vector,
)
from .explain import job_reasons
from .index import JobIndex
from .prices import _as_batch, estimate_prices, soft_scores
from .reasons import _block_matches, _reasons
from .reference import _today, chord_to_km, violations
from .single import _recommend_one
from .types import Job, Match, Seeker

# --------------------------------------------------------------------------- public API


def recommend_jobs(
    seeker: Seeker, index: JobIndex, top: int = 20, capacity_aware: bool = True, today: dt.date | None = None
) -> list[Match]:
    """The best ``top`` open jobs for one seeker, best first. Hard rules are never broken.

    capacity_aware=True ranks by the allocation: work close to what the person named first (the rest only fills
    the end of the list, "其他可以考虑的工作"), and each score times the job's capacity penalty exp(-price) (see
    ``estimate_prices``; without estimated prices only the tiers apply). ``Match.score`` is the soft score 0-100.
    """
    today = _today(today)
    ptr, slots, score, chord, far, occ_e = _recommend_one(seeker, index, top, today, capacity_aware)
    if not slots.size:
        return []
    dk = chord_to_km(chord)
    exp = math.nan if seeker.expected_wage is None else float(seeker.expected_wage)
    occs = occ_e if seeker.occupations else np.full(occ_e.size, np.nan)
    reasons = _reasons(index, slots, dk, far, np.full(slots.size, exp), occs, today.toordinal())
    score = soft_scores(index, slots, score, occ_e, bool(seeker.occupations[: index.config.max_desired]), capacity_aware)
    sl, dk = slots.tolist(), dk.tolist()
    jobs, sid = index.jobs, seeker.seeker_id
    return [Match(jobs[slot].job_id, sid, round(sc, 3), rs, None if d != d else round(d, 3))
            for slot, sc, d, rs in zip(sl, score.tolist(), dk, reasons, strict=True)]


def explain_match(seeker: Seeker, job: Job, config: MatchConfig | None = None, today: dt.date | None = None) -> Match | None:
    """Score and explain one pair (None if a hard rule excludes it; see ``violations`` for which)."""
    idx = JobIndex([job], config=config)
    res = recommend_jobs(seeker, idx, top=1, capacity_aware=False, today=today)
    return res[0] if res else None


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
        for r, lst in _block_matches(index, sb, rows, res, today, capacity_aware=capacity_aware):
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
