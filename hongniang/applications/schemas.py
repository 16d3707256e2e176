from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class ApplyIn(Schema):
    """Optional body of the one-tap apply (nothing is required)."""

    note: str = ""


class WithdrawIn(Schema):
    reason: str = ""


class ApplicationOut(Schema):
    id: int
    posting_id: int
    posting_title: str
    enterprise_name: str
    status: str
    status_label: str
    channel: str
    created_at: datetime
    created: bool = False

    @staticmethod
    def from_application(a, created: bool = False) -> dict:
        return {
            "id": a.pk, "posting_id": a.posting_id, "posting_title": a.posting.title,
            "enterprise_name": a.posting.enterprise.name, "status": a.status, "status_label": a.get_status_display(),
            "channel": a.channel, "created_at": a.created_at, "created": created,
        }


class ApplicationEventOut(Schema):
    at: datetime
    from_status: str
    to_status: str
    to_status_label: str
    reason: str
    actor_id: int | None


class ApplicationDetailOut(ApplicationOut):
    interview_at: datetime | None = None
    interview_place: str = ""
    start_date: date | None = None
    actual_start_date: date | None = None
    pay_amount: int | None = None
    pay_below_promise: bool | None = None
    promised_monthly_min: int
    promised_monthly_max: int
    close_reason: str = ""
    consent_at: datetime | None = None
    consent_channel: str = ""
    seeker_name: str = Field(description="报名后企业可见全名；撤回后或无权限时为打码")
    seeker_phone: str = Field(description="同上：全号或打码")
    next_actions: list[str] = []
    history: list[ApplicationEventOut] = []

    @staticmethod
    def from_application(a, *, full: bool = False, actions=(), events=None) -> dict:
        out = ApplicationOut.from_application(a)
        out.update(
            interview_at=a.interview_at, interview_place=a.interview_place, start_date=a.start_date,
            actual_start_date=a.actual_start_date, pay_amount=a.pay_amount, pay_below_promise=a.pay_below_promise,
            promised_monthly_min=a.posting.monthly_min, promised_monthly_max=a.posting.monthly_max,
            close_reason=a.close_reason, consent_at=a.consent_at, consent_channel=a.consent_channel,
            seeker_name=a.seeker.name if full else a.seeker.masked_name,
            seeker_phone=a.seeker.phone if full else a.seeker.masked_phone,
            next_actions=list(actions),
            history=[{"at": e.at, "from_status": e.from_status, "to_status": e.to_status,
                      "to_status_label": e.to_status_label, "reason": e.reason, "actor_id": e.actor_id}
                     for e in (events if events is not None else a.events.all())],
        )
        return out


class TransitionIn(Schema):
    """Fields of a pipeline action: interview needs interview_at + interview_place; hire needs start_date;
    reject needs reason; note is optional for the others."""

    note: str = ""
    reason: str = ""
    interview_at: datetime | None = None
    interview_place: str = ""
    start_date: date | None = None


class ConfirmStartIn(Schema):
    actual_start_date: date


class PayReportIn(Schema):
    amount: int = Field(description="首月实际收到的工资（元）")


class PayRecordOut(Schema):
    enterprise_id: int
    enterprise_name: str
    hires: int
    confirmed_starts: int
    pay_reports: int
    below_promise: int
    share_below_promise: float | None
