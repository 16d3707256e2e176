"""At a booth: the enterprise scans (or types) a checked-in seeker's code and records an intention, an
application straight into the hiring pipeline with the event as its source, and, if asked, an interview. The
seeker's code shown at the booth is their consent to share their details with this enterprise. Found by phone
instead (the code lost), the intention waits for the seeker's own confirmation and no application is made yet.

Also: confirming a one-sided intention later (the other side's tap) makes the application then."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hongniang.applications import services as applications
from hongniang.core.errors import InvalidInput
from hongniang.events import services as events
from hongniang.events.models import IntentionStatus
from hongniang.seekers.models import ConsentChannel


def booth_scan(*, actor, event, posting, code: str = "", phone: str = "", interview_at=None,
               interview_place: str = ""):
    """Returns (intention, application or None)."""
    booth = events.booth_of(actor=actor, event=event, posting=posting)
    reg, via = events.checked_in_registration(event=event, code=code, phone=phone)
    if interview_at is not None and via != "code":
        raise InvalidInput(_("约面试需要扫描或输入求职者的签到码（本人同意）"), field="code")
    with transaction.atomic():
        intention = events.intention_record(actor=actor, booth=booth, registration=reg, posting=posting, via=via)
        application = None
        if intention.status == IntentionStatus.CONFIRMED:
            application = _apply(actor, event, intention, reg.seeker, posting, ConsentChannel.SCREEN)
            if interview_at is not None:
                application = applications.application_schedule_interview(
                    actor=actor, application=application, interview_at=interview_at,
                    place=interview_place or f"{event.title} {booth.number or ''}号展位".strip())
    return intention, application


def _apply(actor, event, intention, seeker, posting, consent_channel):
    application = applications.application_record_from_source(
        seeker=seeker, posting=posting, actor=actor, channel=events.event_channel(event), source_id=event.pk,
        consent_channel=consent_channel)
    events.intention_link_application(intention=intention, application=application)
    return application


def intention_confirm(*, actor, intention, action: str):
    """The other side confirms (or declines) a one-sided intention; once both confirmed, the application enters
    the pipeline. Returns (intention, application or None)."""
    with transaction.atomic():
        intention = events.intention_act(actor=actor, intention=intention, action=action)
        application = None
        if intention.status == IntentionStatus.CONFIRMED:
            reg = intention.registration
            # the seeker confirmed on their own phone (now, or when declaring it): consent given online
            application = _apply(actor, reg.event, intention, reg.seeker, intention.posting, ConsentChannel.ONLINE)
    return intention, application
