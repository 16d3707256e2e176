"""The one write path for enterprises and their HR memberships."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniang.catalog.models import Industry
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, InvalidInput, PermissionDeniedError
from hongniang.core.models import User
from hongniang.core.passwords import password_errors
from hongniang.core.roles import is_bureau, is_enterprise_hr, require_bureau
from hongniang.geo.models import Region, RegionKind
from hongniang.notifications.phone_codes import phone_code_check
from hongniang.notifications.recipients import notify_bureau, notify_enterprise
from hongniang.notifications.services import notify
from hongniang.zh.validators import normalize_credit_code, normalize_phone

from .machines import CLAIM, REQUEST, VERIFICATION
from .models import (
    ClaimStatus,
    CreditCodeClaim,
    Enterprise,
    EnterpriseMembership,
    RequestStatus,
    VerificationRequest,
    VerificationStatus,
)


def _clean_enterprise(*, name, credit_code, industry_code, region_code, address, contact_name, contact_phone,
                      description) -> dict:
    errors: dict[str, list[str]] = {}

    def err(field, msg):
        errors.setdefault(field, []).append(msg)

    out: dict = {}
    name = (name or "").strip()
    if not name:
        err("name", _("请填写单位名称"))
    elif len(name) > 100:
        err("name", _("单位名称不能超过 100 个字"))
    out["name"] = name
    try:
        out["credit_code"] = normalize_credit_code(credit_code)
    except ValueError as exc:
        err("credit_code", str(exc))
    out["industry"] = None
    if industry_code:
        out["industry"] = Industry.objects.filter(code=str(industry_code).strip()).first()
        if out["industry"] is None:
            err("industry_code", _("找不到该行业，请从列表中选择"))
    region = None
    if not region_code:
        err("region_code", _("请选择企业所在乡镇"))
    else:
        region = Region.objects.filter(code=str(region_code).strip()).first()
        if region is None:
            err("region_code", _("找不到该地区，请从列表中选择乡镇或村"))
        elif region.kind not in (RegionKind.TOWNSHIP, RegionKind.VILLAGE):
            err("region_code", _("请选择具体的乡镇或村"))
            region = None
    out["region"] = region
    out["lat"], out["lon"] = (region.lat, region.lon) if region else (None, None)
    out["address"] = (address or "").strip()[:200]
    contact_name = (contact_name or "").strip()
    if not contact_name:
        err("contact_name", _("请填写联系人姓名"))
    elif len(contact_name) > 50:
        err("contact_name", _("联系人姓名不能超过 50 个字"))
    out["contact_name"] = contact_name
    try:
        out["contact_phone"] = normalize_phone(contact_phone)
    except ValueError as exc:
        err("contact_phone", str(exc))
    out["description"] = (description or "").strip()[:5000]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    return out


TAKEN_MESSAGE = gettext_lazy("该统一社会信用代码已有单位登记。如果这是您的单位，请上传营业执照申请人社局核实")


@transaction.atomic
def enterprise_register(*, user, name, credit_code, industry_code=None, region_code, address="", contact_name,
                        contact_phone, description="") -> Enterprise:
    """Register an enterprise (unverified) and make `user` its HR."""
    values = _clean_enterprise(name=name, credit_code=credit_code, industry_code=industry_code,
                               region_code=region_code, address=address, contact_name=contact_name,
                               contact_phone=contact_phone, description=description)
    if Enterprise.objects.filter(credit_code=values["credit_code"]).exists():
        raise Conflict(TAKEN_MESSAGE, code="credit_code_taken",
                       field="credit_code")
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(verification_status=VerificationStatus.UNVERIFIED, **values)
    except IntegrityError:  # a concurrent registration of the same code
        raise Conflict(TAKEN_MESSAGE, code="credit_code_taken",
                       field="credit_code") from None
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    user._enterprise_ids = None  # drop the roles cache
    audit(actor=user, action="enterprise_register", target=enterprise)
    return enterprise


ENTERPRISE_CODE_PURPOSE = "enterprise_register"


def account_and_enterprise_register(*, phone, password, name, credit_code, industry_code=None, region_code,
                                    address="", contact_name, description="", code="",
                                    claim_if_taken: bool = False) -> tuple[User, Enterprise | None]:
    """A new HR account (user name = phone) and its enterprise, all or nothing, for the person holding the phone
    (the SMS code sent for ENTERPRISE_CODE_PURPOSE). Whether the number is registered is said only after the
    code. With claim_if_taken, a credit code already registered still creates the (phone-verified) account and
    returns no enterprise: the caller then files a claim (credit_code_claim) for the bureau to decide."""
    errors: dict[str, list[str]] = {}
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    if not password:
        errors["password"] = [_("请设置密码")]
    else:
        problems = password_errors(password, User(username=phone or "", phone=phone or ""))
        if problems:
            errors["password"] = problems
    try:
        _clean_enterprise(name=name, credit_code=credit_code, industry_code=industry_code, region_code=region_code,
                          address=address, contact_name=contact_name, contact_phone=phone if "phone" not in errors
                          else "13800000000", description=description)
    except InvalidInput as exc:
        for k, v in exc.errors.items():
            errors.setdefault(k, []).extend(v)
    if not (code or "").strip():
        errors["code"] = [_("请填写短信验证码")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    phone_code_check(phone=phone, purpose=ENTERPRISE_CODE_PURPOSE, code=code)  # outside: it counts wrong tries
    with transaction.atomic():
        if User.objects.filter(username=phone).exists() or User.objects.filter(phone=phone).exists():
            raise Conflict(_("该手机号已注册，请直接登录后再登记企业"), code="phone_taken", field="phone")
        user = User(username=phone, phone=phone, display_name=(contact_name or "").strip()[:50])
        user.set_password(password)
        user.save()
        if claim_if_taken and Enterprise.objects.filter(credit_code=normalize_credit_code(credit_code)).exists():
            audit(actor=user, action="account_register_for_claim")
            return user, None
        enterprise = enterprise_register(user=user, name=name, credit_code=credit_code, industry_code=industry_code,
                                         region_code=region_code, address=address, contact_name=contact_name,
                                         contact_phone=phone, description=description)
    return user, enterprise


# ---------------------------------------------------------------- verification by the bureau
#
#   unverified | rejected | due ──submit──► pending ──approve──► verified ──(6 months)──► due
#                                              └──────reject──► rejected
# A verified enterprise may send its renewal up to RENEWAL_WINDOW_DAYS before `verified_until`: it stays
# verified while the request waits. Each status change writes a VerificationEvent (who, when, from, to, why).

LICENCE_MAX_BYTES = 5 * 1024 * 1024
LICENCE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
RENEWAL_WINDOW_DAYS = 30
WARN_DAYS_BEFORE = 14


def verification_valid_days() -> int:
    return int(getattr(settings, "VERIFICATION_VALID_DAYS", 182))  # six months


def verification_end(start: dt.date) -> dt.date:
    """The last day of a verification that runs from `start`."""
    return start + dt.timedelta(days=verification_valid_days())


def sniff_licence(head: bytes) -> str | None:
    """The file type from its first bytes (not its name): pdf, jpg or png; None for anything else."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def clean_licence(upload) -> str:
    """Validate an uploaded licence (≤ 5 MB; PDF, JPG or PNG by content); return its type."""
    if upload is None:
        raise InvalidInput(_("请上传营业执照（PDF、JPG 或 PNG）"), field="licence")
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise InvalidInput(_("上传的文件是空的，请重新选择"), field="licence")
    if size > LICENCE_MAX_BYTES:
        raise InvalidInput(_("营业执照文件不能超过 5 MB，请压缩或拍得小一些再上传"), field="licence")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_licence(head)
    if kind is None:
        raise InvalidInput(_("营业执照只能是 PDF、JPG 或 PNG 文件（按文件内容判断，不是按文件名）"), field="licence")
    return kind


def _check_may_manage(actor, enterprise) -> None:
    if not (is_bureau(actor) or is_enterprise_hr(actor, enterprise.pk)):
        raise PermissionDeniedError(_("只有本企业的招聘专员可以提交认证材料"))


def _check_bureau(actor) -> None:
    require_bureau(actor, _("只有人社局审核人员可以进行此操作"))


def _set_status(enterprise, action, *, actor, request=None, reason="", fields=()):
    """Run the machine's action on the locked enterprise (check, move, save, event naming the request), audit."""
    before = enterprise.verification_status
    VERIFICATION.transition(enterprise, action, actor=actor, reason=reason, lock=False,
                            fields={f: getattr(enterprise, f) for f in fields}, event_fields={"request": request})
    audit(actor=actor, action=f"verification_{action}", target=enterprise, reason=reason or "", before=before,
          after=enterprise.verification_status)


@transaction.atomic
def verification_submit(*, actor, enterprise: Enterprise, credit_code: str, licence):
    """Send the credit code and the business licence for the bureau's review."""
    _check_may_manage(actor, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    try:
        code = normalize_credit_code(credit_code)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="credit_code") from None
    kind = clean_licence(licence)
    if enterprise.verification_requests.filter(status=RequestStatus.PENDING).exists():
        raise Conflict(_("已有认证申请正在审核，请耐心等待结果"), code="verification_pending")
    status = enterprise.verification_status
    renewal = status == VerificationStatus.VERIFIED
    if renewal and enterprise.verified_until and \
            enterprise.verified_until > timezone.localdate() + dt.timedelta(days=RENEWAL_WINDOW_DAYS):
        raise Conflict(_("认证有效期至 %(date)s，到期前 %(days)s 天内再提交复审") % {"date": format(enterprise.verified_until, "%Y-%m-%d"), "days": RENEWAL_WINDOW_DAYS},
                       code="verification_not_due")
    if code != enterprise.credit_code:
        if renewal:
            raise InvalidInput(_("统一社会信用代码与已认证的不一致；如企业变更，请联系人社局"), field="credit_code")
        if Enterprise.objects.filter(credit_code=code).exclude(pk=enterprise.pk).exists():
            raise Conflict(_("该统一社会信用代码已被其他企业登记"), code="credit_code_taken", field="credit_code")
        enterprise.credit_code = code
        enterprise.save(update_fields=["credit_code"])
    request = VerificationRequest(enterprise=enterprise, credit_code=code, licence_type=kind,
                                  licence_size=licence.size, submitted_by=actor)
    request.licence.save(f"licence.{kind}", licence, save=False)
    request.save()
    if renewal:
        VERIFICATION.transition(enterprise, "renewal_submit", actor=actor, lock=False,
                                event_fields={"request": request})
        audit(actor=actor, action="verification_renewal_submit", target=enterprise)
    else:
        _set_status(enterprise, "submit", actor=actor, request=request)
    notify_bureau(template="verification_submitted", context={"enterprise": enterprise.name,
                                                              "request_id": request.pk},
                  url=reverse("moderation:verifications"))
    return request


def _lock_request(request):
    return VerificationRequest.objects.select_for_update().select_related("enterprise").get(pk=request.pk)


@transaction.atomic
def verification_approve(*, reviewer, request, reason: str = ""):
    """pending → verified for six months (bureau)."""
    _check_bureau(reviewer)
    request = _lock_request(request)
    REQUEST.check(request, "approve")
    enterprise = Enterprise.objects.select_for_update().get(pk=request.enterprise_id)
    REQUEST.transition(request, "approve", actor=reviewer, lock=False, fields={
        "reviewer": reviewer, "decided_at": timezone.now(), "reason": (reason or "").strip()[:500]})
    enterprise.verified_at = timezone.now()
    start = max(timezone.localdate(), enterprise.verified_until or timezone.localdate()) \
        if enterprise.verification_status == VerificationStatus.VERIFIED else timezone.localdate()
    enterprise.verified_until = verification_end(start)
    enterprise.verification_warned_at = None
    _set_status(enterprise, "approve", actor=reviewer, request=request, reason=request.reason,
                fields=["verified_at", "verified_until", "verification_warned_at"])
    notify_enterprise(enterprise, template="verification_approved", url=reverse("employers:verification"),
                      context={"verified_until": enterprise.verified_until.isoformat()}, sms=True)
    return request


@transaction.atomic
def verification_reject(*, reviewer, request, reason: str):
    """pending → rejected with the reason (bureau). A renewal's rejection leaves the current verification to run
    out at its date."""
    _check_bureau(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写不通过的原因，告诉企业需要补充什么"), field="reason", code="reason_required")
    request = _lock_request(request)
    REQUEST.check(request, "reject")
    enterprise = Enterprise.objects.select_for_update().get(pk=request.enterprise_id)
    REQUEST.transition(request, "reject", actor=reviewer, lock=False, reason=reason, fields={
        "reviewer": reviewer, "decided_at": timezone.now(), "reason": reason[:500]})
    if VERIFICATION.can(enterprise, "reject"):
        _set_status(enterprise, "reject", actor=reviewer, request=request, reason=reason)
    else:
        VERIFICATION.transition(enterprise, "renewal_reject", actor=reviewer, lock=False, reason=reason,
                                event_fields={"request": request})
    notify_enterprise(enterprise, template="verification_rejected", url=reverse("employers:verification"),
                      context={"reason": reason}, sms=True)
    return request


@transaction.atomic
def verification_expire(*, enterprise: Enterprise) -> Enterprise:
    """verified → due once `verified_until` has passed (run by `expire_verifications`); the HR is warned.
    Published postings stay up until they expire; new ones cannot be submitted until the renewal passes."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.verification_status != VerificationStatus.VERIFIED or enterprise.verified_until is None \
            or enterprise.verified_until >= timezone.localdate():
        raise Conflict(_("该企业认证尚未到期"), code="verification_not_due")
    _set_status(enterprise, "expire", actor=None,
                reason=f"认证有效期至 {enterprise.verified_until:%Y-%m-%d}，需重新提交营业执照复审")
    notify_enterprise(enterprise, template="verification_due", url=reverse("employers:verification"),
                      context={"verified_until": enterprise.verified_until.isoformat()}, sms=True)
    return enterprise


@transaction.atomic
def verification_warn(*, enterprise: Enterprise) -> bool:
    """Tell a verified enterprise its verification runs out soon — once per verification period."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.verification_status != VerificationStatus.VERIFIED or enterprise.verification_warned_at:
        return False
    enterprise.verification_warned_at = timezone.now()
    enterprise.save(update_fields=["verification_warned_at"])
    notify_enterprise(enterprise, template="verification_expiring", url=reverse("employers:verification"),
                      context={"verified_until": enterprise.verified_until.isoformat()}, sms=True)
    audit(actor=None, action="verification_expiry_warning", target=enterprise)
    return True


# ---------------------------------------------------------------- a contested credit code
#
# Anyone can type a real company's 统一社会信用代码 first. The code stays unique; the company's real HR files a
# claim with its business licence, and the bureau compares the licences and decides:
#   pending ──grant──► granted (the claimant becomes HR; with replace=True the other HR accounts are removed and,
#                                if the enterprise is not verified, its name and contact become the claimant's)
#   pending ──reject──► rejected     pending ──withdraw──► withdrawn (by the claimant)

CLAIMS_OPEN_MAX = 3  # pending claims per account: enough for a group of companies, not for a trawl


def credit_code_claim(*, actor, credit_code: str, name: str, contact_name: str, contact_phone: str, licence,
                      note: str = "") -> CreditCodeClaim:
    """File a claim that a registered credit code is the actor's company, with its licence; the bureau and the
    enterprise's current HR are told. All or nothing."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError(_("请先登录"))
    errors: dict[str, list[str]] = {}
    code = ""
    try:
        code = normalize_credit_code(credit_code)
    except ValueError as exc:
        errors["credit_code"] = [str(exc)]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写单位名称（与营业执照一致）")]
    elif len(name) > 100:
        errors["name"] = [_("单位名称不能超过 100 个字")]
    contact_name = (contact_name or "").strip()
    if not contact_name:
        errors["contact_name"] = [_("请填写联系人")]
    try:
        contact_phone = normalize_phone(contact_phone)
    except ValueError as exc:
        errors["contact_phone"] = [str(exc)]
    try:
        kind = clean_licence(licence)
    except InvalidInput as exc:
        errors["licence"] = [exc.message]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().filter(credit_code=code).first()
        if enterprise is None:
            raise InvalidInput(_("该统一社会信用代码还没有单位登记，可以直接登记企业"), field="credit_code",
                               code="credit_code_free")
        if is_enterprise_hr(actor, enterprise.pk):
            raise Conflict(_("您已经是该单位的招聘专员"), code="already_member", field="credit_code")
        mine = CreditCodeClaim.objects.filter(claimant=actor, status=ClaimStatus.PENDING)
        if mine.filter(enterprise=enterprise).exists():
            raise Conflict(_("您已提交过该单位的核实申请，请等待人社局处理"), code="claim_pending", field="credit_code")
        if mine.count() >= CLAIMS_OPEN_MAX:
            raise Conflict(_("您已有 %(n)s 个核实申请在处理中，请等待处理后再提交") % {"n": CLAIMS_OPEN_MAX}, code="too_many_claims")
        claim = CreditCodeClaim.objects.create(
            enterprise=enterprise, claimant=actor, name=name, contact_name=contact_name[:50],
            contact_phone=contact_phone, note=(note or "").strip()[:500], licence=licence, licence_type=kind,
            licence_size=licence.size)
        CLAIM.record(claim, "file", actor=actor, to_status=ClaimStatus.PENDING)
        audit(actor=actor, action="credit_code_claim", target=enterprise, claim=claim.pk)
        notify_bureau(template="credit_code_claimed", context={"enterprise": enterprise.name, "name": name},
                      url=reverse("moderation:claims"))
        notify_enterprise(enterprise, template="credit_code_claimed_member", context={"name": name},
                          url=reverse("employers:verification"))
    return claim


def claim_grant(*, actor, claim: CreditCodeClaim, replace: bool = False, reason: str = "") -> CreditCodeClaim:
    """The bureau finds the claim true: the claimant becomes the enterprise's HR; with replace, the other HR
    accounts lose the enterprise and an unverified enterprise takes the claimant's name and contact."""
    _check_bureau(actor)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=claim.enterprise_id)
        claim, _event = CLAIM.transition(claim, "grant", actor=actor, reason=reason, fields={"decided_at": timezone.now()},
                                    details={"replace": replace})
        removed: list[int] = []
        if replace:
            others = EnterpriseMembership.objects.filter(enterprise=enterprise).exclude(user_id=claim.claimant_id)
            removed = list(others.values_list("user_id", flat=True))
            for user_id in removed:
                notify(recipient=User.objects.get(pk=user_id), template="credit_code_removed",
                       context={"enterprise": enterprise.name})
            others.delete()
            if enterprise.verification_status != VerificationStatus.VERIFIED:
                enterprise.name = claim.name
                enterprise.contact_name = claim.contact_name
                enterprise.contact_phone = claim.contact_phone
                enterprise.save(update_fields=["name", "contact_name", "contact_phone"])
        EnterpriseMembership.objects.get_or_create(user_id=claim.claimant_id, enterprise=enterprise)
        audit(actor=actor, action="credit_code_claim_grant", target=enterprise, claim=claim.pk, replace=replace,
              removed_users=removed, reason=reason or "")
        notify(recipient=claim.claimant, template="credit_code_granted", context={"enterprise": enterprise.name},
               url=reverse("employers:dashboard"), sms=True)
    return claim


def claim_reject(*, actor, claim: CreditCodeClaim, reason: str) -> CreditCodeClaim:
    """The bureau finds the claim untrue (a reason is required); the claimant is told why."""
    _check_bureau(actor)
    with transaction.atomic():
        claim, _event = CLAIM.transition(claim, "reject", actor=actor, reason=reason, fields={"decided_at": timezone.now()})
        audit(actor=actor, action="credit_code_claim_reject", target=claim.enterprise, claim=claim.pk, reason=reason)
        notify(recipient=claim.claimant, template="credit_code_rejected",
               context={"enterprise": claim.enterprise.name, "reason": reason}, url=reverse("employers:claim"),
               sms=True)
    return claim


def claim_withdraw(*, actor, claim: CreditCodeClaim) -> CreditCodeClaim:
    """The claimant takes the claim back."""
    with transaction.atomic():
        claim, _event = CLAIM.transition(claim, "withdraw", actor=actor, check_user=True,
                                    fields={"decided_at": timezone.now()})
        audit(actor=actor, action="credit_code_claim_withdraw", target=claim.enterprise, claim=claim.pk)
    return claim
