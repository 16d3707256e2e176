"""A live-session lead becomes an application when the person confirms: on the call back (staff witness their
verbal consent), or with an SMS code they type on the session page. One transaction over live, seekers and
applications: the person is found by phone or registered (name, phone; staff add the rest later), the application
enters the pipeline with the session as its source, and the lead points at it."""

from __future__ import annotations

from django.db import transaction

from hongniang.applications import services as applications
from hongniang.applications.models import ApplicationChannel
from hongniang.core.errors import PermissionDeniedError
from hongniang.live import services as live
from hongniang.live.machines import LEAD, is_caller
from hongniang.live.models import Lead
from hongniang.seekers.models import ConsentChannel
from hongniang.seekers.services import seeker_register_walk_in


def lead_confirm_by_call(*, actor, lead: Lead):
    """Staff reached the person and they confirm: returns (lead, application)."""
    lead = Lead.objects.select_related("session__organiser_point", "posting").get(pk=lead.pk)
    if not is_caller(actor, lead.session):
        raise PermissionDeniedError()
    if not LEAD.can(lead, "confirm"):
        LEAD.transition(lead, "confirm", actor=actor)  # raises the kit's Chinese "invalid_transition" message
    with transaction.atomic():
        seeker, _ = seeker_register_walk_in(actor=actor, name=lead.name, phone=lead.phone,
                                            consent_channel=ConsentChannel.VERBAL,
                                            service_point=lead.session.organiser_point)
        application = applications.application_record_from_source(
            seeker=seeker, posting=lead.posting, actor=actor, channel=ApplicationChannel.LIVE,
            source_id=lead.session_id, consent_channel=ConsentChannel.VERBAL)
        lead = live.lead_mark_confirmed(actor=actor, lead=lead, application=application, via="call")
    return lead, application
