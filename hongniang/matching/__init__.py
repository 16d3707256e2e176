"""Matching engine (pure library: stdlib + numpy only; no Django).

Seeker -> jobs (``recommend_jobs``), job -> candidates (``rank_candidates``), batch (``batch_recommend``),
capacity-aware prices (``estimate_prices``), explanations (``explain_match``, ``violations``).
See docs/matching.md.
"""

from .config import MatchConfig
from .engine import (
    SeekerBatch,
    batch_recommend,
    estimate_prices,
    explain_match,
    rank_candidates,
    recommend_jobs,
    violations,
)
from .explain import job_reasons, seeker_reasons
from .index import JobIndex, SeekerIndex
from .types import BENEFITS, SHIFTS, Job, Match, Seeker

__all__ = [
    "Job",
    "Seeker",
    "Match",
    "MatchConfig",
    "JobIndex",
    "SeekerIndex",
    "SeekerBatch",
    "recommend_jobs",
    "rank_candidates",
    "batch_recommend",
    "estimate_prices",
    "explain_match",
    "violations",
    "job_reasons",
    "seeker_reasons",
    "SHIFTS",
    "BENEFITS",
]
