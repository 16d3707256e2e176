"""Turn gig objects into plain dicts for the API and pages, with one disclosure rule:
a worker's phone and full name go to the employer (or staff) only once the worker is confirmed;
the order's contact phone goes to confirmed workers and to the people managing the order."""

from __future__ import annotations

from . import services
from .models import WORKING_ASSIGNMENT, AssignmentStatus, GigAssignment, GigOrder

CONTACT_VISIBLE = tuple(WORKING_ASSIGNMENT) + (AssignmentStatus.NO_SHOW,)


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
    return {
        "id": a.pk, "order_id": a.order_id, "status": a.status, "status_label": a.get_status_display(),
        "worker_id": w.pk, "worker_name": w.name if full else w.masked_name,
        "worker_phone": w.phone if full else w.masked_phone, "worker_completed": w.completed_count,
        "worker_no_shows": w.no_show_count, "worker_late_cancels": w.late_cancel_count,
        "confirmed_at": a.confirmed_at, "checked_in_at": a.checked_in_at, "checked_out_at": a.checked_out_at,
        "check_method": a.check_method, "hours_worked": a.hours_worked, "pay_amount": a.pay_amount,
        "pay_method": a.pay_method, "paid_at": a.paid_at, "worker_confirmed_at": a.worker_confirmed_at,
        "dispute_reason": a.dispute_reason,
        "order": order_dict(a.order, user=user, manager=as_manager, mine=a if as_worker else None)
        if with_order else None,
    }
