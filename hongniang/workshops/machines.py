"""The workshops' state machines (the kit in hongniang.core.statemachine).

An order:  open ──start──► in_progress ──complete──► completed; open | in_progress ──cancel──► cancelled.
A share:   offered ──accept──► accepted ──collect──► material_collected ──start──► in_production ──deliver──►
           delivered ──check──► checked ──pay──► paid; offered ──decline──► declined; the enterprise cancels
           before delivery; the workshop disputes a check (delivered | checked ──dispute──► disputed) and the
           bureau settles it (disputed ──resolve──► checked).
A wage:    due ──pay──► paid ──confirm──► confirmed; due | paid ──dispute──► disputed ──pay──► paid; the bureau
           settles a dispute (disputed ──resolve──► paid when what was paid stands, or due when more is owed).
An order flagged for a new trial (needs_trial) gets one from its enterprise ("retrial": a new fair minimum and
piece rate; the status stays)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hongniang.core import roles
from hongniang.core.statemachine import Action, StateMachine

from .models import (
    OrderEvent,
    OrderStatus,
    OutsourcingOrder,
    Share,
    ShareEvent,
    ShareStatus,
    WageEvent,
    WageLine,
    WageStatus,
)
from .permissions import can_act_for_workshop, can_manage_order, is_wage_worker

OS = OrderStatus
S = ShareStatus
W = WageStatus


def _system(user, obj) -> bool:
    return False


def _order_manager(user, order) -> bool:
    return can_manage_order(user, order)


def _order_flagged(user, order) -> bool:
    """A new timed trial: the order's enterprise, once the order was flagged (its workers' median 元/h fell
    below the hourly minimum)."""
    return bool(order.needs_trial) and can_manage_order(user, order)


ORDER = StateMachine(
    OutsourcingOrder, event_model=OrderEvent, event_fk="order", noun=_("外发订单"), touch_fields=("updated_at",),
    message=_("订单当前为“%(status)s”，不能%(action)s"),
    actions=[
        Action("offer", {OS.OPEN, OS.IN_PROGRESS}, None, label=_("派给车间"), allowed=_order_manager, style="primary"),
        Action("cancel", {OS.OPEN, OS.IN_PROGRESS}, OS.CANCELLED, label=_("取消订单"), allowed=_order_manager,
               reason_required=True, style="danger"),
        Action("flag_trial", {OS.OPEN, OS.IN_PROGRESS}, None, label=_("标记重新试做"), allowed=_system),
        Action("retrial", {OS.OPEN, OS.IN_PROGRESS}, None, label=_("登记重新试做"), allowed=_order_flagged,
               button=False),
        Action("start", {OS.OPEN}, OS.IN_PROGRESS, label=_("开始生产"), allowed=_system),
        Action("complete", {OS.IN_PROGRESS}, OS.COMPLETED, label=_("完成"), allowed=_system),
        Action("publish", (), OS.OPEN, label=_("发布"), allowed=_system),
    ],
)


def _share_workshop(user, share) -> bool:
    return can_act_for_workshop(user, share.workshop)


def _share_enterprise(user, share) -> bool:
    return can_manage_order(user, share.order)


SHARE = StateMachine(
    Share, event_model=ShareEvent, event_fk="share", noun=_("分单"), touch_fields=("updated_at",),
    message=_("该分单当前为“%(status)s”，不能%(action)s"),
    actions=[
        Action("accept", {S.OFFERED}, S.ACCEPTED, label=_("接单"), allowed=_share_workshop, style="primary"),
        Action("decline", {S.OFFERED}, S.DECLINED, label=_("不接"), allowed=_share_workshop),
        Action("collect", {S.ACCEPTED}, S.MATERIAL_COLLECTED, label=_("已领料"), allowed=_share_enterprise),
        Action("start", {S.MATERIAL_COLLECTED}, S.IN_PRODUCTION, label=_("开工"), allowed=_share_workshop,
               style="primary"),
        Action("deliver", {S.IN_PRODUCTION}, S.DELIVERED, label=_("交货"), allowed=_share_workshop,
               style="primary"),
        Action("check", {S.DELIVERED}, S.CHECKED, label=_("验收"), allowed=_share_enterprise, style="primary"),
        Action("pay", {S.CHECKED}, S.PAID, label=_("结算加工费"), allowed=_share_enterprise, style="primary"),
        Action("dispute", {S.DELIVERED, S.CHECKED}, S.DISPUTED, label=_("对验收有异议"), allowed=_share_workshop,
               reason_required=True),
        Action("resolve", {S.DISPUTED}, S.CHECKED, label=_("处理争议"),
               allowed=lambda user, share: roles.is_bureau(user), reason_required=True),
        Action("cancel", {S.OFFERED, S.ACCEPTED, S.MATERIAL_COLLECTED, S.IN_PRODUCTION}, S.CANCELLED,
               label=_("取消分单"), allowed=_share_enterprise, reason_required=True, style="danger"),
        Action("order_cancelled", {S.OFFERED, S.ACCEPTED, S.MATERIAL_COLLECTED, S.IN_PRODUCTION}, S.CANCELLED,
               label=_("订单取消"), allowed=_system),
        Action("offer", (), S.OFFERED, label=_("派单"), allowed=_system),
    ],
)


def _wage_workshop(user, wage) -> bool:
    return can_act_for_workshop(user, wage.share.workshop)


def _wage_worker(user, wage) -> bool:
    return is_wage_worker(user, wage)


WAGE = StateMachine(
    WageLine, event_model=WageEvent, event_fk="wage", noun=_("工钱"),
    message=_("这笔工钱当前为“%(status)s”，不能%(action)s"),
    actions=[
        Action("pay", {W.DUE, W.DISPUTED}, W.PAID, label=_("登记已发"), allowed=_wage_workshop, style="primary"),
        Action("confirm", {W.PAID}, W.CONFIRMED, label=_("收到了"), allowed=_wage_worker, style="primary"),
        Action("dispute", {W.DUE, W.PAID}, W.DISPUTED, label=_("有异议"), allowed=_wage_worker,
               reason_required=True),
        Action("resolve", {W.DISPUTED}, W.PAID, label=_("处理工钱争议"), allowed=lambda user, wage: roles.is_bureau(user),
               reason_required=True, button=False),
        Action("compute", (), W.DUE, label=_("核算"), allowed=_system),
    ],
)
