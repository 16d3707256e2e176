"""The "interested" call outcome: staff phone a seeker about a posting; when the seeker is interested and agrees
on the phone, staff apply on their behalf (applications) and the call is logged with that application
(outreach), in one transaction."""

from __future__ import annotations

from django.db import transaction

from hongniang.applications.services import application_apply
from hongniang.outreach.models import CallLog, CallOutcome
from hongniang.outreach.services import call_log_check, call_log_record


def record_call(*, actor, posting, seeker, outcome: str, note: str = "", verbal_consent: bool = False) -> CallLog:
    call_log_check(actor=actor, posting=posting, seeker=seeker, outcome=outcome, verbal_consent=verbal_consent)
    with transaction.atomic():
        application = None
        if outcome == CallOutcome.INTERESTED:
            application = application_apply(seeker=seeker, posting=posting, actor=actor, channel="staff",
                                            consent_confirmed=True)
        return call_log_record(actor=actor, posting=posting, seeker=seeker, outcome=outcome, note=note,
                               verbal_consent=verbal_consent, application=application)
