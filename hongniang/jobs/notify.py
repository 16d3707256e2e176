"""Notifications for postings, verification and reports.

`hongniang.notifications.services.notify(*, recipient, template, context, sms=False, url="")` (an inbox for
every role plus an SMS outbox, sent after commit) does the work; this module only picks the recipients (an
enterprise's HR, the bureau) and falls back to logging if that app is not installed. Call these inside the
service's transaction: the notifications app sends after commit. Texts: jobs/templates/notifications/{inbox,sms}/.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("hongniang.notify")


def _real_notify():
    try:
        from hongniang.notifications.services import notify
    except ImportError as exc:
        if exc.name and not exc.name.startswith("hongniang.notifications"):
            raise
        return None
    return notify


def notify(*, recipient, template: str, context: dict, sms: bool = False, url: str = ""):
    """Notify one user (logs only when the notifications app is absent)."""
    real = _real_notify()
    if real is None:
        logger.info("notify %s → user %s %s (sms=%s)", template, getattr(recipient, "pk", recipient), context, sms)
        return None
    return real(recipient=recipient, template=template, context=context, sms=sms, url=url)


def notify_enterprise(enterprise, *, template: str, context: dict, sms: bool = False, url: str = "") -> int:
    """Every active HR of the enterprise."""
    users = [m.user for m in enterprise.memberships.select_related("user").filter(user__is_active=True)]
    for user in users:
        notify(recipient=user, template=template, context={"enterprise": enterprise.name, **context}, sms=sms,
               url=url)
    return len(users)


def notify_bureau(*, template: str, context: dict, url: str = "") -> int:
    """Every active bureau admin (the review queues are also on their pages)."""
    from hongniang.core.models import User

    users = list(User.objects.filter(is_active=True, is_bureau=True))
    for user in users:
        notify(recipient=user, template=template, context=context, url=url)
    return len(users)
