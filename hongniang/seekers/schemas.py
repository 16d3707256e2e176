"""Explicit API schemas for seekers. Lists carry masked identifiers only."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from hongniang.core.paging import MAX_OFFSET


class AccountRegisterIn(Schema):
    phone: str = Field(description="11 位手机号")
    password: str
    consent: bool = Field(description="同意《个人信息保护说明》（必须为 true）")
    code: str = Field("", max_length=8, description="短信验证码（先 POST /api/v1/phone-codes，purpose=register）")


class AccountOut(Schema):
    id: int
    phone: str


class LoginCodeSendIn(Schema):
    phone: str = Field(max_length=20, description="11 位手机号")


class LoginCodeIn(Schema):
    phone: str = Field(max_length=20, description="11 位手机号")
    code: str = Field(max_length=8, description="短信验证码（先 POST /api/v1/login/code/send）")


class LoginCodeOut(Schema):
    id: int
    phone: str
    has_password: bool = Field(description="是否已设置密码（没有密码的账号每次用验证码登录，也可以设置一个）")


class MessageOut(Schema):
    message: str


class ProfileOut(Schema):
    """The seeker's own profile: ID number masked, phone in full."""

    id: int
    name: str
    phone: str
    id_number_masked: str
    gender: str
    birth_year: int | None
    home_region_code: str | None
    home_region_name: str
    desired_occupations: list[str]
    certificates: list[str]
    expected_pay: int | None
    acceptable_shifts: list[str]
    max_commute_km: int | None
    relocate: bool
    unavailable_months: list[int]
    consent_channel: str

    @staticmethod
    def from_seeker(s) -> dict:
        return {
            "id": s.pk, "name": s.name, "phone": s.phone, "id_number_masked": s.id_number_masked or "",
            "gender": s.gender or "", "birth_year": s.birth_year, "home_region_code": s.home_region_id,
            "home_region_name": s.home_region.full_name if s.home_region_id else "",
            "desired_occupations": list(s.desired_occupations or []), "certificates": list(s.certificates or []),
            "expected_pay": s.expected_pay, "acceptable_shifts": list(s.acceptable_shifts or []),
            "max_commute_km": s.max_commute_km, "relocate": s.relocate,
            "unavailable_months": list(s.unavailable_months or []), "consent_channel": s.consent_channel or "",
        }


class ProfilePatchIn(Schema):
    """Fields to change (omit the ones that stay). Creating a profile needs `name`."""

    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    home_region_code: str | None = None
    gender: str | None = None
    birth_year: int | None = None
    desired_occupations: list[str] | None = None
    certificates: list[str] | None = None
    expected_pay: int | None = None
    acceptable_shifts: list[str] | None = None
    max_commute_km: int | None = None
    relocate: bool | None = None
    unavailable_months: list[int] | None = None


class StaffSeekerRow(Schema):
    """One row of the staff list: masked ID number and phone."""

    id: int
    name: str
    id_number_masked: str
    phone_masked: str
    home_region_name: str
    service_point_id: int | None


class StaffSeekerFull(ProfileOut):
    """Full personal data for staff of the seeker's point (each view is audited)."""

    id_number: str
    service_point_id: int | None
    consent_at: str | None
    consent_witness_id: int | None


class StaffRegisterIn(Schema):
    name: str
    id_number: str
    phone: str
    home_region_code: str
    consent_channel: str = Field(description="paper 纸质签字 / verbal 口头同意 / screen 现场屏幕确认")
    desired_occupations: list[str] = []
    certificates: list[str] = []
    acceptable_shifts: list[str] = []
    unavailable_months: list[int] = []
    expected_pay: int | None = None
    max_commute_km: int | None = None
    relocate: bool = False
    service_point_id: int | None = None


class AccountDeleteIn(Schema):
    password: str = Field(description="当前密码，用于确认注销")


class StaffSearchIn(Schema):
    """Search my points' seekers: the query goes in the body, never in the URL (it may hold a phone number)."""

    q: str = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class IdConflictSide(Schema):
    """One profile of a pair with the same ID number, masked."""

    id: int
    name_masked: str
    phone_masked: str
    id_number_masked: str
    service_point_id: int | None = None
    service_point_name: str = Field("", description="登记站点；空＝本人线上注册")
    registered: bool = Field(description="号码由工作人员核对身份证登记（否则是本人填写的）")
    created_at: str


class IdConflictOut(Schema):
    keep: IdConflictSide = Field(description="保留号码的档案")
    drop: IdConflictSide = Field(description="本人填写、处理后会被清除号码的档案")
    same_name: bool
    same_phone: bool


class IdConflictResolveIn(Schema):
    keep_id: int = Field(description="保留号码的档案（两份都是本人填写时由工作人员核对身份证后指定）")
    drop_id: int = Field(description="清除号码的档案（必须是本人填写的号码）")
    decision: str = Field(description="same_person 是同一人 / not_same_person 不是同一人")


class IdConflictResolveOut(Schema):
    drop_id: int
    keep_id: int
    decision: str
