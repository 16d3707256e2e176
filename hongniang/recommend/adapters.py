"""Turn database rows into the matching engine's plain records (the only place that knows both sides)."""

from __future__ import annotations

import datetime as dt

from hongniang.matching import BENEFITS, SHIFTS, Job, Seeker

JOB_FIELDS = ("id", "occupation_id", "lat", "lon", "monthly_min", "monthly_max", "shift", "headcount", "age_min",
              "age_max", "certificates", "board", "lodging", "shuttle", "social_insurance", "published_at")
SEEKER_FIELDS = ("id", "lat", "lon", "birth_year", "desired_occupations", "certificates", "expected_pay",
                 "acceptable_shifts", "max_commute_km", "relocate", "unavailable_months")


def job_from_row(row: dict) -> Job:
    """The engine's record of a posting row. ``row["taken"]`` (optional): places already taken on it (offers and
    hires); the engine's headcount is then the positions still open (at least 1 while the posting is published), so
    the congestion prices stop sending people to a posting whose places are nearly all taken."""
    published = row.get("published_at")
    has_loc = row.get("lat") is not None and row.get("lon") is not None
    return Job(
        job_id=row["id"],
        occupation_code=row.get("occupation_id") or None,
        lat=row["lat"] if has_loc else None,
        lon=row["lon"] if has_loc else None,
        wage_min=row.get("monthly_min"),
        wage_max=row.get("monthly_max"),
        shift=row.get("shift") if row.get("shift") in SHIFTS else None,
        headcount=max(1, int(row.get("headcount") or 1) - int(row.get("taken") or 0)),
        age_min=row.get("age_min"),
        age_max=row.get("age_max"),
        certificates=tuple(row.get("certificates") or ()),
        benefits=frozenset(b for b in BENEFITS if row.get(b)),
        posted_on=published.date() if isinstance(published, dt.datetime) else published,
    )


def job_from_posting(posting) -> Job:
    return job_from_row({f: getattr(posting, "id" if f == "id" else f) for f in JOB_FIELDS})


def seeker_from_row(row: dict) -> Seeker:
    has_loc = row.get("lat") is not None and row.get("lon") is not None
    months = frozenset(int(m) for m in (row.get("unavailable_months") or ()) if str(m).isdigit() and 1 <= int(m) <= 12)
    return Seeker(
        seeker_id=row["id"],
        lat=row["lat"] if has_loc else None,
        lon=row["lon"] if has_loc else None,
        birth_year=row.get("birth_year"),
        occupations=tuple(row.get("desired_occupations") or ()),
        certificates=tuple(row.get("certificates") or ()),
        expected_wage=row.get("expected_pay"),
        shifts=frozenset(s for s in (row.get("acceptable_shifts") or ()) if s in SHIFTS),
        max_commute_km=float(row["max_commute_km"]) if row.get("max_commute_km") else None,
        relocate=bool(row.get("relocate")),
        unavailable_months=months,
    )


def seeker_from_model(seeker) -> Seeker:
    return seeker_from_row({f: getattr(seeker, f) for f in SEEKER_FIELDS})
