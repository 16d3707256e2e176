"""Who may do what in the gig market: the employers a user acts for, the staff of an order's point, managers of an
order, the worker themselves. Used by the services, the state machines' buttons, the selectors and the views."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.errors import PermissionDeniedError
from hongniang.geo.models import ServicePoint

from .models import GigAssignment, GigEmployer, GigOrder, GigWorker


def employer_ids_for(user) -> list[int]:
    """Gig employers the user acts for: their enterprises' and their own individual one."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_gig_employer_ids", None)
    if cache is None:
        ent = roles.enterprise_ids(user)
        cond = Q(user=user, enterprise__isnull=True)
        if ent:
            cond |= Q(enterprise_id__in=ent)
        cache = list(GigEmployer.objects.filter(cond).values_list("pk", flat=True))
        user._gig_employer_ids = cache
    return cache


def acts_for_employer(user, employer: GigEmployer) -> bool:
    """Whether the user acts for this gig employer (employer_ids_for, for one employer whose row is loaded: at most
    the user's enterprise memberships are read, once per request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if employer.enterprise_id is None:
        return employer.user_id == user.pk
    return employer.enterprise_id in roles.enterprise_ids(user)


def employs(user, order: GigOrder) -> bool:
    """Whether the user acts for the order's employer (from its row when loaded with the order)."""
    if GigOrder.employer.is_cached(order):
        return acts_for_employer(user, order.employer)
    return order.employer_id in employer_ids_for(user)


def is_order_staff(user, order: GigOrder) -> bool:
    """Staff of the point that posted the order, or of a point in the order's township."""
    points = roles.service_point_ids(user)
    if not points:
        return False
    if order.service_point_id and order.service_point_id in points:
        return True
    township = order.township_id or order.region_id
    return ServicePoint.objects.filter(pk__in=points, region_id__in=[township, order.region_id]).exists() or \
        ServicePoint.objects.filter(pk__in=points, region__parent_id=township).exists()


def can_manage_order(user, order: GigOrder) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.is_bureau(user):
        return True
    if employs(user, order):
        return True
    # one answer per order and request (the buttons of every assignment on a page ask it)
    cache = user.__dict__.setdefault("_gig_order_staff", {})
    if order.pk not in cache:
        cache[order.pk] = is_order_staff(user, order)
    return cache[order.pk]


def require_manager(user, order: GigOrder) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError(_("请先登录"), code="unauthorized")
    if not can_manage_order(user, order):
        raise PermissionDeniedError(_("只有该订单的雇主或站点工作人员可以操作"))


def worker_of(user) -> GigWorker | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.gig_worker
    except GigWorker.DoesNotExist:
        return None


def may_see_worker_record(user, worker: GigWorker) -> bool:
    """A worker's gig record: the worker, the bureau, staff of the worker's point or of a point that posted one
    of the worker's orders, and employers the worker signed up with (a reference for hiring them, not a
    directory of everybody's history)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if roles.is_bureau(user) or (worker.user_id and worker.user_id == user.pk):
        return True
    points = roles.service_point_ids(user)
    if points and worker.service_point_id in points:
        return True
    orders = GigAssignment.objects.filter(worker=worker)
    if points and orders.filter(order__service_point_id__in=points).exists():
        return True
    employers = employer_ids_for(user)
    return bool(employers) and orders.filter(order__employer_id__in=employers).exists()


def is_worker_self(user, assignment: GigAssignment) -> bool:
    """The assignment's worker is this user (no query when the assignment's worker is loaded)."""
    return bool(getattr(user, "is_authenticated", False) and assignment.worker.user_id == user.pk)


def require_worker_self(user, assignment: GigAssignment) -> None:
    w = worker_of(user)
    if w is None or w.pk != assignment.worker_id:
        raise PermissionDeniedError(_("只有该工人本人可以操作"))
