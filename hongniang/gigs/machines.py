"""The gig market's state machines (the kit in hongniang.core.statemachine).

An order:       open ⇄ filled (as confirmed workers come and go); open | filled ──start──► in_progress
                ──complete──► completed; open | filled ──cancel──► cancelled
An assignment:  signed_up ──confirm──► confirmed ──check_in──► checked_in ──check_out──► checked_out
                ──pay──► paid ──pay_confirm──► settled (paid | checked_out ──dispute──► disputed ──pay──► paid);
                invited ──accept──► confirmed; the worker cancels, the employer cancels or rejects, no_show.

The services (hongniang.gigs.services) are the one write path; the pages ask `allowed_actions` which buttons to
show. Actions with target None ("find_workers", "sign_up", "rate_worker", "rate_employer") are buttons only: they
never move the status."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniang.core.statemachine import Action, StateMachine

from .models import AssignmentEvent, AssignmentStatus, GigAssignment, GigOrder, OrderEvent, OrderStatus
from .permissions import can_manage_order, is_worker_self

OS = OrderStatus
S = AssignmentStatus

ACTIVE = (S.INVITED, S.SIGNED_UP, S.CONFIRMED, S.CHECKED_IN)
DONE = (S.CHECKED_OUT, S.PAID, S.SETTLED, S.DISPUTED)


def order_started(order) -> bool:
    return timezone.make_aware(dt.datetime.combine(order.date, order.start_time)) <= timezone.now()


def _manager(user, order) -> bool:
    return can_manage_order(user, order)


def _taking_people(user, order) -> bool:
    """Sign-up still open by the clock (the status check is the action's own sources)."""
    return not order.signup_closed()


def _manager_taking_people(user, order) -> bool:
    return _taking_people(user, order) and can_manage_order(user, order)


def _may_complete(user, order) -> bool:
    return can_manage_order(user, order) and (order.status == OS.IN_PROGRESS or order_started(order))


def _system(user, obj) -> bool:
    return False


ORDER = StateMachine(
    GigOrder, event_model=OrderEvent, event_fk="order", noun=_("订单"), touch_fields=("updated_at",),
    message=_("订单当前状态为“%(status)s”，不能进行此操作"),
    actions=[
        Action("find_workers", {OS.OPEN}, None, label=_("看看合适的工人"), allowed=_manager_taking_people),
        # a worker signs up (assignments.signup; the page shows it to everyone but the order's managers) until
        # the order's sign-up time (its last day's start) passes: the clock, read at read time, no stored move
        Action("sign_up", {OS.OPEN}, None, label=_("我要报名"), button=False, message=_("该订单已不再招人"),
               allowed=_taking_people),
        Action("start", {OS.OPEN, OS.FILLED}, OS.IN_PROGRESS, label=_("开工"), allowed=_manager),
        Action("cancel", {OS.OPEN, OS.FILLED}, OS.CANCELLED, label=_("取消订单"), allowed=_manager,
               reason_required=True),
        Action("complete", {OS.IN_PROGRESS, OS.OPEN, OS.FILLED}, OS.COMPLETED, label=_("完工"), allowed=_may_complete,
               style="primary"),
        Action("fill", {OS.OPEN}, OS.FILLED, label=_("招满"), allowed=_system),
        Action("reopen", {OS.FILLED}, OS.OPEN, label=_("重新招人"), allowed=_system),
        Action("create", (), OS.OPEN, label=_("发布"), allowed=_system),
    ],
)


def _manager_of(user, a) -> bool:
    return can_manage_order(user, a.order)


def _worker(user, a) -> bool:
    return is_worker_self(user, a)


def _manager_confirming(user, a) -> bool:
    """录用 shows while the order takes confirmations (GigOrder.takes_confirmations: open or in progress, its
    work time not over)."""
    return a.order.takes_confirmations() and can_manage_order(user, a.order)


def _worker_accepting(user, a) -> bool:
    return a.order.takes_confirmations() and is_worker_self(user, a)


def _manager_or_worker(user, a) -> bool:
    return is_worker_self(user, a) or can_manage_order(user, a.order)


ASSIGNMENT = StateMachine(
    GigAssignment, event_model=AssignmentEvent, event_fk="assignment", noun=_("派工"),
    message=_("该派工当前状态为“%(status)s”，不能进行此操作"),
    actions=[
        # the employer (or staff) decides
        Action("confirm", {S.SIGNED_UP}, S.CONFIRMED, label=_("录用"), allowed=_manager_confirming, style="primary"),
        Action("reject", {S.SIGNED_UP}, S.REJECTED, label=_("不录用"), allowed=_manager_of),
        # the worker
        Action("accept", {S.INVITED}, S.CONFIRMED, label=_("接受邀请"), allowed=_worker_accepting, style="primary"),
        Action("cancel_by_worker", {S.SIGNED_UP, S.CONFIRMED, S.INVITED}, S.CANCELLED_BY_WORKER,
               label=_("不去了（取消报名）"), allowed=_worker),
        # on the day
        Action("check_in", {S.CONFIRMED}, S.CHECKED_IN, label=_("确认签到"), allowed=_manager_or_worker),
        Action("no_show", {S.CONFIRMED}, S.NO_SHOW, label=_("没来"), allowed=_manager_of),
        Action("cancel_by_employer", {S.CONFIRMED, S.INVITED}, S.CANCELLED_BY_EMPLOYER, label=_("取消该工人"),
               allowed=_manager_of, reason_required=True),
        Action("check_out", {S.CHECKED_IN}, S.CHECKED_OUT, label=_("确认签退"), allowed=_manager_or_worker,
               message=_("该派工当前状态为“%(status)s”，不能签退")),
        # pay
        Action("pay", {S.CHECKED_OUT, S.DISPUTED}, S.PAID, label=_("登记付款"), allowed=_manager_of,
               style="primary"),
        Action("pay_confirm", {S.PAID}, S.SETTLED, label=_("收到了"), allowed=_worker, style="primary"),
        Action("dispute", {S.PAID, S.CHECKED_OUT}, S.DISPUTED, label=_("有异议"), allowed=_worker,
               reason_required=True),
        # ratings (buttons only: a Rating row, no move)
        Action("rate_worker", {*DONE, S.NO_SHOW}, None, label=_("评价工人"), allowed=_manager_of,
               message=_("干完活后才能评价")),
        Action("rate_employer", DONE, None, label=_("评价雇主"), allowed=_worker, message=_("干完活后才能评价")),
        # written by the services, never a button
        Action("signup", (), S.SIGNED_UP, label=_("报名"), allowed=_system),
        Action("invite", (), S.INVITED, label=_("邀请"), allowed=_system),
        Action("resignup", {S.CANCELLED_BY_WORKER}, S.SIGNED_UP, label=_("重新报名"), allowed=_system),
        Action("reinvite", {S.CANCELLED_BY_WORKER, S.CANCELLED_BY_EMPLOYER, S.REJECTED}, S.INVITED,
               label=_("再次邀请"), allowed=_system),
        Action("order_cancelled", ACTIVE, S.CANCELLED_BY_EMPLOYER, label=_("订单取消"), allowed=_system),
        Action("close_unconfirmed", {S.SIGNED_UP, S.INVITED}, S.REJECTED, label=_("订单完工未录用"), allowed=_system),
    ],
)
