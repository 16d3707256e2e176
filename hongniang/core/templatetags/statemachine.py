"""Buttons from the state machine: `{% load statemachine %}{% allowed_actions obj request.user as acts %}`
gives the names of the actions that will work now for this user (`{% if "close" in acts %}…`), and
`{% machine_buttons obj request.user as buttons %}` the same as dicts (name, label, style, reason_required), and
`{% status_allows obj "rebook" as ok %}` whether the record's status lets the action start, whoever asks (for a
page shown to someone the action's permission does not name, e.g. a seeker confirming their own lead by SMS).
Templates ask the machine instead of repeating its table as `status ==` tests."""

from __future__ import annotations

from django import template
from django.db.models import Model

from hongniang.core.statemachine import machine_for

register = template.Library()


@register.simple_tag
def allowed_actions(obj, user, field: str = "") -> list[str]:
    if not isinstance(obj, Model):  # None, or a variable the context does not have
        return []
    return machine_for(obj, field or None).allowed_names(obj, user)


@register.simple_tag
def machine_buttons(obj, user, field: str = "") -> list[dict]:
    if not isinstance(obj, Model):  # None, or a variable the context does not have
        return []
    return machine_for(obj, field or None).buttons(obj, user)


@register.simple_tag
def status_allows(obj, action: str, field: str = "") -> bool:
    if not isinstance(obj, Model):  # None, or a variable the context does not have
        return False
    return machine_for(obj, field or None).can(obj, action)
