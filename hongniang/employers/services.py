"""The one write path for enterprises and their HR memberships."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hongniang.catalog.models import Industry
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, InvalidInput
from hongniang.core.models import User
from hongniang.geo.models import Region, RegionKind
from hongniang.zh.validators import normalize_credit_code, normalize_phone

from .models import Enterprise, EnterpriseMembership, VerificationStatus


def _clean_enterprise(*, name, credit_code, industry_code, region_code, address, contact_name, contact_phone,
                      description) -> dict:
    errors: dict[str, list[str]] = {}

    def err(field, msg):
        errors.setdefault(field, []).append(msg)

    out: dict = {}
    name = (name or "").strip()
    if not name:
        err("name", "请填写单位名称")
    elif len(name) > 100:
        err("name", "单位名称不能超过 100 个字")
    out["name"] = name
    try:
        out["credit_code"] = normalize_credit_code(credit_code)
    except ValueError as exc:
        err("credit_code", str(exc))
    out["industry"] = None
    if industry_code:
        out["industry"] = Industry.objects.filter(code=str(industry_code).strip()).first()
        if out["industry"] is None:
            err("industry_code", "找不到该行业，请从列表中选择")
    region = None
    if not region_code:
        err("region_code", "请选择企业所在乡镇")
    else:
        region = Region.objects.filter(code=str(region_code).strip()).first()
        if region is None:
            err("region_code", "找不到该地区，请从列表中选择乡镇或村")
        elif region.kind not in (RegionKind.TOWNSHIP, RegionKind.VILLAGE):
            err("region_code", "请选择具体的乡镇或村")
            region = None
    out["region"] = region
    out["lat"], out["lon"] = (region.lat, region.lon) if region else (None, None)
    out["address"] = (address or "").strip()[:200]
    contact_name = (contact_name or "").strip()
    if not contact_name:
        err("contact_name", "请填写联系人姓名")
    elif len(contact_name) > 50:
        err("contact_name", "联系人姓名不能超过 50 个字")
    out["contact_name"] = contact_name
    try:
        out["contact_phone"] = normalize_phone(contact_phone)
    except ValueError as exc:
        err("contact_phone", str(exc))
    out["description"] = (description or "").strip()[:5000]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    return out


@transaction.atomic
def enterprise_register(*, user, name, credit_code, industry_code=None, region_code, address="", contact_name,
                        contact_phone, description="") -> Enterprise:
    """Register an enterprise (unverified) and make `user` its HR."""
    values = _clean_enterprise(name=name, credit_code=credit_code, industry_code=industry_code,
                               region_code=region_code, address=address, contact_name=contact_name,
                               contact_phone=contact_phone, description=description)
    if Enterprise.objects.filter(credit_code=values["credit_code"]).exists():
        raise Conflict("该统一社会信用代码已注册，请联系本单位已有的招聘专员或人社局", code="credit_code_taken",
                       field="credit_code")
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(verification_status=VerificationStatus.UNVERIFIED, **values)
    except IntegrityError:  # a concurrent registration of the same code
        raise Conflict("该统一社会信用代码已注册，请联系本单位已有的招聘专员或人社局", code="credit_code_taken",
                       field="credit_code") from None
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    user._enterprise_ids = None  # drop the roles cache
    audit(actor=user, action="enterprise_register", target=enterprise)
    return enterprise


@transaction.atomic
def account_and_enterprise_register(*, phone, password, name, credit_code, industry_code=None, region_code,
                                    address="", contact_name, description="") -> tuple[User, Enterprise]:
    """A new HR account (user name = phone) and its enterprise, all or nothing."""
    errors: dict[str, list[str]] = {}
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    if not password:
        errors["password"] = ["请设置密码"]
    else:
        try:
            validate_password(password, User(username=phone or "", phone=phone or ""))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    try:
        _clean_enterprise(name=name, credit_code=credit_code, industry_code=industry_code, region_code=region_code,
                          address=address, contact_name=contact_name, contact_phone=phone if "phone" not in errors
                          else "13800000000", description=description)
    except InvalidInput as exc:
        for k, v in exc.errors.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)
    if User.objects.filter(username=phone).exists() or User.objects.filter(phone=phone).exists():
        raise Conflict("该手机号已注册，请直接登录后再登记企业", code="phone_taken", field="phone")
    user = User(username=phone, phone=phone, display_name=(contact_name or "").strip()[:50])
    user.set_password(password)
    user.save()
    enterprise = enterprise_register(user=user, name=name, credit_code=credit_code, industry_code=industry_code,
                                     region_code=region_code, address=address, contact_name=contact_name,
                                     contact_phone=phone, description=description)
    return user, enterprise
