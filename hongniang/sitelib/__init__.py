"""因人设厂 (siting): where do the people who could do a job live, and where should a branch, a village workshop or
a shuttle route go to reach the most of them. A pure library (stdlib + numpy + scipy; no Django), checked by the
import-linter contract. The hard rules, occupation codes, the CSV reader and the distance come from
``hongniang.matching`` (imported, never copied). See docs/siting.md.

    pop = build_population(seekers, Query(radius_km=10, occupations=("6-05-01-03",), shift="day"))
    cov = build_coverage(pop, sites)
    rank_single(cov)                      # sites by people in reach
    greedy_cover(cov, k=3)                # the greedy answer
    exact_cover(cov, k=3)                 # HiGHS integer program: exact, says whether proven optimal
"""

from .cover import CoverResult, evaluate, exact_cover, greedy_cover, order_chosen, rank_single
from .model import (
    AGE_BANDS,
    AVAILABILITY,
    Coverage,
    Population,
    Query,
    QueryError,
    Site,
    age_band,
    availability_of,
    build_coverage,
    build_population,
    hours_weight,
    occupation_matches,
)
from .whatif import shuttle_gain, workshop_gain

__all__ = [
    "AGE_BANDS",
    "AVAILABILITY",
    "Coverage",
    "CoverResult",
    "Population",
    "Query",
    "QueryError",
    "Site",
    "age_band",
    "availability_of",
    "build_coverage",
    "build_population",
    "evaluate",
    "exact_cover",
    "greedy_cover",
    "hours_weight",
    "occupation_matches",
    "order_chosen",
    "rank_single",
    "shuttle_gain",
    "workshop_gain",
]
