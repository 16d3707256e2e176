"""The one write path for job postings.

Transitions are separate functions (create → draft/published, publish, close) so a later issue can turn them
into a full state machine with review.

Monthly estimates (`monthly_min` / `monthly_max`) let postings with different pay types be compared and filtered:
  monthly  — the same figures;
  daily    — × 26 working days a month;
  hourly   — × 8 hours × 26 days (a full-time month; part-time jobs will earn less, the page says "约");
  piece    — the enterprise gives its own estimate of monthly earnings (`est_monthly_min` / `est_monthly_max`).
Minimum wage (Jiangxi class 3, settings): monthly ≥ MINIMUM_WAGE_MONTHLY, hourly ≥ MINIMUM_WAGE_HOURLY,
daily ≥ MINIMUM_WAGE_MONTHLY / 21.75 (the statutory average of working days per month), piece: the estimated
monthly minimum ≥ MINIMUM_WAGE_MONTHLY.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hongniang.catalog.models import Occupation
from hongniang.core.audit import audit
from hongniang.core.errors import DomainError, InvalidInput, PermissionDeniedError
from hongniang.core.roles import is_bureau, is_enterprise_hr
from hongniang.geo.models import Region, RegionKind

from .models import JobPosting, PayType, PostingStatus, Shift

DAYS_PER_MONTH = 26
HOURS_PER_DAY = 8
STATUTORY_DAYS_PER_MONTH = Decimal("21.75")

# Fields a caller may set through `data`; everything else is computed.
EDITABLE_FIELDS = (
    "title", "occupation", "headcount", "pay_type", "pay_min", "pay_max", "piece_unit", "est_monthly_min",
    "est_monthly_max", "shift", "board", "lodging", "shuttle", "social_insurance", "other_benefits", "region",
    "address", "lat", "lon", "age_min", "age_max", "certificates", "description",
)


class PostingNotEditable(DomainError):
    code = "posting_not_editable"
    status = 409
    message = "该岗位已关闭或下架，不能再修改"


class EnterpriseNotVerified(DomainError):
    code = "enterprise_not_verified"
    status = 409
    message = "等待企业认证后发布"


def minimum_pay(pay_type: str) -> Decimal:
    monthly = Decimal(settings.MINIMUM_WAGE_MONTHLY)
    if pay_type == PayType.HOURLY:
        return Decimal(str(settings.MINIMUM_WAGE_HOURLY))
    if pay_type == PayType.DAILY:
        return (monthly / STATUTORY_DAYS_PER_MONTH).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return monthly


def monthly_estimate(pay_type: str, amount: Decimal) -> int:
    """Monthly earnings estimate in yuan for monthly/daily/hourly pay (piece: the enterprise's own figure)."""
    factor = {PayType.MONTHLY: 1, PayType.DAILY: DAYS_PER_MONTH, PayType.HOURLY: HOURS_PER_DAY * DAYS_PER_MONTH}
    return int((amount * factor[pay_type]).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _fmt(d: Decimal) -> str:
    return f"{d:.2f}".rstrip("0").rstrip(".")


def _decimal(value, field, label, errors):
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(f"{label}请填写数字")
        return None
    if not d.is_finite():
        errors.setdefault(field, []).append(f"{label}请填写数字")
        return None
    return d


def _int(value, field, label, errors):
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).strip())
        if d != d.to_integral_value():
            raise ValueError
        return int(d)
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(f"{label}请填写整数")
        return None


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "y")
    return bool(value)


def clean_posting_data(data: dict) -> dict:
    """Validate a full set of posting fields; return model field values or raise InvalidInput with every error."""
    errors: dict[str, list[str]] = {}

    def err(field, msg):
        errors.setdefault(field, []).append(msg)

    out: dict = {}
    title = (data.get("title") or "").strip()
    if not title:
        err("title", "请填写岗位名称")
    elif len(title) > 60:
        err("title", "岗位名称不能超过 60 个字")
    out["title"] = title

    occ = data.get("occupation")
    occ_code = getattr(occ, "code", occ)
    out["occupation"] = None
    if occ_code:
        out["occupation"] = Occupation.objects.filter(code=str(occ_code).strip()).first()
        if out["occupation"] is None:
            err("occupation", "找不到该工种，请从列表中选择")

    headcount = _int(data.get("headcount"), "headcount", "招聘人数", errors)
    if headcount is None and "headcount" not in errors:
        err("headcount", "请填写招聘人数")
    elif headcount is not None and headcount <= 0:
        err("headcount", "招聘人数至少为 1 人")
    elif headcount is not None and headcount > 10000:
        err("headcount", "招聘人数不能超过 10000 人")
    out["headcount"] = headcount

    pay_type = data.get("pay_type") or PayType.MONTHLY
    if pay_type not in PayType.values:
        err("pay_type", "请选择计薪方式")
        pay_type = PayType.MONTHLY
    out["pay_type"] = pay_type

    pay_min = _decimal(data.get("pay_min"), "pay_min", "最低薪资", errors)
    pay_max = _decimal(data.get("pay_max"), "pay_max", "最高薪资", errors)
    if pay_min is None and "pay_min" not in errors:
        err("pay_min", "请填写薪资")
    if pay_max is None and pay_min is not None and "pay_max" not in errors:
        pay_max = pay_min
    if pay_min is not None and pay_min <= 0:
        err("pay_min", "薪资必须大于 0")
    if pay_min is not None and pay_max is not None:
        if pay_min > pay_max:
            err("pay_max", "最高薪资不能低于最低薪资")
        if pay_max >= Decimal("100000000"):
            err("pay_max", "薪资数额过大，请核对")
    out["pay_min"], out["pay_max"] = pay_min, pay_max

    piece_unit = (data.get("piece_unit") or "").strip()
    out["piece_unit"] = piece_unit if pay_type == PayType.PIECE else ""
    minimum = minimum_pay(pay_type)
    if pay_type == PayType.PIECE:
        if not piece_unit:
            err("piece_unit", "计件工资请填写计件单位（如 件、双、打）")
        elif len(piece_unit) > 20:
            err("piece_unit", "计件单位不能超过 20 个字")
        est_min = _int(data.get("est_monthly_min"), "est_monthly_min", "估算月收入", errors)
        est_max = _int(data.get("est_monthly_max"), "est_monthly_max", "估算月收入", errors)
        if est_min is None and "est_monthly_min" not in errors:
            err("est_monthly_min", "计件工资请填写估算月收入，方便求职者比较")
        if est_max is None and est_min is not None and "est_monthly_max" not in errors:
            est_max = est_min
        if est_min is not None and est_max is not None and est_min > est_max:
            err("est_monthly_max", "估算月收入上限不能低于下限")
        if est_min is not None and est_min < settings.MINIMUM_WAGE_MONTHLY:
            err("est_monthly_min",
                f"估算月收入低于江西省最低工资标准（{settings.MINIMUM_WAGE_MONTHLY} 元/月）")
        out["monthly_min"], out["monthly_max"] = est_min, est_max
    else:
        if pay_min is not None and pay_min > 0 and pay_min < minimum:
            unit = {"monthly": "元/月", "daily": "元/天", "hourly": "元/小时"}[pay_type]
            err("pay_min", f"薪资低于江西省最低工资标准（{_fmt(minimum)} {unit}）")
        if pay_min is not None and pay_max is not None:
            out["monthly_min"] = monthly_estimate(pay_type, pay_min)
            out["monthly_max"] = monthly_estimate(pay_type, pay_max)
        else:
            out["monthly_min"] = out["monthly_max"] = None

    shift = data.get("shift") or Shift.DAY
    if shift not in Shift.values:
        err("shift", "请选择班次")
    out["shift"] = shift
    for b in ("board", "lodging", "shuttle", "social_insurance"):
        out[b] = _bool(data.get(b, False))
    out["other_benefits"] = (data.get("other_benefits") or "").strip()[:200]

    region = data.get("region")
    region_code = getattr(region, "code", region)
    out["region"] = None
    if not region_code:
        err("region", "请选择工作地点（乡镇或村）")
    else:
        out["region"] = Region.objects.select_related("parent").filter(code=str(region_code).strip()).first()
        if out["region"] is None:
            err("region", "找不到该地点，请从列表中选择乡镇或村")
        elif out["region"].kind not in (RegionKind.TOWNSHIP, RegionKind.VILLAGE):
            err("region", "请选择具体的乡镇或村")
            out["region"] = None
    out["address"] = (data.get("address") or "").strip()
    if len(out["address"]) > 200:
        err("address", "详细地址不能超过 200 个字")

    lat = _decimal(data.get("lat"), "lat", "纬度", errors)
    lon = _decimal(data.get("lon"), "lon", "经度", errors)
    if lat is not None and not (-90 <= lat <= 90):
        err("lat", "纬度超出范围")
    if lon is not None and not (-180 <= lon <= 180):
        err("lon", "经度超出范围")
    if (lat is None or lon is None) and out["region"] is not None:
        lat, lon = out["region"].lat, out["region"].lon
    out["lat"] = float(lat) if lat is not None else None
    out["lon"] = float(lon) if lon is not None else None

    age_min = _int(data.get("age_min"), "age_min", "最低年龄", errors)
    age_max = _int(data.get("age_max"), "age_max", "最高年龄", errors)
    if age_min is not None and age_min < 16:
        err("age_min", "最低年龄不得低于 16 周岁")
    if age_max is not None and age_max > 80:
        err("age_max", "最高年龄请填写 80 岁以内")
    if age_min is not None and age_max is not None and age_min > age_max:
        err("age_max", "最高年龄不能小于最低年龄")
    out["age_min"], out["age_max"] = age_min, age_max

    certs = data.get("certificates") or []
    if isinstance(certs, str):
        certs = [c.strip() for c in certs.replace("，", ",").replace("、", ",").split(",") if c.strip()]
    out["certificates"] = [str(c)[:50] for c in certs][:20]
    out["description"] = (data.get("description") or "").strip()
    if len(out["description"]) > 5000:
        err("description", "岗位描述不能超过 5000 个字")

    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors=errors)
    out["township"] = out["region"].township
    return out


def _after_write(posting: JobPosting) -> None:
    """Keep the search index (same transaction) and this process's matching index (after commit) current."""
    from hongniang.recommend.state import posting_changed
    from hongniang.search.engine import index_posting

    index_posting(posting)
    transaction.on_commit(lambda: posting_changed(posting))


def _check_may_edit(actor, enterprise_id: int) -> None:
    if not (is_bureau(actor) or is_enterprise_hr(actor, enterprise_id)):
        raise PermissionDeniedError("只有本企业的招聘专员或人社局可以管理该岗位")


def _publish_fields(posting: JobPosting) -> None:
    today = timezone.localdate()
    posting.status = PostingStatus.PUBLISHED
    posting.published_at = timezone.now()
    posting.valid_from = today
    posting.valid_until = today + dt.timedelta(days=settings.POSTING_VALID_DAYS)


def posting_for_form(posting: JobPosting) -> dict:
    """The current values of a posting in the shape `data` takes (for edit forms and PATCH)."""
    data = {f: getattr(posting, f) for f in EDITABLE_FIELDS if f not in ("est_monthly_min", "est_monthly_max")}
    data["occupation"] = posting.occupation_id or ""
    data["region"] = posting.region_id
    data["est_monthly_min"] = posting.monthly_min if posting.pay_type == PayType.PIECE else None
    data["est_monthly_max"] = posting.monthly_max if posting.pay_type == PayType.PIECE else None
    return data


@transaction.atomic
def posting_create(*, actor, enterprise, data: dict) -> JobPosting:
    """Create a posting. A verified enterprise's posting is published at once; otherwise it waits as a draft."""
    _check_may_edit(actor, enterprise.pk)
    values = clean_posting_data(data)
    posting = JobPosting(enterprise=enterprise, **values)
    if enterprise.is_verified:
        _publish_fields(posting)
    else:
        posting.status = PostingStatus.DRAFT
    posting.save()
    _after_write(posting)
    audit(actor=actor, action="posting_create", target=posting, status=posting.status)
    return posting


@transaction.atomic
def posting_update(*, actor, posting: JobPosting, data: dict) -> JobPosting:
    """Change a posting's fields (partial `data` is merged over the current values)."""
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    _check_may_edit(actor, posting.enterprise_id)
    if posting.status in (PostingStatus.CLOSED, PostingStatus.REMOVED, PostingStatus.EXPIRED,
                          PostingStatus.FILLED):
        raise PostingNotEditable()
    merged = posting_for_form(posting)
    new_region = getattr(data.get("region"), "code", data.get("region"))
    if "region" in data and str(new_region) != str(posting.region_id) and "lat" not in data and "lon" not in data:
        merged["lat"] = merged["lon"] = None  # take the new region's coordinates
    merged.update(data)
    values = clean_posting_data(merged)
    changed = [k for k, v in values.items() if getattr(posting, k) != v]
    for k, v in values.items():
        setattr(posting, k, v)
    posting.save()
    _after_write(posting)
    audit(actor=actor, action="posting_update", target=posting, fields=sorted(changed))
    return posting


@transaction.atomic
def posting_publish(*, actor, posting: JobPosting) -> JobPosting:
    """Publish a draft posting (the enterprise must be verified)."""
    posting = JobPosting.objects.select_for_update().select_related("enterprise").get(pk=posting.pk)
    _check_may_edit(actor, posting.enterprise_id)
    if posting.status == PostingStatus.PUBLISHED:
        return posting
    if posting.status != PostingStatus.DRAFT:
        raise PostingNotEditable("只有草稿状态的岗位可以发布")
    if not posting.enterprise.is_verified:
        raise EnterpriseNotVerified()
    _publish_fields(posting)
    posting.save()
    _after_write(posting)
    audit(actor=actor, action="posting_publish", target=posting)
    return posting


@transaction.atomic
def posting_close(*, actor, posting: JobPosting, reason: str = "") -> JobPosting:
    """Stop recruiting: the posting leaves the public lists."""
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    _check_may_edit(actor, posting.enterprise_id)
    if posting.status == PostingStatus.CLOSED:
        return posting
    if posting.status in (PostingStatus.REMOVED,):
        raise PostingNotEditable("该岗位已被下架")
    before = posting.status
    posting.status = PostingStatus.CLOSED
    posting.save(update_fields=["status", "updated_at"])
    _after_write(posting)
    audit(actor=actor, action="posting_close", target=posting, reason=reason, before=before)
    return posting
