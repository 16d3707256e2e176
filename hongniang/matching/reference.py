"""The reference implementation: the hard rules in plain Python (``violations``), and small helpers."""

from __future__ import annotations

import datetime as dt

import numpy as np

from .config import MatchConfig
from .core import (
    EARTH_R,
    haversine_km,
)
from .types import NON_FULL_TIME, Job, Seeker


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
