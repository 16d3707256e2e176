"""Pay facts, each in one place.

Minimum wage: the settings (MINIMUM_WAGE_MONTHLY, MINIMUM_WAGE_HOURLY; Jiangxi class 3 for Ruijin by default) —
read only through these functions. A day's minimum is the monthly one over the statutory average of 21.75
working days. A working month for estimates is DAYS_PER_MONTH days of HOURS_PER_DAY hours: the posting parser's
(hongniang.zh.posting), so estimates from a pasted ad and from a form agree. The pure libraries (zh, matching)
take the minimum wage as an argument; their defaults are Ruijin's."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from hongniang.zh.posting import DAYS_PER_MONTH, HOURS_PER_DAY

STATUTORY_DAYS_PER_MONTH = Decimal("21.75")

__all__ = ["DAYS_PER_MONTH", "HOURS_PER_DAY", "STATUTORY_DAYS_PER_MONTH", "minimum_daily", "minimum_hourly",
           "minimum_monthly"]


def minimum_monthly() -> int:
    """CNY per month."""
    return int(settings.MINIMUM_WAGE_MONTHLY)


def minimum_hourly() -> Decimal:
    """CNY per hour."""
    return Decimal(str(settings.MINIMUM_WAGE_HOURLY))


def minimum_daily() -> Decimal:
    """CNY per day: the monthly minimum over 21.75 working days, to the fen."""
    return (Decimal(minimum_monthly()) / STATUTORY_DAYS_PER_MONTH).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
