"""Application endpoints: POST /jobs/{id}/apply, GET /me/applications, POST /applications/{id}/withdraw.
PREFIX is "" so the paths are exactly these (the /jobs router itself belongs to the jobs app)."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from hongniang.core import roles
from hongniang.core.apiauth import AUTH
from hongniang.core.errors import NotFoundError
from hongniang.jobs.models import JobPosting

from . import selectors, services
from .machines import pipeline_actions
from .models import Application
from .schemas import (
    ApplicationDetailOut,
    ApplicationEventOut,
    ApplicationOut,
    ConfirmStartIn,
    PayRecordOut,
    PayReportIn,
    WithdrawIn,
)

PREFIX = ""
router = Router(tags=["报名"])
ERRORS = {401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def _own_seeker(request):
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        raise NotFoundError(_("您还没有填写求职信息"), code="no_profile")
    return seeker


@router.post("/jobs/{posting_id}/apply", response={200: ApplicationOut, 201: ApplicationOut, **ERRORS}, auth=AUTH)
def apply(request, posting_id: int):
    """One tap by the logged-in seeker: 201 with the new application; 200 with the existing one when
    already applied (idempotent, no duplicate); 422 "posting_closed" when the posting no longer recruits."""
    seeker = _own_seeker(request)
    posting = get_object_or_404(JobPosting.objects.select_related("enterprise"), pk=posting_id)
    application = services.application_apply(seeker=seeker, posting=posting, actor=request.user)
    out = ApplicationOut.from_application(application, application.created)
    return Status(201 if application.created else 200, out)


@router.get("/me/applications", response={200: list[ApplicationOut], **ERRORS}, auth=AUTH)
def my_applications(request):
    seeker = _own_seeker(request)
    return Status(200, [ApplicationOut.from_application(a) for a in selectors.seeker_applications(seeker)])


@router.post("/applications/{application_id}/withdraw", response={200: ApplicationOut, **ERRORS}, auth=AUTH)
def withdraw(request, application_id: int):
    """Withdraw my application (or one of my point's seekers'). Optional JSON body: {"reason": "..."}."""
    try:
        payload = WithdrawIn(**json.loads(request.body or b"{}"))
    except (ValueError, TypeError):
        payload = WithdrawIn()
    application = selectors.withdrawable_application(request.user, application_id)
    if application is None:
        raise HttpError(404, "not_found")
    application = services.application_withdraw(actor=request.user, application=application,
                                                reason=payload.reason)
    return Status(200, ApplicationOut.from_application(application))


# --- the pipeline, history, start and pay confirmations, the bureau's pay record ---------------------


def _visible(request, application_id: int) -> Application:
    application = selectors.visible_application(request.user, application_id)
    if application is None:
        raise HttpError(404, "not_found")
    return application


def _detail(request, application: Application) -> dict:
    seeker = application.seeker
    own = bool(seeker.user_id and seeker.user_id == request.user.pk)
    full = own or selectors.application_contact(request.user, application, channel="api") is not None
    actions = pipeline_actions(application, request.user)
    return ApplicationDetailOut.from_application(application, full=full, actions=actions,
                                                 events=list(selectors.history(application)))


@router.get("/applications/{application_id}", response={200: ApplicationDetailOut, **ERRORS}, auth=AUTH)
def application_detail(request, application_id: int):
    """One application with its history: the seeker, HR of the enterprise, staff of the seeker's point, the
    bureau. Contact details are masked unless the viewer may see them in full (each full view audited)."""
    return Status(200, _detail(request, _visible(request, application_id)))


@router.get("/applications/{application_id}/history", response={200: list[ApplicationEventOut], **ERRORS}, auth=AUTH)
def application_history(request, application_id: int):
    application = _visible(request, application_id)
    return Status(200, [{"at": e.at, "from_status": e.from_status, "to_status": e.to_status,
                  "to_status_label": e.to_status_label, "reason": e.reason, "actor_id": e.actor_id}
                 for e in selectors.history(application)])


@router.post("/applications/{application_id}/confirm-start", response={200: ApplicationDetailOut, **ERRORS},
             auth=AUTH)
def confirm_start(request, application_id: int, payload: ConfirmStartIn):
    """The seeker (or staff of their point) confirms the day work actually started (hired applications)."""
    application = _visible(request, application_id)
    application = services.application_confirm_start(actor=request.user, application=application,
                                                     actual_start_date=payload.actual_start_date)
    return Status(200, _detail(request, application))


@router.post("/applications/{application_id}/pay-report", response={200: ApplicationDetailOut, **ERRORS},
             auth=AUTH)
def pay_report(request, application_id: int, payload: PayReportIn):
    """After the first month: the pay actually received (yuan), compared with the promised monthly minimum."""
    application = _visible(request, application_id)
    application = services.application_report_pay(actor=request.user, application=application,
                                                  amount=payload.amount)
    return Status(200, _detail(request, application))


@router.get("/jobs/{posting_id}/applications", response={200: list[ApplicationDetailOut], **ERRORS}, auth=AUTH)
def posting_applications(request, posting_id: int):
    """HR of the posting's enterprise: its applications with history (withdrawn ones masked); audited."""
    found = selectors.posting_applicants(user=request.user, posting_id=posting_id, channel="api", with_history=True)
    if found is None:
        raise HttpError(404, "not_found")
    _posting, rows = found
    return Status(200, [ApplicationDetailOut.from_application(a, full=a.full_contact,
                                                              actions=pipeline_actions(a, request.user))
                        for a in rows])


@router.get("/bureau/pay-record", response={200: list[PayRecordOut], **ERRORS}, auth=AUTH)
def pay_record(request):
    """Bureau: each enterprise's hires, confirmed starts, pay reports and share paid below the promise."""
    if not roles.is_bureau(request.user):
        raise HttpError(403, "forbidden")
    return Status(200, [selectors.pay_record_row(e) for e in selectors.enterprise_pay_record()])
