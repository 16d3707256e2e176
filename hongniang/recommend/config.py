"""The matching engine's configuration for this deployment: the settings' facts (the minimum wage) in a
``MatchConfig``, with the county's newest active calibration of the soft score's weights (``fit_matching``).
Every index built inside the platform uses it."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError

from hongniang.matching import MatchConfig
from hongniang.matching.learn import calibrated_config

from .models import MatchCalibration


def base_config() -> MatchConfig:
    """``MatchConfig`` with the settings' minimum monthly wage (``MINIMUM_WAGE_MONTHLY``), hand-set weights."""
    return MatchConfig(minimum_wage_monthly=int(settings.MINIMUM_WAGE_MONTHLY))


def active_calibration():
    try:
        return MatchCalibration.objects.filter(active=True).first()
    except DatabaseError:  # before migrations (a fresh machine)
        return None


def match_config() -> MatchConfig:
    """The settings' ``MatchConfig`` with the active calibration's weights, if any."""
    cal = active_calibration()
    return calibrated_config(base_config(), {"weights": cal.weights} if cal else None)


def engine_label(capacity_aware: bool = True) -> str:
    """How lists are made now, stored with each impression (the dashboard compares them)."""
    cal = active_calibration()
    return f"{'capacity' if capacity_aware else 'plain'}/{f'cal-{cal.pk}' if cal else 'hand-set'}"
