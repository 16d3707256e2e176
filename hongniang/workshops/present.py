"""Plain dicts of this app's rows for the API (and the pages' JSON bits). Personal data only in the dicts that
the selectors hand to those allowed to see it."""

from __future__ import annotations

from django.urls import reverse

from . import ledger
from .machines import ORDER, SHARE, WAGE


def order_dict(order, user=None) -> dict:
    return {
        "id": order.pk, "enterprise_id": order.enterprise_id, "enterprise_name": order.enterprise.name,
        "product": order.product, "process": order.process, "occupation": order.occupation_id or "",
        "quantity": order.quantity, "piece_rate": order.piece_rate, "quality_standard": order.quality_standard,
        "allowed_reject_rate": order.allowed_reject_rate, "deadline": order.deadline, "materials": order.materials,
        "splittable": order.splittable, "trial_workers": order.trial_workers,
        "trial_pieces_per_hour": order.trial_pieces_per_hour, "fair_minimum_rate": order.fair_minimum_rate,
        "expected_hourly": order.expected_hourly, "wage_days": order.wage_days, "status": order.status,
        "status_label": order.get_status_display(), "needs_trial": order.needs_trial,
        "needs_trial_reason": order.needs_trial_reason, "created_at": order.created_at,
        "actions": ORDER.allowed_names(order, user) if user is not None else [],
    }


def share_dict(share, user=None, balance: ledger.Balance | None = None) -> dict:
    d = {
        "id": share.pk, "order_id": share.order_id, "workshop_id": share.workshop_id,
        "workshop_name": share.workshop.name, "offered_quantity": share.offered_quantity,
        "quantity": share.quantity, "status": share.status, "status_label": share.get_status_display(),
        "balance_reason": share.balance_reason, "delivered_at": share.delivered_at, "wage_rate": share.wage_rate,
        "checked_at": share.checked_at,
        "paid_at": share.paid_at, "paid_amount": share.paid_amount, "dispute_reason": share.dispute_reason,
        "actions": [a["name"] for a in SHARE.buttons(share, user)] if user is not None else [],
    }
    if balance is not None:
        d["balance"] = balance.as_dict()
    return d


def handover_dict(h) -> dict:
    return {"id": h.pk, "share_id": h.share_id, "workshop_name": h.share.workshop.name, "kind": h.kind,
            "kind_label": h.get_kind_display(), "quantity": h.quantity, "reason": h.reason, "date": h.date,
            "handed_by": h.handed_by, "photos": [reverse("workshops:handover_photo", args=[p.pk]) for p in h.photos.all()]}


def piece_dict(p) -> dict:
    return {"id": p.pk, "share_id": p.share_id, "worker_id": p.worker_id, "worker_name": p.worker.name,
            "day": p.day, "pieces": p.pieces, "hours": p.hours}


def wage_dict(w, user=None) -> dict:
    return {"id": w.pk, "share_id": w.share_id, "workshop_name": w.share.workshop.name, "worker_id": w.worker_id,
            "worker_name": w.worker.name, "pieces": w.pieces, "hours": w.hours, "amount": w.amount,
            "hourly": w.hourly, "due_date": w.due_date, "status": w.status, "status_label": w.get_status_display(),
            "paid_amount": w.paid_amount, "paid_at": w.paid_at, "confirmed_at": w.confirmed_at,
            "confirmed_via": w.confirmed_via, "confirmed_via_label": w.get_confirmed_via_display(),
            "dispute_reason": w.dispute_reason,
            "actions": WAGE.allowed_names(w, user) if user is not None else []}


def worker_dict(w) -> dict:
    return {"id": w.pk, "name": w.name, "phone": w.phone, "home_region": w.home_region_id or "",
            "active": w.active, "joined_at": w.joined_at}


def arrears_dict(a, *, full_phone: bool = False) -> dict:
    w, ws = a.wage, a.workshop
    return {"id": a.pk, "order_id": a.order_id, "product": a.order.product,
            "enterprise_name": a.order.enterprise.name, "workshop_id": ws.pk, "workshop_name": ws.name,
            "township": ws.township_id or "", "township_name": ws.township.name if ws.township_id else "",
            "wage_id": w.pk, "worker_name": w.worker.masked_name,
            "worker_phone": w.worker.phone if full_phone else w.worker.masked_phone, "amount": w.amount,
            "paid_amount": w.paid_amount, "due_date": w.due_date, "wage_status": w.status,
            "wage_status_label": w.get_status_display(), "raised_at": a.raised_at, "reason": a.reason,
            "resolved_at": a.resolved_at, "resolution": a.resolution}
