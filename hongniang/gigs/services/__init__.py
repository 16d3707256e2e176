"""The one write path for the gig market. Keyword-only functions, one per transition; each opens
`transaction.atomic`, moves the record through its state machine (hongniang.gigs.machines: the kit writes the
event row), and sends notices on commit. Errors are domain errors with Chinese messages (hongniang.core.errors).

Split by concern, every public name importable from here as before:
  people       employers (phone-checked individuals, enterprises), workers, free days
  orders       an order's rules, posting, cancelling, starting, completing, telling matching workers
  assignments  signing up, confirming, rejecting, cancelling, inviting back
  attendance   check-in QR code, checking in and out, no-shows
  pay          recording and confirming pay, disputes, arrears alerts, ratings
"""

from __future__ import annotations

from ..permissions import (
    can_manage_order,
    employer_ids_for,
    is_order_staff,
    require_manager,
    require_worker_self,
    worker_of,
)
from .assignments import (
    _confirmation_text,
    _send_confirmations,
    accept_invite,
    cancel_by_employer,
    cancel_by_worker,
    confirm,
    rehire,
    reject,
    require_confirm_open,
    require_signup_open,
    signup,
)
from .attendance import (
    _check_window,
    _hours_between,
    _method_for,
    check_in,
    check_out,
    checkin_token,
    mark_no_show,
    order_from_token,
    scan,
)
from .base import (
    CHECKIN_SALT,
    LATE_CANCEL_HOURS,
    MAX_DAYS_AHEAD,
    MAX_ORDER_DAYS,
    S,
    _employer_user,
    _lock_assignment,
    _lock_order,
    _money,
    _now,
    _order_end,
    _order_start,
    _phone,
    arrears_hours,
    minimum_hourly,
    notify,
)
from .orders import (
    _refresh_fill,
    notify_candidates,
    order_cancel,
    order_complete,
    order_create,
    order_start,
    order_total,
    validate_order_fields,
)
from .pay import (
    _resolve_alerts_for,
    arrears_raise,
    arrears_resolve,
    overdue_assignments,
    pay_confirm,
    pay_dispute,
    pay_record,
    rate,
)
from .people import (
    EMPLOYER_CODE_PURPOSE,
    WORKER_CODE_PURPOSE,
    _work_types,
    availability_set,
    employer_for_enterprise,
    individual_employer_register,
    may_join_with_account_phone,
    worker_quick_signup,
    worker_update,
)

__all__ = [
    "EMPLOYER_CODE_PURPOSE",
    "CHECKIN_SALT", "WORKER_CODE_PURPOSE", "LATE_CANCEL_HOURS", "MAX_DAYS_AHEAD", "MAX_ORDER_DAYS", "S", "_check_window",
    "_confirmation_text", "_employer_user", "_hours_between", "_lock_assignment", "_lock_order",
    "_method_for", "_money", "_now", "_order_end", "_order_start", "_phone", "_refresh_fill", "_resolve_alerts_for",
    "_send_confirmations", "_work_types", "accept_invite", "arrears_hours", "arrears_raise", "arrears_resolve",
    "availability_set", "can_manage_order", "cancel_by_employer", "cancel_by_worker", "check_in", "check_out",
    "checkin_token", "confirm", "employer_for_enterprise", "employer_ids_for", "individual_employer_register",
    "is_order_staff", "mark_no_show", "may_join_with_account_phone", "minimum_hourly", "notify", "notify_candidates", "order_cancel",
    "order_complete", "order_create", "order_from_token", "order_start", "order_total", "overdue_assignments", "pay_confirm",
    "pay_dispute", "pay_record", "rate", "rehire", "reject", "require_confirm_open", "require_signup_open",
    "require_manager", "require_worker_self", "scan", "signup", "validate_order_fields", "worker_of",
    "worker_quick_signup", "worker_update",
]
