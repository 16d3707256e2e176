"""Who gets told: an enterprise's HR, the bureau. The owning apps pick the template and the context; the inbox and
the SMS outbox (sent after commit) do the rest. Call these inside the service's transaction."""

from __future__ import annotations

from hongniang.core.models import User

from .services import notify


def notify_enterprise(enterprise, *, template: str, context: dict, sms: bool = False, url: str = "") -> int:
    """Every active HR of the enterprise (its `memberships`)."""
    users = [m.user for m in enterprise.memberships.select_related("user").filter(user__is_active=True)]
    for user in users:
        notify(recipient=user, template=template, context={"enterprise": enterprise.name, **context}, sms=sms,
               url=url)
    return len(users)


def notify_bureau(*, template: str, context: dict, url: str = "") -> int:
    """Every active bureau admin (the review queues are also on their pages)."""
    users = list(User.objects.filter(is_active=True, is_bureau=True))
    for user in users:
        notify(recipient=user, template=template, context=context, url=url)
    return len(users)
