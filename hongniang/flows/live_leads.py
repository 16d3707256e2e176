"""A live-session lead becomes an application when the person confirms: on the call back (staff witness their
verbal consent), or with an SMS code they type on the session page. One transaction over live, seekers and
applications: the person is found by phone or registered (name, phone; staff add the rest later), the application
enters the pipeline with the session as its source, and the lead points at it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from hongniang.applications import services as applications
from hongniang.applications.models import ApplicationChannel
from hongniang.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.live import services as live
from hongniang.live.machines import LEAD, is_caller
from hongniang.live.models import Lead, LeadStatus
from hongniang.notifications.phone_codes import phone_code_check, phone_code_send
from hongniang.seekers.models import ConsentChannel, Seeker
from hongniang.seekers.services import seeker_quick_register, seeker_register_walk_in
from hongniang.zh.validators import normalize_phone


def lead_confirm_by_call(*, actor, lead: Lead):
    """Staff reached the person and they confirm: returns (lead, application)."""
    lead = Lead.objects.select_related("session__organiser_point", "posting").get(pk=lead.pk)
    if not is_caller(actor, lead.session):
        raise PermissionDeniedError()
    if not LEAD.can(lead, "confirm"):
        LEAD.transition(lead, "confirm", actor=actor)  # raises the kit's Chinese "invalid_transition" message
    with transaction.atomic():
        seeker, _created = seeker_register_walk_in(actor=actor, name=lead.name, phone=lead.phone,
                                            consent_channel=ConsentChannel.VERBAL,
                                            service_point=lead.session.organiser_point)
        application = applications.application_record_from_source(
            seeker=seeker, posting=lead.posting, actor=actor, channel=ApplicationChannel.LIVE,
            source_id=lead.session_id, consent_channel=ConsentChannel.VERBAL)
        lead = live.lead_mark_confirmed(actor=actor, lead=lead, application=application, via="call")
    return lead, application


SMS_PURPOSE = "live_lead"


def _open_leads(session_id: int, phone: str):
    return list(Lead.objects.select_related("session", "posting")
                .filter(session_id=session_id, phone=phone, status__in=[LeadStatus.NEW, LeadStatus.UNREACHABLE])
                .order_by("pk"))


def lead_send_code(*, session, phone: str, ip: str | None = None) -> None:
    """Text a one-time code to a number that signed up in this session (for confirming without waiting for the
    call). Every well-formed number gets the same answer: whether it signed up is never said (no code is sent
    to one that did not). Rate-limited by the phone-code service."""
    try:
        phone = normalize_phone(phone or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="phone") from None
    if _open_leads(session.pk, phone):
        phone_code_send(phone=phone, purpose=SMS_PURPOSE, ip=ip)


def lead_confirm_by_sms(*, session, phone: str, code: str):
    """The person typed the code texted to the number they signed up with: each of their open leads in this
    session becomes an application (consent online). The person is the seeker already registered with this
    number, or a new one with a log-in they can claim later (as after a quick apply). Returns [(lead, application)]."""
    try:
        phone = normalize_phone(phone or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="phone") from None
    # the code first: a number that did not sign up got none, so it fails like a wrong code (nothing told)
    phone_code_check(phone=phone, purpose=SMS_PURPOSE, code=code)  # before the transaction (it counts tries)
    leads = _open_leads(session.pk, phone)
    if not leads:  # the phone is proven: it may be told its sign-ups were handled meanwhile
        raise NotFoundError(_("这个手机号在本场直播没有待确认的报名（可能已确认或已联系）"), field="phone")
    out = []
    with transaction.atomic():
        seeker = (Seeker.objects.filter(phone=phone).order_by(F("user_id").desc(nulls_last=True), "pk").first())
        if seeker is None:
            _user, seeker = seeker_quick_register(name=leads[0].name, phone=phone, consent=True)
        for lead in leads:
            application = applications.application_record_from_source(
                seeker=seeker, posting=lead.posting, actor=seeker.user if seeker.user_id else None,
                channel=ApplicationChannel.LIVE, source_id=lead.session_id, consent_channel=ConsentChannel.ONLINE,
                verified_phone=phone, note="直播报名，本人短信验证码确认")
            out.append((live.lead_mark_confirmed(actor=None, lead=lead, application=application, via="sms"),
                        application))
    return out
