"""Reads for the core app: the bureau's audit-log search."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def _day_start(d: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d, dt.time.min))


def audit_search(*, actor: str = "", action: str = "", target: str = "", date_from: dt.date | None = None,
                 date_to: dt.date | None = None, action_code: str = "") -> QuerySet[AuditEvent]:
    """Audit rows, newest first. `actor`: a user id, user name or name; `action`: exact or a prefix ending
    in "." or "*" (e.g. "seeker." ); `action_code`: one exact code (the page's labelled picker; both apply
    when both are given); `target`: "type#id" (seekers.seeker#12), a type, or an id;
    dates are local days, both inclusive."""
    qs = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    actor = (actor or "").strip()
    if actor:
        cond = Q(actor__username=actor) | Q(actor__display_name=actor)
        if actor.isdigit():
            cond |= Q(actor_id=int(actor))
        qs = qs.filter(cond)
    action = (action or "").strip()
    if action:
        qs = qs.filter(action__startswith=action.rstrip("*")) if action.endswith((".", "*", "_")) \
            else qs.filter(action=action)
    action_code = (action_code or "").strip()
    if action_code:
        qs = qs.filter(action=action_code)
    target = (target or "").strip()
    if target:
        if "#" in target:
            ttype, _, tid = target.partition("#")
            qs = qs.filter(target_type=ttype.strip().lower(), target_id=tid.strip())
        elif "." in target:
            qs = qs.filter(target_type=target.lower())
        else:
            qs = qs.filter(target_id=target)
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs
