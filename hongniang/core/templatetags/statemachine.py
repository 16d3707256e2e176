"""Buttons from the state machine: `{% load statemachine %}{% allowed_actions obj request.user as acts %}`
gives the names of the actions that will work now for this user (`{% if "close" in acts %}…`), and
`{% machine_buttons obj request.user as buttons %}` the same as dicts (name, label, style, reason_required).
Templates ask the machine instead of repeating its table as `status ==` tests."""

from __future__ import annotations

from django import template

from hongniang.core.statemachine import machine_for

register = template.Library()


@register.simple_tag
def allowed_actions(obj, user, field: str = "") -> list[str]:
    if obj is None:
        return []
    return machine_for(obj, field or None).allowed_names(obj, user)


@register.simple_tag
def machine_buttons(obj, user, field: str = "") -> list[dict]:
    if obj is None:
        return []
    return machine_for(obj, field or None).buttons(obj, user)
