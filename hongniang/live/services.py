"""The one write path for live sessions and their leads. Turning a lead into an application (live + seekers +
applications) is a flow: hongniang.flows.live_leads."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.crypto import lookup_hash
from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.geo.models import ServicePoint
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.zh.validators import normalize_phone

from .machines import LEAD, SESSION, is_caller, is_manager
from .models import (
    Lead,
    LeadChange,
    LiveSession,
    Platform,
    SessionChange,
    SessionPosting,
    SessionStatus,
)

MAX_POSTINGS = 30
SIGNUP_OPEN = (SessionStatus.SCHEDULED, SessionStatus.LIVE, SessionStatus.ENDED)
SIGNUP_AFTER_END = dt.timedelta(days=7)  # replay viewers may still sign up for a week


def _limits() -> tuple[int, dt.timedelta, int, dt.timedelta]:
    """(sign-ups per phone, its window, sign-ups per address, its window). Mobile networks put many phones behind
    one address (carrier NAT), so the address limit is generous; it stops a script, not a family."""
    return (getattr(settings, "LIVE_SIGNUPS_PER_PHONE", 10), dt.timedelta(hours=1),
            getattr(settings, "LIVE_SIGNUPS_PER_IP", 60), dt.timedelta(minutes=10))


def _aware(value, field: str) -> dt.datetime:
    if value is None:
        raise InvalidInput(_("请填写时间"), field=field)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def session_create(*, actor, title: str, host_name: str, platform: str, starts_at, postings, stream_url: str = "",
                   organiser_point=None, enterprise=None, description: str = "") -> LiveSession:
    """A session organised by the bureau or a service point (its staff), presenting open postings in order."""
    if organiser_point is None and not roles.is_bureau(actor):
        points = roles.service_point_ids(actor)
        if not points:
            raise PermissionDeniedError(_("只有就业之家工作人员或人社局可以安排直播招聘"))
        organiser_point = ServicePoint.objects.filter(pk__in=points).order_by("pk").first()
    elif organiser_point is not None and not (roles.is_bureau(actor)
                                              or roles.is_staff_member(actor, organiser_point.pk)):
        raise PermissionDeniedError(_("您不是该站点的工作人员"))
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    host_name = " ".join((host_name or "").split())
    if not title:
        errors["title"] = [_("请填写直播标题")]
    if not host_name:
        errors["host_name"] = [_("请填写主播")]
    if platform not in Platform.values:
        errors["platform"] = [_("请选择直播平台")]
    postings = list(dict.fromkeys(postings))
    if not postings:
        errors["postings"] = [_("请至少选择一个在招岗位")]
    elif len(postings) > MAX_POSTINGS:
        errors["postings"] = [_("一场直播最多介绍 %(max)s 个岗位") % {"max": MAX_POSTINGS}]
    bad = [p.title for p in postings if p.status != PostingStatus.PUBLISHED]
    if bad:
        errors["postings"] = [_("这些岗位不在招聘中：%(titles)s") % {"titles": "、".join(bad)}]
    if errors:
        first = next(iter(errors))
        raise InvalidInput(errors[first][0], errors=errors, field=first)
    with transaction.atomic():
        session = LiveSession.objects.create(
            title=title[:80], host_name=host_name[:50], platform=platform, stream_url=stream_url or "",
            starts_at=_aware(starts_at, "starts_at"), organiser_point=organiser_point, enterprise=enterprise,
            description=description or "", created_by=actor if getattr(actor, "is_authenticated", False) else None)
        SessionPosting.objects.bulk_create([SessionPosting(session=session, posting=p, order=i)
                                            for i, p in enumerate(postings)])
        SessionChange.objects.create(session=session, actor=session.created_by, action="create",
                                     to_status=session.status)
        audit(actor=actor, action="live.create", target=session, postings=[p.pk for p in postings])
    return session


def session_act(*, actor, session: LiveSession, action: str, reason: str = "") -> LiveSession:
    """go_live / end / cancel."""
    if action not in ("go_live", "end", "cancel"):
        raise NotFoundError(_("未知操作"), code="unknown_action")
    if not is_manager(actor, session):
        raise PermissionDeniedError()
    now = timezone.now()
    fields = {"went_live_at": now} if action == "go_live" else {"ended_at": now} if action == "end" else {}
    with transaction.atomic():
        session, _event = SESSION.transition(session, action, actor=actor, reason=reason, fields=fields)
        audit(actor=actor, action=f"live.{action}", target=session, reason=reason)
    return session


def session_present(*, actor, session: LiveSession, posting) -> LiveSession:
    """The host moves on to the next posting: the public page highlights it (within the counter's delay)."""
    if not is_manager(actor, session):
        raise PermissionDeniedError()
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if not SESSION.can(locked, "present"):
            raise Conflict(_("直播开始后才能切换岗位"), code="not_live")
        row = SessionPosting.objects.filter(session=locked, posting=posting).first()
        if row is None:
            raise NotFoundError(_("本场直播没有这个岗位"))
        now = timezone.now()
        locked.current_posting = posting
        locked.save(update_fields=["current_posting", "updated_at"])
        if row.presented_at is None:
            SessionPosting.objects.filter(pk=row.pk).update(presented_at=now)
        SessionChange.objects.create(session=locked, actor=actor, action="present", from_status=locked.status,
                                     to_status=locked.status, details={"posting": posting.pk})
    session.current_posting = posting
    return locked


def session_set_replay(*, actor, session: LiveSession, replay_url: str) -> LiveSession:
    if not is_manager(actor, session):
        raise PermissionDeniedError()
    replay_url = (replay_url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(replay_url)
    except ValidationError:
        raise InvalidInput(_("请填写以 http:// 或 https:// 开头的回放链接"), field="replay_url") from None
    LiveSession.objects.filter(pk=session.pk).update(replay_url=replay_url, updated_at=timezone.now())
    session.replay_url = replay_url
    audit(actor=actor, action="live.replay", target=session)
    return session


def lead_signup(*, session: LiveSession, posting_id, name: str, phone: str, ip: str | None = None) -> Lead:
    """A viewer signs up for a posting: name and phone, no account. The same phone for the same posting counts
    once (the existing lead is returned, `created` False). Limited per phone and per address."""
    if session.status not in SIGNUP_OPEN:
        raise Conflict(_("本场直播已取消"), code="closed")
    if session.status == SessionStatus.ENDED and session.ended_at and \
            timezone.now() > session.ended_at + SIGNUP_AFTER_END:
        raise Conflict(_("本场直播已结束，报名已截止；可以在“找工作”里直接报名这些岗位"), code="closed")
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("请填写姓名")]
    elif len(name) > 50:
        errors["name"] = [_("姓名太长")]
    try:
        phone = normalize_phone(phone or "")
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    try:
        posting_id = int(posting_id)
    except (TypeError, ValueError):
        errors["posting_id"] = [_("请选择岗位")]
        posting_id = None
    if errors:
        first = next(iter(errors))
        raise InvalidInput(errors[first][0], errors=errors, field=first)
    if not SessionPosting.objects.filter(session=session, posting_id=posting_id).exists():
        raise NotFoundError(_("本场直播没有这个岗位"), field="posting_id")
    existing = Lead.objects.filter(session=session, posting_id=posting_id, phone=phone).first()
    if existing is not None:
        existing.created = False
        return existing
    posting = JobPosting.objects.only("id", "status").get(pk=posting_id)
    if posting.status != PostingStatus.PUBLISHED:
        raise Conflict(_("该岗位已停止招聘"), code="posting_closed", field="posting_id")
    per_phone, phone_window, per_ip, ip_window = _limits()
    now = timezone.now()
    if Lead.objects.filter(phone=phone, created_at__gte=now - phone_window).count() >= per_phone:
        raise Conflict(_("这个手机号报名太频繁了，请稍后再试；也可以到就业之家报名"), code="rate_limited")
    ip_hash = lookup_hash("ip:" + ip) if ip else ""
    if ip_hash and Lead.objects.filter(ip_hash=ip_hash, created_at__gte=now - ip_window).count() >= per_ip:
        raise Conflict(_("报名太频繁了，请稍后再试"), code="rate_limited")
    try:
        with transaction.atomic():
            lead = Lead.objects.create(session=session, posting_id=posting_id, name=name, phone=phone,
                                       ip_hash=ip_hash, is_demo=session.is_demo)
            LeadChange.objects.create(lead=lead, action="signup", to_status=lead.status)
    except IntegrityError:  # the same tap twice at the same moment
        lead = Lead.objects.get(session=session, posting_id=posting_id, phone=phone)
        lead.created = False
        return lead
    lead.created = True
    return lead


def lead_call(*, actor, lead: Lead, action: str, note: str = "") -> Lead:
    """The outcome of a call back that did not end in an application: no answer, or the person declines."""
    if action not in ("no_answer", "decline"):
        raise NotFoundError(_("未知操作"), code="unknown_action")
    lead = Lead.objects.select_related("session").get(pk=lead.pk)
    if not is_caller(actor, lead.session):
        raise PermissionDeniedError()
    with transaction.atomic():
        lead, _event = LEAD.transition(lead, action, actor=actor, reason=note,
                                  fields={"attempts": lead.attempts + 1, "called_at": timezone.now(),
                                          "called_by": actor})
        audit(actor=actor, action=f"live.lead_{action}", target=lead)
    return lead


def lead_mark_confirmed(*, actor, lead: Lead, application, via: str) -> Lead:
    """The person confirmed (on the call, or with an SMS code): the lead points at its application. Called by
    the flow that made the application, inside its transaction."""
    if via not in ("call", "sms"):
        raise InvalidInput(_("未知的确认方式"), field="via")
    if via == "call" and not is_caller(actor, lead.session):
        raise PermissionDeniedError()
    fields = {"application": application, "confirmed_via": via}
    if via == "call":
        fields.update(attempts=lead.attempts + 1, called_at=timezone.now(), called_by=actor)
    lead, _event = LEAD.transition(lead, "confirm", actor=actor, fields=fields, details={"via": via})
    audit(actor=actor, action="live.lead_confirm", target=lead, via=via, application=application.pk)
    return lead
