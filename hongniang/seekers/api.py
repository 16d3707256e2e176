"""Seeker endpoints: /seekers/register, /me, /staff/seekers. Everything with personal data needs auth."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from hongniang.core import roles
from hongniang.core.access import LOGIN_BACKEND
from hongniang.core.apiauth import AUTH
from hongniang.core.errors import NotFoundError
from hongniang.core.paging import MAX_OFFSET
from hongniang.core.throttle import client_ip
from hongniang.geo.models import ServicePoint

from . import phone_proof, selectors, services
from .schemas import (
    AccountOut,
    AccountRegisterIn,
    IdConflictOut,
    IdConflictResolveIn,
    IdConflictResolveOut,
    LoginCodeIn,
    LoginCodeOut,
    LoginCodeSendIn,
    MessageOut,
    ProfileOut,
    ProfilePatchIn,
    StaffRegisterIn,
    StaffSearchIn,
    StaffSeekerFull,
    StaffSeekerRow,
)

PREFIX = ""
router = Router(tags=["求职者"])
ERRORS = {401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@router.post("/seekers/register", response={201: AccountOut, 409: dict, 422: dict}, auth=None)
def register(request, payload: AccountRegisterIn):
    """Self-registration step 1: phone + SMS code (POST /phone-codes with purpose "register") + password +
    consent. Starts a session."""
    user = services.account_register(phone=payload.phone, password=payload.password, consent=payload.consent,
                                     code=payload.code)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return Status(201, {"id": user.pk, "phone": user.phone})


@router.post("/login/code/send", response={202: MessageOut, 422: dict, 429: dict, 503: dict}, auth=None,
             tags=["账号"], summary="用短信验证码登录，第 1 步：发送验证码（每个号码同样回答，不透露是否已注册）")
def login_code_send(request, payload: LoginCodeSendIn):
    """Texts a login code to the number (the page /accounts/login/code/'s step 1, the same service and limits:
    1 a minute, 5 an hour, 10 a day per number, 20 an hour per address). Registered or not, every well-formed
    number gets the same 202 answer. 422 "invalid_input" for a malformed number, 429 "rate_limited", 503
    "sms_unavailable"."""
    services.account_login_send_code(phone=payload.phone, ip=client_ip(request))
    return Status(202, {"message": _("验证码已发送，10 分钟内有效")})


@router.post("/login/code", response={200: LoginCodeOut, 403: dict, 404: dict, 422: dict}, auth=None,
             tags=["账号"], summary="用短信验证码登录，第 2 步：手机号 + 验证码，登录并开始会话")
def login_code(request, payload: LoginCodeIn):
    """Checks the code (single use, 10 minutes, 5 wrong tries), then logs in the account of that number and
    starts a session, as /seekers/register does (audit "account.login_code"; a profile staff registered without
    an account is claimed). 422 "phone_code_invalid" (wrong, expired or used code), 404 "no_account" (told only
    to the proven holder of the number), 403 "password_login" (staff, bureau and HR accounts use their
    password), 403 "inactive"."""
    user = services.account_login_by_code(phone=payload.phone, code=payload.code)
    if user is None:
        raise NotFoundError(_("该手机号还没有账号，请先注册"), code="no_account")
    login(request, user, backend=LOGIN_BACKEND)
    phone_proof.remember_code_login(request, user)  # like the page: a password may be set without a second code
    return Status(200, {"id": user.pk, "phone": user.phone or "", "has_password": user.has_usable_password()})


@router.post("/logout", response={204: None}, auth=None, tags=["账号"], summary="退出登录（结束本会话）")
def logout_session(request):
    """Ends the caller's session (the page /accounts/logout/'s effect); 204 whether or not one was open. A bearer
    token is not a session and stays valid: tokens are revoked by staff."""
    if request.user.is_authenticated:
        logout(request)
    return Status(204, None)


def _own_seeker(request):
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        raise NotFoundError(_("您还没有填写求职信息"))
    return seeker


@router.get("/me", response={200: ProfileOut, **ERRORS}, auth=AUTH)
def me(request):
    return Status(200, ProfileOut.from_seeker(_own_seeker(request)))


@router.patch("/me", response={200: ProfileOut, 201: ProfileOut, **ERRORS}, auth=AUTH)
def me_patch(request, payload: ProfilePatchIn):
    """Change my profile; creates it (with `name`) when I have none yet."""
    fields = payload.dict(exclude_unset=True)
    fields = {k: v for k, v in fields.items() if v is not None or k in ("expected_pay", "max_commute_km")}
    seeker = roles.seeker_of(request.user)
    if seeker is None:
        params = {"name": "", "id_number": "", "phone": request.user.phone or "", "home_region_code": ""}
        params.update(fields)
        seeker = services.seeker_register(actor=request.user, user=request.user, consent_channel="online", **params)
        return Status(201, ProfileOut.from_seeker(seeker))
    seeker = services.seeker_update(actor=request.user, seeker=seeker, **fields)
    return Status(200, ProfileOut.from_seeker(seeker))


def _require_staff(user):
    if not roles.is_staff_or_bureau(user):
        raise HttpError(403, "forbidden")


def _staff_rows(request, q: str, limit: int, offset: int) -> list[dict]:
    _require_staff(request.user)
    rows = selectors.staff_seekers(request.user, q)[offset:offset + limit]
    return [{
        "id": s.pk, "name": s.name, "id_number_masked": s.id_number_masked or "", "phone_masked": s.masked_phone,
        "home_region_name": s.home_region.full_name if s.home_region_id else "",
        "service_point_id": s.service_point_id,
    } for s in rows]


@router.get("/staff/seekers", response={200: list[StaffSeekerRow], **ERRORS}, auth=AUTH)
def staff_list(request, q: str = "", limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """My points' seekers (masked), searched by name or village. Searching by phone number or ID tail: use
    POST /staff/seekers/search (the query stays out of URLs and access logs)."""
    return Status(200, _staff_rows(request, q, limit, offset))


@router.post("/staff/seekers/search", response={200: list[StaffSeekerRow], **ERRORS}, auth=AUTH)
def staff_search(request, payload: StaffSearchIn):
    """My points' seekers (masked), searched by name, phone, ID tail or village (query in the body)."""
    return Status(200, _staff_rows(request, payload.q, payload.limit, payload.offset))


def _full(seeker, revealed: dict) -> dict:
    out = ProfileOut.from_seeker(seeker)
    out.update(id_number=revealed["id_number"], phone=revealed["phone"], service_point_id=seeker.service_point_id,
               consent_at=seeker.consent_at.isoformat() if seeker.consent_at else None,
               consent_witness_id=seeker.consent_witness_id)
    return out


@router.get("/staff/seekers/{seeker_id}", response={200: StaffSeekerFull, **ERRORS}, auth=AUTH)
def staff_detail(request, seeker_id: int):
    """Full personal data of one of my points' seekers; audited. Another point's seeker → 404."""
    _require_staff(request.user)
    seeker = selectors.staff_seeker_or_none(request.user, seeker_id)
    if seeker is None:
        raise HttpError(404, "not_found")
    revealed = services.reveal_seeker(actor=request.user, seeker=seeker, reason="API 查看求职者详情")
    return Status(200, _full(seeker, revealed))


def _conflict_side(s) -> dict:
    return {"id": s.pk, "name_masked": s.masked_name, "phone_masked": s.masked_phone,
            "id_number_masked": s.id_number_masked or "", "service_point_id": s.service_point_id,
            "service_point_name": s.service_point.name if s.service_point_id else "",
            "registered": bool(s.id_number_hash), "created_at": s.created_at.isoformat()}


@router.get("/staff/id-conflicts", response={200: list[IdConflictOut], **ERRORS}, auth=AUTH)
def id_conflicts(request):
    """Profiles with the same ID number that I may resolve (my points' seekers on either side; the bureau: all),
    masked; the page /me/staff/id-conflicts/ shows the same list."""
    _require_staff(request.user)
    return Status(200, [{"keep": _conflict_side(p.keep), "drop": _conflict_side(p.drop), "same_name": p.same_name,
                  "same_phone": p.same_phone} for p in selectors.id_number_conflict_pairs(request.user)])


@router.post("/staff/id-conflicts/resolve", response={200: IdConflictResolveOut, **ERRORS}, auth=AUTH)
def id_conflict_resolve(request, payload: IdConflictResolveIn):
    """Same person (keep the verified record) or not (the real holder keeps the number): the self-entered number
    of `drop_id` is cleared and its owner told. A pair that is not mine (or no longer open) → 404."""
    _require_staff(request.user)
    pair = selectors.id_number_conflict_pair(request.user, keep_id=payload.keep_id, drop_id=payload.drop_id)
    if pair is None:
        raise NotFoundError(_("找不到这条身份证号冲突，可能已有人处理"))
    keep, drop = (pair.keep, pair.drop) if pair.keep.pk == payload.keep_id else (pair.drop, pair.keep)
    services.id_conflict_resolve(actor=request.user, keep=keep, drop=drop, decision=payload.decision)
    return Status(200, {"drop_id": drop.pk, "keep_id": keep.pk, "decision": payload.decision})


@router.post("/staff/seekers", response={201: StaffSeekerFull, **ERRORS}, auth=AUTH)
def staff_register(request, payload: StaffRegisterIn):
    """Register a walk-in with consent (staff is the witness). An ID number already registered → 409
    "duplicate_person" (with `existing_id` when the record is one of my points')."""
    _require_staff(request.user)
    data = payload.dict()
    point_id = data.pop("service_point_id")
    point = get_object_or_404(ServicePoint, pk=point_id) if point_id else None
    try:
        seeker = services.seeker_register(actor=request.user, service_point=point, **data)
    except services.DuplicatePerson as exc:
        visible = selectors.staff_seeker_or_none(request.user, exc.existing.pk) is not None
        body = {"code": exc.code, "message": exc.message if visible else _("该身份证号已在其他站点登记，请联系该站点"),
                "errors": exc.errors}
        if visible:
            body["existing_id"] = exc.existing.pk
        return Status(409, body)
    revealed = services.reveal_seeker(actor=request.user, seeker=seeker, reason="登记后回显")
    return Status(201, _full(seeker, revealed))
