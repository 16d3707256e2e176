"""Gig orders: the rules of an order, posting it, cancelling, starting and completing it, filling and reopening as
workers come and go, and telling matching workers about it."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.errors import Conflict, FieldErrors, InvalidInput, PermissionDeniedError
from hongniang.geo.models import ServicePoint

from ..machines import ASSIGNMENT, ORDER
from ..models import (
    ACTIVE_ASSIGNMENT,
    GigEmployer,
    GigOrder,
    GigPayType,
    OrderStatus,
    WorkType,
    scheduled_hours,
)
from ..permissions import (
    employer_ids_for,
    require_manager,
)
from ..selectors import candidates
from .base import (
    LATE_CANCEL_HOURS,
    MAX_DAYS_AHEAD,
    MAX_ORDER_DAYS,
    S,
    _lock_order,
    _money,
    _now,
    _order_start,
    _phone,
    minimum_hourly,
    notify,
)

# ------------------------------------------------------------------------------------------------ orders

def validate_order_fields(*, work_type, date, end_date, start_time, end_time, pay_type, pay_rate,
                          piece_hourly_estimate, headcount, address, region) -> dict:
    """Check the business rules; return the computed values. Raises one InvalidInput naming every field that
    is wrong (its message is the first one, in the order of the form)."""
    errors = FieldErrors()
    if work_type not in WorkType.values:
        errors.add("work_type", _("请选择工种"))
    today = timezone.localdate()
    if date is None:
        errors.add("date", _("请选择开工日期"))
    elif date < today:
        errors.add("date", _("开工日期不能早于今天"))
    elif date > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        errors.add("date", _("只能发布 %(days)s 天以内的订单") % {"days": MAX_DAYS_AHEAD})
    if end_date is not None and end_date == date:
        end_date = None
    if end_date is not None and date is not None:
        if end_date < date:
            errors.add("end_date", _("结束日期不能早于开工日期"))
        elif (end_date - date).days + 1 > MAX_ORDER_DAYS:
            errors.add("end_date", _("零工订单最长 %(days)s 天") % {"days": MAX_ORDER_DAYS})
    times_ok = False
    if start_time is None or end_time is None:
        errors.add("start_time" if start_time is None else "end_time", _("请填写开始和结束时间"))
    elif end_time <= start_time:
        errors.add("end_time", _("结束时间必须晚于开始时间"))
    else:
        times_ok = True
        if date == today and timezone.make_aware(dt.datetime.combine(date, end_time)) <= _now():
            errors.add("start_time", _("该时段已经过去，请选择之后的时间"))
    try:
        headcount = int(headcount)
    except (TypeError, ValueError):
        errors.add("headcount", _("请填写要几个人"))
    else:
        if headcount < 1:
            errors.add("headcount", _("至少要 1 个人"))
        elif headcount > 500:
            errors.add("headcount", _("一张订单最多 500 人"))
    if not (address or "").strip():
        errors.add("address", _("请填写详细地址"))
    if region is None:
        errors.add("region", _("请选择乡镇或村"))
    if pay_type not in GigPayType.values:
        errors.add("pay_type", _("请选择计薪方式"))
    rate = errors.check("pay_rate", _money, pay_rate, "pay_rate", _("工钱"))
    hours = scheduled_hours(start_time, end_time) if times_ok else None
    minimum = minimum_hourly()
    piece_est = None
    if pay_type == GigPayType.HOUR:
        if rate is not None and rate < minimum:
            errors.add("pay_rate", _("时薪不能低于最低工资标准 %(minimum)s 元/小时") % {"minimum": minimum})
    elif pay_type == GigPayType.DAY:
        if rate is not None and hours is not None:
            floor = (minimum * hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if rate < floor:
                errors.add("pay_rate", _("日薪不能低于 %(floor)s 元（%(hours)s 小时 × 最低工资 %(minimum)s 元/小时）") % {"floor": floor, "hours": hours, "minimum": minimum})
    elif pay_type == GigPayType.PIECE:
        if piece_hourly_estimate in (None, ""):
            errors.add("piece_hourly_estimate", _("计件请填写正常速度下折合每小时能挣多少钱"))
        else:
            piece_est = errors.check("piece_hourly_estimate", _money, piece_hourly_estimate,
                                     "piece_hourly_estimate", _("折合时薪"))
            if piece_est is not None and piece_est < minimum:
                errors.add("piece_hourly_estimate", _("计件折合时薪不能低于最低工资标准 %(minimum)s 元/小时") % {"minimum": minimum})
    errors.raise_if_any()
    days = ((end_date or date) - date).days + 1
    return dict(end_date=end_date, headcount=headcount, pay_rate=rate, piece_hourly_estimate=piece_est,
                total_per_worker=order_total(pay_type, rate, hours, days=days, piece_hourly_estimate=piece_est))


def order_total(pay_type: str, pay_rate: Decimal, hours: Decimal, *, days: int = 1,
                piece_hourly_estimate: Decimal | None = None) -> Decimal:
    """What one worker earns for the whole order (total_per_worker): the hourly rate times the scheduled hours,
    the day rate, or for piece work the worker's estimated hourly earnings times the hours; times the days."""
    if pay_type == GigPayType.HOUR:
        total = pay_rate * hours * days
    elif pay_type == GigPayType.DAY:
        total = pay_rate * days
    else:
        total = piece_hourly_estimate * hours * days
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def order_create(*, actor, employer: GigEmployer, work_type: str, date: dt.date, start_time: dt.time,
                 end_time: dt.time, region, address: str, pay_type: str, pay_rate, headcount,
                 end_date: dt.date | None = None, piece_unit: str = "", piece_hourly_estimate=None,
                 requirements: str = "", meals_provided: bool = False, transport_provided: bool = False,
                 lat: float | None = None, lon: float | None = None, title: str = "",
                 contact_name: str = "", contact_phone: str = "", service_point=None) -> GigOrder:
    """Post a gig order: the employer themselves, or staff on their behalf (recorded as the point)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError(_("请先登录"), code="unauthorized")
    acting_as_staff = False
    if employer.pk not in employer_ids_for(actor):
        points = roles.service_point_ids(actor)
        if not points and not roles.is_bureau(actor):
            raise PermissionDeniedError(_("只能为自己的单位发布订单"))
        acting_as_staff = True
        if service_point is None and points:
            service_point = ServicePoint.objects.get(pk=points[0])
    elif service_point is not None and service_point.pk not in roles.service_point_ids(actor):
        service_point = None
    if employer.enterprise_id is None and employer.phone_verified_at is None:
        raise PermissionDeniedError(_("个人雇主需先验证手机号"), code="phone_unverified")
    if employer.enterprise_id is not None and not employer.enterprise.is_verified:
        raise PermissionDeniedError(_("单位通过认证后才能发布零工订单"), code="enterprise_unverified")
    errors = FieldErrors()
    values = errors.check("__all__", validate_order_fields, work_type=work_type, date=date, end_date=end_date,
                          start_time=start_time, end_time=end_time, pay_type=pay_type, pay_rate=pay_rate,
                          piece_hourly_estimate=piece_hourly_estimate, headcount=headcount, address=address,
                          region=region)
    if pay_type == GigPayType.PIECE and not (piece_unit or "").strip():
        errors.add("piece_unit", _("请填写计件单位，如 斤、箱、件"))
    contact_phone = (contact_phone or "").strip()
    if contact_phone:
        contact_phone = errors.check("contact_phone", _phone, contact_phone, "contact_phone")
    errors.raise_if_any()
    with transaction.atomic():
        # lock the employer so a concurrent arrears alert and this order cannot both win
        emp = GigEmployer.objects.select_for_update().get(pk=employer.pk)
        if emp.is_blocked:
            raise PermissionDeniedError(_("该雇主有未处理的欠薪预警，结清工钱后才能发布新订单"),
                                        code="employer_blocked")
        township = region.township
        order = GigOrder.objects.create(
            employer=emp, work_type=work_type, title=(title or "").strip()[:60], date=date,
            start_time=start_time, end_time=end_time, region=region, township=township,
            address=address.strip()[:200], lat=lat if lat is not None else region.lat,
            lon=lon if lon is not None else region.lon, pay_type=pay_type, piece_unit=(piece_unit or "").strip()[:20],
            requirements=(requirements or "").strip(), meals_provided=bool(meals_provided),
            transport_provided=bool(transport_provided),
            contact_name=(contact_name or "").strip()[:50] or emp.name[:50],
            contact_phone=contact_phone or emp.phone, service_point=service_point if acting_as_staff else None,
            posted_by=actor, **values)
        ORDER.record(order, "create", actor=actor, reason="工作人员代发" if acting_as_staff else "")
    return order


def order_cancel(*, actor, order: GigOrder, reason: str) -> GigOrder:
    require_manager(actor, order)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写取消原因"), field="reason")
    with transaction.atomic():
        order = _lock_order(order)
        ORDER.transition(order, "cancel", actor=actor, reason=reason, lock=False,
                         fields={"cancel_reason": reason[:200]})
        late = _order_start(order) - _now() < dt.timedelta(hours=LATE_CANCEL_HOURS)
        had_confirmed = False
        for a in order.assignments.select_for_update().select_related("worker").filter(status__in=ACTIVE_ASSIGNMENT):
            had_confirmed |= a.status == S.CONFIRMED
            ASSIGNMENT.transition(a, "order_cancelled", actor=actor, reason=reason, lock=False)
            notify(user=a.worker.user, phone=a.worker.phone, order=order,
                   text=f"【红娘零工】{order.date:%m月%d日}的{order.get_work_type_display()}订单已被雇主取消：{reason}")
        if late and had_confirmed:
            GigEmployer.objects.filter(pk=order.employer_id).update(late_cancel_count=F("late_cancel_count") + 1)
    return order


def order_start(*, actor, order: GigOrder) -> GigOrder:
    require_manager(actor, order)
    with transaction.atomic():
        order = _lock_order(order)
        ORDER.transition(order, "start", actor=actor, lock=False)
    return order


def order_complete(*, actor, order: GigOrder) -> GigOrder:
    """Finish the order. Every confirmed worker must be checked out or marked as a no-show first."""
    require_manager(actor, order)
    with transaction.atomic():
        order = _lock_order(order)
        if order.assignments.filter(status__in=(S.CONFIRMED, S.CHECKED_IN)).exists():
            raise Conflict(_("还有工人未签退或未标记未到岗，请先处理"), code="assignments_open")
        if order.status in (OrderStatus.OPEN, OrderStatus.FILLED) and _order_start(order) > _now():
            raise Conflict(_("订单还没有开工，不能完工"), code="invalid_transition")
        ORDER.transition(order, "complete", actor=actor, lock=False)
        for a in order.assignments.select_for_update().filter(status__in=ASSIGNMENT.statuses_with("close_unconfirmed")):
            ASSIGNMENT.transition(a, "close_unconfirmed", actor=actor, reason="订单已完工", lock=False)
    return order


def _refresh_fill(order: GigOrder, *, actor) -> None:
    """open ⇄ filled as confirmed workers come and go."""
    working = order.assignments.filter(status__in=(S.CONFIRMED, S.CHECKED_IN, S.CHECKED_OUT, S.PAID, S.SETTLED,
                                                   S.DISPUTED)).count()
    if order.status == OrderStatus.OPEN and working >= order.headcount:
        ORDER.transition(order, "fill", actor=actor, reason="人已招满", lock=False)
    elif order.status == OrderStatus.FILLED and working < order.headcount:
        ORDER.transition(order, "reopen", actor=actor, reason="有人取消，重新招人", lock=False)



def notify_candidates(*, actor, order: GigOrder, limit: int = 20) -> int:
    """Tell the best-matching free workers about an open order (inbox + SMS outbox)."""
    require_manager(actor, order)
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("该订单已不再招人"), code="order_not_open")
    if order.signup_closed(_now()):
        raise Conflict(_("该订单已开工，不再报名"), code="order_started")
    found = candidates(order, limit=limit)
    with transaction.atomic():
        for c in found:
            notify(user=c.worker.user, phone=c.worker.phone, order=order,
                   text=f"【红娘零工】{order.date:%m月%d日} {order.start_time:%H:%M} 附近有{order.get_work_type_display()}的活，"
                        f"{order.pay_label}，{order.region.full_name}。打开红娘零工报名。")
    return len(found)
