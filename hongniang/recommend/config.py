"""The matching engine's configuration for this deployment: the settings' facts (the minimum wage) in a
``MatchConfig``. Every index built inside the platform uses it."""

from __future__ import annotations

from django.conf import settings

from hongniang.matching import MatchConfig


def match_config() -> MatchConfig:
    """``MatchConfig`` with the settings' minimum monthly wage (``MINIMUM_WAGE_MONTHLY``)."""
    return MatchConfig(minimum_wage_monthly=int(settings.MINIMUM_WAGE_MONTHLY))
