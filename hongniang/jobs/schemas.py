"""API schemas for job postings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext
from ninja import Field, Schema

from .models import CHECK_LABELS, PayType, Shift


class EnterpriseBrief(Schema):
    id: int
    name: str
    verified: bool

    @staticmethod
    def resolve_verified(obj):
        return obj.is_verified


class PostingOut(Schema):
    id: int
    title: str
    enterprise: EnterpriseBrief
    occupation: str | None = Field(None, description="职业分类大典代码")
    occupation_name: str | None = None
    headcount: int
    pay_type: PayType
    pay_min: Decimal
    pay_max: Decimal
    piece_unit: str
    pay_text: str
    monthly_min: int = Field(..., description="估算月收入下限（元）：日薪×26，时薪×8×26，计件由企业估算")
    monthly_max: int
    monthly_text: str
    shift: Shift
    shift_label: str
    benefits: list[str] = Field(..., description="board / lodging / shuttle / social_insurance")
    benefit_labels: list[str]
    other_benefits: str
    region: str
    region_name: str
    township: str
    township_name: str
    address: str
    lat: float | None
    lon: float | None
    age_min: int | None
    age_max: int | None
    certificates: list[str]
    description: str
    status: str
    published_at: dt.datetime | None
    valid_until: dt.date | None

    @staticmethod
    def resolve_occupation(obj):
        return obj.occupation_id

    @staticmethod
    def resolve_occupation_name(obj):
        return obj.occupation.label if obj.occupation_id else None

    @staticmethod
    def resolve_shift_label(obj):
        return obj.get_shift_display()

    @staticmethod
    def resolve_benefits(obj):
        return obj.benefit_codes

    @staticmethod
    def resolve_region(obj):
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.full_name

    @staticmethod
    def resolve_township(obj):
        return obj.township_id

    @staticmethod
    def resolve_township_name(obj):
        return obj.township.name


class PostingPayBrief(Schema):
    """A posting as events and live sessions show it: the structured pay (monthly / daily / hourly / piece), board
    and lodging, and the shift, so nothing is promised in free text only."""

    id: int
    title: str
    enterprise_id: int
    enterprise_name: str
    headcount: int
    pay_type: PayType
    pay_type_label: str
    pay_min: Decimal
    pay_max: Decimal
    piece_unit: str
    pay_text: str
    monthly_min: int
    monthly_max: int
    shift: Shift
    shift_label: str
    board: bool
    lodging: bool
    benefits: list[str] = Field(..., description="board / lodging / shuttle / social_insurance")
    benefit_labels: list[str]
    status: str

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_pay_type_label(obj):
        return obj.get_pay_type_display()

    @staticmethod
    def resolve_shift_label(obj):
        return obj.get_shift_display()

    @staticmethod
    def resolve_benefits(obj):
        return obj.benefit_codes


class PostingPage(Schema):
    items: list[PostingOut]
    count: int


class OwnPostingOut(PostingOut):
    applicant_count: int = 0


class OwnPostingPage(Schema):
    items: list[OwnPostingOut]
    count: int


class PostingIn(Schema):
    enterprise_id: int | None = Field(None, description="为多家企业招聘时指定；只有一家时可省略")
    title: str
    occupation: str | None = None
    headcount: int
    pay_type: PayType = PayType.MONTHLY
    pay_min: Decimal
    pay_max: Decimal | None = None
    piece_unit: str = ""
    est_monthly_min: int | None = Field(None, description="计件工资必填：估算月收入下限（元）")
    est_monthly_max: int | None = None
    shift: Shift = Shift.DAY
    board: bool = False
    lodging: bool = False
    shuttle: bool = False
    social_insurance: bool = False
    other_benefits: str = ""
    region: str = Field(..., description="乡镇或村的 12 位区划代码")
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    age_min: int | None = None
    age_max: int | None = None
    certificates: list[str] = []
    description: str = ""


class PostingPatch(Schema):
    title: str | None = None
    occupation: str | None = None
    headcount: int | None = None
    pay_type: PayType | None = None
    pay_min: Decimal | None = None
    pay_max: Decimal | None = None
    piece_unit: str | None = None
    est_monthly_min: int | None = None
    est_monthly_max: int | None = None
    shift: Shift | None = None
    board: bool | None = None
    lodging: bool | None = None
    shuttle: bool | None = None
    social_insurance: bool | None = None
    other_benefits: str | None = None
    region: str | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    age_min: int | None = None
    age_max: int | None = None
    certificates: list[str] | None = None
    description: str | None = None


class CloseIn(Schema):
    reason: str = ""



class ReasonIn(Schema):
    reason: str = Field("", max_length=500, description="原因或审核意见（退回、下架时必填）")


class CheckOut(Schema):
    code: str = Field(..., description="below_minimum_wage / gender_restriction / ethnicity_restriction / "
                                       "region_restriction / fee_required / duplicate")
    label: str


class PostingEventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: str | None = Field(None, description="操作人；空表示系统自动")
    reason: str

    @staticmethod
    def resolve_actor(obj):
        return str(obj.actor) if obj.actor_id else None


class PostingHistoryOut(Schema):
    posting_id: int
    status: str
    review_note: str
    checks: list[CheckOut]
    duplicate_ids: list[int]
    events: list[PostingEventOut]


class ReviewItemOut(PostingOut):
    checks: list[CheckOut]
    duplicate_ids: list[int]
    open_reports: int = 0
    submitted_at: dt.datetime | None = None

    @staticmethod
    def resolve_checks(obj):
        return [{"code": c, "label": gettext(CHECK_LABELS.get(c, c))} for c in obj.check_flags or []]


class ReviewPage(Schema):
    items: list[ReviewItemOut]
    count: int
