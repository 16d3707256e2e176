"""API schemas for events (招聘会 / 入园入企)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from hongniang.jobs.schemas import PostingPayBrief


class BusOut(Schema):
    id: int
    township: str
    township_name: str
    departure_place: str
    departs_at: dt.datetime
    seats: int
    seats_left: int


class BoothOut(Schema):
    id: int
    number: int | None
    slot_at: dt.datetime | None
    enterprise_id: int
    enterprise_name: str
    status: str
    postings: list[PostingPayBrief]


class EventOut(Schema):
    id: int
    kind: str = Field(..., description="fair_offline / fair_online / park_visit")
    kind_label: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    status_label: str
    place: str
    venue: str
    address: str
    lat: float | None
    lon: float | None
    township: str | None = Field(None, description="乡镇区划代码")
    township_name: str | None
    organiser: str
    online_url: str
    capacity: int
    registered: int
    places_left: int
    booth_count: int
    url: str


class RegistrationOut(Schema):
    id: int
    event_id: int
    code: str = Field(..., description="6 位签到码（无智能手机的人凭此签到）")
    status: str
    bus_id: int | None
    bus_departs_at: dt.datetime | None
    qr_url: str
    created: bool


class EventDetailOut(EventOut):
    description: str
    buses: list[BusOut]
    booths: list[BoothOut]
    booth_map: list[list[int | None]] = Field(..., description="线下招聘会展位图：按行排列的展位号（空位为 null）")
    my_registration: RegistrationOut | None


class EventPage(Schema):
    items: list[EventOut]
    count: int


class RegistrationIn(Schema):
    seeker_id: int | None = Field(None, description="工作人员为本站点登记的求职者报名时填写；本人报名不填")
    bus_id: int | None = None


class CheckinIn(Schema):
    code: str


class BoothPickOut(Schema):
    number: int | None
    enterprise_name: str
    posting_id: int
    posting_title: str
    pay_text: str
    reasons: str


class CheckinOut(Schema):
    registration_id: int
    status: str
    checked_in_at: dt.datetime
    name: str = Field(..., description="姓名（脱敏）")
    bus_id: int | None
    booths: list[BoothPickOut] = Field(..., description="这几个展位最适合你（按行走顺序）")
