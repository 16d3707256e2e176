"""Template context for every page: the unread count next to "消息" in the navigation."""

from __future__ import annotations

from .services import unread_count


def notifications(request):
    """The unread count next to "消息" in the navigation (one indexed count query per page)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
