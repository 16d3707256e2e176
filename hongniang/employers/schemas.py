from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class EnterprisePublic(Schema):
    """Public facts only: never people's contact details."""

    id: int
    name: str
    industry: str | None = None
    industry_name: str | None = None
    township: str | None = None
    township_name: str | None = None
    verified: bool
    description: str

    @staticmethod
    def resolve_industry(obj):
        return obj.industry_id

    @staticmethod
    def resolve_industry_name(obj):
        return obj.industry.name if obj.industry_id else None

    @staticmethod
    def resolve_township(obj):
        t = obj.region.township if obj.region_id else None
        return t.code if t else None

    @staticmethod
    def resolve_township_name(obj):
        t = obj.region.township if obj.region_id else None
        return t.name if t else None

    @staticmethod
    def resolve_verified(obj):
        return obj.is_verified


class EnterprisePage(Schema):
    items: list[EnterprisePublic]
    count: int


class EnterpriseRegisterIn(Schema):
    name: str
    credit_code: str
    industry_code: str | None = None
    region_code: str = Field(..., description="所在乡镇或村的区划代码")
    address: str = ""
    contact_name: str
    contact_phone: str | None = Field(None, description="已登录时必填；新注册时使用 phone")
    description: str = ""
    phone: str | None = Field(None, description="未登录时：新账号的手机号（即登录名）")
    password: str | None = Field(None, description="未登录时：新账号的密码")
    code: str = Field("", max_length=8, description="未登录时：短信验证码（POST /api/v1/phone-codes，purpose=enterprise_register）")


class EnterpriseRegistered(EnterprisePublic):
    verification_status: str
    credit_code: str
    user_id: int


class ApplicantOut(Schema):
    id: int
    seeker_id: int
    name: str
    phone: str
    status: str
    status_label: str
    applied_at: dt.datetime

    # a withdrawn applicant's contact details are not for the enterprise any more (posting_applicants sets
    # full_contact); anything that did not go through it is masked too
    @staticmethod
    def resolve_name(obj):
        return obj.seeker.name if getattr(obj, "full_contact", False) else obj.seeker.masked_name

    @staticmethod
    def resolve_phone(obj):
        return obj.seeker.phone if getattr(obj, "full_contact", False) else obj.seeker.masked_phone

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_applied_at(obj):
        return obj.created_at


class ApplicantPage(Schema):
    items: list[ApplicantOut]
    count: int


class VerificationRequestOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    credit_code: str
    licence_type: str
    licence_size: int
    licence_url: str
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    reason: str

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_licence_url(obj):
        from django.urls import reverse

        return reverse("employers:licence", args=[obj.pk])


class VerificationEventOut(Schema):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    reason: str


class VerificationStatusOut(Schema):
    enterprise_id: int
    verification_status: str
    verification_status_label: str
    verified_at: dt.datetime | None
    verified_until: dt.date | None
    requests: list[VerificationRequestOut]
    events: list[VerificationEventOut]


class VerificationPage(Schema):
    items: list[VerificationRequestOut]
    count: int


class DecisionIn(Schema):
    reason: str = Field("", max_length=500, description="审核意见（退回时必填）")
