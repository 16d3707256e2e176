"""Gig assignments: signing up, confirming or rejecting, cancelling from either side, inviting a former worker back."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError

from ..machines import ASSIGNMENT, ORDER
from ..models import (
    ACTIVE_ASSIGNMENT,
    WORKING_ASSIGNMENT,
    GigAssignment,
    GigEmployer,
    GigOrder,
    GigWorker,
    OrderStatus,
)
from ..permissions import (
    employs,
    is_order_staff,
    require_manager,
    require_worker_self,
    worker_of,
)
from .base import (
    LATE_CANCEL_HOURS,
    S,
    _employer_user,
    _lock_assignment,
    _lock_order,
    _now,
    _order_start,
    notify,
)
from .orders import _refresh_fill


def signup(*, actor, order: GigOrder, worker: GigWorker | None = None) -> GigAssignment:
    """A worker signs up for an open order (or staff sign up a walk-in worker)."""
    own = worker_of(actor)
    if worker is None:
        worker = own
    if worker is None:
        raise PermissionDeniedError(_("请先登记为零工（手机号和姓名即可）"), code="not_a_worker")
    if worker != own and not is_order_staff(actor, order) and not roles.is_bureau(actor):
        raise PermissionDeniedError(_("只能为自己报名"))
    # Read before the transaction what no sign-up changes: on SQLite the write lock is held from BEGIN to COMMIT
    # (on PostgreSQL the order's row lock), so every read inside keeps the crowd's other sign-ups waiting. Whose
    # order it is, who hears of the sign-up, and whether this worker has a row for it at all (almost never: the
    # pair is unique in the database, so a second sign-up at the same moment fails its INSERT, below).
    own_order = bool(worker.user_id and employs(worker.user, order))
    employer_user = _employer_user(order)
    earlier = _assignment_pk(order, worker)
    try:
        with transaction.atomic():
            order = _lock_order(order)
            require_signup_open(order)
            if own_order:
                raise Conflict(_("不能报名自己发布的订单"))
            existing = _lock_assignment_pk(earlier) if earlier else None
            if existing:
                if existing.status != S.CANCELLED_BY_WORKER:
                    raise Conflict(_("您已报名过该订单"), code="already_signed_up")
                existing.order, existing.worker = order, worker
                ASSIGNMENT.transition(existing, "resignup", actor=actor, reason="重新报名", lock=False)
                a = existing
            else:
                a = GigAssignment.objects.create(order=order, worker=worker, status=S.SIGNED_UP)
                ASSIGNMENT.record(a, "signup", actor=actor)
            if employer_user is not None:
                notify(user=employer_user, order=order, sms=False,
                       text=f"【红娘零工】{worker.masked_name} 报名了您 {order.date:%m月%d日} 的{order.get_work_type_display()}订单，请确认。")
    except IntegrityError:
        if GigAssignment.objects.filter(order=order, worker=worker).exists():
            # the same worker's other sign-up for this order committed first (a double tap): nothing was written
            raise Conflict(_("您已报名过该订单"), code="already_signed_up") from None
        raise
    return a


def require_signup_open(order: GigOrder, now=None) -> None:
    """New people (a sign-up, an invitation) only while the order takes them: open, and its sign-up time
    (the last day's start, GigOrder.signup_closes_at) not passed. Conflict codes: order_not_open (filled,
    cancelled, completed), order_ended (its work time is over), order_started (it has begun)."""
    now = now or _now()
    if order.is_active and order.has_ended(now):
        raise Conflict(_("该订单已结束，不能再报名"), code="order_ended")
    if not ORDER.can(order, "sign_up"):
        raise Conflict(_("该订单已不再招人"), code="order_not_open")
    if order.signup_closed(now):
        raise Conflict(_("该订单已开工，不再报名"), code="order_started")


def _assignment_pk(order: GigOrder, worker: GigWorker) -> int | None:
    return GigAssignment.objects.filter(order=order, worker=worker).values_list("pk", flat=True).first()


def _lock_assignment_pk(pk: int) -> GigAssignment | None:
    return GigAssignment.objects.select_for_update().filter(pk=pk).first()


def _confirmation_text(order: GigOrder, *, for_worker: bool, worker: GigWorker | None = None) -> str:
    when = f"{order.date:%m月%d日}" + (f"至{order.end_date:%m月%d日}" if order.end_date else "")
    when += f" {order.start_time:%H:%M}-{order.end_time:%H:%M}"
    place = f"{order.region.full_name}{order.address}"
    if for_worker:
        return (f"【红娘零工】您已被录用：{order.get_work_type_display()}，{when}，地点：{place}，"
                f"联系人：{order.contact_name} {order.contact_phone}，工钱：{order.pay_label}。到场请扫码签到。")
    return (f"【红娘零工】已确认 {worker.name}（{worker.phone}）参加 {when} 的{order.get_work_type_display()}，"
            f"地点：{place}。")


def require_confirm_open(order: GigOrder, now=None) -> None:
    """Turning a sign-up or an invitation into a confirmed worker (录用, accepting an invitation). Before the
    start as before; once the work has begun (sign-up closed at the last day's start), a worker who signed up in
    time may still be confirmed the same day — they may be standing at the gate — until the work time ends
    (GigOrder.takes_confirmations), also once the order is in progress while it has room. Conflict codes:
    order_ended (its work time is over), order_not_open (filled, cancelled, completed), order_full (in
    progress with every place taken). `order` is the locked row."""
    now = now or _now()
    if order.is_active and order.has_ended(now):
        raise Conflict(_("该订单已结束，不能再录用"), code="order_ended")
    if not order.takes_confirmations(now):
        raise Conflict(_("订单已招满或已结束，不能再录用"), code="order_not_open")
    if order.status == OrderStatus.IN_PROGRESS and order.assignments.filter(
            status__in=WORKING_ASSIGNMENT).count() >= order.headcount:
        raise Conflict(_("订单人已招满，不能再录用"), code="order_full")


def confirm(*, actor, assignment: GigAssignment) -> GigAssignment:
    """The employer (or staff) confirms who works (require_confirm_open: until the order's work time ends).
    Both sides get time, place and contact."""
    require_manager(actor, assignment.order)
    with transaction.atomic():
        order = _lock_order(assignment.order)
        a = _lock_assignment(assignment)
        require_confirm_open(order)
        ASSIGNMENT.transition(a, "confirm", actor=actor, lock=False, fields={"confirmed_at": _now()})
        _refresh_fill(order, actor=actor)
        _send_confirmations(order, a.worker)
    return a


def _send_confirmations(order: GigOrder, worker: GigWorker) -> None:
    notify(user=worker.user, phone=worker.phone, order=order, text=_confirmation_text(order, for_worker=True))
    notify(user=_employer_user(order), phone=order.contact_phone, order=order,
           text=_confirmation_text(order, for_worker=False, worker=worker))


def reject(*, actor, assignment: GigAssignment, reason: str = "") -> GigAssignment:
    require_manager(actor, assignment.order)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        ASSIGNMENT.transition(a, "reject", actor=actor, reason=reason, lock=False)
        notify(user=a.worker.user, order=a.order, sms=False,
               text=f"【红娘零工】{a.order.date:%m月%d日}的{a.order.get_work_type_display()}订单这次没有录用您，看看其他订单吧。")
    return a


def cancel_by_worker(*, actor, assignment: GigAssignment, reason: str = "") -> GigAssignment:
    """The worker withdraws. Withdrawing a confirmed gig less than 12 h before the start counts."""
    require_worker_self(actor, assignment)
    with transaction.atomic():
        a = _lock_assignment(assignment)
        order = _lock_order(a.order)
        was_confirmed = a.status in (S.CONFIRMED,)
        ASSIGNMENT.transition(a, "cancel_by_worker", actor=actor, reason=reason, lock=False)
        if was_confirmed:
            if _order_start(order) - _now() < dt.timedelta(hours=LATE_CANCEL_HOURS):
                GigWorker.objects.filter(pk=a.worker_id).update(late_cancel_count=F("late_cancel_count") + 1)
            _refresh_fill(order, actor=actor)
            notify(user=_employer_user(order), phone=order.contact_phone, order=order,
                   text=f"【红娘零工】{a.worker.masked_name} 取消了 {order.date:%m月%d日} 的{order.get_work_type_display()}。")
    return a


def cancel_by_employer(*, actor, assignment: GigAssignment, reason: str) -> GigAssignment:
    require_manager(actor, assignment.order)
    if not (reason or "").strip():
        raise InvalidInput(_("请填写原因"), field="reason")
    with transaction.atomic():
        a = _lock_assignment(assignment)
        order = _lock_order(a.order)
        was_confirmed = a.status == S.CONFIRMED
        ASSIGNMENT.transition(a, "cancel_by_employer", actor=actor, reason=reason, lock=False)
        if was_confirmed and _order_start(order) - _now() < dt.timedelta(hours=LATE_CANCEL_HOURS):
            GigEmployer.objects.filter(pk=order.employer_id).update(late_cancel_count=F("late_cancel_count") + 1)
        _refresh_fill(order, actor=actor)
        notify(user=a.worker.user, phone=a.worker.phone, order=order,
               text=f"【红娘零工】雇主取消了您 {order.date:%m月%d日} 的{order.get_work_type_display()}：{reason}")
    return a


def rehire(*, actor, order: GigOrder, worker: GigWorker) -> GigAssignment:
    """One tap: invite a worker who worked for this employer before to an open order."""
    require_manager(actor, order)
    if not GigAssignment.objects.filter(order__employer_id=order.employer_id, worker=worker,
                                        status__in=(S.CHECKED_OUT, S.PAID, S.SETTLED, S.DISPUTED)).exists():
        raise PermissionDeniedError(_("只能再次雇用为您干过活的工人"), code="not_previous_worker")
    with transaction.atomic():
        order = _lock_order(order)
        require_signup_open(order)
        a, created = GigAssignment.objects.get_or_create(order=order, worker=worker,
                                                         defaults={"status": S.INVITED})
        if not created:
            if a.status in ACTIVE_ASSIGNMENT:
                raise Conflict(_("该工人已在这张订单上"), code="already_signed_up")
            ASSIGNMENT.transition(a, "reinvite", actor=actor, reason="再次雇用", lock=False)
        else:
            ASSIGNMENT.record(a, "invite", actor=actor, reason="再次雇用")
        notify(user=worker.user, phone=worker.phone, order=order,
               text=f"【红娘零工】{order.employer.name} 想再请您干活：{order.get_work_type_display()}，"
                    f"{order.date:%m月%d日} {order.start_time:%H:%M}，{order.pay_label}。打开“我的零工”接受。")
    return a


def accept_invite(*, actor, assignment: GigAssignment) -> GigAssignment:
    require_worker_self(actor, assignment)
    with transaction.atomic():
        order = _lock_order(assignment.order)
        a = _lock_assignment(assignment)
        require_confirm_open(order)
        ASSIGNMENT.transition(a, "accept", actor=actor, lock=False, fields={"confirmed_at": _now()})
        _refresh_fill(order, actor=actor)
        _send_confirmations(order, a.worker)
    return a
