"""/api/v1/events: fairs and visits. The list and the detail are public (no personal data); registering and
checking in need a log-in. Same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hongniang.core import roles
from hongniang.core.apiauth import AUTH
from hongniang.core.errors import InvalidInput, NotFoundError
from hongniang.core.paging import MAX_OFFSET

from . import selectors, services
from .models import Bus, EventKind, RegistrationChannel
from .present import event_dict, registration_dict
from .schemas import CheckinIn, CheckinOut, EventDetailOut, EventPage, RegistrationIn, RegistrationOut

PREFIX = "/events"
router = Router(tags=["招聘会与入园入企"])
MAX_LIMIT = 200


def _session_user(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@router.get("", response=EventPage, summary="招聘会与入园入企活动（公开；可按类型、日期、乡镇筛选）")
def event_list(request, kind: str = "", township: str = "",
               date_from: dt.date | None = Query(None, alias="from", description="开始日期 YYYY-MM-DD（含）"),
               to: dt.date | None = Query(None, description="结束日期 YYYY-MM-DD（含）"), limit: int = 50,
               offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    if kind and kind not in EventKind.values:
        raise InvalidInput(_("未知的活动类型（fair_offline / fair_online / park_visit）"), field="kind")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("limit 应在 1 到 %(max)s 之间") % {"max": MAX_LIMIT}, field="limit")
    qs = selectors.public_events(kind=kind, date_from=date_from, date_to=to, township=township)
    rows = list(qs[max(0, offset):max(0, offset) + limit])
    return {"items": [event_dict(e) for e in rows], "count": qs.count()}


@router.get("/{int:event_id}", response=EventDetailOut, summary="活动详情：展位与岗位（结构化薪资）、班车")
def event_detail(request, event_id: int):
    user = _session_user(request)
    event = selectors.event_for(event_id, user)
    counts = selectors.counts(event)
    booths = selectors.booths(event)
    buses = selectors.buses(event)
    mine = selectors.registration_of(event, user) if user else None
    grid = selectors.booth_grid(event, booths)
    return {
        **event_dict(event, registered=counts["registered"], booth_count=len(booths)),
        "description": event.description,
        "buses": [{"id": b.pk, "township": b.township_id, "township_name": b.township.name,
                   "departure_place": b.departure_place, "departs_at": b.departs_at, "seats": b.seats,
                   "seats_left": b.left} for b in buses],
        "booths": [{"id": b.pk, "number": b.number, "slot_at": b.slot_at, "enterprise_id": b.enterprise_id,
                    "enterprise_name": b.enterprise.name, "status": b.status, "postings": b.open_postings}
                   for b in booths],
        "booth_map": [[b.number if b else None for b in row] for row in grid],
        "my_registration": registration_dict(mine) if mine else None,
    }


@router.post("/{int:event_id}/registrations", response={201: RegistrationOut, 200: RegistrationOut}, auth=AUTH,
             summary="报名（本人一键报名；工作人员为本站点登记的求职者报名）→ 签到码 code")
def register(request, event_id: int, payload: RegistrationIn):
    user = request.auth
    event = selectors.event_for(event_id, user)
    if payload.seeker_id is None:
        seeker = roles.seeker_of(user)
        if seeker is None:
            raise InvalidInput(_("请先完善求职登记，或填写 seeker_id（工作人员代报）"), field="seeker_id")
        channel = RegistrationChannel.SELF
    else:
        seeker = roles.visible_seekers(user).filter(pk=payload.seeker_id).first()
        if seeker is None:
            raise NotFoundError(_("找不到该求职者"), field="seeker_id")
        channel = RegistrationChannel.SELF if seeker.user_id == user.pk else RegistrationChannel.STAFF
    bus = None
    if payload.bus_id is not None:
        bus = Bus.objects.filter(pk=payload.bus_id).first()
        if bus is None:
            raise InvalidInput(_("找不到该班车"), field="bus_id")
    reg = services.registration_create(actor=user, event=event, seeker=seeker, bus=bus, channel=channel)
    return Status(201 if reg.created else 200, registration_dict(reg, created=reg.created))


@router.post("/{int:event_id}/checkins", response=CheckinOut, auth=AUTH,
             summary="入口签到：扫码或输入 6 位签到码（主办方）")
def check_in(request, event_id: int, payload: CheckinIn):
    user = request.auth
    event = selectors.event_for(event_id, user)
    reg = services.registration_check_in(actor=user, event=event, code=payload.code)
    picks = selectors.booths_for_seeker(reg)
    return {"registration_id": reg.pk, "status": reg.status, "checked_in_at": reg.checked_in_at,
            "name": reg.seeker.masked_name, "bus_id": reg.bus_id,
            "booths": [{"number": p.booth.number, "enterprise_name": p.booth.enterprise.name,
                        "posting_id": p.posting.pk, "posting_title": p.posting.title,
                        "pay_text": p.posting.pay_text, "reasons": p.reasons} for p in picks]}

