"""Template context for every page: the unread count next to "消息" in the navigation."""

from __future__ import annotations

from hongniang.core import viewer

from .services import unread_count


def notifications(request):
    """The unread count next to "消息" in the navigation: kept with the logged-in user (hongniang.core.viewer;
    a new or read message bumps the user's generation), else one indexed count query."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": viewer.extra(user, "unread_notifications", unread_count)}
