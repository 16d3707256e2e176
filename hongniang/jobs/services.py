"""The one write path for job postings.

A posting is a state machine; each transition is one function here and writes one `PostingEvent`
(who, when, from, to, why):

    draft ──submit──► pending ──approve──► published ──close──► closed
      ▲                 │  ▲                  │ ├──fill────► filled
      └─────reject──────┘  └──reported/edit───┘ ├──expire──► expired ──refresh──► published
                                                └──refresh (extends validity)
    any state except removed ──remove (bureau)──► removed

Submit runs the content checks (pay below the minimum wage, gender/ethnicity/region restrictions, fees asked of
workers — the posting parser's flags on title + description — and near-duplicates of the enterprise's open
postings). A verified enterprise's posting with no check flag is approved automatically on submit (event
`auto_approve`); anything flagged waits for the bureau. An unverified enterprise can keep drafts but not submit.

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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniang.catalog.models import Occupation
from hongniang.core import wages
from hongniang.core.audit import audit
from hongniang.core.errors import DomainError, InvalidInput, PermissionDeniedError
from hongniang.core.roles import is_bureau, is_enterprise_hr, is_staff_member, require_bureau
from hongniang.core.wages import DAYS_PER_MONTH, HOURS_PER_DAY
from hongniang.geo.models import Region, RegionKind
from hongniang.notifications.recipients import notify_bureau, notify_enterprise
from hongniang.zh.posting import parse_posting
from hongniang.zh.segment import cut

from .hooks import posting_written
from .machines import POSTING, InvalidTransition
from .models import CHECK_LABELS, JobPosting, PayType, PostingEvent, PostingStatus, Shift

# Fields a caller may set through `data`; everything else is computed.
EDITABLE_FIELDS = (
    "title", "occupation", "headcount", "pay_type", "pay_min", "pay_max", "piece_unit", "est_monthly_min",
    "est_monthly_max", "shift", "board", "lodging", "shuttle", "social_insurance", "other_benefits", "region",
    "address", "lat", "lon", "age_min", "age_max", "certificates", "description",
)


class PostingNotEditable(DomainError):
    code = "posting_not_editable"
    status = 409
    message = gettext_lazy("该岗位已关闭或下架，不能再修改")


class EnterpriseNotVerified(DomainError):
    code = "enterprise_not_verified"
    status = 409
    message = gettext_lazy("等待企业认证后发布：请先上传营业执照，人社局认证通过后才能提交发布")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    message = gettext_lazy("请填写原因")

    def __init__(self, message: str | None = None, **kw):
        kw.setdefault("field", "reason")
        super().__init__(message, **kw)


MIN_WORKING_AGE = 16  # the minimum working age (劳动法 第十五条)
MAX_AGE_MIN = 70  # a lowest age above this is a typo (3000), not a requirement
MAX_AGE_MAX = 80
OPEN_STATUSES = (PostingStatus.PENDING, PostingStatus.PUBLISHED)
DUPLICATE_THRESHOLD = 0.8


def minimum_pay(pay_type: str) -> Decimal:
    if pay_type == PayType.HOURLY:
        return wages.minimum_hourly()
    if pay_type == PayType.DAILY:
        return wages.minimum_daily()
    return Decimal(wages.minimum_monthly())


def monthly_estimate(pay_type: str, amount: Decimal) -> int:
    """Monthly earnings estimate in yuan for monthly/daily/hourly pay (piece: the enterprise's own figure)."""
    factor = {PayType.MONTHLY: 1, PayType.DAILY: DAYS_PER_MONTH, PayType.HOURLY: HOURS_PER_DAY * DAYS_PER_MONTH}
    return int((amount * factor[pay_type]).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def validity_end(start: dt.date) -> dt.date:
    """The last day of a publication window that starts on `start` (POSTING_VALID_DAYS)."""
    return start + dt.timedelta(days=settings.POSTING_VALID_DAYS)


def _fmt(d: Decimal) -> str:
    return f"{d:.2f}".rstrip("0").rstrip(".")


NUMBER_LIMIT = Decimal("1000000000")  # no posting field is anywhere near a billion: past it a number is a typo


def _decimal(value, field, label, errors):
    """A finite number below NUMBER_LIMIT (Infinity, NaN and 20-digit numbers are field errors), or None."""
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("%(label)s请填写数字") % {"label": label})
        return None
    if not d.is_finite():
        errors.setdefault(field, []).append(_("%(label)s请填写数字") % {"label": label})
        return None
    if abs(d) >= NUMBER_LIMIT:
        errors.setdefault(field, []).append(_("%(label)s数额过大，请核对") % {"label": label})
        return None
    return d


def _int(value, field, label, errors):
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        d = None
    if d is None or not d.is_finite() or d != d.to_integral_value():
        errors.setdefault(field, []).append(_("%(label)s请填写整数") % {"label": label})
        return None
    if abs(d) >= NUMBER_LIMIT:
        errors.setdefault(field, []).append(_("%(label)s数额过大，请核对") % {"label": label})
        return None
    return int(d)


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
        err("title", _("请填写岗位名称"))
    elif len(title) > 60:
        err("title", _("岗位名称不能超过 60 个字"))
    out["title"] = title

    occ = data.get("occupation")
    occ_code = getattr(occ, "code", occ)
    out["occupation"] = None
    if occ_code:
        out["occupation"] = Occupation.objects.filter(code=str(occ_code).strip()).first()
        if out["occupation"] is None:
            err("occupation", _("找不到该工种，请从列表中选择"))

    headcount = _int(data.get("headcount"), "headcount", _("招聘人数"), errors)
    if headcount is None and "headcount" not in errors:
        err("headcount", _("请填写招聘人数"))
    elif headcount is not None and headcount <= 0:
        err("headcount", _("招聘人数至少为 1 人"))
    elif headcount is not None and headcount > 10000:
        err("headcount", _("招聘人数不能超过 10000 人"))
    out["headcount"] = headcount

    pay_type = data.get("pay_type") or PayType.MONTHLY
    if pay_type not in PayType.values:
        err("pay_type", _("请选择计薪方式"))
        pay_type = PayType.MONTHLY
    out["pay_type"] = pay_type

    pay_min = _decimal(data.get("pay_min"), "pay_min", _("最低薪资"), errors)
    pay_max = _decimal(data.get("pay_max"), "pay_max", _("最高薪资"), errors)
    if pay_min is None and "pay_min" not in errors:
        err("pay_min", _("请填写薪资"))
    if pay_max is None and pay_min is not None and "pay_max" not in errors:
        pay_max = pay_min
    if pay_min is not None and pay_min <= 0:
        err("pay_min", _("薪资必须大于 0"))
    if pay_min is not None and pay_max is not None:
        if pay_min > pay_max:
            err("pay_max", _("最高薪资不能低于最低薪资"))
        if pay_max >= Decimal("100000000"):
            err("pay_max", _("薪资数额过大，请核对"))
    out["pay_min"], out["pay_max"] = pay_min, pay_max

    piece_unit = (data.get("piece_unit") or "").strip()
    out["piece_unit"] = piece_unit if pay_type == PayType.PIECE else ""
    minimum = minimum_pay(pay_type)
    if pay_type == PayType.PIECE:
        if not piece_unit:
            err("piece_unit", _("计件工资请填写计件单位（如 件、双、打）"))
        elif len(piece_unit) > 20:
            err("piece_unit", _("计件单位不能超过 20 个字"))
        est_min = _int(data.get("est_monthly_min"), "est_monthly_min", _("估算月收入"), errors)
        est_max = _int(data.get("est_monthly_max"), "est_monthly_max", _("估算月收入"), errors)
        if est_min is None and "est_monthly_min" not in errors:
            err("est_monthly_min", _("计件工资请填写估算月收入，方便求职者比较"))
        if est_max is None and est_min is not None and "est_monthly_max" not in errors:
            est_max = est_min
        if est_min is not None and est_max is not None and est_min > est_max:
            err("est_monthly_max", _("估算月收入上限不能低于下限"))
        if est_min is not None and est_min < wages.minimum_monthly():
            err("est_monthly_min",
                _("估算月收入低于江西省最低工资标准（%(amount)s 元/月）") % {"amount": wages.minimum_monthly()})
        out["monthly_min"], out["monthly_max"] = est_min, est_max
    else:
        if pay_min is not None and pay_min > 0 and pay_min < minimum:
            unit = {"monthly": _("元/月"), "daily": _("元/天"), "hourly": _("元/小时")}[pay_type]
            err("pay_min", _("薪资低于江西省最低工资标准（%(minimum)s %(unit)s）") % {"minimum": _fmt(minimum), "unit": unit})
        if pay_min is not None and pay_max is not None:
            out["monthly_min"] = monthly_estimate(pay_type, pay_min)
            out["monthly_max"] = monthly_estimate(pay_type, pay_max)
        else:
            out["monthly_min"] = out["monthly_max"] = None

    shift = data.get("shift") or Shift.DAY
    if shift not in Shift.values:
        err("shift", _("请选择班次"))
    out["shift"] = shift
    for b in ("board", "lodging", "shuttle", "social_insurance"):
        out[b] = _bool(data.get(b, False))
    out["other_benefits"] = (data.get("other_benefits") or "").strip()[:200]

    region = data.get("region")
    region_code = getattr(region, "code", region)
    out["region"] = None
    if not region_code:
        err("region", _("请选择工作地点（乡镇或村）"))
    else:
        out["region"] = Region.objects.select_related("parent").filter(code=str(region_code).strip()).first()
        if out["region"] is None:
            err("region", _("找不到该地点，请从列表中选择乡镇或村"))
        elif out["region"].kind not in (RegionKind.TOWNSHIP, RegionKind.VILLAGE):
            err("region", _("请选择具体的乡镇或村"))
            out["region"] = None
    out["address"] = (data.get("address") or "").strip()
    if len(out["address"]) > 200:
        err("address", _("详细地址不能超过 200 个字"))

    lat = _decimal(data.get("lat"), "lat", _("纬度"), errors)
    lon = _decimal(data.get("lon"), "lon", _("经度"), errors)
    if lat is not None and not (-90 <= lat <= 90):
        err("lat", _("纬度超出范围"))
    if lon is not None and not (-180 <= lon <= 180):
        err("lon", _("经度超出范围"))
    if (lat is None or lon is None) and out["region"] is not None:
        lat, lon = out["region"].lat, out["region"].lon
    out["lat"] = float(lat) if lat is not None else None
    out["lon"] = float(lon) if lon is not None else None

    age_min = _int(data.get("age_min"), "age_min", _("最低年龄"), errors)
    age_max = _int(data.get("age_max"), "age_max", _("最高年龄"), errors)
    if age_min is not None and age_min < MIN_WORKING_AGE:
        err("age_min", _("最低年龄不得低于 %(age)s 周岁") % {"age": MIN_WORKING_AGE})
    elif age_min is not None and age_min > MAX_AGE_MIN:
        err("age_min", _("最低年龄请填写 %(low)s–%(high)s 岁") % {"low": MIN_WORKING_AGE, "high": MAX_AGE_MIN})
    if age_max is not None and age_max < MIN_WORKING_AGE:
        err("age_max", _("最高年龄不得低于 %(age)s 周岁") % {"age": MIN_WORKING_AGE})
    elif age_max is not None and age_max > MAX_AGE_MAX:
        err("age_max", _("最高年龄请填写 %(age)s 岁以内") % {"age": MAX_AGE_MAX})
    if age_min is not None and age_max is not None and age_min > age_max:
        err("age_max", _("最高年龄不能小于最低年龄"))
    out["age_min"], out["age_max"] = age_min, age_max

    certs = data.get("certificates") or []
    if isinstance(certs, str):
        certs = [c.strip() for c in certs.replace("，", ",").replace("、", ",").split(",") if c.strip()]
    out["certificates"] = [str(c)[:50] for c in certs][:20]
    out["description"] = (data.get("description") or "").strip()
    if len(out["description"]) > 5000:
        err("description", _("岗位描述不能超过 5000 个字"))

    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors=errors)
    out["township"] = out["region"].township
    return out


def _after_write(posting: JobPosting) -> None:
    """Tell the layers above: the search index (same transaction) and the matching index (after commit) are
    connected to `hooks.posting_written` by hongniang.flows."""
    posting_written.send(posting)


def posting_positions_changed(*, posting_id: int) -> None:
    """An offer or a hire took one of this posting's positions, or an offer gave one back: touch the posting so
    every process's matching index re-reads its open positions, and tell the layers above. No status change and no
    audit entry here: the application's move is audited."""
    JobPosting.objects.filter(pk=posting_id).update(updated_at=timezone.now())
    _after_write(JobPosting.objects.get(pk=posting_id))


def _check_may_edit(actor, enterprise_id: int) -> None:
    if not (is_bureau(actor) or is_enterprise_hr(actor, enterprise_id)):
        raise PermissionDeniedError(_("只有本企业的招聘专员或人社局可以管理该岗位"))


def _publish_fields(posting: JobPosting) -> None:
    """Compatibility for bulk writers that build unsaved postings (outreach imports): live at once, no review.
    New code goes through posting_create / posting_submit, which run the checks and write events."""
    today = timezone.localdate()
    posting.status = PostingStatus.PUBLISHED
    posting.published_at = timezone.now()
    posting.valid_from = today
    posting.valid_until = validity_end(today)


def posting_for_form(posting: JobPosting) -> dict:
    """The current values of a posting in the shape `data` takes (for edit forms and PATCH)."""
    data = {f: getattr(posting, f) for f in EDITABLE_FIELDS if f not in ("est_monthly_min", "est_monthly_max")}
    data["occupation"] = posting.occupation_id or ""
    data["region"] = posting.region_id
    data["est_monthly_min"] = posting.monthly_min if posting.pay_type == PayType.PIECE else None
    data["est_monthly_max"] = posting.monthly_max if posting.pay_type == PayType.PIECE else None
    return data


def _hr_url(posting) -> str:
    return reverse("employers:posting_detail", args=[posting.pk])


def _review_url(posting) -> str:
    return reverse("moderation:posting_review", args=[posting.pk])


def _check_bureau(actor) -> None:
    require_bureau(actor, _("只有人社局审核人员可以进行此操作"))


def _lock(posting: JobPosting) -> JobPosting:
    return JobPosting.objects.select_for_update().select_related("enterprise").get(pk=posting.pk)


def _reason(reason: str, message: str = gettext_lazy("请填写原因")) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(message)
    return reason[:500]


def _move(posting: JobPosting, action: str, *, actor, reason: str = "", fields=(), **details) -> PostingEvent:
    """Run the machine's action on the locked posting (check, move, save, event), keep the indexes current,
    audit."""
    before = posting.status
    _rec, event = POSTING.transition(posting, action, actor=actor, reason=reason, details=details, lock=False,
                                     fields={f: getattr(posting, f) for f in fields})
    _after_write(posting)
    audit(actor=actor, action=f"posting_{action}", target=posting, reason=reason or "", before=before,
          after=posting.status)
    return event


def _publish_window(posting: JobPosting) -> list[str]:
    """Dates for going live: a first publication gets a new window; a re-approval keeps an unexpired one."""
    today = timezone.localdate()
    if posting.published_at is None:
        posting.published_at = timezone.now()
    if posting.valid_until is None or posting.valid_until < today:
        posting.valid_from = today
        posting.valid_until = validity_end(today)
        posting.expiry_warned_at = None
    return ["published_at", "valid_from", "valid_until", "expiry_warned_at"]


# ---------------------------------------------------------------- checks


def content_flags(posting: JobPosting) -> list[str]:
    """The posting parser's flags on title + description (pay below the minimum wage, discrimination, fees)."""
    text = f"{posting.title}\n{posting.description}".strip()
    parsed = parse_posting(text, minimum_wage_monthly=float(wages.minimum_monthly()),
                           minimum_wage_hourly=float(wages.minimum_hourly()))
    flags = list(parsed.flags)
    # the structured pay is refused below the minimum by clean_posting_data; keep the check for old rows
    if "below_minimum_wage" not in flags and posting.pay_type != PayType.PIECE \
            and posting.pay_min is not None and Decimal(posting.pay_min) < minimum_pay(posting.pay_type):
        flags.append("below_minimum_wage")
    return flags


def _tokens(posting: JobPosting) -> frozenset[str]:
    return frozenset(cut(f"{posting.title} {posting.description}"))


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def find_duplicates(posting: JobPosting) -> list[int]:
    """Open postings (pending or published) of the same enterprise, same township and occupation, whose title +
    description tokens overlap by Jaccard ≥ 0.8."""
    candidates = (JobPosting.objects.filter(enterprise_id=posting.enterprise_id, township_id=posting.township_id,
                                            occupation_id=posting.occupation_id, status__in=OPEN_STATUSES)
                  .exclude(pk=posting.pk).only("id", "title", "description"))
    mine = _tokens(posting)
    return [c.pk for c in candidates if jaccard(mine, _tokens(c)) >= DUPLICATE_THRESHOLD]


def run_checks(posting: JobPosting) -> tuple[list[str], list[int]]:
    flags = content_flags(posting)
    duplicates = find_duplicates(posting)
    if duplicates:
        flags.append("duplicate")
    return flags, duplicates


def check_labels(flags) -> list[str]:
    return [CHECK_LABELS.get(f, f) for f in flags]


# ---------------------------------------------------------------- create / edit


@transaction.atomic
def posting_create(*, actor, enterprise, data: dict, submit: bool = True) -> JobPosting:
    """Create a posting as a draft; with `submit` (the default) a verified enterprise's draft is submitted at
    once — published when no check flags it, pending review otherwise. An unverified enterprise's stays a draft."""
    _check_may_edit(actor, enterprise.pk)
    values = clean_posting_data(data)
    posting = JobPosting(enterprise=enterprise, status=PostingStatus.DRAFT, **values)
    posting.save()
    POSTING.record(posting, "create", actor=actor)
    _after_write(posting)
    audit(actor=actor, action="posting_create", target=posting, status=posting.status)
    if submit and enterprise.is_verified:
        posting = _submit(posting, actor=actor)
    return posting


@transaction.atomic
def posting_create_on_behalf(*, actor, enterprise, values: dict, submit: bool = True) -> JobPosting:
    """Service-point staff (or the bureau) enter an enterprise's posting for it, e.g. from an imported job list.
    `values` are already cleaned by `clean_posting_data`. The same path as HR's posting_create: a draft with a
    `create` event, then — for a verified enterprise — submitted, so the content checks and review apply."""
    if not (is_bureau(actor) or is_staff_member(actor) or is_enterprise_hr(actor, enterprise.pk)):
        raise PermissionDeniedError(_("只有就业之家工作人员、人社局或本企业可以代发岗位"))
    posting = JobPosting(enterprise=enterprise, status=PostingStatus.DRAFT, **values)
    posting.save()
    POSTING.record(posting, "create", actor=actor, reason="工作人员代企业录入")
    _after_write(posting)
    audit(actor=actor, action="posting_create_on_behalf", target=posting, enterprise=enterprise.pk)
    if submit and enterprise.is_verified:
        posting = _submit(posting, actor=actor)
    return posting


@transaction.atomic
def posting_update(*, actor, posting: JobPosting, data: dict) -> JobPosting:
    """Change a posting's fields (partial `data` is merged over the current values). A published posting whose
    new text raises a check flag it did not have goes back to review."""
    posting = _lock(posting)
    _check_may_edit(actor, posting.enterprise_id)
    if not POSTING.can(posting, "edit"):
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
    if posting.status in OPEN_STATUSES and changed:
        flags, duplicates = run_checks(posting)
        new = [f for f in flags if f not in (posting.check_flags or [])]
        posting.check_flags, posting.duplicate_ids = flags, duplicates
        posting.save(update_fields=["check_flags", "duplicate_ids", "updated_at"])
        if posting.status == PostingStatus.PUBLISHED and new:
            _move(posting, "edit_flagged", actor=actor, reason="；".join(check_labels(new)), flags=new)
            notify_bureau(template="posting_pending_review", url=_review_url(posting),
                          context={"posting_id": posting.pk, "title": posting.title, "flags": check_labels(flags)})
    return posting


# ---------------------------------------------------------------- transitions


def _submit(posting: JobPosting, *, actor) -> JobPosting:
    if not posting.enterprise.is_verified:
        raise EnterpriseNotVerified()
    flags, duplicates = run_checks(posting)
    posting.check_flags, posting.duplicate_ids = flags, duplicates
    posting.submitted_at = timezone.now()
    posting.review_note = ""
    fields = ["check_flags", "duplicate_ids", "submitted_at", "review_note"]
    _move(posting, "submit", actor=actor, fields=fields, reason="；".join(check_labels(flags)), flags=flags, duplicates=duplicates)
    if not flags:
        fields = _publish_window(posting)
        _move(posting, "auto_approve", actor=None, fields=fields, reason="企业已认证，内容检查无提示，自动发布")
    else:
        notify_bureau(template="posting_pending_review", url=_review_url(posting),
                      context={"posting_id": posting.pk, "title": posting.title, "flags": check_labels(flags)})
    return posting


@transaction.atomic
def posting_submit(*, actor, posting: JobPosting) -> JobPosting:
    """draft → pending review (→ published at once when the enterprise is verified and no check flags it)."""
    posting = _lock(posting)
    _check_may_edit(actor, posting.enterprise_id)
    POSTING.check(posting, "submit")
    return _submit(posting, actor=actor)


@transaction.atomic
def posting_publish(*, actor, posting: JobPosting) -> JobPosting:
    """Kept for callers of the foundation API: publishing a draft is submitting it (idempotent when published)."""
    posting = _lock(posting)
    _check_may_edit(actor, posting.enterprise_id)
    if posting.status == PostingStatus.PUBLISHED:
        return posting
    POSTING.check(posting, "publish")
    return _submit(posting, actor=actor)


@transaction.atomic
def posting_approve(*, reviewer, posting: JobPosting, reason: str = "") -> JobPosting:
    """pending → published (bureau)."""
    _check_bureau(reviewer)
    posting = _lock(posting)
    POSTING.check(posting, "approve")
    if not posting.enterprise.is_verified:
        raise EnterpriseNotVerified(_("该企业认证未通过或已到期，不能发布岗位"))
    posting.review_note = (reason or "").strip()[:200]
    fields = [*_publish_window(posting), "review_note"]
    _move(posting, "approve", actor=reviewer, reason=reason, fields=fields)
    notify_enterprise(posting.enterprise, template="posting_approved", url=_hr_url(posting),
                      context={"posting_id": posting.pk, "title": posting.title})
    return posting


@transaction.atomic
def posting_reject(*, reviewer, posting: JobPosting, reason: str) -> JobPosting:
    """pending → draft with the reviewer's reason (bureau); the HR edits and submits again."""
    _check_bureau(reviewer)
    reason = _reason(reason, _("请填写退回原因，告诉企业需要修改什么"))
    posting = _lock(posting)
    POSTING.check(posting, "reject")
    posting.review_note = reason[:200]
    _move(posting, "reject", actor=reviewer, reason=reason, fields=["review_note"])
    notify_enterprise(posting.enterprise, template="posting_rejected", url=_hr_url(posting),
                      context={"posting_id": posting.pk, "title": posting.title, "reason": reason}, sms=True)
    return posting


@transaction.atomic
def posting_close(*, actor, posting: JobPosting, reason: str = "") -> JobPosting:
    """Stop recruiting: the posting leaves the public lists (from draft, pending, published or expired)."""
    posting = _lock(posting)
    _check_may_edit(actor, posting.enterprise_id)
    if posting.status == PostingStatus.CLOSED:
        return posting
    if posting.status == PostingStatus.REMOVED:
        raise InvalidTransition(_("该岗位已被下架"))
    _move(posting, "close", actor=actor, reason=reason)
    return posting


@transaction.atomic
def posting_mark_filled(*, actor, posting: JobPosting, reason: str = "") -> JobPosting:
    """published → filled: every position is taken."""
    posting = _lock(posting)
    _check_may_edit(actor, posting.enterprise_id)
    _move(posting, "fill", actor=actor, reason=reason)
    return posting


@transaction.atomic
def posting_expire(*, posting: JobPosting, actor=None) -> JobPosting:
    """published → expired once its validity has passed (run by `expire_postings`)."""
    posting = _lock(posting)
    POSTING.check(posting, "expire")
    if posting.valid_until is None or posting.valid_until >= timezone.localdate():
        raise InvalidTransition(_("该岗位尚未到期"))
    _move(posting, "expire", actor=actor, reason=f"有效期至 {posting.valid_until:%Y-%m-%d}，未刷新")
    notify_enterprise(posting.enterprise, template="posting_expired", url=_hr_url(posting),
                      context={"posting_id": posting.pk, "title": posting.title})
    return posting


@transaction.atomic
def posting_warn_expiry(*, posting: JobPosting) -> bool:
    """Tell the enterprise a posting expires soon — once per validity period. False when already warned."""
    posting = _lock(posting)
    if posting.status != PostingStatus.PUBLISHED or posting.expiry_warned_at is not None:
        return False
    posting.expiry_warned_at = timezone.now()
    posting.save(update_fields=["expiry_warned_at", "updated_at"])
    notify_enterprise(posting.enterprise, template="posting_expiring", url=_hr_url(posting),
                      context={"posting_id": posting.pk, "title": posting.title,
                               "valid_until": posting.valid_until.isoformat()}, sms=True)
    audit(actor=None, action="posting_expiry_warning", target=posting, valid_until=posting.valid_until.isoformat())
    return True


@transaction.atomic
def posting_refresh(*, actor, posting: JobPosting) -> JobPosting:
    """Extend the validity by POSTING_VALID_DAYS from today (published stays published; expired is republished
    when the enterprise is still verified). The publication date is kept, so a refresh does not jump the list."""
    posting = _lock(posting)
    _check_may_edit(actor, posting.enterprise_id)
    POSTING.check(posting, "refresh")
    if posting.status == PostingStatus.EXPIRED and not posting.enterprise.is_verified:
        raise EnterpriseNotVerified(_("企业认证已到期，请先完成复审再刷新岗位"))
    before_until = posting.valid_until
    posting.valid_until = validity_end(timezone.localdate())
    posting.expiry_warned_at = None
    _move(posting, "refresh", actor=actor, reason=f"有效期延至 {posting.valid_until:%Y-%m-%d}", fields=["valid_until", "expiry_warned_at"],
          previous_valid_until=before_until.isoformat() if before_until else None)
    return posting


@transaction.atomic
def posting_remove(*, reviewer, posting: JobPosting, reason: str) -> JobPosting:
    """Any state → removed (bureau), e.g. a fake job or fees asked; the reason is shown to the enterprise."""
    _check_bureau(reviewer)
    reason = _reason(reason, _("请填写下架原因"))
    posting = _lock(posting)
    POSTING.check(posting, "remove")
    posting.review_note = reason[:200]
    _move(posting, "remove", actor=reviewer, reason=reason, fields=["review_note"])
    notify_enterprise(posting.enterprise, template="posting_removed", url=_hr_url(posting),
                      context={"posting_id": posting.pk, "title": posting.title, "reason": reason}, sms=True)
    return posting


@transaction.atomic
def posting_hold_for_review(*, posting: JobPosting, reason: str, actor=None, **detail) -> JobPosting:
    """published → pending without a reviewer (enough reports from distinct people); the bureau decides."""
    posting = _lock(posting)
    if not POSTING.can(posting, "reported"):
        return posting
    _move(posting, "reported", actor=actor, reason=reason, **detail)
    notify_enterprise(posting.enterprise, template="posting_reported", url=_hr_url(posting),
                      context={"posting_id": posting.pk, "title": posting.title})
    notify_bureau(template="posting_pending_review", url=_review_url(posting),
                  context={"posting_id": posting.pk, "title": posting.title, "flags": [reason]})
    return posting
