"""Reads of live sessions shared by pages and the API. The counter is one cached read: the sign-up counts per
posting and the posting on air, computed with one GROUP BY at most every COUNTER_TTL seconds per process."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.applications.models import Application, ApplicationChannel, ApplicationStatus
from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import NotFoundError, PermissionDeniedError

from .machines import is_caller
from .models import Lead, LeadStatus, LiveSession, SessionPosting, SessionStatus

COUNTER_TTL = 2  # seconds: the counter is at most this (plus the page's 4 s poll) behind
PUBLIC = (SessionStatus.SCHEDULED, SessionStatus.LIVE, SessionStatus.ENDED)


def public_sessions():
    """On air first, then the coming ones (soonest first), then the past ones (newest first)."""
    rank = Case(When(status=SessionStatus.LIVE, then=Value(0)), When(status=SessionStatus.SCHEDULED, then=Value(1)),
                default=Value(2), output_field=IntegerField())
    return (LiveSession.objects.filter(status__in=PUBLIC).select_related("organiser_point", "enterprise")
            .annotate(rank=rank, signups=Count("leads", distinct=True)).order_by("rank", "starts_at", "-id"))


def session_for(pk: int) -> LiveSession:
    session = (LiveSession.objects.select_related("organiser_point", "enterprise", "current_posting")
               .filter(pk=pk).first())
    if session is None:
        raise NotFoundError(_("找不到这场直播"))
    return session


def signup_counts(session_id: int) -> dict[int, int]:
    return dict(Lead.objects.filter(session_id=session_id).values_list("posting_id")
                .annotate(n=Count("id")).values_list("posting_id", "n"))


def postings(session: LiveSession) -> list:
    """The session's postings in presenting order, each with its sign-up count (`signups`)."""
    counts = signup_counts(session.pk)
    rows = list(SessionPosting.objects.filter(session=session)
                .select_related("posting__enterprise", "posting__township").order_by("order", "id"))
    out = []
    for row in rows:
        p = row.posting
        p.signups = counts.get(p.pk, 0)
        p.presented_at = row.presented_at
        out.append(p)
    return out


def counter_key(session_id: int) -> str:
    return f"live:counter:{session_id}"


def counter_json(session_id: int) -> bytes:
    """The counter the public page polls: {"status", "current", "counts": {posting_id: n}, "total", "at"} as JSON
    bytes, from the cache when fresh (one cache read), else one indexed GROUP BY and the session row."""
    key = counter_key(session_id)
    body = cache.get(key)
    if body is None:
        row = LiveSession.objects.filter(pk=session_id).values("status", "current_posting_id").first()
        if row is None:
            raise NotFoundError()
        counts = signup_counts(session_id)
        body = json.dumps({"status": row["status"], "current": row["current_posting_id"],
                           "counts": {str(k): v for k, v in counts.items()}, "total": sum(counts.values()),
                           "at": timezone.now().isoformat(timespec="seconds")}, separators=(",", ":")).encode()
        cache.set(key, body, COUNTER_TTL)
    return body


def leads_to_call(user, *, session_id: int | None = None, status: str = "open"):
    """The call-back list (an outreach list of leads): the sessions this user calls back for; open ones first
    (new, then unreachable, fewest attempts first). Phone numbers are shown in full to callers: audited."""
    if not (roles.is_bureau(user) or roles.service_point_ids(user)):
        raise PermissionDeniedError()
    sessions = LiveSession.objects.all()
    if not roles.is_bureau(user):
        sessions = sessions.filter(organiser_point_id__in=roles.service_point_ids(user))
    qs = Lead.objects.filter(session__in=sessions).select_related("session", "posting__enterprise", "application")
    if session_id:
        qs = qs.filter(session_id=session_id)
    if status == "open":
        qs = qs.filter(status__in=[LeadStatus.NEW, LeadStatus.UNREACHABLE]).order_by("status", "attempts",
                                                                                     "created_at")
    elif status:
        qs = qs.filter(status=status).order_by("-created_at")
    audit(actor=user, action="live.view_leads", session=session_id, status=status)
    return qs


def lead_for_caller(pk: int, user) -> Lead:
    lead = Lead.objects.select_related("session", "posting__enterprise").filter(pk=pk).first()
    if lead is None or not is_caller(user, lead.session):
        raise NotFoundError()
    return lead


def open_leads_count(user) -> int:
    """For an outreach workspace: how many leads wait for this user's call."""
    if not (roles.is_bureau(user) or roles.service_point_ids(user)):
        return 0
    qs = Lead.objects.filter(status__in=[LeadStatus.NEW, LeadStatus.UNREACHABLE])
    if not roles.is_bureau(user):
        qs = qs.filter(session__organiser_point_id__in=roles.service_point_ids(user))
    return qs.count()


def outcomes(session: LiveSession) -> list[dict]:
    """After the session, per posting: sign-ups, call-backs that reached the person, applications, hires."""
    leads = (Lead.objects.filter(session=session).values("posting_id")
             .annotate(signups=Count("id"),
                       reached=Count("id", filter=Q(status__in=[LeadStatus.CONFIRMED, LeadStatus.DECLINED])),
                       confirmed=Count("id", filter=Q(status=LeadStatus.CONFIRMED))))
    by_posting = {r["posting_id"]: r for r in leads}
    apps = (Application.objects.filter(channel=ApplicationChannel.LIVE, source_id=session.pk).values("posting_id")
            .annotate(applications=Count("id"), hires=Count("id", filter=Q(status=ApplicationStatus.HIRED))))
    by_app = {r["posting_id"]: r for r in apps}
    out = []
    for row in SessionPosting.objects.filter(session=session).select_related("posting").order_by("order", "id"):
        lead, app = by_posting.get(row.posting_id, {}), by_app.get(row.posting_id, {})
        out.append({"posting": row.posting, "signups": lead.get("signups", 0), "reached": lead.get("reached", 0),
                    "confirmed": lead.get("confirmed", 0), "applications": app.get("applications", 0),
                    "hires": app.get("hires", 0)})
    return out
