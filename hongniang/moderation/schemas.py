from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .models import ReportReason


class ReportIn(Schema):
    posting_id: int
    reason: ReportReason = Field(..., description="fake 虚假招聘 / fees 收费押金 / pay 工资不符 / discrimination 歧视 / other")
    text: str = Field("", max_length=500)


class ReportCreated(Schema):
    id: int
    posting_id: int
    reason: str
    status: str
    created_at: dt.datetime


class ReportOut(Schema):
    id: int
    posting_id: int
    posting_title: str
    posting_status: str
    enterprise_id: int
    enterprise_name: str
    reason: str
    reason_label: str
    text: str
    status: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolution: str

    @staticmethod
    def resolve_posting_title(obj):
        return obj.posting.title

    @staticmethod
    def resolve_posting_status(obj):
        return obj.posting.status

    @staticmethod
    def resolve_enterprise_id(obj):
        return obj.posting.enterprise_id

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.posting.enterprise.name

    @staticmethod
    def resolve_reason_label(obj):
        return obj.get_reason_display()


class ReportPage(Schema):
    items: list[ReportOut]
    count: int


class ResolveIn(Schema):
    outcome: Literal["dismiss", "uphold"] = Field(..., description="dismiss 不予采纳；uphold 属实并下架岗位")
    note: str = Field("", max_length=500)
