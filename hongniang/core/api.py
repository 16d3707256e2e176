"""Bureau endpoints of the core app: POST /audit/search (filters in the body, so no personal data ends up
in URLs or access logs)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from hongniang.core.apiauth import AUTH
from hongniang.core.paging import MAX_OFFSET

from . import audit_labels, roles, selectors

PREFIX = "/audit"
router = Router(tags=["审计日志"])
ERRORS = {401: dict, 403: dict, 422: dict}


class AuditSearchIn(Schema):
    actor: str = Field("", description="用户 id、用户名或姓名")
    action: str = Field("", description="操作，如 seeker.view_full；以 . 或 * 结尾为前缀匹配")
    target: str = Field("", description="对象，如 seekers.seeker#12、seekers.seeker 或 12")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    action_label: str
    target_type: str
    target_id: str
    reason: str
    detail: dict
    detail_labels: list[list[str]] = Field(description="detail 的可读形式：[字段名称, 取值]，与审计日志页面显示的一致")


class AuditPage(Schema):
    count: int
    results: list[AuditOut]


@router.post("/search", response={200: AuditPage, **ERRORS}, auth=AUTH)
def search(request, payload: AuditSearchIn):
    """Bureau only: who saw or changed personal data, what, when and why."""
    if not roles.is_bureau(request.user):
        raise HttpError(403, "forbidden")
    qs = selectors.audit_search(actor=payload.actor, action=payload.action, target=payload.target,
                                date_from=payload.date_from, date_to=payload.date_to)
    rows = qs[payload.offset:payload.offset + payload.limit]
    return Status(200, {"count": qs.count(), "results": [{
        "id": e.pk, "at": e.at, "actor_id": e.actor_id, "actor_name": str(e.actor) if e.actor_id else "",
        "action": e.action, "action_label": audit_labels.action_label(e.action), "target_type": e.target_type, "target_id": e.target_id, "reason": e.reason,
        "detail": e.detail or {}, "detail_labels": audit_labels.detail_items(e.detail, e.action),
    } for e in rows]})
