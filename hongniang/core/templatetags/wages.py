"""Pay facts for templates, from hongniang.core.wages (the settings): `{% load wages %}{% minimum_wage_hourly %}`
instead of writing the figure into the page."""

from __future__ import annotations

from django import template

from hongniang.core import wages

register = template.Library()


@register.simple_tag
def minimum_wage_monthly() -> int:
    """CNY per month, e.g. 1610."""
    return wages.minimum_monthly()


@register.simple_tag
def minimum_wage_hourly() -> str:
    """CNY per hour without trailing zeros, e.g. "16.1"."""
    return f"{wages.minimum_hourly().normalize():f}"
