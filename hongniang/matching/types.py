"""Plain input and output records of the matching engine (no Django, no ORM).

All money is CNY per month as integers; an unknown value is ``None``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SHIFTS = ("day", "two_shift", "three_shift", "flexible", "part_time", "home_piecework")
BENEFITS = ("board", "lodging", "shuttle", "social_insurance")
#: shifts that are not full-time work (the unavailable-months rule does not apply to them)
NON_FULL_TIME = frozenset({"part_time", "home_piecework"})

SHIFT_ZH = {
    "day": "长白班",
    "two_shift": "两班倒",
    "three_shift": "三班倒",
    "flexible": "弹性",
    "part_time": "兼职",
    "home_piecework": "居家计件",
}
BENEFIT_ZH = {"board": "包吃", "lodging": "包住", "shuttle": "班车", "social_insurance": "五险一金"}


@dataclass(frozen=True, slots=True)
class Job:
    """One open posting, as the engine sees it."""

    job_id: str | int
    occupation_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    wage_min: int | None = None
    wage_max: int | None = None
    shift: str | None = None
    headcount: int = 1
    age_min: int | None = None
    age_max: int | None = None
    certificates: tuple[str, ...] = ()
    benefits: frozenset[str] = field(default_factory=frozenset)
    posted_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.shift is not None and self.shift not in SHIFTS:
            raise ValueError(f"unknown shift {self.shift!r}")
        bad = set(self.benefits) - set(BENEFITS)
        if bad:
            raise ValueError(f"unknown benefits {sorted(bad)}")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must both be given or both be unknown")
        if self.headcount is None or self.headcount < 1:
            raise ValueError("headcount must be at least 1")

    @property
    def full_time(self) -> bool:
        """Unknown shift counts as full-time (the conservative reading for the unavailable-months rule)."""
        return self.shift not in NON_FULL_TIME


@dataclass(frozen=True, slots=True)
class Seeker:
    """One person looking for work, as the engine sees them."""

    seeker_id: str | int
    lat: float | None = None
    lon: float | None = None
    birth_year: int | None = None
    occupations: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    expected_wage: int | None = None
    shifts: frozenset[str] = field(default_factory=frozenset)
    max_commute_km: float | None = None
    relocate: bool = False
    unavailable_months: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        bad = set(self.shifts) - set(SHIFTS)
        if bad:
            raise ValueError(f"unknown shifts {sorted(bad)}")
        if any(not 1 <= m <= 12 for m in self.unavailable_months):
            raise ValueError("unavailable months must be 1-12")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must both be given or both be unknown")


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked recommendation: a job for a seeker (or a seeker for a job)."""

    job_id: str | int
    seeker_id: str | int
    score: float
    reasons: str
    distance_km: float | None = None
