"""Helpers shared by the gig market's services: limits, money and phone checks, row locks, the clock, notices."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import wages
from hongniang.core.errors import InvalidInput
from hongniang.notifications.services import notify as shared_notify
from hongniang.zh.validators import normalize_phone

from ..models import (
    AssignmentStatus,
    GigAssignment,
    GigNotice,
    GigOrder,
    NoticeChannel,
)

S = AssignmentStatus
CHECKIN_SALT = "hongniang.gigs.checkin"
LATE_CANCEL_HOURS = 12  # cancelling a confirmed gig less than this before the start counts against you
MAX_DAYS_AHEAD = 60
MAX_ORDER_DAYS = 31


def minimum_hourly() -> Decimal:
    return wages.minimum_hourly()


def arrears_hours() -> int:
    return int(getattr(settings, "GIG_ARREARS_HOURS", 24))


def _money(value, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(_("%(label)s请填写数字") % {"label": label}, field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(_("%(label)s必须大于 0") % {"label": label}, field=field)
    if amount >= Decimal("100000000"):
        raise InvalidInput(_("%(label)s数额过大") % {"label": label}, field=field)
    return amount


def _phone(value: str, field: str = "phone") -> str:
    try:
        return normalize_phone(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=field) from None


def notify(*, text: str, user=None, phone: str = "", order=None, sms: bool = True) -> None:
    """Send through the shared notifications (inbox for `user`, SMS to `phone`, sent after commit) and keep
    the gig market's own GigNotice log (its pages and API still read it) written on commit."""
    shared_notify(recipient=user, phone=phone or None, template="text", context={"title": "零工消息", "text": text},
                  sms=bool(sms and phone))

    def _write():
        rows = []
        if user is not None:
            rows.append(GigNotice(user=user, channel=NoticeChannel.INBOX, text=text[:500], order=order))
        if sms and phone:
            rows.append(GigNotice(user=user, phone=phone, channel=NoticeChannel.SMS, text=text[:500], order=order))
        GigNotice.objects.bulk_create(rows)

    transaction.on_commit(_write)



def _lock_assignment(assignment: GigAssignment) -> GigAssignment:
    return GigAssignment.objects.select_for_update().select_related("order", "order__employer", "worker").get(
        pk=assignment.pk)


def _lock_order(order: GigOrder) -> GigOrder:
    return GigOrder.objects.select_for_update().select_related("employer").get(pk=order.pk)


def _now():
    return timezone.now()


def _order_start(order: GigOrder) -> dt.datetime:
    return order.starts_at


def _order_end(order: GigOrder) -> dt.datetime:
    return order.ends_at


def _employer_user(order: GigOrder):
    return order.employer.user if order.employer.user_id else order.posted_by
