"""Attendance: the order's check-in QR code, checking in and out (by scan or at the desk), no-shows."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError

from ..machines import ASSIGNMENT, ORDER
from ..models import (
    GigAssignment,
    GigOrder,
    GigWorker,
    OrderStatus,
)
from ..permissions import (
    is_order_staff,
    require_manager,
    require_worker_self,
    worker_of,
)
from .base import CHECKIN_SALT, S, _lock_assignment, _lock_order, _now, _order_end, _order_start, notify

# After the order's last day (+ the check-in window's 6 hours) a printed code is dead; a code printed before
# expiry dates existed lives LEGACY_TOKEN_DAYS from when it was made (signing.dumps stamps the time).
TOKEN_GRACE = dt.timedelta(hours=6)
LEGACY_TOKEN_DAYS = 2


def min_worked_minutes() -> int:
    """A check-out sooner than this after the check-in is refused (a second scan is taken as a double scan)."""
    return int(getattr(settings, "GIG_MIN_WORKED_MINUTES", 30))


def checkin_token(order: GigOrder) -> str:
    expires = int((_order_end(order) + TOKEN_GRACE).timestamp())
    return signing.dumps({"o": order.pk, "e": expires}, salt=CHECKIN_SALT, compress=True)


def order_from_token(token: str) -> GigOrder:
    """The order of a check-in QR code; NotFoundError for a forged, garbled or expired code."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
        if "e" in data:
            if timezone.now().timestamp() > int(data["e"]):
                raise signing.SignatureExpired("the order is over")
        else:  # a code made before codes carried their expiry: alive for a short while after it was made
            signing.loads(token, salt=CHECKIN_SALT, max_age=dt.timedelta(days=LEGACY_TOKEN_DAYS))
        return GigOrder.objects.select_related("employer", "region").get(pk=int(data["o"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, GigOrder.DoesNotExist):
        raise NotFoundError(_("二维码无效或已过期，请向雇主或就业之家工作人员确认")) from None


def _check_window(order: GigOrder) -> None:
    now = _now()
    opens = _order_start(order) - dt.timedelta(hours=2)
    closes = _order_end(order) + dt.timedelta(hours=6)
    if now < opens:
        raise Conflict(_("还没到签到时间（开工前 2 小时内可签到）"), code="too_early")
    if now > closes:
        raise Conflict(_("订单已结束，无法签到，请联系雇主或工作人员"), code="too_late")


def _method_for(actor, assignment) -> str:
    if worker_of(actor) is not None and worker_of(actor).pk == assignment.worker_id:
        return "qr"
    if is_order_staff(actor, assignment.order):
        return "desk"
    return "employer"


def check_in(*, actor, assignment: GigAssignment, via_token: bool = False) -> GigAssignment:
    """The worker scans the order's QR code (via_token), or the employer / desk staff confirm it."""
    if via_token:
        require_worker_self(actor, assignment)
    else:
        require_manager(actor, assignment.order)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        order = _lock_order(a.order)
        if order.status not in (OrderStatus.OPEN, OrderStatus.FILLED, OrderStatus.IN_PROGRESS):
            raise Conflict(_("订单已结束或已取消"), code="invalid_transition")
        _check_window(order)
        ASSIGNMENT.transition(a, "check_in", actor=actor, lock=False, fields={
            "checked_in_at": _now(), "check_method": "qr" if via_token else _method_for(actor, a)})
        if ORDER.can(order, "start"):
            ORDER.transition(order, "start", actor=actor, reason="首位工人签到", lock=False)
    return a


def _hours_between(order: GigOrder, start: dt.datetime, end: dt.datetime) -> Decimal:
    seconds = max(0, (end - start).total_seconds())
    hours = Decimal(seconds) / Decimal(3600)
    if timezone.localtime(start).date() != timezone.localtime(end).date():
        # multi-day gig checked in once and out once: count the scheduled hours of the days covered
        days = (timezone.localtime(end).date() - timezone.localtime(start).date()).days + 1
        hours = min(hours, order.hours_per_day * days)
    return hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_out(*, actor, assignment: GigAssignment, via_token: bool = False, hours=None) -> GigAssignment:
    """Record the end of work and the hours worked (measured, or given by the employer / desk). Not sooner than
    GIG_MIN_WORKED_MINUTES after the check-in, and given hours not below that either: an employer cannot record
    a few minutes of work to pay a few jiao."""
    if via_token:
        require_worker_self(actor, assignment)
        hours = None
    else:
        require_manager(actor, assignment.order)
    least = min_worked_minutes()
    with transaction.atomic():
        a = _lock_assignment(assignment)
        ASSIGNMENT.check(a, "check_out")
        a.checked_out_at = _now()
        if hours not in (None, ""):
            try:
                h = Decimal(str(hours)[:20]).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                raise InvalidInput(_("工时请填写数字"), field="hours") from None
            if not h.is_finite() or h <= 0 or h > 24 * a.order.days:
                raise InvalidInput(_("工时不合理"), field="hours")
            if h * 60 < least:
                raise InvalidInput(_("工时不能少于 %(least)s 分钟") % {"least": least}, field="hours", code="too_short")
            a.hours_worked = h
        else:
            if a.checked_in_at and a.checked_out_at - a.checked_in_at < dt.timedelta(minutes=least):
                raise Conflict(_("签到不到 %(least)s 分钟，不能签退") % {"least": least}, code="too_short")
            a.hours_worked = _hours_between(a.order, a.checked_in_at, a.checked_out_at)
        ASSIGNMENT.transition(a, "check_out", actor=actor, lock=False,
                              fields={"checked_out_at": a.checked_out_at, "hours_worked": a.hours_worked})
        GigWorker.objects.filter(pk=a.worker_id).update(completed_count=F("completed_count") + 1)
        notify(user=a.worker.user, order=a.order, sms=False,
               text=f"【红娘零工】已签退，工时 {a.hours_worked} 小时。雇主付款后请在“我的零工”确认收款。")
    return a


def scan(*, actor, token: str) -> GigAssignment:
    """What the QR code does: first scan checks in, second checks out."""
    order = order_from_token(token)
    w = worker_of(actor)
    if w is None:
        raise PermissionDeniedError(_("请先登录后再扫码签到"), code="unauthorized")
    a = GigAssignment.objects.filter(order=order, worker=w).select_related("order").first()
    if a is None or a.status not in (S.CONFIRMED, S.CHECKED_IN):
        raise PermissionDeniedError(_("您不在这张订单的录用名单上，请联系雇主"), code="not_confirmed")
    if a.status == S.CONFIRMED:
        return check_in(actor=actor, assignment=a, via_token=True)
    if a.checked_in_at and _now() - a.checked_in_at < dt.timedelta(minutes=min_worked_minutes()):
        # a double scan (or an early one): still checked in; the answer says so instead of checking out
        a.just_checked_in = True
        return a
    return check_out(actor=actor, assignment=a, via_token=True)


def mark_no_show(*, actor, assignment: GigAssignment) -> GigAssignment:
    require_manager(actor, assignment.order)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        if _order_start(a.order) > _now():
            raise Conflict(_("还没到开工时间，不能标记未到岗"), code="too_early")
        ASSIGNMENT.transition(a, "no_show", actor=actor, reason="未到岗", lock=False)
        if not a.order.confirmed_late(a.confirmed_at):  # confirmed once the work had begun: never told to come
            GigWorker.objects.filter(pk=a.worker_id).update(no_show_count=F("no_show_count") + 1)
    return a
