"""Roles come from memberships. These helpers are the one place that answers "who may see what"."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import PermissionDeniedError


def is_bureau(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.is_bureau))


def is_staff_or_bureau(user) -> bool:
    """Staff of any service point, or the bureau: who may use the staff workspace."""
    return bool(service_point_ids(user)) or is_bureau(user)


def require_bureau(user, message: str = gettext_lazy("只有人社局工作人员可以进行此操作")) -> None:
    """The one bureau check of services and endpoints: PermissionDeniedError (403) unless the bureau."""
    if not is_bureau(user):
        raise PermissionDeniedError(message)


def require_staff(user, message: str = gettext_lazy("只有就业之家工作人员可以使用站点工作台")) -> None:
    """The one staff check of services and endpoints: logged in, and staff of a point or the bureau."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(_("请先登录"))
    if not is_staff_or_bureau(user):
        raise PermissionDeniedError(message)


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


def may_log_in_by_sms(user) -> bool:
    """A code texted to the phone logs in a plain account (a seeker's, a gig worker's). Accounts that see other
    people's data (HR, staff, the bureau, the admin) log in with their password only."""
    return bool(user is not None and user.is_active and not (
        user.is_staff or user.is_superuser or is_bureau(user) or enterprise_ids(user) or service_point_ids(user)))
