"""API schemas for live sessions (直播招聘)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from hongniang.jobs.schemas import PostingPayBrief


class SessionOut(Schema):
    id: int
    title: str
    host_name: str
    platform: str = Field(..., description="douyin / kuaishou / shipinhao / other")
    platform_label: str
    stream_url: str
    starts_at: dt.datetime
    status: str = Field(..., description="scheduled / live / ended")
    status_label: str
    organiser: str
    current_posting_id: int | None
    replay_url: str
    signups: int
    url: str


class SessionPostingOut(PostingPayBrief):
    signups: int = Field(..., description="报名人数（同一手机号对同一岗位只计一次）")
    presented_at: dt.datetime | None


class SessionDetailOut(SessionOut):
    description: str
    postings: list[SessionPostingOut]


class SessionPage(Schema):
    items: list[SessionOut]
    count: int


class SignupIn(Schema):
    posting_id: int
    name: str
    phone: str


class SignupOut(Schema):
    id: int
    posting_id: int
    duplicate: bool = Field(..., description="该手机号已报名过这个岗位（只计一次）")
    signups: int = Field(..., description="该岗位当前报名人数")
    message: str
