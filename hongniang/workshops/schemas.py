"""Request bodies of /api/v1/workshops and /api/v1/outsourcing (answers are plain dicts from present.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class WorkshopPage(Schema):
    items: list[dict]
    count: int


class WorkshopIn(Schema):
    name: str
    region: str
    kind: str = "workshop"
    owner_name: str = ""
    owner_phone: str = ""
    enterprise_id: int | None = None
    stations: int = 1
    usual_hours: str = ""
    hours_per_day: Decimal = Decimal("6")
    skills: list[str] = []
    skills_text: str = ""
    equipment: str = ""
    address: str = ""


class WorkshopWorkerIn(Schema):
    name: str
    phone: str
    home_region: str | None = None


class OutsourcingOrderIn(Schema):
    enterprise_id: int | None = None
    product: str
    process: str
    occupation: str | None = None
    quantity: int
    piece_rate: Decimal
    quality_standard: str = ""
    allowed_reject_rate: Decimal = Decimal("2")
    deadline: dt.date
    materials: str = ""
    splittable: bool = True
    trial_workers: int
    trial_pieces_per_hour: Decimal
    wage_days: int = 10


class RetrialIn(Schema):
    trial_workers: int
    trial_pieces_per_hour: Decimal
    piece_rate: Decimal
    note: str = ""


class OfferLine(Schema):
    workshop_id: int
    quantity: int


class OfferIn(Schema):
    offers: list[OfferLine]


class AcceptIn(Schema):
    workshop_id: int | None = None
    quantity: int | None = None


class DeclineIn(Schema):
    workshop_id: int | None = None
    reason: str = ""


class ShareActIn(Schema):
    reason: str = ""
    balance_reason: str = ""
    amount: Decimal | None = None


class PieceLine(Schema):
    worker_id: int
    pieces: int
    hours: Decimal | None = None


class PiecesIn(Schema):
    share_id: int
    day: dt.date
    entries: list[PieceLine]


class WageActIn(Schema):
    amount: Decimal | None = None
    reason: str = ""


class WageReceiptCodeIn(Schema):
    code: str = Field("", max_length=20, description="工人念出的 6 位验证码（发到工人本人手机）")


class WageReceiptInPersonIn(Schema):
    note: str = Field("", max_length=200, description="当面确认的情况（已核对身份证），必填")


class WorkshopArrearsOut(Schema):
    """One arrears alert (欠薪预警): the worker's name masked; the phone in full for the bureau (it calls them,
    like its disputes page), masked for township staff."""
    id: int
    order_id: int
    product: str
    enterprise_name: str
    workshop_id: int
    workshop_name: str
    township: str
    township_name: str
    wage_id: int
    worker_name: str
    worker_phone: str
    amount: Decimal
    paid_amount: Decimal | None
    due_date: dt.date
    wage_status: str
    wage_status_label: str
    raised_at: dt.datetime
    reason: str
    resolved_at: dt.datetime | None
    resolution: str


class WorkshopArrearsPage(Schema):
    items: list[WorkshopArrearsOut]
    count: int


class WorkshopArrearsResolveIn(Schema):
    resolution: str = ""
