from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ApplyIn(Schema):
    """Optional body of the one-tap apply (nothing is required)."""

    note: str = ""


class WithdrawIn(Schema):
    reason: str = ""


class ApplicationOut(Schema):
    id: int
    posting_id: int
    posting_title: str
    enterprise_name: str
    status: str
    status_label: str
    channel: str
    created_at: datetime
    created: bool = False

    @staticmethod
    def from_application(a, created: bool = False) -> dict:
        return {
            "id": a.pk, "posting_id": a.posting_id, "posting_title": a.posting.title,
            "enterprise_name": a.posting.enterprise.name, "status": a.status, "status_label": a.get_status_display(),
            "channel": a.channel, "created_at": a.created_at, "created": created,
        }
