"""State machines of live sessions and leads (hongniang.core.statemachine)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hongniang.core import roles
from hongniang.core.statemachine import Action, StateMachine

from .models import Lead, LeadChange, LeadStatus, LiveSession, SessionChange, SessionStatus


def is_manager(user, session: LiveSession) -> bool:
    """Who runs a session: the bureau; staff of the organising point; HR of the partner enterprise."""
    if roles.is_bureau(user):
        return True
    if session.organiser_point_id and roles.is_staff_member(user, session.organiser_point_id):
        return True
    return bool(session.enterprise_id and roles.is_enterprise_hr(user, session.enterprise_id))


def is_caller(user, session: LiveSession) -> bool:
    """Who calls leads back (and so sees their phone numbers): the bureau; staff of the organising point."""
    if roles.is_bureau(user):
        return True
    return bool(session.organiser_point_id and roles.is_staff_member(user, session.organiser_point_id))


S, L = SessionStatus, LeadStatus

SESSION = StateMachine(
    LiveSession, event_model=SessionChange, event_fk="session", noun=_("直播"), touch_fields=("updated_at",),
    actions=[
        Action("go_live", {S.SCHEDULED}, S.LIVE, label=_("开始直播"), allowed=is_manager, style="primary"),
        Action("end", {S.LIVE}, S.ENDED, label=_("结束直播"), allowed=is_manager),
        Action("cancel", {S.SCHEDULED}, S.CANCELLED, label=_("取消直播"), allowed=is_manager, reason_required=True,
               style="danger"),
        # the host moves on to a posting (a form on each posting's row, services.session_present): no move
        Action("present", {S.LIVE}, None, label=_("现在介绍这个岗位"), allowed=is_manager, button=False),
    ])

LEAD = StateMachine(
    Lead, event_model=LeadChange, event_fk="lead", noun=_("报名线索"),
    actions=[
        Action("confirm", {L.NEW, L.UNREACHABLE}, L.CONFIRMED, label=_("本人确认报名"),
               allowed=lambda u, lead: is_caller(u, lead.session), style="primary",
               message=_("该线索当前为“%(status)s”，不能再确认")),
        Action("no_answer", {L.NEW, L.UNREACHABLE}, L.UNREACHABLE, label=_("未接通"),
               allowed=lambda u, lead: is_caller(u, lead.session)),
        Action("decline", {L.NEW, L.UNREACHABLE}, L.DECLINED, label=_("不报名"),
               allowed=lambda u, lead: is_caller(u, lead.session), style="danger"),
    ])
