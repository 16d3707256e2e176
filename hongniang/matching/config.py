"""Tunables of the matching engine. Defaults are for Ruijin, Jiangxi (2025)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: the default legal minimum monthly wage, Jiangxi class-3 area (Ruijin), CNY. The platform passes the settings'
#: MINIMUM_WAGE_MONTHLY (hongniang.recommend.config); core/tests/test_wage_facts.py checks that they agree.
MINIMUM_WAGE_MONTHLY = 1610


@dataclass(frozen=True)
class MatchConfig:
    #: legal minimum monthly wage, Jiangxi class-3 area (Ruijin), CNY
    minimum_wage_monthly: int = MINIMUM_WAGE_MONTHLY
    #: a shuttle bus extends a seeker's reach by this many km
    shuttle_extra_km: float = 10.0
    #: maximum commute assumed when the seeker did not say
    default_max_commute_km: float = 20.0
    #: expected wage assumed when the seeker did not say (CNY/month)
    default_expected_wage: int = 3000
    #: the unavailable-months rule looks at the current month plus this many following months
    unavailable_horizon_months: int = 0
    #: at most this many desired occupations of a seeker are used
    max_desired: int = 5
    #: grid cell edge of the spatial prefilter, km
    cell_km: float = 10.0
    #: reference latitude for the grid (cells are ~cell_km wide here; correctness does not depend on it)
    reference_lat: float = 25.9
    #: occupation closeness by level: same occupation, same minor group, same medium group, same major group
    occupation_tiers: tuple[float, float, float, float] = (1.0, 0.6, 0.3, 0.1)
    #: closeness multiplier by position in the seeker's list (1st, 2nd, ...); the last value repeats
    desire_decay: tuple[float, ...] = (1.0, 0.85, 0.72, 0.62, 0.55)
    #: half-life-like time scale of posting freshness, days
    freshness_days: float = 21.0
    #: general desirability of shift patterns (seekers prefer day work)
    shift_desirability: dict = field(
        default_factory=lambda: {
            "day": 1.0,
            "flexible": 0.9,
            "part_time": 0.8,
            "home_piecework": 0.8,
            "two_shift": 0.6,
            "three_shift": 0.45,
        }
    )
    #: benefit values (sum to 1)
    benefit_values: dict = field(
        default_factory=lambda: {"board": 0.2, "lodging": 0.25, "shuttle": 0.2, "social_insurance": 0.35}
    )
    #: weights of the seeker-side fit (the job's fit for the person)
    w_occupation: float = 0.30
    w_pay: float = 0.25
    w_distance: float = 0.20
    w_shift: float = 0.10
    w_benefits: float = 0.10
    w_fresh: float = 0.05
    #: weights of the employer-side fit (the person's fit for the job)
    e_occupation: float = 0.50
    e_near: float = 0.20
    e_afford: float = 0.20
    e_available: float = 0.10
    #: employer prefers people living within this distance (km, linear fall-off)
    e_near_km: float = 40.0
    #: capacity-aware mode (the allocation, see prices.py): a job far from every occupation the person named (not
    #: the same occupation, not the same minor group; or no occupation given) has its score multiplied by this, so it
    #: only fills the end of a list when nothing closer is available (1.0: no tiers)
    far_tier: float = 1e-4
    #: capacity-aware lists hold at most this many items of far work (None: no limit). On the market simulation the
    #: items beyond the third placed 0-0.2 % of the people (docs/matching.md, occupation fit)
    far_max: int | None = 3
    #: estimated chance that a look at a job ends in a hire: (score / 100) ** alloc_gamma (x alloc_far_weight when far)
    alloc_gamma: float = 3.0
    alloc_far_weight: float = 0.2
    #: a person looks at the next item of their list with this probability (the browsing model of the allocation)
    alloc_continue: float = 0.75
    #: candidates per person considered by the allocation: this many times the list length
    alloc_candidates: float = 3.0
    #: iterations of the damped price update, and its damping (share of the new estimate per iteration)
    price_rounds: int = 40
    price_damping: float = 0.5
    #: the largest price (score multiplier exp(-max_price)); high enough that crowding is never capped in practice
    max_price: float = 3.0
    #: the allocation looks at this many seekers at most (whole place-blocks, scaled up)
    demand_sample: int = 50_000
