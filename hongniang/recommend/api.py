"""Both directions of matching over the API: jobs for a person, people for a job."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hongniang.core import roles
from hongniang.core.apiauth import AUTH
from hongniang.core.audit import audit
from hongniang.core.errors import PermissionDeniedError
from hongniang.jobs.models import JobPosting

from .selectors import call_list_for, candidates_for, recommendations_for

PREFIX = "/recommend"
router = Router(tags=["matching"], auth=AUTH)


class JobRecommendationOut(Schema):
    job_id: int
    title: str
    enterprise: str
    township: str | None
    pay: str
    score: float
    reasons: str
    distance_km: float | None


class CandidateOut(Schema):
    seeker_id: int
    name: str
    phone: str
    age: int | None
    village: str | None
    applied: bool
    score: float
    reasons: str
    distance_km: float | None


def _candidate(item) -> dict:
    s = item.seeker
    return {
        "seeker_id": s.pk,
        "name": s.name if item.full else s.masked_name,
        "phone": s.phone if item.full else s.masked_phone,
        "age": item.age,
        "village": s.home_region.full_name if s.home_region_id else None,
        "applied": item.applied,
        "score": round(item.score, 4),
        "reasons": item.reasons,
        "distance_km": None if item.distance_km is None else round(item.distance_km, 1),
    }


@router.get("/me", response=list[JobRecommendationOut], summary="为你推荐：适合当前求职者的岗位（按容量分流）")
def my_recommendations(request, top: int = 10):
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        raise PermissionDeniedError("请先完善求职者信息", code="not_a_seeker")
    items = recommendations_for(seeker, top=max(1, min(top, 50)))
    return [
        {"job_id": i.posting.pk, "title": i.posting.title, "enterprise": i.posting.enterprise.name,
         "township": i.posting.township.name if i.posting.township_id else None, "pay": i.posting.pay_text,
         "score": round(i.score, 4), "reasons": i.reasons,
         "distance_km": None if i.distance_km is None else round(i.distance_km, 1)}
        for i in items
    ]


@router.get("/jobs/{posting_id}/candidates", response=list[CandidateOut], summary="岗位推荐人选（报名前隐去个人信息）")
def job_candidates(request, posting_id: int, top: int = 30):
    posting = get_object_or_404(JobPosting, pk=posting_id)
    if not (roles.is_bureau(request.user) or roles.is_enterprise_hr(request.user, posting.enterprise_id)):
        raise Http404
    items = candidates_for(posting, request.user, top=max(1, min(top, 100)))
    if any(i.full for i in items):
        audit(actor=request.user, action="view_candidates", target=posting, reason="API",
              seekers=[i.seeker.pk for i in items if i.full])
    return [_candidate(i) for i in items]


@router.get("/jobs/{posting_id}/call-list", response=list[CandidateOut], summary="站点外呼名单")
def job_call_list(request, posting_id: int, top: int = 30):
    points = roles.service_point_ids(request.user)
    if not points:
        raise PermissionDeniedError("仅就业之家工作人员可查看外呼名单")
    posting = get_object_or_404(JobPosting, pk=posting_id)
    items = call_list_for(posting, request.user, points, top=max(1, min(top, 100)))
    audit(actor=request.user, action="view_call_list", target=posting, reason="API",
          seekers=[i.seeker.pk for i in items])
    return [_candidate(i) for i in items]
