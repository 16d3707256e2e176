"""Roles come from memberships. These helpers are the one place that answers "who may see what"."""

from __future__ import annotations

from django.db.models import QuerySet


def is_bureau(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.is_bureau))


def seeker_of(user):
    """The user's own seeker profile, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.seeker
    except Exception:  # RelatedObjectDoesNotExist
        return None


def enterprise_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_enterprise_ids", None)
    if cache is None:
        cache = list(user.enterprise_memberships.values_list("enterprise_id", flat=True))
        user._enterprise_ids = cache
    return cache


def service_point_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_service_point_ids", None)
    if cache is None:
        cache = list(user.staff_memberships.values_list("service_point_id", flat=True))
        user._service_point_ids = cache
    return cache


def is_enterprise_hr(user, enterprise_id: int | None = None) -> bool:
    ids = enterprise_ids(user)
    return bool(ids) if enterprise_id is None else enterprise_id in ids


def is_staff_member(user, service_point_id: int | None = None) -> bool:
    ids = service_point_ids(user)
    return bool(ids) if service_point_id is None else service_point_id in ids


def visible_seekers(user, qs: QuerySet | None = None) -> QuerySet:
    """Seekers whose records this user may list: own profile; staff: their points' seekers; bureau: all."""
    from hongniang.seekers.models import Seeker

    qs = Seeker.objects.all() if qs is None else qs
    if is_bureau(user):
        return qs
    points = service_point_ids(user)
    own = seeker_of(user)
    from django.db.models import Q

    cond = Q(pk__in=[])
    if points:
        cond |= Q(service_point_id__in=points)
    if own is not None:
        cond |= Q(pk=own.pk)
    return qs.filter(cond)


def may_see_seeker_in_full(user, seeker) -> bool:
    """Full personal data: the seeker; staff of the seeker's point; the bureau; an enterprise the
    seeker applied to."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_bureau(user):
        return True
    if seeker.user_id and seeker.user_id == user.pk:
        return True
    if seeker.service_point_id and seeker.service_point_id in service_point_ids(user):
        return True
    ent = enterprise_ids(user)
    if ent:
        return (seeker.applications.filter(posting__enterprise_id__in=ent)
                .exclude(status="withdrawn").exists())
    return False
