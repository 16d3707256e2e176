"""Hire + follow-ups: the enterprise records a hire (applications), and the seeker's service point gets its
回访 at 7, 30 and 90 days after the start (outreach), in one transaction.

Pages and the API run every pipeline action through `pipeline_act`, so "hire" always brings its follow-ups."""

from __future__ import annotations

from django.db import transaction

from hongniang.applications.models import Application
from hongniang.applications.services import application_act, application_hire
from hongniang.outreach.services import schedule_followups


def hire(*, actor, application: Application, start_date) -> Application:
    with transaction.atomic():
        app = application_hire(actor=actor, application=application, start_date=start_date)
        # idempotent; the daily `schedule_followups` command fills any gap
        schedule_followups(application=app, hired_on=start_date)
    return app


def pipeline_act(*, actor, application: Application, action: str, **fields) -> Application:
    """One pipeline action by name (the applicants page and POST /applications/{id}/transitions/{action})."""
    if action == "hire":
        return hire(actor=actor, application=application, start_date=fields.get("start_date"))
    return application_act(actor=actor, application=application, action=action, **fields)
