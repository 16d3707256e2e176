"""The service point's state machines (the kit in hongniang.core.statemachine).

An import batch:  previewed ──commit──► committed;  previewed ──cancel / purge──► cancelled
A follow-up:      pending ──record──► done;  pending ──unreachable──► unreachable

The services in outreach.services are the one write path; the pages ask `allowed_actions` for the buttons."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hongniang.core import roles
from hongniang.core.errors import Conflict
from hongniang.core.statemachine import Action, StateMachine

from .models import FollowUp, FollowUpEvent, FollowUpStatus, ImportBatch, ImportBatchEvent, ImportStatus


class BatchNotOpen(Conflict):
    code = "import_not_open"
    message = _("该批次已导入或已取消")


class FollowUpDone(Conflict):
    code = "followup_done"
    message = _("该回访已记录")


def may_see_point(user, point_id: int | None) -> bool:
    """The bureau, or staff of that service point."""
    return roles.is_bureau(user) or (point_id is not None and point_id in roles.service_point_ids(user))


def _point_staff(user, obj) -> bool:
    return may_see_point(user, obj.service_point_id)


def _system(user, obj) -> bool:
    return False


IMPORT_BATCH = StateMachine(
    ImportBatch, event_model=ImportBatchEvent, event_fk="batch", noun=_("导入批次"), error=BatchNotOpen,
    message=_("该批次已导入或已取消"),
    actions=[
        Action("commit", {ImportStatus.PREVIEWED}, ImportStatus.COMMITTED, label=_("确认导入"), allowed=_point_staff,
               style="primary"),
        Action("cancel", {ImportStatus.PREVIEWED}, ImportStatus.CANCELLED, label=_("取消"), allowed=_point_staff),
        Action("purge", {ImportStatus.PREVIEWED}, ImportStatus.CANCELLED, label=_("超时清除"), allowed=_system),
        Action("upload", (), ImportStatus.PREVIEWED, label=_("上传预览"), allowed=_system),
    ],
)

FOLLOWUP = StateMachine(
    FollowUp, event_model=FollowUpEvent, event_fk="followup", noun=_("回访"), error=FollowUpDone,
    message=_("该回访已记录"),
    actions=[
        Action("record", {FollowUpStatus.PENDING}, FollowUpStatus.DONE, label=_("记录回访结果"), allowed=_point_staff,
               style="primary"),
        Action("unreachable", {FollowUpStatus.PENDING}, FollowUpStatus.UNREACHABLE, label=_("联系不上"),
               allowed=_point_staff),
        Action("schedule", (), FollowUpStatus.PENDING, label=_("安排回访"), allowed=_system),
    ],
)
