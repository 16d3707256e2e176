"""/api/v1/reports: anyone reports a posting; the bureau lists and resolves reports."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hongniang.core.apiauth import AUTH, optional_user
from hongniang.core.errors import NotFoundError
from hongniang.core.paging import MAX_PAGE
from hongniang.core.roles import require_bureau
from hongniang.jobs.models import JobPosting

from . import selectors, services
from .models import PostingReport, ReportStatus
from .schemas import ReportCreated, ReportIn, ReportOut, ReportPage, ResolveIn
from .views import client_ip

PREFIX = ""
router = Router(tags=["举报"])


@router.post("/reports", response={201: ReportCreated},
             summary="举报岗位（无需登录；同一人对同一岗位只计一次；每小时有次数限制）")
def create_report(request: HttpRequest, body: ReportIn):
    posting = JobPosting.objects.filter(pk=body.posting_id).first()
    if posting is None:
        raise NotFoundError(_("找不到该岗位"))
    report = services.report_create(posting=posting, reason=body.reason, text=body.text,
                                    reporter=optional_user(request), ip=client_ip(request))
    return Status(201, report)


def _bureau(request):
    require_bureau(request.auth, _("只有人社局审核人员可以查看举报"))


@router.get("/reports", response=ReportPage, auth=AUTH, summary="举报列表（人社局）")
def list_reports(request: HttpRequest, status: ReportStatus | None = ReportStatus.OPEN,
                 posting_id: int | None = None, page: int = Query(1, ge=1, le=MAX_PAGE),
                 page_size: int = Query(50, ge=1, le=100)):
    qs = selectors.reports(request.auth, status=status, posting_id=posting_id)
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


@router.post("/reports/{int:report_id}/resolve", response=ReportOut, auth=AUTH,
             summary="处理举报（人社局）：不予采纳，或属实并下架岗位")
def resolve_report(request: HttpRequest, report_id: int, body: ResolveIn):
    _bureau(request)
    report = PostingReport.objects.filter(pk=report_id).first()
    if report is None:
        raise NotFoundError(_("找不到该举报"))
    services.report_resolve(reviewer=request.auth, report=report, outcome=body.outcome, note=body.note)
    return PostingReport.objects.select_related("posting", "posting__enterprise").get(pk=report.pk)
