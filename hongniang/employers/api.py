"""/api/v1/enterprises (public facts, registration) and /api/v1/enterprise/jobs (the HR's own)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from hongniang.core.apiauth import AUTH, optional_user
from hongniang.core.errors import InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.core.paging import MAX_PAGE
from hongniang.core.roles import is_bureau, is_enterprise_hr, require_bureau

from . import selectors, services
from .models import Enterprise, RequestStatus, VerificationRequest
from .schemas import (
    DecisionIn,
    EnterprisePage,
    EnterprisePublic,
    EnterpriseRegistered,
    EnterpriseRegisterIn,
    VerificationPage,
    VerificationRequestOut,
    VerificationStatusOut,
)

PREFIX = ""
router = Router(tags=["企业"])


def _public_qs():
    return Enterprise.objects.select_related("industry", "region", "region__parent")


@router.get("/enterprises", response=EnterprisePage, summary="用人单位列表（公开信息）")
def list_enterprises(request: HttpRequest, q: str | None = None, verified: bool | None = None,
                     page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(20, ge=1, le=100)):
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
        raise NotFoundError(_("找不到该单位"))
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
            raise InvalidInput(_("未登录时请填写手机号和密码以创建账号"),
                               errors={k: [_("请填写")] for k in ("phone", "password") if not getattr(body, k)})
        user, enterprise = services.account_and_enterprise_register(phone=body.phone, password=body.password,
                                                                    code=body.code, **common)
    row = _public_qs().get(pk=enterprise.pk)
    row.user_id = user.pk
    return Status(201, row)


def _enterprise_for(user, enterprise_id: int) -> Enterprise:
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFoundError(_("找不到该单位"))
    if not (is_bureau(user) or is_enterprise_hr(user, enterprise.pk)):
        raise PermissionDeniedError(_("只有本企业的招聘专员或人社局可以查看认证信息"))
    return enterprise


def _verification_qs():
    return VerificationRequest.objects.select_related("enterprise")


@router.post("/enterprises/{int:enterprise_id}/verification", response={201: VerificationRequestOut}, auth=AUTH,
             summary="提交企业认证（统一社会信用代码 + 营业执照 PDF/JPG/PNG，≤ 5 MB，按文件内容识别类型）")
def submit_verification(request: HttpRequest, enterprise_id: int, credit_code: Form[str],
                        licence: File[UploadedFile]):
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFoundError(_("找不到该单位"))
    row = services.verification_submit(actor=request.auth, enterprise=enterprise, credit_code=credit_code,
                                       licence=licence)
    return Status(201, _verification_qs().get(pk=row.pk))


@router.get("/enterprises/{int:enterprise_id}/verification", response=VerificationStatusOut, auth=AUTH,
            summary="企业认证状态、申请与记录（本企业招聘专员或人社局）")
def verification_status(request: HttpRequest, enterprise_id: int):
    enterprise = _enterprise_for(request.auth, enterprise_id)
    return {"enterprise_id": enterprise.pk, "verification_status": enterprise.verification_status,
            "verification_status_label": enterprise.get_verification_status_display(),
            "verified_at": enterprise.verified_at, "verified_until": enterprise.verified_until,
            "requests": list(_verification_qs().filter(enterprise=enterprise).order_by("-submitted_at", "-id")),
            "events": selectors.verification_events_of(enterprise)}


def _bureau(user):
    require_bureau(user, _("只有人社局审核人员可以进行此操作"))


@router.get("/verifications", response=VerificationPage, auth=AUTH, summary="企业认证申请队列（人社局）")
def list_verifications(request: HttpRequest, status: RequestStatus | None = RequestStatus.PENDING,
                       page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=100)):
    _bureau(request.auth)
    qs = _verification_qs().order_by("submitted_at", "id")
    if status:
        qs = qs.filter(status=status)
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


def _request_or_404(request_id: int) -> VerificationRequest:
    row = VerificationRequest.objects.filter(pk=request_id).first()
    if row is None:
        raise NotFoundError(_("找不到该认证申请"))
    return row


@router.post("/verifications/{int:request_id}/approve", response=VerificationRequestOut, auth=AUTH,
             summary="通过企业认证（人社局；有效期 6 个月）")
def approve_verification(request: HttpRequest, request_id: int, body: DecisionIn | None = None):
    _bureau(request.auth)
    row = services.verification_approve(reviewer=request.auth, request=_request_or_404(request_id),
                                        reason=body.reason if body else "")
    return _verification_qs().get(pk=row.pk)


@router.post("/verifications/{int:request_id}/reject", response=VerificationRequestOut, auth=AUTH,
             summary="退回企业认证（人社局；须填原因）")
def reject_verification(request: HttpRequest, request_id: int, body: DecisionIn):
    _bureau(request.auth)
    row = services.verification_reject(reviewer=request.auth, request=_request_or_404(request_id),
                                       reason=body.reason)
    return _verification_qs().get(pk=row.pk)
