"""Inbox endpoints: GET /notifications, GET /notifications/unread-count, POST /notifications/{id}/read,
POST /notifications/read-all. Only the recipient sees or changes a message."""

from __future__ import annotations

from ninja import Query, Router, Status

from hongniang.core.apiauth import AUTH
from hongniang.core.paging import MAX_OFFSET

from . import services
from .schemas import MarkedOut, NotificationOut, UnreadOut

PREFIX = "/notifications"
router = Router(tags=["消息"])
ERRORS = {401: dict, 403: dict, 404: dict}


@router.get("", response={200: list[NotificationOut], **ERRORS}, auth=AUTH)
def list_notifications(request, unread: bool = False, limit: int = Query(50, ge=1, le=200),
                       offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """My inbox, newest first (`unread=true`: only unread)."""
    qs = services.inbox(request.user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return Status(200, list(qs[offset:offset + limit]))


@router.get("/unread-count", response={200: UnreadOut, **ERRORS}, auth=AUTH)
def unread_count(request):
    return Status(200, {"unread": services.unread_count(request.user)})


@router.post("/{notification_id}/read", response={200: MarkedOut, **ERRORS}, auth=AUTH)
def mark_read(request, notification_id: int):
    """Mark one of my messages read (someone else's → 404)."""
    return Status(200, {"marked": services.notification_mark_read(user=request.user, notification_id=notification_id)})


@router.post("/read-all", response={200: MarkedOut, **ERRORS}, auth=AUTH)
def mark_all_read(request):
    return Status(200, {"marked": services.notification_mark_read(user=request.user)})
