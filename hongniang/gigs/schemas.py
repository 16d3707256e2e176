"""API schemas for /api/v1/gigs. Output is built by the presenters in hongniang.gigs.present so that
personal data (worker phone, contact phone) is disclosed by one rule for pages and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, PlainSerializer, WithJsonSchema

# A time of day as the JSON carries it: "08:00" (24-hour, no seconds, no offset: the county's local time), so a
# response matches its own schema (a `format: time` string must carry an offset, which a wall-clock time lacks).
_HHMM_SCHEMA = WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "08:00",
                               "description": "当地时间 HH:MM（24 小时制）"})
HHMM_IN = Annotated[dt.time, _HHMM_SCHEMA]  # read as a time ("08:00" or "08:00:00")
HHMM = Annotated[dt.time, PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str), _HHMM_SCHEMA]


class OrderIn(Schema):
    employer_id: int | None = Field(None, description="零工雇主 id；不填则用当前用户唯一的单位/个人雇主身份")
    enterprise_id: int | None = None
    work_type: str
    title: str = ""
    date: dt.date
    end_date: dt.date | None = None
    start_time: HHMM_IN
    end_time: HHMM_IN
    region_code: str = Field(..., description="乡镇或村的 12 位区划代码")
    address: str
    lat: float | None = None
    lon: float | None = None
    pay_type: str = Field(..., description="hour / day / piece")
    pay_rate: Decimal
    piece_unit: str = ""
    piece_hourly_estimate: Decimal | None = None
    headcount: int
    requirements: str = ""
    meals_provided: bool = False
    transport_provided: bool = False
    contact_name: str = ""
    contact_phone: str = ""


class OrderOut(Schema):
    id: int
    work_type: str
    work_type_label: str
    title: str
    date: dt.date
    end_date: dt.date | None
    start_time: HHMM
    end_time: HHMM
    region_code: str
    place: str
    township: str
    address: str
    lat: float | None
    lon: float | None
    distance_km: float | None = None
    pay_type: str
    pay_rate: Decimal
    pay_label: str
    piece_unit: str
    total_per_worker: Decimal
    headcount: int
    taken: int | None = None
    requirements: str
    meals_provided: bool
    transport_provided: bool
    status: str
    status_label: str  # 已结束 / 已开工，不再报名 by the clock, else the status's label
    signup_open: bool = False  # open and its sign-up time (the last day's start) not passed
    ended: bool = False  # an active order whose work time is over
    employer: str
    employer_late_cancels: int
    contact_name: str | None = None
    contact_phone: str | None = None
    my_assignment_id: int | None = None
    my_assignment_status: str | None = None


class OrderPage(Schema):
    items: list[OrderOut]
    count: int


class GigReasonIn(Schema):
    reason: str = ""


class AssignmentOut(Schema):
    id: int
    order_id: int
    status: str
    status_label: str
    worker_id: int
    worker_name: str
    worker_phone: str
    worker_completed: int
    worker_no_shows: int
    worker_late_cancels: int
    confirmed_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    check_method: str
    hours_worked: Decimal | None
    pay_amount: Decimal | None
    pay_method: str
    paid_at: dt.datetime | None
    worker_confirmed_at: dt.datetime | None
    dispute_reason: str
    my_status: str | None = None  # the worker's own answers only: waiting, confirmed, checked_in, done, paid, ...
    my_status_label: str | None = None  # 已报名待确认 / 已确认 / 已签到 / 已完工，等付款 / 已结算 / 未被选上 / 订单已取消 ...
    order: OrderOut | None = None


class GigSignupIn(Schema):
    worker_id: int | None = Field(None, description="工作人员代报名时填写")


class CheckOutIn(Schema):
    hours: Decimal | None = None


class PayIn(Schema):
    amount: Decimal
    method: str = Field(..., description="cash / transfer")
    paid_at: dt.datetime | None = None


class RateIn(Schema):
    stars: int
    comment: str = ""


class RehireIn(Schema):
    order_id: int


class ScanIn(Schema):
    token: str


class WorkerIn(Schema):
    name: str
    phone: str = ""
    work_types: list[str] = []
    home_region_code: str | None = None
    code: str = ""  # the SMS code (POST /phone-codes, purpose gig_join); not needed when staff register a walk-in
    # a logged-in seeker joins with the account's own log-in number (phone is ignored) and no code
    use_account_phone: bool = False


class WorkerPatch(Schema):
    work_types: list[str] | None = None
    home_region_code: str | None = None
    max_distance_km: int | None = None


class WorkerOut(Schema):
    id: int
    name: str
    phone: str
    work_types: list[str]
    home_region_code: str | None
    max_distance_km: int
    completed: int
    no_shows: int
    late_cancels: int
    available_dates: list[dt.date]


class AvailabilityIn(Schema):
    dates: list[dt.date]


class RecordOut(Schema):
    worker_id: int
    name: str
    completed: int
    no_shows: int
    late_cancels: int
    stars: float | None
    ratings: int
    hours: Decimal
    recent: list[dict]


class GigCandidateOut(Schema):
    worker_id: int
    name: str
    distance_km: float | None
    score: float
    reasons: list[str]
    completed: int
    no_shows: int
    stars: float | None


class GigPhoneCodeIn(Schema):
    phone: str


class IndividualEmployerIn(Schema):
    name: str
    phone: str
    code: str = ""
    region_code: str | None = None


class EmployerOut(Schema):
    id: int
    name: str
    individual: bool
    blocked: bool
    late_cancels: int


class ArrearsOut(Schema):
    id: int
    order_id: int
    assignment_id: int
    employer_id: int
    employer: str
    worker_name: str
    raised_at: dt.datetime
    reason: str
    resolved_at: dt.datetime | None
    resolution: str


class ArrearsResolveIn(Schema):
    resolution: str


class NoticeOut(Schema):
    id: int
    channel: str
    text: str
    order_id: int | None
    created_at: dt.datetime
