"""/api/v1/enterprises (public facts, registration) and /api/v1/enterprise/jobs (the HR's own)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from hongniang.api import AUTH
from hongniang.core.audit import audit
from hongniang.core.errors import InvalidInput, NotFoundError
from hongniang.jobs.apiauth import optional_user
from hongniang.jobs.schemas import OwnPostingPage
from hongniang.jobs.selectors import enterprise_postings

from . import selectors, services
from .models import Enterprise
from .schemas import (
    ApplicantPage,
    EnterprisePage,
    EnterprisePublic,
    EnterpriseRegistered,
    EnterpriseRegisterIn,
)

PREFIX = ""
router = Router(tags=["企业"])


def _public_qs():
    return Enterprise.objects.select_related("industry", "region", "region__parent")


@router.get("/enterprises", response=EnterprisePage, summary="用人单位列表（公开信息）")
def list_enterprises(request: HttpRequest, q: str | None = None, verified: bool | None = None,
                     page: int = Query(1, ge=1), page_size: int = Query(20, ge=1, le=100)):
    qs = _public_qs().order_by("name", "id")
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if verified is not None:
        qs = qs.filter(verification_status="verified") if verified else qs.exclude(verification_status="verified")
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


@router.get("/enterprises/{int:enterprise_id}", response=EnterprisePublic, summary="用人单位（公开信息）")
def get_enterprise(request: HttpRequest, enterprise_id: int):
    row = _public_qs().filter(pk=enterprise_id).first()
    if row is None:
        raise NotFoundError("找不到该单位")
    return row


@router.post("/enterprises", response={201: EnterpriseRegistered}, summary="企业注册（未登录时同时创建账号）")
def register_enterprise(request: HttpRequest, body: EnterpriseRegisterIn):
    user = optional_user(request)
    common = dict(name=body.name, credit_code=body.credit_code, industry_code=body.industry_code,
                  region_code=body.region_code, address=body.address, contact_name=body.contact_name,
                  description=body.description)
    if user is not None and user.is_authenticated:
        enterprise = services.enterprise_register(user=user, contact_phone=body.contact_phone or user.phone or "",
                                                  **common)
    else:
        if not body.phone or not body.password:
            raise InvalidInput("未登录时请填写手机号和密码以创建账号",
                               errors={k: ["请填写"] for k in ("phone", "password") if not getattr(body, k)})
        user, enterprise = services.account_and_enterprise_register(phone=body.phone, password=body.password,
                                                                    **common)
    row = _public_qs().get(pk=enterprise.pk)
    row.user_id = user.pk
    return 201, row


@router.get("/enterprise/jobs", response=OwnPostingPage, auth=AUTH, summary="本企业的岗位（含报名人数）")
def my_jobs(request: HttpRequest, page: int = Query(1, ge=1), page_size: int = Query(50, ge=1, le=100)):
    qs = enterprise_postings(request.auth).select_related("region")
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


@router.get("/enterprise/jobs/{int:posting_id}/applicants", response=ApplicantPage, auth=AUTH,
            summary="本企业某岗位的报名人员（含联系方式，查看会记入审计日志）")
def job_applicants(request: HttpRequest, posting_id: int):
    posting = selectors.own_posting(request.auth, posting_id)
    if posting is None:
        raise NotFoundError("找不到该岗位")
    rows = list(selectors.applicants_of(posting))
    audit(actor=request.auth, action="view_applicants", target=posting, count=len(rows), channel="api")
    return {"items": rows, "count": len(rows)}
