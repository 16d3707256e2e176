"""/api/v1/live-sessions: live-stream recruitment. Public: the list, a session with each posting's sign-up count,
and signing up (name + phone, rate-limited per phone and per address). Same selectors and services as the pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hongniang.core.errors import NotFoundError
from hongniang.core.paging import MAX_OFFSET
from hongniang.core.throttle import client_ip

from . import selectors, services
from .models import SessionStatus
from .schemas import SessionDetailOut, SessionPage, SignupIn, SignupOut

PREFIX = "/live-sessions"
router = Router(tags=["直播招聘"])


def _session_dict(s, *, signups: int) -> dict:
    return {"id": s.pk, "title": s.title, "host_name": s.host_name, "platform": s.platform,
            "platform_label": s.get_platform_display(), "stream_url": s.stream_url, "starts_at": s.starts_at,
            "status": s.status, "status_label": s.get_status_display(), "organiser": s.organiser_name,
            "current_posting_id": s.current_posting_id, "replay_url": s.replay_url, "signups": signups,
            "url": reverse("live:detail", args=[s.pk])}


def _public(pk: int):
    session = selectors.session_for(pk)
    if session.status == SessionStatus.CANCELLED:
        raise NotFoundError(_("找不到这场直播"))
    return session


@router.get("", response=SessionPage, summary="直播招聘场次（公开：直播中、预告、往期）")
def session_list(request, limit: int = 50, offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    qs = selectors.public_sessions()
    limit = max(1, min(limit, 200))
    rows = list(qs[max(0, offset):max(0, offset) + limit])
    return {"items": [_session_dict(s, signups=s.signups) for s in rows], "count": qs.count()}


@router.get("/{int:session_id}", response=SessionDetailOut, summary="一场直播：按介绍顺序的岗位及各岗位报名人数 signups")
def session_detail(request, session_id: int):
    session = _public(session_id)
    postings = selectors.postings(session)
    return {**_session_dict(session, signups=sum(p.signups for p in postings)), "description": session.description,
            "postings": postings}


@router.post("/{int:session_id}/signups", response={201: SignupOut, 200: SignupOut},
             summary="直播报名（姓名 + 手机号，不需要账号；同一手机号同一岗位只计一次；限频）")
def signup(request, session_id: int, payload: SignupIn):
    session = _public(session_id)
    lead = services.lead_signup(session=session, posting_id=payload.posting_id, name=payload.name,
                                phone=payload.phone, ip=client_ip(request))
    count = selectors.signup_counts(session.pk).get(lead.posting_id, 0)
    return Status(201 if lead.created else 200, {
        "id": lead.pk, "posting_id": lead.posting_id, "duplicate": not lead.created, "signups": count,
        "message": _("报名成功，工作人员会尽快给您打电话") if lead.created else _("您已报过这个岗位，工作人员会给您打电话")})
