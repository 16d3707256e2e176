"""API endpoints that read several apps or run a flow (the web layer's part of /api/v1). Each keeps the path,
the tag and the operation id it had in its app's router, so clients see no change."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from hongniang.applications import api as applications_api
from hongniang.applications import services as application_services
from hongniang.applications.schemas import ApplicationDetailOut, TransitionIn
from hongniang.applications.selectors import enterprise_postings, posting_applicants
from hongniang.core.apiauth import AUTH, optional_user
from hongniang.core.errors import InvalidInput, NotFoundError
from hongniang.core.paging import MAX_PAGE
from hongniang.core.roles import enterprise_ids, is_bureau
from hongniang.core.throttle import client_ip
from hongniang.employers.models import Enterprise
from hongniang.employers.schemas import ApplicantPage
from hongniang.flows.accounts import delete_account, export_my_data
from hongniang.flows.calls import record_call
from hongniang.flows.hiring import pipeline_act
from hongniang.jobs import api as jobs_api
from hongniang.jobs import services as job_services
from hongniang.jobs.models import JobPosting
from hongniang.jobs.schemas import OwnPostingPage, PostingIn, PostingOut, PostingPage
from hongniang.notifications.phone_codes import phone_code_send
from hongniang.outreach import api as outreach_api
from hongniang.outreach.api import CallIn, CallOut
from hongniang.search import selectors as search_selectors
from hongniang.search.facets import facet_counts
from hongniang.search.results import COUNT_CAP
from hongniang.seekers import api as seekers_api
from hongniang.seekers.schemas import AccountDeleteIn
from hongniang.seekers.selectors import staff_seeker_or_none

ERRORS = {401: dict, 403: dict, 404: dict, 409: dict, 422: dict}

#: (prefix, router) pairs added to the API by hongniang.api after the apps' own routers
jobs_router = Router(tags=["岗位"])
root_router = Router()
outreach_router = Router(tags=["站点工作台"])
ROUTERS = [("/jobs", jobs_router), ("", root_router), ("/outreach", outreach_router)]


# --- /jobs: the list and search (jobs + the search index), posting a job for one of my enterprises -----------

@jobs_router.get("", response=PostingPage, operation_id="hongniang_jobs_api_list_jobs",
                 summary="在招岗位列表与搜索（与页面相同的筛选；有 q 时默认按相关度排序；"
                         f"有 q 时 count 封顶：{COUNT_CAP + 1} 表示 {COUNT_CAP}+）")
def list_jobs(request: HttpRequest, township: str | None = None, occupation: str | None = None,
              pay_min: int | None = Query(None, ge=0), pay_max: int | None = Query(None, ge=0),
              shift: str | None = None, benefits: list[str] = Query(None), q: str | None = None,
              sort: str | None = Query(None, pattern="^(relevance|distance|newest|pay)$"),
              lat: float | None = Query(None, ge=-90, le=90), lon: float | None = Query(None, ge=-180, le=180),
              page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(20, ge=1, le=100)):
    params = dict(township=township, occupation=occupation, pay_min=pay_min, pay_max=pay_max, shift=shift,
                  benefits=benefits or [], q=q, sort=sort, lat=lat, lon=lon)
    results, _total = search_selectors.search_postings(params)
    start = (page - 1) * page_size
    return {"items": list(results[start:start + page_size]), "count": results.count()}


@jobs_router.get("/facets", operation_id="hongniang_jobs_api_job_facets",
                 summary="筛选项计数（乡镇、班次、福利），与列表相同的条件")
def job_facets(request: HttpRequest, township: str | None = None, occupation: str | None = None,
               pay_min: int | None = Query(None, ge=0), pay_max: int | None = Query(None, ge=0),
               shift: str | None = None, benefits: list[str] = Query(None), q: str | None = None):
    params = dict(township=township, occupation=occupation, pay_min=pay_min, pay_max=pay_max, shift=shift,
                  benefits=benefits or [], q=q)
    return facet_counts(search_selectors.filter_postings(params))


@jobs_router.post("", response={201: PostingOut}, auth=AUTH, operation_id="hongniang_jobs_api_create_job",
                  summary="发布岗位（企业招聘专员）")
def create_job(request: HttpRequest, body: PostingIn):
    user = request.auth
    data = body.model_dump()
    enterprise_id = data.pop("enterprise_id")
    if enterprise_id is None:
        ids = enterprise_ids(user)
        if len(ids) != 1:
            raise InvalidInput(_("请指定发布岗位的企业（enterprise_id）") if ids or is_bureau(user)
                               else _("请先登记企业，再发布岗位"), field="enterprise_id")
        enterprise_id = ids[0]
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise InvalidInput(_("找不到该企业"), field="enterprise_id")
    posting = job_services.posting_create(actor=user, enterprise=enterprise, data=data)
    return Status(201, jobs_api._reload(posting))


# --- the enterprise's postings and applicants (jobs + applications) ------------------------------------------

@root_router.get("/enterprise/jobs", response=OwnPostingPage, auth=AUTH, tags=["企业"],
                 operation_id="hongniang_employers_api_my_jobs", summary="本企业的岗位（含报名人数）")
def my_jobs(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=100)):
    qs = enterprise_postings(request.auth).select_related("region")
    start = (page - 1) * page_size
    return {"items": list(qs[start:start + page_size]), "count": qs.count()}


@root_router.get("/enterprise/jobs/{int:posting_id}/applicants", response=ApplicantPage, auth=AUTH, tags=["企业"],
                 operation_id="hongniang_employers_api_job_applicants",
                 summary="本企业某岗位的报名人员（含联系方式，查看会记入审计日志）")
def job_applicants(request: HttpRequest, posting_id: int):
    found = posting_applicants(user=request.auth, posting_id=posting_id, channel="api")
    if found is None:
        raise NotFoundError(_("找不到该岗位"))
    _posting, rows = found
    return {"items": rows, "count": len(rows)}


# --- the hiring pipeline (a hire schedules its follow-ups: hongniang.flows.hiring) ----------------------------

@root_router.post("/applications/{application_id}/transitions/{action}", tags=["报名"],
                  response={200: ApplicationDetailOut, **ERRORS}, auth=AUTH,
                  operation_id="hongniang_applications_api_application_transition")
def application_transition(request, application_id: int, action: str, payload: TransitionIn):
    """Enterprise HR moves an application along the pipeline. `action`: view, contact, interview (needs
    interview_at and interview_place), offer, hire (needs start_date), reject (needs reason), no_show.
    A transition not allowed from the current status → 409 "invalid_transition"."""
    application = applications_api._visible(request, application_id)
    if not application_services.may_run_pipeline(request.user, application):
        raise HttpError(403, "forbidden")
    if action not in application_services.HR_ACTIONS:
        raise HttpError(404, "not_found")
    application = pipeline_act(actor=request.user, application=application, action=action, **payload.dict())
    return Status(200, applications_api._detail(request, application))


# --- my data: export and account deletion (hongniang.flows.accounts) -----------------------------------------

@root_router.get("/me/export", response={200: dict, **ERRORS}, auth=AUTH, tags=["求职者"],
                 operation_id="hongniang_seekers_api_me_export")
def me_export(request):
    """Everything held about me (profile with full ID number, consents, applications with history, inbox);
    audited."""
    return Status(200, export_my_data(actor=request.user, seeker=seekers_api._own_seeker(request)))


@root_router.post("/me/delete", response={204: None, **ERRORS}, auth=AUTH, tags=["求职者"],
                  operation_id="hongniang_seekers_api_me_delete")
def me_delete(request, payload: AccountDeleteIn):
    """Delete my account, confirmed by my password: personal data erased, applications kept anonymised."""
    delete_account(user=request.user, password=payload.password)
    if request.session is not None and request.session.session_key:
        logout(request)
    return Status(204, None)


# --- a call's outcome ("interested" applies on the seeker's behalf: hongniang.flows.calls) -------------------

@outreach_router.post("/jobs/{posting_id}/calls", response={201: CallOut, **ERRORS}, auth=AUTH,
                      operation_id="hongniang_outreach_api_call_record")
def call_record(request, posting_id: int, payload: CallIn):
    """Log a call's outcome: no_answer, not_interested, interested (applies on their behalf; needs
    verbal_consent), already_working. A second call about the same job → 409 already_called."""
    outreach_api._staff(request)
    posting = get_object_or_404(JobPosting, pk=posting_id)
    seeker = staff_seeker_or_none(request.user, payload.seeker_id)
    if seeker is None:
        raise NotFoundError(_("找不到该求职者"))
    log = record_call(actor=request.user, posting=posting, seeker=seeker, outcome=payload.outcome,
                      note=payload.note, verbal_consent=payload.verbal_consent)
    return Status(201, {"id": log.pk, "posting_id": posting.pk, "seeker_id": seeker.pk, "outcome": log.outcome,
                 "note": log.note, "application_id": log.application_id, "at": log.at})


# --- one-time SMS codes for the public forms (register, quick apply, gig sign-up, enterprise sign-up, password) --

class PhoneCodeIn(Schema):
    phone: str = Field(max_length=20, description="11 位手机号")
    purpose: str = Field(description="register（注册）、quick_apply（报名）、gig_join（零工登记）、"
                                     "enterprise_register（企业注册）、password（设置密码，需登录，发到本账号手机）")


class PhoneCodeOut(Schema):
    message: str


PHONE_CODE_PURPOSES = {"register", "quick_apply", "gig_join", "enterprise_register", "password"}


@root_router.post("/phone-codes", response={202: PhoneCodeOut, **ERRORS, 429: dict, 503: dict}, tags=["账号"],
                  operation_id="hongniang_phone_codes_send",
                  summary="发送短信验证码（每个号码同样回答，不透露是否已注册；按号码、地址和账号限频）")
def phone_code(request: HttpRequest, payload: PhoneCodeIn):
    if payload.purpose not in PHONE_CODE_PURPOSES:
        raise InvalidInput(_("未知的验证码用途"), field="purpose")
    user = optional_user(request)
    phone = payload.phone
    if payload.purpose == "password":
        if not getattr(user, "is_authenticated", False):
            raise HttpError(401, "unauthorized")
        phone = user.phone or ""  # only ever to the account's own number
    phone_code_send(phone=phone, purpose=payload.purpose, ip=client_ip(request),
                    actor=user if getattr(user, "is_authenticated", False) else None)
    return Status(202, {"message": _("验证码已发送，10 分钟内有效")})
