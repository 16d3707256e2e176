"""Calibration: for sites opened through the platform, the predicted headcount against the actual headcount 3, 6
and 12 months after opening (the goal: within ±20 % for most sites).

The actual headcount on a day is the number of hires at the site who had started by that day and had not left
(a follow-up that found them no longer working, on or before the day, counts as leaving)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CHECKPOINTS = (3, 6, 12)
TOLERANCE = 0.20


def add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


@dataclass(frozen=True)
class Hire:
    started: dt.date
    left: dt.date | None = None  # the first day known not to be working there


def headcount_on(hires: Iterable[Hire], day: dt.date) -> int:
    return sum(1 for h in hires if h.started <= day and (h.left is None or h.left > day))


def calibrate(*, opened_on: dt.date, predicted: dict[int, int | None], hires: list[Hire], today: dt.date) -> list[dict]:
    """One row per checkpoint: months, date, predicted, actual (None before the date), error (actual / predicted
    - 1) and whether it is within the tolerance."""
    rows = []
    for months in CHECKPOINTS:
        day = add_months(opened_on, months)
        pred = predicted.get(months)
        actual = headcount_on(hires, day) if day <= today else None
        err = within = None
        if actual is not None and pred:
            err = actual / pred - 1.0
            within = abs(err) <= TOLERANCE + 1e-12
        rows.append({"months": months, "date": day, "predicted": pred, "actual": actual, "error": err,
                     "within": within})
    return rows


def summary(rows_by_site: Iterable[list[dict]]) -> dict:
    """Per checkpoint: how many sites have an actual figure and how many of those are within the tolerance."""
    out = {m: {"sites": 0, "within": 0} for m in CHECKPOINTS}
    for rows in rows_by_site:
        for r in rows:
            if r["within"] is not None:
                out[r["months"]]["sites"] += 1
                out[r["months"]]["within"] += int(r["within"])
    return out
