from __future__ import annotations

from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    read_at: datetime | None
    created_at: datetime


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int
