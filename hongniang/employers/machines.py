"""The enterprise verification state machines (the kit in hongniang.core.statemachine).

The enterprise's status (events in VerificationEvent, each naming the request it came from):

    unverified | rejected | due ──submit──► pending ──approve──► verified ──(6 months) expire──► due
                                               └──────reject──► rejected

A verified enterprise may send its renewal before `verified_until`: it stays verified while the request waits
(renewal_submit / approve / renewal_reject keep the status and write an event).

Each request moves once: pending ──approve──► approved, pending ──reject──► rejected (its events are the
enterprise's, above)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hongniang.core.errors import Conflict
from hongniang.core.roles import is_bureau, is_enterprise_hr
from hongniang.core.statemachine import Action, StateMachine

from .models import (
    ClaimEvent,
    ClaimStatus,
    CreditCodeClaim,
    Enterprise,
    RequestStatus,
    VerificationEvent,
    VerificationRequest,
    VerificationStatus,
)

V = VerificationStatus
ALL = tuple(V.values)


def may_manage(user, enterprise) -> bool:
    return is_bureau(user) or is_enterprise_hr(user, enterprise.pk)


def _bureau(user, obj) -> bool:
    return is_bureau(user)


def _system(user, obj) -> bool:
    return False


VERIFICATION = StateMachine(
    Enterprise, event_model=VerificationEvent, event_fk="enterprise", field="verification_status", noun=_("企业"),
    message=_("该企业认证当前为“%(status)s”，不能%(action)s"),
    actions=[
        Action("submit", {V.UNVERIFIED, V.REJECTED, V.DUE}, V.PENDING, label=_("提交认证"), allowed=may_manage,
               style="primary"),
        Action("renewal_submit", {V.VERIFIED}, None, label=_("提交复审"), allowed=may_manage),
        # approving a request: a first verification or a renewal (the status the request found is kept in the event)
        Action("approve", ALL, V.VERIFIED, label=_("认证通过"), allowed=_bureau),
        Action("reject", {V.PENDING}, V.REJECTED, label=_("认证未通过"), allowed=_bureau, reason_required=True),
        Action("renewal_reject", tuple(s for s in ALL if s != V.PENDING), None, label=_("复审未通过"),
               allowed=_bureau, reason_required=True),
        Action("expire", {V.VERIFIED}, V.DUE, label=_("认证到期"), allowed=_system),
    ],
)


class RequestDecided(Conflict):
    code = "verification_decided"
    message = _("该申请已处理")


REQUEST = StateMachine(
    VerificationRequest, event_model=None, event_fk="", noun=_("认证申请"), error=RequestDecided,
    message=_("该申请已处理"),
    actions=[
        Action("approve", {RequestStatus.PENDING}, RequestStatus.APPROVED, label=_("通过"), allowed=_bureau,
               style="primary"),
        Action("reject", {RequestStatus.PENDING}, RequestStatus.REJECTED, label=_("不通过"), allowed=_bureau,
               reason_required=True),
    ],
)


def _claimant(user, claim) -> bool:
    return getattr(user, "pk", None) is not None and claim.claimant_id == user.pk


class ClaimDecided(Conflict):
    code = "claim_decided"
    message = _("该核实申请已处理")


# A claim on a registered credit code (file writes the creation event):
#   pending ──grant──► granted   pending ──reject──► rejected   pending ──withdraw──► withdrawn
CLAIM = StateMachine(
    CreditCodeClaim, event_model=ClaimEvent, event_fk="claim", noun=_("核实申请"), error=ClaimDecided,
    message=_("该核实申请当前为“%(status)s”，不能%(action)s"),
    actions=[
        Action("file", (), ClaimStatus.PENDING, label=_("提交核实申请"), allowed=_system),
        Action("grant", {ClaimStatus.PENDING}, ClaimStatus.GRANTED, label=_("核实属实"), allowed=_bureau,
               style="primary"),
        Action("reject", {ClaimStatus.PENDING}, ClaimStatus.REJECTED, label=_("核实不属实"), allowed=_bureau,
               reason_required=True),
        Action("withdraw", {ClaimStatus.PENDING}, ClaimStatus.WITHDRAWN, label=_("撤回申请"), allowed=_claimant),
    ],
)
