"""Who may do what with village workshops: the owner of a workshop (a person, or HR of the owning enterprise),
the enterprise of an order, staff of a service point for the workshops in their townships, the bureau for
everything, and a worker for their own pieces and wages. Used by the services, the machines' buttons and the
selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.errors import PermissionDeniedError
from hongniang.geo.models import Region, RegionKind, ServicePoint

from .models import OutsourcingOrder, Share, WageLine, Workshop, WorkshopWorker


def _authed(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def owned_workshop_ids(user) -> list[int]:
    """Workshops the user runs: their own, and those of the enterprises they are HR of."""
    if not _authed(user):
        return []
    cache = getattr(user, "_owned_workshop_ids", None)
    if cache is None:
        from django.db.models import Q

        cond = Q(owner_user=user)
        ent = roles.enterprise_ids(user)
        if ent:
            cond |= Q(owner_enterprise_id__in=ent)
        cache = list(Workshop.objects.filter(cond).values_list("pk", flat=True))
        user._owned_workshop_ids = cache
    return cache


def is_workshop_owner(user) -> bool:
    return bool(owned_workshop_ids(user))


def is_workshop_worker(user) -> bool:
    """A person who works at a workshop with their own log-in (sees their piece wages)."""
    if not _authed(user):
        return False
    cache = getattr(user, "_is_workshop_worker", None)
    if cache is None:
        cache = WorkshopWorker.objects.filter(user=user).exists()
        user._is_workshop_worker = cache
    return cache


def staff_township_codes(user) -> set[str]:
    """The townships of the user's service points (a village point: its township; the county centre: every
    township of the county)."""
    if not _authed(user):
        return set()
    cache = getattr(user, "_ws_townships", None)
    if cache is None:
        cache = set()
        for region in Region.objects.filter(
                pk__in=ServicePoint.objects.filter(pk__in=roles.service_point_ids(user)).values("region_id")):
            if region.kind == RegionKind.TOWNSHIP:
                cache.add(region.code)
            elif region.kind == RegionKind.VILLAGE and region.parent_id:
                cache.add(region.parent_id)
            elif region.kind == RegionKind.COUNTY:
                cache |= set(Region.objects.filter(parent=region, kind=RegionKind.TOWNSHIP)
                             .values_list("code", flat=True))
        user._ws_townships = cache
    return cache


def owns(user, workshop: Workshop) -> bool:
    return workshop.pk in owned_workshop_ids(user)


def is_area_staff(user, workshop: Workshop) -> bool:
    return bool(workshop.township_id) and workshop.township_id in staff_township_codes(user)


def can_see_workshop(user, workshop: Workshop) -> bool:
    return roles.is_bureau(user) or owns(user, workshop) or is_area_staff(user, workshop)


def can_act_for_workshop(user, workshop: Workshop) -> bool:
    """The owner, staff of its township (helping an owner at the desk) or the bureau."""
    return can_see_workshop(user, workshop)


def can_manage_order(user, order: OutsourcingOrder) -> bool:
    """The order's enterprise (its HR) or the bureau."""
    return _authed(user) and (roles.is_bureau(user) or order.enterprise_id in roles.enterprise_ids(user))


def can_see_order(user, order: OutsourcingOrder) -> bool:
    if can_manage_order(user, order):
        return True
    mine = owned_workshop_ids(user)
    if mine and order.shares.filter(workshop_id__in=mine).exists():
        return True
    towns = staff_township_codes(user)
    return bool(towns) and order.shares.filter(workshop__township_id__in=towns).exists()


def may_see_share(user, share: Share) -> bool:
    return can_manage_order(user, share.order) or can_see_workshop(user, share.workshop)


def is_wage_worker(user, wage: WageLine) -> bool:
    return _authed(user) and wage.worker.user_id == user.pk


def require_login(user) -> None:
    if not _authed(user):
        raise PermissionDeniedError(_("请先登录"), code="unauthorized")


def require_manager(user, order: OutsourcingOrder) -> None:
    require_login(user)
    if not can_manage_order(user, order):
        raise PermissionDeniedError(_("只有发单企业可以操作这个订单"))


def require_workshop(user, workshop: Workshop) -> None:
    require_login(user)
    if not can_act_for_workshop(user, workshop):
        raise PermissionDeniedError(_("只有该车间负责人或所在乡镇的工作人员可以操作"))
