"""Turn gig objects into plain dicts for the API and pages, with one disclosure rule:
a worker's phone and full name go to the employer (or staff) only once the worker is confirmed;
the order's contact phone goes to confirmed workers and to the people managing the order."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import services
from .models import WORKING_ASSIGNMENT, AssignmentStatus, GigAssignment, GigOrder, OrderStatus

CONTACT_VISIBLE = tuple(WORKING_ASSIGNMENT) + (AssignmentStatus.NO_SHOW,)
S = AssignmentStatus


@dataclass(frozen=True)
class WorkerStatus:
    """Where a gig stands for the worker themself (我的零工, their order page, GET /me/assignments): one short
    label in the worker's words, a tag colour and what happens next. The stored status is the employer's
    bookkeeping ("雇主取消" is both a whole order called off and this worker let go; "已报名" stays on a sign-up
    nobody answered after the work is over); this is what the worker needs to know."""

    key: str
    label: str
    tone: str  # the tag's class: "ok", "warn", "gray" or "" (red: something went wrong)
    hint: str = ""


def worker_status(a: GigAssignment, now=None) -> WorkerStatus:
    order = a.order
    if a.status == S.SIGNED_UP:
        if order.status == OrderStatus.CANCELLED:
            return WorkerStatus("order_cancelled", _("订单已取消"), "gray", _("雇主取消了这个活。"))
        if order.takes_confirmations(now):
            return WorkerStatus("waiting", _("已报名待确认"), "warn", _("等雇主确认，录用后会短信通知您。"))
        if order.status == OrderStatus.FILLED and not order.has_ended(now):
            return WorkerStatus("waiting", _("已报名待确认"), "warn",
                                _("人暂时招满了，有人退出才会补录。"))
        return WorkerStatus("not_chosen", _("未被选上"), "gray", _("这次没有录用您，看看其他的活吧。"))
    if a.status == S.INVITED:
        if order.status == OrderStatus.CANCELLED:
            return WorkerStatus("order_cancelled", _("订单已取消"), "gray", _("雇主取消了这个活。"))
        if order.takes_confirmations(now):
            return WorkerStatus("invited", _("雇主邀请您"), "warn", _("愿意去就点“接受邀请”。"))
        return WorkerStatus("invite_expired", _("邀请已过期"), "gray")
    if a.status == S.CONFIRMED:
        if order.has_ended(now):
            return WorkerStatus("confirmed_missed", _("已确认，未签到"), "gray",
                                _("活已结束，没有您的签到记录；如有出入请联系雇主或就业之家。"))
        return WorkerStatus("confirmed", _("已确认"), "ok", _("请按时到场，到了扫雇主的二维码签到。"))
    if a.status == S.CANCELLED_BY_EMPLOYER:
        if order.status == OrderStatus.CANCELLED:
            return WorkerStatus("order_cancelled", _("订单已取消"), "gray", _("雇主取消了这个活。"))
        return WorkerStatus("let_go", _("雇主取消了您"), "", _("雇主不再需要您去这个活。"))
    fixed = {
        S.CHECKED_IN: ("checked_in", _("已签到"), "ok", _("收工时再扫一次二维码签退。")),
        S.CHECKED_OUT: ("done", _("已完工，等付款"), "warn", _("等雇主付款。超过 24 小时未付会自动报人社局。")),
        S.PAID: ("paid", _("雇主已付款，请确认"), "warn", _("收到了请在“我的零工”点“收到了”，不对就点“有异议”。")),
        S.SETTLED: ("settled", _("已结算"), "ok", ""),
        S.DISPUTED: ("disputed", _("工钱有异议"), "", _("就业之家会跟进处理。")),
        S.NO_SHOW: ("no_show", _("未到岗"), "gray", ""),
        S.CANCELLED_BY_WORKER: ("withdrew", _("您已取消报名"), "gray", ""),
        S.REJECTED: ("not_chosen", _("未被选上"), "gray", _("这次没有录用您，看看其他的活吧。")),
    }
    key, label, tone, hint = fixed.get(a.status, (a.status, a.get_status_display(), "gray", ""))
    return WorkerStatus(key, label, tone, hint)


def order_dict(order: GigOrder, *, user=None, manager: bool | None = None, mine: GigAssignment | None = None) -> dict:
    if manager is None:
        manager = services.can_manage_order(user, order) if user is not None else False
    show_contact = manager or (mine is not None and mine.status in CONTACT_VISIBLE)
    return {
        "id": order.pk, "work_type": order.work_type, "work_type_label": order.get_work_type_display(),
        "title": order.display_title, "date": order.date, "end_date": order.end_date,
        "start_time": order.start_time, "end_time": order.end_time, "region_code": order.region_id,
        "place": order.region.full_name, "township": order.township.name if order.township_id else "",
        "address": order.address, "lat": order.lat, "lon": order.lon,
        "distance_km": getattr(order, "distance_km", None), "pay_type": order.pay_type, "pay_rate": order.pay_rate,
        "pay_label": order.pay_label, "piece_unit": order.piece_unit, "total_per_worker": order.total_per_worker,
        "headcount": order.headcount, "taken": getattr(order, "taken", None), "requirements": order.requirements,
        "meals_provided": order.meals_provided, "transport_provided": order.transport_provided,
        "status": order.status, "status_label": order.status_label,
        "signup_open": order.signup_open, "ended": order.time_status == "ended",
        "employer": order.employer.display_name, "employer_late_cancels": order.employer.late_cancel_count,
        "contact_name": order.contact_name if show_contact else None,
        "contact_phone": order.contact_phone if show_contact else None,
        "my_assignment_id": mine.pk if mine else None, "my_assignment_status": mine.status if mine else None,
    }


def worker_visible_in_full(a: GigAssignment, *, as_manager: bool) -> bool:
    return as_manager and a.status in CONTACT_VISIBLE


def assignment_dict(a: GigAssignment, *, as_manager: bool, as_worker: bool = False, with_order: bool = False,
                    user=None) -> dict:
    full = as_worker or worker_visible_in_full(a, as_manager=as_manager)
    w = a.worker
    ws = worker_status(a) if as_worker else None
    return {
        "id": a.pk, "order_id": a.order_id, "status": a.status, "status_label": a.get_status_display(),
        "worker_id": w.pk, "worker_name": w.name if full else w.masked_name,
        "worker_phone": w.phone if full else w.masked_phone, "worker_completed": w.completed_count,
        "worker_no_shows": w.no_show_count, "worker_late_cancels": w.late_cancel_count,
        "confirmed_at": a.confirmed_at, "checked_in_at": a.checked_in_at, "checked_out_at": a.checked_out_at,
        "check_method": a.check_method, "hours_worked": a.hours_worked, "pay_amount": a.pay_amount,
        "pay_method": a.pay_method, "paid_at": a.paid_at, "worker_confirmed_at": a.worker_confirmed_at,
        "dispute_reason": a.dispute_reason,
        # the worker's own view of where the gig stands (None for the employer's and staff's answers)
        "my_status": ws.key if ws else None, "my_status_label": ws.label if ws else None,
        "order": order_dict(a.order, user=user, manager=as_manager, mine=a if as_worker else None)
        if with_order else None,
    }
