"""Staff workflow endpoints under /api/v1/outreach: workspace figures, imports (upload → preview → commit),
call lists with outcomes, follow-ups. Staff see their points only; anonymous → 401; others → 403/404."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from hongniang.core import roles
from hongniang.core.apiauth import AUTH
from hongniang.core.audit import audit
from hongniang.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.core.paging import MAX_OFFSET
from hongniang.employers.models import Enterprise
from hongniang.jobs.models import JobPosting

from . import imports, selectors, services

PREFIX = "/outreach"
router = Router(tags=["站点工作台"])
ERRORS = {401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def _staff(request):
    try:
        services.require_staff(request.user)
    except PermissionDeniedError:
        raise HttpError(403, "forbidden") from None


class PointFiguresOut(Schema):
    service_point_id: int
    service_point: str
    registered: int
    active: int
    placed_this_month: int
    followups_due: int
    followups_overdue: int


@router.get("/figures", response={200: list[PointFiguresOut], **ERRORS}, auth=AUTH)
def figures(request):
    """Per point: registered, active, placed this month, follow-ups due (next 7 days) and overdue.
    Staff: their points; the bureau: every point side by side."""
    _staff(request)
    return Status(200, [{"service_point_id": f.point.pk, "service_point": f.point.name, "registered": f.registered,
                  "active": f.active, "placed_this_month": f.placed_this_month, "followups_due": f.followups_due,
                  "followups_overdue": f.followups_overdue} for f in selectors.figures(request.user)])


# --- imports ----------------------------------------------------------------------------------------


class ImportRowOut(Schema):
    n: int
    display: dict
    errors: list[str]
    valid: bool


class ImportBatchOut(Schema):
    id: int
    kind: str
    status: str
    filename: str
    service_point_id: int | None
    enterprise_id: int | None
    total_rows: int
    valid_rows: int
    error_rows: int
    created_rows: int
    notes: list[str]
    errors: list[ImportRowOut]
    rows: list[ImportRowOut]


def _batch_out(batch, offset=0, limit=200):
    rows = batch.report
    return {
        "id": batch.pk, "kind": batch.kind, "status": batch.status, "filename": batch.filename,
        "service_point_id": batch.service_point_id, "enterprise_id": batch.enterprise_id,
        "total_rows": batch.total_rows, "valid_rows": batch.valid_rows, "error_rows": batch.error_rows,
        "created_rows": batch.created_rows, "notes": batch.notes,
        "errors": [r for r in rows if r.get("errors")][offset:offset + limit],
        "rows": rows[offset:offset + limit],
    }


@router.post("/imports", response={201: ImportBatchOut, **ERRORS}, auth=AUTH)
def import_upload(request, kind: Form[str], file: File[UploadedFile], service_point_id: Form[int | None] = None,
                  enterprise_id: Form[int | None] = None):
    """Upload a roster (kind=seekers) or a job list (kind=postings, with enterprise_id): every row is
    checked and nothing is written until commit."""
    _staff(request)

    point = services.acting_point(request.user, service_point_id)
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id) if enterprise_id else None
    batch = services.import_upload(actor=request.user, kind=kind, data=imports.read_upload(file), filename=file.name or "",
                                   service_point=point, enterprise=enterprise)
    return Status(201, _batch_out(batch))


def _batch(request, pk):
    _staff(request)
    batch = selectors.batch_or_none(request.user, pk)
    if batch is None:
        raise NotFoundError(_("找不到该导入批次"))
    return batch


@router.get("/imports/{pk}", response={200: ImportBatchOut, **ERRORS}, auth=AUTH)
def import_get(request, pk: int, offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(200, ge=1, le=1000)):
    """The preview: per-row results (masked), paginated with offset/limit (errors and rows alike)."""
    return Status(200, _batch_out(_batch(request, pk), offset, limit))


@router.post("/imports/{pk}/commit", response={200: ImportBatchOut, **ERRORS}, auth=AUTH)
def import_commit(request, pk: int):
    return Status(200, _batch_out(services.import_commit(actor=request.user, batch=_batch(request, pk))))


@router.post("/imports/{pk}/cancel", response={200: ImportBatchOut, **ERRORS}, auth=AUTH)
def import_cancel(request, pk: int):
    return Status(200, _batch_out(services.import_cancel(actor=request.user, batch=_batch(request, pk))))


# --- call lists -------------------------------------------------------------------------------------


class CallCandidateOut(Schema):
    seeker_id: int
    name: str
    phone: str
    home_region: str
    score: float
    reasons: str
    distance_km: float | None


@router.get("/jobs/{posting_id}/call-list", response={200: list[CallCandidateOut], **ERRORS}, auth=AUTH)
def call_list(request, posting_id: int, top: int = Query(30, ge=1, le=100)):
    """The best matches of my points for the job, without anyone already called about it."""
    _staff(request)

    if not roles.service_point_ids(request.user):
        raise HttpError(403, "forbidden")
    posting = get_object_or_404(JobPosting, pk=posting_id)
    items = selectors.call_list(posting, request.user, top=top)
    audit(actor=request.user, action="view_call_list", target=posting, reason="API",
          seekers=[i.seeker.pk for i in items])
    return Status(200, [{"seeker_id": i.seeker.pk, "name": i.seeker.name if i.full else i.seeker.masked_name,
                  "phone": i.seeker.phone if i.full else i.seeker.masked_phone,
                  "home_region": i.seeker.home_region.full_name if i.seeker.home_region_id else "",
                  "score": round(i.score, 4), "reasons": i.reasons, "distance_km": i.distance_km} for i in items])


class CallIn(Schema):
    seeker_id: int
    outcome: str
    note: str = ""
    verbal_consent: bool = False


class CallOut(Schema):
    id: int
    posting_id: int
    seeker_id: int
    outcome: str
    note: str
    application_id: int | None
    at: dt.datetime


# --- follow-ups -------------------------------------------------------------------------------------


class FollowUpOut(Schema):
    id: int
    application_id: int
    seeker_id: int
    seeker_name: str
    enterprise_id: int
    enterprise: str
    posting_title: str
    service_point_id: int | None
    day: int
    hired_on: dt.date
    due_on: dt.date
    status: str
    still_working: bool | None
    paid_as_promised: bool | None
    problems: str


def _fu_out(f):
    return {"id": f.pk, "application_id": f.application_id, "seeker_id": f.seeker_id,
            "seeker_name": f.seeker.masked_name, "enterprise_id": f.enterprise_id, "enterprise": f.enterprise.name,
            "posting_title": f.application.posting.title, "service_point_id": f.service_point_id, "day": f.day,
            "hired_on": f.hired_on, "due_on": f.due_on, "status": f.status, "still_working": f.still_working,
            "paid_as_promised": f.paid_as_promised, "problems": f.problems}


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    count: int
    limit: int
    offset: int


FOLLOWUP_STATES = ("due", "overdue", "done")
FOLLOWUP_PAGE = 50
FOLLOWUP_PAGE_MAX = 200


@router.get("/followups", response={200: FollowUpPage, **ERRORS}, auth=AUTH)
def followup_list(request, state: str = "due",
                  limit: int = Query(FOLLOWUP_PAGE, ge=1, le=FOLLOWUP_PAGE_MAX, description="每页条数，1–200，默认 50"),
                  offset: int = Query(0, ge=0, le=MAX_OFFSET, description="从第几条开始（0 起）")):
    """My points' follow-ups, one page at a time: `items` (the page), `count` (all rows of this state).
    state: due (pending, due in the next 7 days), overdue (pending, past due), done (newest first).
    A limit or offset out of range → 422 {"code": "invalid_input", ...}."""
    _staff(request)
    if state not in FOLLOWUP_STATES:
        raise InvalidInput(_("state 只能是 due、overdue 或 done"), field="state")
    qs = selectors.followups(request.user, state=state)
    return Status(200, {"items": [_fu_out(f) for f in qs[offset:offset + limit]], "count": qs.count(),
                        "limit": limit, "offset": offset})


class FollowUpIn(Schema):
    reached: bool = True
    still_working: bool | None = None
    paid_as_promised: bool | None = None
    problems: str = ""


@router.post("/followups/{pk}", response={200: FollowUpOut, **ERRORS}, auth=AUTH)
def followup_record(request, pk: int, payload: FollowUpIn):
    _staff(request)
    f = selectors.followup_or_none(request.user, pk)
    if f is None:
        raise NotFoundError(_("找不到该回访"))
    if payload.reached:
        f = services.followup_record(actor=request.user, followup=f, still_working=payload.still_working,
                                     paid_as_promised=payload.paid_as_promised, problems=payload.problems)
    else:
        f = services.followup_unreachable(actor=request.user, followup=f, note=payload.problems)
    return Status(200, _fu_out(selectors.followup_or_none(request.user, f.pk)))


class RetentionOut(Schema):
    enterprise_id: int
    enterprise: str
    hires: int
    retention: dict[str, dict]


@router.get("/retention", response={200: list[RetentionOut], **ERRORS}, auth=AUTH)
def retention(request):
    """Per enterprise, at 7/30/90 days: follow-ups recorded, still working, rate (%)."""
    _staff(request)
    rows = [{"enterprise_id": r.enterprise_id, "enterprise": r.enterprise_name, "hires": r.hires,
             "retention": {str(d): {"recorded": v[0], "still_working": v[1], "rate": v[2]}
                           for d, v in r.by_day.items()}} for r in selectors.retention_by_enterprise(request.user)]
    return Status(200, rows)
