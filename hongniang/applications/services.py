"""The one write path for applications: one function per transition, an ApplicationEvent per transition.

Repeat applies are idempotent: applying again to the same posting returns the existing application
(no duplicate row, no error): a person on a cheap phone who taps twice must not see an error. A
withdrawn application is re-opened (withdrawn → applied) by applying again."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import InvalidInput, PermissionDeniedError
from hongniang.jobs.models import PostingStatus

from .models import Application, ApplicationChannel, ApplicationEvent, ApplicationStatus

OPEN_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.VIEWED, ApplicationStatus.CONTACTED,
                 ApplicationStatus.INTERVIEW, ApplicationStatus.OFFERED)


def _event(application: Application, *, actor, from_status: str, to_status: str, reason: str = ""):
    return ApplicationEvent.objects.create(
        application=application, actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status, to_status=to_status, reason=reason[:200])


def application_apply(*, seeker, posting, actor, channel: str = ApplicationChannel.SELF,
                      consent_confirmed: bool = False) -> Application:
    """The seeker applies to the posting (self), or staff of the seeker's point applies on their behalf
    (channel "staff", needs the seeker's confirmed consent). Returns the application; `created` tells
    whether it is new."""
    if channel not in ApplicationChannel.values:
        raise InvalidInput("未知的报名方式", field="channel")
    if channel == ApplicationChannel.SELF:
        if not (seeker.user_id and getattr(actor, "pk", None) == seeker.user_id):
            raise PermissionDeniedError("只能为自己报名")
    else:
        if not (seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(actor)):
            raise PermissionDeniedError("只能为本站点登记的求职者代为报名")
        if not consent_confirmed:
            raise InvalidInput("代人报名前，请确认求职者本人已同意", field="consent_confirmed")
    if posting.status != PostingStatus.PUBLISHED:
        raise InvalidInput("该岗位已停止招聘", code="posting_closed", field="posting")

    with transaction.atomic():
        existing = Application.objects.select_for_update().filter(seeker=seeker, posting=posting).first()
        if existing is not None:
            if existing.status == ApplicationStatus.WITHDRAWN:
                existing.status = ApplicationStatus.APPLIED
                existing.channel = channel
                existing.save(update_fields=["status", "channel", "updated_at"])
                _event(existing, actor=actor, from_status=ApplicationStatus.WITHDRAWN,
                       to_status=ApplicationStatus.APPLIED, reason="重新报名")
                audit(actor=actor, action="application.apply", target=existing, channel=channel, reopened=True)
            existing.created = False
            return existing
        try:
            with transaction.atomic():
                application = Application.objects.create(seeker=seeker, posting=posting, channel=channel,
                                                         created_by=actor if actor.is_authenticated else None)
        except IntegrityError:  # the same tap twice at the same moment
            application = Application.objects.get(seeker=seeker, posting=posting)
            application.created = False
            return application
        _event(application, actor=actor, from_status="", to_status=ApplicationStatus.APPLIED,
               reason="工作人员代报，求职者已同意" if channel == ApplicationChannel.STAFF else "")
        audit(actor=actor, action="application.apply", target=application, channel=channel,
              consent_confirmed=bool(consent_confirmed) if channel == ApplicationChannel.STAFF else None)
    application.created = True
    return application


def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """The seeker (or staff of the seeker's point) withdraws an open application."""
    seeker = application.seeker
    own = bool(seeker.user_id and getattr(actor, "pk", None) == seeker.user_id)
    staff = bool(seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(actor))
    if not (own or staff):
        raise PermissionDeniedError()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in OPEN_STATUSES:
            raise InvalidInput("该报名已结束，无法撤回", code="not_withdrawable")
        before = application.status
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        _event(application, actor=actor, from_status=before, to_status=ApplicationStatus.WITHDRAWN,
               reason=reason or ("本人撤回" if own else "工作人员代为撤回"))
        audit(actor=actor, action="application.withdraw", target=application, reason=reason)
    return application


def application_quick_apply(*, name: str, phone: str, posting, consent: bool):
    """One-tap apply by an anonymous visitor with an unknown phone number: creates the account (unusable
    password), a minimal seeker profile and the application in one transaction. Returns (user, application).
    A known phone raises Conflict "phone_registered" (the page asks them to log in); nothing is saved
    when anything fails."""
    from hongniang.seekers.services import seeker_quick_register

    if posting.status != PostingStatus.PUBLISHED:
        raise InvalidInput("该岗位已停止招聘", code="posting_closed", field="posting")
    with transaction.atomic():
        user, seeker = seeker_quick_register(name=name, phone=phone, consent=consent)
        application = application_apply(seeker=seeker, posting=posting, actor=user)
    return user, application
