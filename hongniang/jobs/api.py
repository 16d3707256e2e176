"""/api/v1/jobs: the same filters and services as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from hongniang.core.apiauth import AUTH, optional_user
from hongniang.core.errors import NotFoundError, PermissionDeniedError
from hongniang.core.paging import MAX_PAGE
from hongniang.core.roles import is_bureau, is_enterprise_hr

from . import selectors, services
from .models import CHECK_LABELS, JobPosting
from .schemas import (
    CloseIn,
    PostingHistoryOut,
    PostingOut,
    PostingPatch,
    ReasonIn,
    ReviewPage,
)

PREFIX = "/jobs"
router = Router(tags=["岗位"])


@router.get("/review-queue", response=ReviewPage, auth=AUTH,
            summary="待审核岗位（人社局）：内容检查提示、疑似重复、举报数，按提交时间先后")
def review_queue(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=100)):
    if not is_bureau(request.auth):
        raise PermissionDeniedError(_("只有人社局审核人员可以查看审核队列"))
    qs = selectors.review_queue()
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


@router.get("/{int:posting_id}", response=PostingOut, summary="岗位详情")
def get_job(request: HttpRequest, posting_id: int):
    posting = selectors.visible_posting(optional_user(request), posting_id)
    if posting is None:
        raise NotFoundError(_("找不到该岗位"))
    return posting


def _posting_or_404(posting_id: int) -> JobPosting:
    posting = JobPosting.objects.select_related("enterprise").filter(pk=posting_id).first()
    if posting is None:
        raise NotFoundError(_("找不到该岗位"))
    return posting


def _reload(posting: JobPosting) -> JobPosting:
    return JobPosting.objects.select_related("enterprise", "township", "region", "occupation").get(pk=posting.pk)


@router.patch("/{int:posting_id}", response=PostingOut, auth=AUTH, summary="修改岗位")
def update_job(request: HttpRequest, posting_id: int, body: PostingPatch):
    posting = _posting_or_404(posting_id)
    data = {k: v for k, v in body.model_dump(exclude_unset=True).items()}
    posting = services.posting_update(actor=request.auth, posting=posting, data=data)
    return _reload(posting)


@router.post("/{int:posting_id}/close", response=PostingOut, auth=AUTH, summary="关闭岗位（草稿、待审核、招聘中、已过期 → 已关闭）")
def close_job(request: HttpRequest, posting_id: int, body: CloseIn | None = None):
    posting = _posting_or_404(posting_id)
    posting = services.posting_close(actor=request.auth, posting=posting, reason=(body.reason if body else ""))
    return _reload(posting)


@router.post("/{int:posting_id}/submit", response=PostingOut, auth=AUTH,
             summary="提交审核（草稿 → 待审核；企业已认证且内容检查无提示时自动发布）")
def submit_job(request: HttpRequest, posting_id: int):
    posting = services.posting_submit(actor=request.auth, posting=_posting_or_404(posting_id))
    return _reload(posting)


@router.post("/{int:posting_id}/approve", response=PostingOut, auth=AUTH, summary="审核通过（人社局；待审核 → 招聘中）")
def approve_job(request: HttpRequest, posting_id: int, body: ReasonIn | None = None):
    posting = services.posting_approve(reviewer=request.auth, posting=_posting_or_404(posting_id),
                                       reason=body.reason if body else "")
    return _reload(posting)


@router.post("/{int:posting_id}/reject", response=PostingOut, auth=AUTH,
             summary="审核退回（人社局；待审核 → 草稿，须填原因）")
def reject_job(request: HttpRequest, posting_id: int, body: ReasonIn):
    posting = services.posting_reject(reviewer=request.auth, posting=_posting_or_404(posting_id), reason=body.reason)
    return _reload(posting)


@router.post("/{int:posting_id}/fill", response=PostingOut, auth=AUTH, summary="已招满（招聘中 → 已招满）")
def fill_job(request: HttpRequest, posting_id: int, body: ReasonIn | None = None):
    posting = services.posting_mark_filled(actor=request.auth, posting=_posting_or_404(posting_id),
                                           reason=body.reason if body else "")
    return _reload(posting)


@router.post("/{int:posting_id}/refresh", response=PostingOut, auth=AUTH,
             summary="刷新有效期（招聘中或已过期 → 招聘中，有效期从今天起延长）")
def refresh_job(request: HttpRequest, posting_id: int):
    posting = services.posting_refresh(actor=request.auth, posting=_posting_or_404(posting_id))
    return _reload(posting)


@router.post("/{int:posting_id}/remove", response=PostingOut, auth=AUTH, summary="下架（人社局；须填原因）")
def remove_job(request: HttpRequest, posting_id: int, body: ReasonIn):
    posting = services.posting_remove(reviewer=request.auth, posting=_posting_or_404(posting_id), reason=body.reason)
    return _reload(posting)


@router.get("/{int:posting_id}/history", response=PostingHistoryOut, auth=AUTH,
            summary="岗位状态记录与内容检查（本企业招聘专员或人社局）")
def job_history(request: HttpRequest, posting_id: int):
    posting = _posting_or_404(posting_id)
    if not (is_bureau(request.auth) or is_enterprise_hr(request.auth, posting.enterprise_id)):
        raise PermissionDeniedError(_("只有本企业的招聘专员或人社局可以查看岗位记录"))
    return {"posting_id": posting.pk, "status": posting.status, "review_note": posting.review_note,
            "checks": [{"code": c, "label": _(CHECK_LABELS.get(c, c))} for c in posting.check_flags or []],
            "duplicate_ids": posting.duplicate_ids or [], "events": selectors.posting_history(posting)}

