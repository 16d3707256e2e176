"""Shift and benefit codes, shared with the matching library: the codes are read from hongniang.matching (one
list for the engine, the postings, the seekers' preferences and the forms); here they get their Chinese labels
for Django (translated through gettext). catalog/tests/test_codes.py checks that both agree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hongniang.matching import BENEFITS as BENEFIT_CODES
from hongniang.matching import SHIFTS as SHIFT_CODES


class Shift(models.TextChoices):
    DAY = "day", _("长白班")
    TWO_SHIFT = "two_shift", _("两班倒")
    THREE_SHIFT = "three_shift", _("三班倒")
    FLEXIBLE = "flexible", _("弹性")
    PART_TIME = "part_time", _("兼职")
    HOME_PIECEWORK = "home_piecework", _("居家计件")


_BENEFIT_LABELS = {"board": "包吃", "lodging": "包住", "shuttle": "班车", "social_insurance": "五险一金"}

#: benefit code → label, in the matching library's order (the postings' boolean columns have these names)
BENEFITS: dict[str, str] = {code: _BENEFIT_LABELS[code] for code in BENEFIT_CODES}

__all__ = ["BENEFITS", "BENEFIT_CODES", "SHIFT_CODES", "Shift"]
