"""A walk-in at an event's door: a seeker registered by staff in under a minute (name, phone, wanted work), a
registration for the event and the check-in, in one transaction (seekers + events)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.events import services as events
from hongniang.events.machines import is_organiser
from hongniang.events.models import RegistrationChannel, RegistrationStatus
from hongniang.seekers.models import ConsentChannel
from hongniang.seekers.services import seeker_register_walk_in


def walk_in_register(*, actor, event, name: str, phone: str, desired_occupations=(), consent_confirmed: bool,
                     consent_channel: str = ConsentChannel.VERBAL):
    """Returns (registration, seeker_created). A person already registered for the event is checked in (or told
    they already are); nothing is written when anything fails."""
    if not is_organiser(actor, event):
        raise PermissionDeniedError(_("只有主办方可以现场登记"))
    if not consent_confirmed:
        raise InvalidInput(_("请先确认本人同意登记个人信息"), field="consent_confirmed")
    with transaction.atomic():
        seeker, created = seeker_register_walk_in(actor=actor, name=name, phone=phone,
                                                  desired_occupations=desired_occupations,
                                                  consent_channel=consent_channel,
                                                  service_point=event.organiser_point)
        reg = events.registration_create(actor=actor, event=event, seeker=seeker,
                                         channel=RegistrationChannel.WALK_IN)
        if reg.status == RegistrationStatus.CHECKED_IN:
            raise Conflict(_("此人已签到入场"), code="already_checked_in")
        reg = events.registration_check_in(actor=actor, event=event, code=reg.code)
    return reg, created
