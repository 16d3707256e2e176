"""Both directions of matching over the API: jobs for a person, people for a job."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from hongniang.core import roles
from hongniang.core.apiauth import AUTH
from hongniang.core.audit import audit
from hongniang.core.errors import PermissionDeniedError
from hongniang.jobs.models import JobPosting

from . import dashboard, services, state
from .models import Surface
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
    other: bool = False  # far from every occupation the seeker named ("其他可以考虑的工作"), at the end of the list


class ViewedOut(Schema):
    recorded: bool


class FunnelRowOut(Schema):
    key: str
    name: str
    shown: int
    viewed: int
    applied: int
    hired: int
    view_rate: float | None
    apply_rate: float | None
    hire_rate: float | None
    hire_per_application: float | None


class FunnelOut(Schema):
    days: int
    since: str
    scope: str
    total: FunnelRowOut
    townships: list[FunnelRowOut]
    occupations: list[FunnelRowOut]
    engines: list[FunnelRowOut]


class RecommendCandidateOut(Schema):
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
        raise PermissionDeniedError(_("请先完善求职者信息"), code="not_a_seeker")
    items = recommendations_for(seeker, top=max(1, min(top, 50)))
    services.record_impressions(seeker=seeker, items=items, surface=Surface.API, engine=state.engine())
    return [
        {"job_id": i.posting.pk, "title": i.posting.title, "enterprise": i.posting.enterprise.name,
         "township": i.posting.township.name if i.posting.township_id else None, "pay": i.posting.pay_text,
         "score": round(i.score, 4), "reasons": i.reasons,
         "distance_km": None if i.distance_km is None else round(i.distance_km, 1), "other": i.other}
        for i in items
    ]


@router.post("/me/viewed/{posting_id}", response=ViewedOut, summary="记录求职者打开了一个推荐岗位（用于推荐成效统计）")
def my_recommendation_viewed(request, posting_id: int):
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        raise PermissionDeniedError(_("请先完善求职者信息"), code="not_a_seeker")
    get_object_or_404(JobPosting.objects.only("pk"), pk=posting_id)
    return {"recorded": services.record_view(seeker=seeker, posting_id=posting_id)}


@router.get("/placement", response=FunnelOut, summary="推荐成效：推荐→查看→报名→上岗，按乡镇和工种（人社局；站点工作人员看本站点乡镇）")
def placement(request, days: int = 90):
    f = dashboard.placement_funnel(request.user, days=days)
    return {"days": f.days, "since": f.since.isoformat(), "scope": f.scope, "total": f.total.as_dict(),
            "townships": [r.as_dict() for r in f.townships], "occupations": [r.as_dict() for r in f.occupations],
            "engines": [r.as_dict() for r in f.engines]}


@router.get("/jobs/{posting_id}/candidates", response=list[RecommendCandidateOut], summary="岗位推荐人选（报名前隐去个人信息）")
def job_candidates(request, posting_id: int, top: int = 30):
    posting = get_object_or_404(JobPosting, pk=posting_id)
    if not (roles.is_bureau(request.user) or roles.is_enterprise_hr(request.user, posting.enterprise_id)):
        raise Http404
    items = candidates_for(posting, request.user, top=max(1, min(top, 100)))
    if any(i.full for i in items):
        audit(actor=request.user, action="view_candidates", target=posting, reason="API",
              seekers=[i.seeker.pk for i in items if i.full])
    return [_candidate(i) for i in items]


@router.get("/jobs/{posting_id}/call-list", response=list[RecommendCandidateOut], summary="站点外呼名单")
def job_call_list(request, posting_id: int, top: int = 30):
    points = roles.service_point_ids(request.user)
    if not points:
        raise PermissionDeniedError(_("仅就业之家工作人员可查看外呼名单"))
    posting = get_object_or_404(JobPosting, pk=posting_id)
    items = call_list_for(posting, request.user, points, top=max(1, min(top, 100)))
    audit(actor=request.user, action="view_call_list", target=posting, reason="API",
          seekers=[i.seeker.pk for i in items])
    return [_candidate(i) for i in items]
