"""Pay: the employer records what was paid, the worker confirms or disputes it; arrears alerts when pay is late;
ratings both ways once the work is done."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError

from ..machines import ASSIGNMENT
from ..models import (
    UNSETTLED_ASSIGNMENT,
    ArrearsAlert,
    GigAssignment,
    PayMethod,
    Rating,
    RatingDirection,
)
from ..permissions import (
    can_manage_order,
    require_manager,
    require_worker_self,
    worker_of,
)
from .base import S, _employer_user, _lock_assignment, _money, _now, arrears_hours, minimum_hourly, notify


def pay_record(*, actor, assignment: GigAssignment, amount, method: str, paid_at: dt.datetime | None = None
               ) -> GigAssignment:
    """The employer (or desk staff) records what was paid. Allowed after check-out, or again after a dispute."""
    require_manager(actor, assignment.order)
    amount = _money(amount, "amount", _("金额"))
    if method not in PayMethod.values:
        raise InvalidInput(_("请选择付款方式（现金或转账）"), field="method")
    paid_at = paid_at or _now()
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at)
    if paid_at > _now() + dt.timedelta(minutes=5):
        raise InvalidInput(_("付款时间不能晚于现在"), field="paid_at")
    with transaction.atomic():
        a = _lock_assignment(assignment)
        if a.checked_in_at and paid_at < a.checked_in_at - dt.timedelta(days=1):
            raise InvalidInput(_("付款时间早于开工时间"), field="paid_at")
        if a.hours_worked:
            floor = (a.hours_worked * minimum_hourly()).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if amount < floor:
                raise InvalidInput(_("实付 %(amount)s 元低于最低工资（%(hours_worked)s 小时 × %(minimum_hourly)s 元 = %(floor)s 元）") % {"amount": amount, "hours_worked": a.hours_worked, "minimum_hourly": minimum_hourly(), "floor": floor},
                                   field="amount")
            promised = promised_pay(a)
            if amount < promised:
                raise InvalidInput(_("实付 %(amount)s 元低于订单约定的工钱（按实际工时应付 %(promised)s 元）") % {"amount": amount, "promised": promised},
                                   field="amount", code="below_promised")
        ASSIGNMENT.transition(a, "pay", actor=actor, lock=False, reason=f"{PayMethod(method).label} {amount} 元",
                              fields={"pay_amount": amount, "pay_method": method, "paid_at": paid_at,
                                      "worker_confirmed_at": None})
        notify(user=a.worker.user, phone=a.worker.phone, order=a.order,
               text=f"【红娘零工】雇主登记已付您 {amount} 元（{PayMethod(method).label}）。"
                    f"请在“我的零工”确认收到，或提出异议。")
    return a


def promised_pay(a: GigAssignment) -> Decimal:
    """What the order promised this worker for the hours worked: the order's total per worker, in proportion
    to the share of the scheduled hours worked (never more than the total)."""
    order = a.order
    scheduled = order.hours_per_day * order.days
    if not scheduled or not order.total_per_worker:
        return Decimal("0")
    share = min(Decimal(1), (a.hours_worked or Decimal(0)) / scheduled)
    return (order.total_per_worker * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pay_confirm(*, actor, assignment: GigAssignment) -> GigAssignment:
    """The worker confirms the money arrived: settled, and any arrears alert on it is resolved."""
    require_worker_self(actor, assignment)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        ASSIGNMENT.transition(a, "pay_confirm", actor=actor, lock=False, fields={"worker_confirmed_at": _now()})
        _resolve_alerts_for(a, actor=actor, resolution="工人已确认收款")
    return a


def pay_dispute(*, actor, assignment: GigAssignment, reason: str) -> GigAssignment:
    require_worker_self(actor, assignment)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请说明哪里不对，例如：少给了 50 元"), field="reason")
    with transaction.atomic():
        a = _lock_assignment(assignment)
        ASSIGNMENT.transition(a, "dispute", actor=actor, reason=reason, lock=False,
                              fields={"dispute_reason": reason[:200]})
        notify(user=_employer_user(a.order), phone=a.order.contact_phone, order=a.order,
               text=f"【红娘零工】{a.worker.masked_name} 对工钱有异议：{reason[:60]}。请尽快处理。")
    return a


# --------------------------------------------------------------------------------------------- arrears

def _resolve_alerts_for(a: GigAssignment, *, actor, resolution: str) -> int:
    return ArrearsAlert.objects.filter(assignment=a, resolved_at__isnull=True).update(
        resolved_at=_now(), resolved_by=actor if getattr(actor, "is_authenticated", False) else None,
        resolution=resolution[:200])


def overdue_assignments(now: dt.datetime | None = None):
    """Assignments whose pay was due (check-out + GIG_ARREARS_HOURS) but is not settled and that never had
    an alert (an alert is raised once; the bureau follows it up until it is resolved)."""
    now = now or _now()
    deadline = now - dt.timedelta(hours=arrears_hours())
    return (GigAssignment.objects.filter(status__in=UNSETTLED_ASSIGNMENT, checked_out_at__lte=deadline)
            .exclude(pk__in=ArrearsAlert.objects.values("assignment_id"))
            .select_related("order", "order__employer", "worker").order_by("checked_out_at", "pk"))


def arrears_raise(*, assignment: GigAssignment, now: dt.datetime | None = None) -> ArrearsAlert | None:
    """Raise one alert for an overdue assignment (idempotent: None if one is already open)."""
    now = now or _now()
    a = assignment
    reason = {S.CHECKED_OUT: "签退后超时未登记付款", S.PAID: "已登记付款但工人超时未确认收到",
              S.DISPUTED: "工钱有争议，超时未解决"}.get(a.status, "工钱未结清")
    try:
        with transaction.atomic():
            alert = ArrearsAlert.objects.create(assignment=a, order=a.order, employer=a.order.employer,
                                                raised_at=now, reason=reason)
    except IntegrityError:
        return None
    notify(user=_employer_user(a.order), phone=a.order.contact_phone, order=a.order,
           text=f"【红娘零工】欠薪预警：{a.order.date:%m月%d日}{a.order.get_work_type_display()}，"
                f"{a.worker.masked_name} 的工钱{reason}。处理前不能发布新订单。")
    notify(user=a.worker.user, order=a.order, sms=False,
           text="【红娘零工】您的工钱已超时未结清，已报人社局跟进。")
    return alert


def arrears_resolve(*, actor, alert: ArrearsAlert, resolution: str) -> ArrearsAlert:
    """Bureau staff close an alert with a reason (e.g. paid in cash, confirmed by phone)."""
    roles.require_bureau(actor, _("只有人社局工作人员可以处理欠薪预警"))
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput(_("请填写处理结果"), field="resolution")
    with transaction.atomic():
        alert = ArrearsAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.resolved_at:
            raise Conflict(_("该预警已处理"))
        alert.resolved_at, alert.resolved_by, alert.resolution = _now(), actor, resolution[:200]
        alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit(actor=actor, action="gigs.arrears_resolve", target=alert, reason=resolution)
    return alert


# ---------------------------------------------------------------------------------------------- rating

def rate(*, actor, assignment: GigAssignment, stars: int, comment: str = "") -> Rating:
    """Both sides rate each other once the work is done (checked out) or the worker did not show."""
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        raise InvalidInput(_("请选择 1 到 5 颗星"), field="stars") from None
    if not 1 <= stars <= 5:
        raise InvalidInput(_("请选择 1 到 5 颗星"), field="stars")
    w = worker_of(actor)
    if w is not None and w.pk == assignment.worker_id:
        direction, action = RatingDirection.WORKER_TO_EMPLOYER, "rate_employer"
    elif can_manage_order(actor, assignment.order):
        direction, action = RatingDirection.EMPLOYER_TO_WORKER, "rate_worker"
    else:
        raise PermissionDeniedError(_("只有参与这次派工的双方可以评价"))
    ASSIGNMENT.check(assignment, action)
    try:
        with transaction.atomic():
            return Rating.objects.create(assignment=assignment, order=assignment.order, direction=direction,
                                         from_user=actor, worker=assignment.worker,
                                         employer=assignment.order.employer, stars=stars,
                                         comment=(comment or "").strip()[:200])
    except IntegrityError:
        raise Conflict(_("您已经评价过了"), code="already_rated") from None
