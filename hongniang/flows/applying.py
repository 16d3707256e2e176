"""Register-and-apply: a visitor with an unknown phone number applies in one tap. The seekers app creates the
account and the minimal profile, the applications app the application — in one transaction, so nothing is
half-saved when anything fails."""

from __future__ import annotations

from django.db import transaction

from hongniang.applications.services import application_apply, check_posting_open
from hongniang.seekers.services import seeker_quick_register


def quick_apply(*, name: str, phone: str, posting, consent: bool):
    """Returns (user, application). A known phone raises Conflict "phone_registered" (the page asks them to
    log in); a posting no longer published raises InvalidInput "posting_closed" before anything is written."""
    check_posting_open(posting)
    with transaction.atomic():
        user, seeker = seeker_quick_register(name=name, phone=phone, consent=consent)
        application = application_apply(seeker=seeker, posting=posting, actor=user)
    return user, application
