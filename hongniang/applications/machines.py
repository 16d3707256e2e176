"""The application's state machine (the kit in hongniang.core.statemachine): the hiring pipeline.

    applied ─view─► viewed ─contact─► contacted ─interview─► interview ─offer─► offered ─hire─► hired
       (each open status may also go to rejected; interview / offered to no_show; the seeker withdraws any open
        one; applied / viewed close by rule after 60 days, an offer not turned into a hire after 30 days; a
        withdrawn one is re-opened by applying again)

The services in applications.services are the one write path; the applicants page and the API ask
`APPLICATION.allowed_actions(application, user)` which pipeline buttons to show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hongniang.core import roles
from hongniang.core.statemachine import Action, StateMachine

from .models import Application, ApplicationEvent, ApplicationStatus

S = ApplicationStatus

OPEN_STATUSES = (S.APPLIED, S.VIEWED, S.CONTACTED, S.INTERVIEW, S.OFFERED)
#: the pipeline actions of the enterprise, in the order of its buttons
HR_ACTIONS = ("view", "contact", "interview", "offer", "hire", "reject", "no_show")


def may_run_pipeline(user, application) -> bool:
    """HR of the posting's enterprise."""
    return roles.is_enterprise_hr(user, application.posting.enterprise_id)


def own_or_point_staff(user, application) -> bool:
    """The seeker, or staff of the seeker's service point."""
    seeker = application.seeker
    own = bool(seeker.user_id and getattr(user, "pk", None) == seeker.user_id)
    staff = bool(seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(user))
    return own or staff


def _system(user, application) -> bool:
    return False


APPLICATION = StateMachine(
    Application, event_model=ApplicationEvent, event_fk="application", noun=_("报名"), touch_fields=("updated_at",),
    message=_("该报名当前状态为“%(status)s”，不能改为“%(target)s”"),
    actions=[
        Action("view", {S.APPLIED}, S.VIEWED, label=_("标为已查看"), allowed=may_run_pipeline),
        Action("contact", {S.APPLIED, S.VIEWED}, S.CONTACTED, label=_("已电话联系"), allowed=may_run_pipeline),
        # interview → interview: rescheduled
        Action("interview", {S.APPLIED, S.VIEWED, S.CONTACTED, S.INTERVIEW}, S.INTERVIEW, label=_("约面试"),
               allowed=may_run_pipeline),
        Action("offer", {S.APPLIED, S.VIEWED, S.CONTACTED, S.INTERVIEW}, S.OFFERED, label=_("录用"),
               allowed=may_run_pipeline, style="primary"),
        Action("hire", {S.CONTACTED, S.INTERVIEW, S.OFFERED}, S.HIRED, label=_("办理上岗"), allowed=may_run_pipeline,
               style="primary"),
        Action("reject", OPEN_STATUSES, S.REJECTED, label=_("不合适"), allowed=may_run_pipeline,
               reason_required=True),
        Action("no_show", {S.INTERVIEW, S.OFFERED}, S.NO_SHOW, label=_("未到场"), allowed=may_run_pipeline),
        Action("withdraw", OPEN_STATUSES, S.WITHDRAWN, label=_("撤回报名"), allowed=own_or_point_staff,
               style="danger"),
        # by rule (close_stale_applications): unanswered applications, and offers that never became a hire, so
        # a forgotten offer does not hold a place on the posting for ever
        Action("close", {S.APPLIED, S.VIEWED, S.OFFERED}, S.CLOSED, label=_("超期关闭"), allowed=_system),
        # the first event (written by `APPLICATION.record`) and applying again after a withdrawal
        Action("apply", (), S.APPLIED, label=_("报名"), allowed=_system),
        Action("reapply", {S.WITHDRAWN}, S.APPLIED, label=_("重新报名"), allowed=_system),
        # after the hire: notes on the hired status (no move)
        Action("confirm_start", {S.HIRED}, None, label=_("确认上岗"), allowed=own_or_point_staff),
        Action("report_pay", {S.HIRED}, None, label=_("填报工资"), allowed=own_or_point_staff),
    ],
)


def pipeline_actions(application, user) -> list[str]:
    """The enterprise's pipeline buttons for this application and user, from the machine."""
    return [a.name for a in APPLICATION.allowed_actions(application, user) if a.name in HR_ACTIONS]
