"""Application endpoints: POST /jobs/{id}/apply, GET /me/applications, POST /applications/{id}/withdraw.
PREFIX is "" so the paths are exactly these (the /jobs router itself belongs to the jobs app)."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from hongniang.api import AUTH
from hongniang.core import roles
from hongniang.core.errors import NotFoundError
from hongniang.jobs.models import JobPosting

from . import selectors, services
from .models import Application
from .schemas import ApplicationOut, WithdrawIn

PREFIX = ""
router = Router(tags=["报名"])
ERRORS = {401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def _own_seeker(request):
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        raise NotFoundError("您还没有填写求职信息", code="no_profile")
    return seeker


@router.post("/jobs/{posting_id}/apply", response={200: ApplicationOut, 201: ApplicationOut, **ERRORS}, auth=AUTH)
def apply(request, posting_id: int):
    """One tap by the logged-in seeker: 201 with the new application; 200 with the existing one when
    already applied (idempotent, no duplicate); 422 "posting_closed" when the posting no longer recruits."""
    seeker = _own_seeker(request)
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise"), pk=posting_id)
    application = services.application_apply(seeker=seeker, posting=posting, actor=request.user)
    return (201 if application.created else 200), ApplicationOut.from_application(application, application.created)


@router.get("/me/applications", response={200: list[ApplicationOut], **ERRORS}, auth=AUTH)
def my_applications(request):
    seeker = _own_seeker(request)
    return 200, [ApplicationOut.from_application(a) for a in selectors.seeker_applications(seeker)]


@router.post("/applications/{application_id}/withdraw", response={200: ApplicationOut, **ERRORS}, auth=AUTH)
def withdraw(request, application_id: int):
    """Withdraw my application (or one of my point's seekers'). Optional JSON body: {"reason": "..."}."""
    try:
        payload = WithdrawIn(**json.loads(request.body or b"{}"))
    except (ValueError, TypeError):
        payload = WithdrawIn()
    application = Application.objects.select_related("seeker", "posting__enterprise").filter(
        pk=application_id).first()
    if application is None:
        raise HttpError(404, "not_found")
    seeker = application.seeker
    own = bool(seeker.user_id and seeker.user_id == request.user.pk)
    staff = bool(seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(request.user))
    if not (own or staff):
        raise HttpError(404, "not_found")
    application = services.application_withdraw(actor=request.user, application=application,
                                                reason=payload.reason)
    return 200, ApplicationOut.from_application(application)
