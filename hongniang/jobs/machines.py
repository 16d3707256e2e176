"""The posting's state machine (the kit in hongniang.core.statemachine):

    draft ──submit──► pending ──approve──► published ──close──► closed
      ▲                 │  ▲                  │ ├──fill────► filled
      └─────reject──────┘  └──reported/edit───┘ ├──expire──► expired ──refresh──► published
                                                └──refresh (extends validity)
    any state except removed ──remove (bureau)──► removed

The services in jobs.services are the one write path; pages and the API ask `POSTING.allowed_actions` which
buttons to show. "edit", "find_candidates" and "report" are buttons or links without a move: the form, the ranked
candidates (recommend), the report form (moderation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hongniang.core import statemachine
from hongniang.core.roles import is_bureau, is_enterprise_hr
from hongniang.core.statemachine import Action, StateMachine

from .models import JobPosting, PostingEvent, PostingStatus

S = PostingStatus


class InvalidTransition(statemachine.InvalidTransition):
    message = _("该岗位当前状态不能进行此操作")


def may_manage(user, posting) -> bool:
    """HR of the posting's enterprise, or the bureau."""
    return is_bureau(user) or is_enterprise_hr(user, posting.enterprise_id)


def _may_submit(user, posting) -> bool:
    return may_manage(user, posting) and posting.enterprise.is_verified


def _bureau(user, posting) -> bool:
    return is_bureau(user)


def _system(user, posting) -> bool:
    return False  # run by the platform (a command, a check), never a button


EDITABLE = (S.DRAFT, S.PENDING, S.PUBLISHED)
ALL = tuple(S.values)

POSTING = StateMachine(
    JobPosting, event_model=PostingEvent, event_fk="posting", noun=_("岗位"), touch_fields=("updated_at",),
    error=InvalidTransition, message=_("岗位当前为“%(status)s”，不能进行此操作"),
    actions=[
        Action("edit", EDITABLE, None, label=_("修改"), allowed=may_manage),
        Action("submit", {S.DRAFT}, S.PENDING, label=_("提交发布"), allowed=_may_submit, style="primary",
               message=_("只有草稿可以提交审核")),
        Action("publish", {S.DRAFT}, S.PENDING, label=_("发布"), allowed=_system,
               message=_("只有草稿状态的岗位可以发布")),
        Action("auto_approve", {S.PENDING}, S.PUBLISHED, label=_("自动审核通过"), allowed=_system),
        Action("approve", {S.PENDING}, S.PUBLISHED, label=_("通过并发布"), allowed=_bureau, style="primary",
               message=_("只有待审核的岗位可以审核通过")),
        Action("reject", {S.PENDING}, S.DRAFT, label=_("退回修改"), allowed=_bureau, reason_required=True,
               message=_("只有待审核的岗位可以退回")),
        Action("refresh", {S.PUBLISHED, S.EXPIRED}, S.PUBLISHED, label=_("刷新"), allowed=may_manage,
               message=_("只有招聘中或已过期的岗位可以刷新")),
        Action("fill", {S.PUBLISHED}, S.FILLED, label=_("已招满"), allowed=may_manage,
               message=_("只有招聘中的岗位可以标记为已招满")),
        Action("close", {S.DRAFT, S.PENDING, S.PUBLISHED, S.EXPIRED}, S.CLOSED, label=_("关闭"), allowed=may_manage),
        Action("expire", {S.PUBLISHED}, S.EXPIRED, label=_("到期下线"), allowed=_system,
               message=_("只有招聘中的岗位会过期")),
        Action("reported", {S.PUBLISHED}, S.PENDING, label=_("举报过多，暂停展示"), allowed=_system),
        Action("edit_flagged", {S.PUBLISHED}, S.PENDING, label=_("修改后需重新审核"), allowed=_system),
        Action("remove", tuple(s for s in ALL if s != S.REMOVED), S.REMOVED, label=_("下架"), allowed=_bureau,
               reason_required=True, style="danger", message=_("该岗位已被下架")),
        # links without a move: ranked candidates (recommend) for the posting's HR, a report (moderation) by anyone
        Action("find_candidates", {S.PUBLISHED}, None, label=_("推荐人选"), allowed=may_manage),
        Action("report", {S.PUBLISHED}, None, label=_("举报该岗位"), message=_("只能举报招聘中的岗位")),
        # the first event of every posting (written by `POSTING.record`, never a move)
        Action("create", (), S.DRAFT, label=_("创建草稿"), allowed=_system),
    ],
)
