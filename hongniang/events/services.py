"""The one write path for events, booths, buses, registrations, check-ins and intentions.

Keyword-only functions; each opens its own transaction; every status change goes through the machines in
hongniang.events.machines (an event row per move). Work that also writes another app's tables (a walk-in who
becomes a seeker, a booth scan that becomes an application) is in hongniang.flows and calls these."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.applications.models import Application, ApplicationChannel, ApplicationEvent, ApplicationStatus
from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.employers.models import VerificationStatus
from hongniang.geo.models import ServicePoint
from hongniang.jobs.models import PostingStatus
from hongniang.notifications.services import notify
from hongniang.zh.validators import normalize_phone

from .machines import BOOTH, EVENT, INTENTION, REGISTRATION, is_organiser
from .models import (
    Booth,
    BoothBar,
    BoothChange,
    BoothPosting,
    BoothStatus,
    Bus,
    Event,
    EventChange,
    EventKind,
    EventStatus,
    FollowUpOutcome,
    Intention,
    IntentionChange,
    IntentionStatus,
    Invitation,
    Outcome30,
    Registration,
    RegistrationChange,
    RegistrationChannel,
    RegistrationStatus,
)

#: codes avoid 0/O, 1/I/L: people read them aloud and type them on cheap phones
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
LATE_CANCEL = dt.timedelta(days=1)
MAX_BOOTH_POSTINGS = 10
PAY_FLAG_RATIO = 0.9  # first pay confirmed more than 10 % below the promise
OUTCOME_AFTER_DAYS = 30
OUTCOME_KNOWN_WITHIN_DAYS = 45


def event_channel(event: Event) -> str:
    """The application channel of applications made at this event."""
    return ApplicationChannel.PARK_VISIT if event.kind == EventKind.PARK_VISIT else ApplicationChannel.FAIR


def normalize_code(value: str) -> str:
    code = "".join((value or "").split()).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise InvalidInput(_("签到码是 6 位字母和数字，请核对后重新输入"), code="bad_code", field="code")
    return code


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _aware(value, field: str) -> dt.datetime:
    if value is None:
        raise InvalidInput(_("请填写时间"), field=field)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(9, 0))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _require_organiser(actor, event: Event) -> None:
    if not is_organiser(actor, event):
        raise PermissionDeniedError(_("只有主办方（主办站点工作人员或人社局）可以操作"))


# --- events ---------------------------------------------------------------------------------------------

def event_create(*, actor, kind: str, title: str, starts_at, ends_at, capacity, organiser_point=None,
                 service_point=None, host_enterprise=None, venue: str = "", address: str = "", lat=None, lon=None,
                 township=None, online_url: str = "", description: str = "", booth_columns: int = 0,
                 publish: bool = False) -> Event:
    """A new event organised by the bureau (organiser_point None; bureau only) or by a service point (its staff)."""
    if organiser_point is None:
        if not roles.is_bureau(actor):
            points = roles.service_point_ids(actor)
            if not points:
                raise PermissionDeniedError(_("只有就业之家工作人员或人社局可以举办招聘活动"))
            organiser_point = ServicePoint.objects.filter(pk__in=points).order_by("pk").first()
    elif not (roles.is_bureau(actor) or roles.is_staff_member(actor, organiser_point.pk)):
        raise PermissionDeniedError(_("您不是该站点的工作人员"))
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.values:
        errors["kind"] = [_("请选择活动类型")]
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("请填写活动名称")]
    elif len(title) > 80:
        errors["title"] = [_("活动名称最多 80 个字")]
    try:
        starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
        if ends_at <= starts_at:
            errors["ends_at"] = [_("结束时间应晚于开始时间")]
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        capacity = int(capacity)
        if not 0 < capacity <= 100000:
            raise ValueError
    except (TypeError, ValueError):
        errors["capacity"] = [_("可报名人数应为 1 到 100000 的整数")]
    if kind == EventKind.FAIR_ONLINE and not online_url:
        errors["online_url"] = [_("网络招聘会请填写链接")]
    if kind == EventKind.PARK_VISIT and host_enterprise is None and not venue:
        errors["venue"] = [_("入园入企请选择参观的企业或填写园区名称")]
    if kind == EventKind.FAIR_OFFLINE and service_point is None and not venue:
        errors["venue"] = [_("线下招聘会请选择就业之家或填写场地")]
    if errors:
        first = next(iter(errors))
        raise InvalidInput(errors[first][0], errors=errors, field=first)
    place = service_point or host_enterprise
    if township is None and place is not None and place.region_id:
        township = place.region.township
    if lat is None and place is not None and place.lat is not None:
        lat, lon = place.lat, place.lon
    if not address and place is not None:
        address = place.address or ""
    with transaction.atomic():
        event = Event.objects.create(
            kind=kind, title=title, description=description or "", starts_at=starts_at, ends_at=ends_at,
            capacity=capacity, organiser_point=organiser_point, service_point=service_point,
            host_enterprise=host_enterprise, venue=(venue or "")[:100], address=(address or "")[:200], lat=lat,
            lon=lon, township=township, online_url=online_url or "",
            booth_columns=max(0, int(booth_columns or 0)) if kind == EventKind.FAIR_OFFLINE else 0,
            created_by=actor if getattr(actor, "is_authenticated", False) else None)
        EventChange.objects.create(event=event, actor=event.created_by, action="create", to_status=event.status)
        audit(actor=actor, action="event.create", target=event, kind=kind)
        if publish:
            EVENT.transition(event, "publish", actor=actor)
    return event


def event_act(*, actor, event: Event, action: str, reason: str = "") -> Event:
    """publish / finish / cancel. Finishing marks the approved booths nobody staffed as no-shows."""
    if action not in ("publish", "finish", "cancel"):
        raise NotFoundError(_("未知操作"), code="unknown_action")
    _require_organiser(actor, event)
    if action == "finish" and timezone.now() < event.starts_at:
        raise Conflict(_("活动还没有开始，不能结束"), code="not_started")
    with transaction.atomic():
        event, _event = EVENT.transition(event, action, actor=actor, reason=reason)
        if action == "finish":
            for booth in Booth.objects.select_related("event").filter(event=event, status=BoothStatus.APPROVED):
                BOOTH.transition(booth, "no_show", actor=None, reason="活动结束时展位无人到场")
        audit(actor=actor, action=f"event.{action}", target=event, reason=reason)
        if action == "cancel":
            _notify_cancelled(event)
    return event


def _notify_cancelled(event: Event) -> None:
    for reg in (Registration.objects.select_related("seeker__user")
                .filter(event=event, status=RegistrationStatus.REGISTERED)):
        notify(recipient=reg.seeker.user if reg.seeker.user_id else None, phone=reg.seeker.phone, sms=True,
               template="event_cancelled", context={"event_title": event.title})


def bus_add(*, actor, event: Event, township, departure_place: str, departs_at, seats) -> Bus:
    _require_organiser(actor, event)
    departure_place = " ".join((departure_place or "").split())
    errors = {}
    if township is None:
        errors["township"] = [_("请选择出发乡镇")]
    if not departure_place:
        errors["departure_place"] = [_("请填写上车地点")]
    try:
        seats = int(seats)
        if not 0 < seats <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["seats"] = [_("座位数应为 1 到 100")]
    try:
        departs_at = _aware(departs_at, "departs_at")
        if departs_at > event.ends_at:
            errors["departs_at"] = [_("发车时间不能晚于活动结束")]
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        first = next(iter(errors))
        raise InvalidInput(errors[first][0], errors=errors, field=first)
    if event.kind == EventKind.FAIR_ONLINE:
        raise InvalidInput(_("网络招聘会不需要班车"), field="township")
    with transaction.atomic():
        bus = Bus.objects.create(event=event, township=township, departure_place=departure_place[:100],
                                 departs_at=departs_at, seats=seats)
        audit(actor=actor, action="event.bus_add", target=event, bus=bus.pk)
    return bus


# --- booths ---------------------------------------------------------------------------------------------

def enterprise_flags(enterprise_id: int, *, before=None) -> list[str]:
    """What the organiser should see when this enterprise books: earlier no-shows or late cancellations, and hires
    made through events or live sessions whose first pay was confirmed more than 10 % below the promise."""
    flags = []
    booths = Booth.objects.filter(enterprise_id=enterprise_id)
    if before is not None:
        booths = booths.filter(event__starts_at__lt=before)
    if booths.filter(Q(status=BoothStatus.NO_SHOW) | Q(cancelled_late=True)).exists():
        flags.append("no_show_before")
    sourced = (Application.objects.filter(posting__enterprise_id=enterprise_id, pay_amount__isnull=False,
                                          channel__in=[ApplicationChannel.FAIR, ApplicationChannel.PARK_VISIT,
                                                       ApplicationChannel.LIVE])
               .values_list("pay_amount", "posting__monthly_min"))
    if any(pay < PAY_FLAG_RATIO * promised for pay, promised in sourced):
        flags.append("pay_below_promise")
    return flags


def _check_postings(enterprise, postings) -> list:
    postings = list(dict.fromkeys(postings))
    if not postings:
        raise InvalidInput(_("请至少选择一个在招岗位"), field="postings")
    if len(postings) > MAX_BOOTH_POSTINGS:
        raise InvalidInput(_("每个展位最多带 %(max)s 个岗位") % {"max": MAX_BOOTH_POSTINGS}, field="postings")
    for p in postings:
        if p.enterprise_id != enterprise.pk:
            raise PermissionDeniedError(_("只能带本企业的岗位"))
        if p.status != PostingStatus.PUBLISHED:
            raise InvalidInput(_("岗位“%(title)s”不在招聘中") % {"title": p.title}, field="postings")
        if "fee_required" in (p.check_flags or []):
            raise InvalidInput(_("岗位“%(title)s”可能向求职者收费，不能带到招聘活动（求职者参加活动一律免费）") % {"title": p.title},
                               field="postings")
    return postings


def booth_request(*, actor, event: Event, enterprise, postings, note: str = "") -> Booth:
    """HR books a booth (or a visit slot) with its open postings; the organiser approves or declines it."""
    if not roles.is_enterprise_hr(actor, enterprise.pk):
        raise PermissionDeniedError(_("只有该企业的招聘人员可以预订展位"))
    if enterprise.verification_status != VerificationStatus.VERIFIED:
        raise Conflict(_("企业通过认证后才能预订展位"), code="not_verified")
    if event.status != EventStatus.PUBLISHED or event.is_over:  # on the day too: the organiser decides
        raise Conflict(_("该活动已不接受展位预订"), code="booking_closed")
    if BoothBar.objects.filter(enterprise=enterprise, event=event).exists():
        raise Conflict(_("贵单位曾预订展位未到场，主办方已禁止参加本场活动"), code="barred")
    postings = _check_postings(enterprise, postings)
    flags = enterprise_flags(enterprise.pk, before=event.starts_at)
    with transaction.atomic():
        booth = Booth.objects.select_for_update().filter(event=event, enterprise=enterprise).first()
        if booth is not None:
            if booth.is_active:
                raise Conflict(_("贵单位已预订本场活动的展位"), code="already_booked")
            booth.flags, booth.note, booth.requested_by = flags, (note or "")[:200], actor
            booth.save(update_fields=["flags", "note", "requested_by"])
            booth.event = event
            BOOTH.transition(booth, "rebook", actor=actor)
            booth.booth_postings.all().delete()
        else:
            try:
                with transaction.atomic():
                    booth = Booth.objects.create(event=event, enterprise=enterprise, flags=flags,
                                                 note=(note or "")[:200], requested_by=actor)
            except IntegrityError:
                raise Conflict(_("贵单位已预订本场活动的展位"), code="already_booked") from None
            BoothChange.objects.create(booth=booth, actor=actor, action="request", to_status=booth.status)
        BoothPosting.objects.bulk_create([BoothPosting(booth=booth, posting=p, order=i)
                                          for i, p in enumerate(postings)])
        audit(actor=actor, action="event.booth_request", target=booth, event=event.pk,
              postings=[p.pk for p in postings], flags=flags)
    return booth


def _next_number(event: Event) -> int:
    used = set(Booth.objects.filter(event=event, number__isnull=False).values_list("number", flat=True))
    n = 1
    while n in used:
        n += 1
    return n


def booth_act(*, actor, booth: Booth, action: str, reason: str = "", number: int | None = None,
              slot_at=None) -> Booth:
    """approve (with a booth number, or a visit slot) / decline / cancel / arrive / no_show."""
    if action not in BOOTH._by_name:
        raise NotFoundError(_("未知操作"), code="unknown_action")
    booth = Booth.objects.select_related("event", "enterprise").get(pk=booth.pk)
    if not BOOTH.action(action).allowed(actor, booth):
        if action == "cancel" and roles.is_enterprise_hr(actor, booth.enterprise_id):
            raise Conflict(_("活动已经开始，不能再取消"), code="started")
        raise PermissionDeniedError()
    fields: dict = {}
    details: dict = {}
    with transaction.atomic():
        if action == "approve":
            event = Event.objects.select_for_update().get(pk=booth.event_id)  # one number per booth
            if event.kind == EventKind.FAIR_OFFLINE:
                if number:
                    if Booth.objects.filter(event=event, number=number).exclude(pk=booth.pk).exists():
                        raise InvalidInput(_("%(number)s 号展位已分配给其他企业") % {"number": number}, field="number")
                    fields["number"] = int(number)
                elif booth.number is None:
                    fields["number"] = _next_number(event)
            if slot_at is not None:
                fields["slot_at"] = _aware(slot_at, "slot_at")
        if action == "cancel":
            late = booth.event.starts_at - timezone.now() < LATE_CANCEL
            fields["cancelled_late"] = late
            details["late"] = late
        booth, _event = BOOTH.transition(booth, action, actor=actor, reason=reason, fields=fields, details=details,
                                    related=("event", "enterprise"))
        audit(actor=actor, action=f"event.booth_{action}", target=booth, reason=reason, **details)
        if action in ("approve", "decline"):
            _notify_booth(booth, action, reason)
    return booth


def _notify_booth(booth: Booth, action: str, reason: str) -> None:
    for m in booth.enterprise.memberships.select_related("user").filter(user__is_active=True):
        notify(recipient=m.user, template=f"booth_{action}d" if action == "approve" else "booth_declined",
               context={"event_title": booth.event.title, "number": booth.number or "", "reason": reason})


def booth_bar(*, actor, booth: Booth, event: Event, reason: str) -> BoothBar:
    """Bar an enterprise that left its booth empty (no-show, or cancelled less than a day ahead) from a later
    event of the same organiser. A pending booking there is declined."""
    booth = Booth.objects.select_related("event", "enterprise").get(pk=booth.pk)
    _require_organiser(actor, booth.event)
    _require_organiser(actor, event)
    reason = " ".join((reason or "").split())
    if not (booth.status == BoothStatus.NO_SHOW or booth.cancelled_late):
        raise Conflict(_("只有预订后未到场（或开始前不足一天取消）的企业可以被禁止参展"), code="not_no_show")
    if event.starts_at <= booth.event.starts_at or event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        raise InvalidInput(_("请选择之后举办的活动"), field="event")
    if not reason:
        reason = "上次预订展位未到场"
    with transaction.atomic():
        bar, created = BoothBar.objects.get_or_create(
            enterprise=booth.enterprise, event=event,
            defaults={"source_booth": booth, "reason": reason[:200], "created_by": actor})
        if not created:
            raise Conflict(_("已禁止该企业参加这场活动"), code="already_barred")
        pending = Booth.objects.select_related("event").filter(event=event, enterprise=booth.enterprise,
                                                                status=BoothStatus.REQUESTED).first()
        if pending is not None:
            BOOTH.transition(pending, "decline", actor=actor, reason=f"禁止参展：{reason}"[:500])
        audit(actor=actor, action="event.booth_bar", target=bar, enterprise=booth.enterprise_id, event=event.pk)
    return bar


# --- registrations ----------------------------------------------------------------------------------------

def _may_register_for(actor, seeker, channel: str) -> bool:
    if channel == RegistrationChannel.SELF:
        return bool(seeker.user_id and getattr(actor, "pk", None) == seeker.user_id)
    if roles.is_bureau(actor):
        return True
    return bool(seeker.service_point_id and roles.is_staff_member(actor, seeker.service_point_id))


def registration_create(*, actor, event: Event, seeker, bus: Bus | None = None,
                        channel: str = RegistrationChannel.SELF) -> Registration:
    """Register a seeker (one tap by the seeker; staff of their point for them; the organiser for a walk-in at
    the door). Enforces the event's capacity and the bus's seats under a lock. A repeated tap returns the existing
    registration (`created` False); a cancelled one is re-opened."""
    if channel not in RegistrationChannel.values:
        raise InvalidInput(_("未知的报名方式"), field="channel")
    if channel == RegistrationChannel.WALK_IN:
        _require_organiser(actor, event)
    elif not (_may_register_for(actor, seeker, channel) or is_organiser(actor, event)):
        raise PermissionDeniedError(_("只能为自己或本站点登记的求职者报名"))
    now = timezone.now()
    if event.status != EventStatus.PUBLISHED:
        raise Conflict(_("该活动不在报名中"), code="not_open")
    if now >= event.ends_at:
        raise Conflict(_("活动已结束，不能再报名"), code="event_over")
    if channel == RegistrationChannel.WALK_IN and not event.is_today:
        raise Conflict(_("现场登记只能在活动当天进行"), code="not_today")
    if bus is not None:
        if bus.event_id != event.pk:
            raise InvalidInput(_("请选择本场活动的班车"), field="bus")
        if bus.departs_at <= now:
            raise Conflict(_("该班车已发车，请选择其他班车或自行前往"), code="bus_left", field="bus")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)  # capacity and seats are counted under a lock
        existing = Registration.objects.select_for_update().filter(event=locked, seeker=seeker).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            existing.created = False
            return existing
        taken = Registration.objects.filter(event=locked).exclude(status=RegistrationStatus.CANCELLED).count()
        if taken >= locked.capacity:
            raise Conflict(_("报名人数已满（%(capacity)s 人）") % {"capacity": locked.capacity}, code="full")
        if bus is not None:
            on_bus = Registration.objects.filter(bus=bus).exclude(status=RegistrationStatus.CANCELLED).count()
            if on_bus >= bus.seats:
                raise Conflict(_("该班车座位已满，请选择其他班车或自行前往"), code="bus_full", field="bus")
        if existing is not None:
            existing.bus = bus
            existing.channel = channel
            existing.save(update_fields=["bus", "channel"])
            existing.event = locked
            reg, _event = REGISTRATION.transition(existing, "register", actor=actor)
            reg.created = True
        else:
            for _attempt in range(5):
                try:
                    with transaction.atomic():
                        reg = Registration.objects.create(
                            event=locked, seeker=seeker, code=_new_code(), bus=bus, channel=channel,
                            created_by=actor if getattr(actor, "is_authenticated", False) else None)
                    break
                except IntegrityError:
                    if Registration.objects.filter(event=locked, seeker=seeker).exists():
                        reg = Registration.objects.get(event=locked, seeker=seeker)
                        reg.created = False
                        return reg
            else:  # pragma: no cover - five code collisions in a row
                raise Conflict(_("请稍后再试"), code="busy")
            RegistrationChange.objects.create(registration=reg, actor=reg.created_by, action="register",
                                              to_status=reg.status, details={"channel": channel})
            reg.created = True
        audit(actor=actor, action="event.register", target=reg, event=event.pk, channel=channel,
              bus=bus.pk if bus else None)
        _notify_registered(reg)
    return reg


def _bus_text(reg: Registration) -> str:
    if reg.bus_id is None:
        return ""
    bus = reg.bus
    return f"班车：{timezone.localtime(bus.departs_at):%m月%d日 %H:%M} 在{bus.departure_place}上车"


def _notify_registered(reg: Registration) -> None:
    seeker = reg.seeker
    event = reg.event
    notify(recipient=seeker.user if seeker.user_id else None, phone=seeker.phone,
           sms=reg.channel != RegistrationChannel.SELF, template="event_registered",
           context={"event_title": event.title, "code": reg.code, "bus": _bus_text(reg),
                    "starts_at": f"{timezone.localtime(event.starts_at):%m月%d日 %H:%M}", "place": event.place_text},
           url=f"/events/{event.pk}/ticket/")


def registration_cancel(*, actor, registration: Registration) -> Registration:
    reg = Registration.objects.select_related("event", "seeker").get(pk=registration.pk)
    if not REGISTRATION.can(reg, "cancel", actor):
        if REGISTRATION.action("cancel").allowed(actor, reg):
            raise Conflict(_("已签到的报名不能取消"), code="invalid_transition")
        raise PermissionDeniedError()
    with transaction.atomic():
        reg, _event = REGISTRATION.transition(reg, "cancel", actor=actor, related=("event", "seeker"))
        audit(actor=actor, action="event.registration_cancel", target=reg)
    return reg


def registration_check_in(*, actor, event: Event, code: str) -> Registration:
    """Check a person in at the door by their code (scanned or typed). A second check-in, a wrong code, an event
    that is not today or is over: each a clear Chinese message, and nothing written."""
    _require_organiser(actor, event)
    code = normalize_code(code)
    now = timezone.now()
    if event.status != EventStatus.PUBLISHED:
        raise Conflict(_("该活动不在进行中，不能签到"), code="not_open")
    if now >= event.ends_at:
        raise Conflict(_("活动已结束，不能再签到"), code="event_over")
    if not event.is_today:
        day = timezone.localtime(event.starts_at)
        raise Conflict(_("活动不在今天（%(day)s举办），不能签到") % {"day": f"{day:%m月%d日}"}, code="not_today")
    reg = (Registration.objects.select_related("seeker", "bus", "event").filter(event=event, code=code).first())
    if reg is None:
        raise NotFoundError(_("没有这个签到码，请核对后重新输入"), code="wrong_code", errors={"code": [_("签到码不存在")]})
    if reg.status == RegistrationStatus.CHECKED_IN:
        at = timezone.localtime(reg.checked_in_at)
        raise Conflict(_("该签到码已于 %(time)s 签到，无需重复签到") % {"time": f"{at:%H:%M}"}, code="already_checked_in")
    if reg.status == RegistrationStatus.CANCELLED:
        raise Conflict(_("该报名已取消，请现场重新登记"), code="cancelled")
    with transaction.atomic():
        # the kit sets the new status and fields on `reg` too (it keeps its seeker, bus and event loaded)
        REGISTRATION.transition(reg, "check_in", actor=actor, fields={"checked_in_at": now, "checked_in_by": actor})
        audit(actor=actor, action="event.check_in", target=reg, event=event.pk)
    return reg


def registration_followup(*, actor, registration: Registration, outcome: str) -> Registration:
    """The organiser's call to an attendee who got no interview."""
    reg = Registration.objects.select_related("event").get(pk=registration.pk)
    _require_organiser(actor, reg.event)
    if outcome not in FollowUpOutcome.values:
        raise InvalidInput(_("请选择回访结果"), field="outcome")
    if reg.status != RegistrationStatus.CHECKED_IN:
        raise Conflict(_("只回访已签到的人员"), code="not_checked_in")
    with transaction.atomic():
        reg.followup_outcome, reg.followup_at, reg.followup_by = outcome, timezone.now(), actor
        reg.save(update_fields=["followup_outcome", "followup_at", "followup_by"])
        audit(actor=actor, action="event.followup", target=reg, outcome=outcome)
    return reg


def event_invite(*, actor, event: Event, seekers) -> int:
    """Invite seekers (by SMS) to a published event; seekers already invited or registered are skipped."""
    if not (is_organiser(actor, event) or roles.is_staff_member(actor)):
        raise PermissionDeniedError()
    if event.status != EventStatus.PUBLISHED or event.is_over:
        raise Conflict(_("该活动不在报名中"), code="not_open")
    points = set(roles.service_point_ids(actor))
    bureau = roles.is_bureau(actor)
    done = set(Invitation.objects.filter(event=event).values_list("seeker_id", flat=True))
    done |= set(Registration.objects.filter(event=event).values_list("seeker_id", flat=True))
    n = 0
    with transaction.atomic():
        for s in seekers:
            if s.pk in done or not (bureau or s.service_point_id in points):
                continue
            Invitation.objects.create(event=event, seeker=s, invited_by=actor)
            notify(recipient=s.user if s.user_id else None, phone=s.phone, sms=True, template="event_invited",
                   context={"event_title": event.title,
                            "starts_at": f"{timezone.localtime(event.starts_at):%m月%d日 %H:%M}",
                            "place": event.place_text}, url=f"/events/{event.pk}/")
            done.add(s.pk)
            n += 1
        audit(actor=actor, action="event.invite", target=event, count=n)
    return n


def send_reminders(*, now=None, wet_run: bool = False) -> list[Registration]:
    """The SMS the day before: events starting tomorrow (Beijing time), each registered person not yet reminded,
    with their bus time. Returns the registrations reminded (or that would be)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    regs = list(Registration.objects.select_related("event", "seeker__user", "bus")
                .filter(event__status=EventStatus.PUBLISHED, event__starts_at__gte=start,
                        event__starts_at__lt=start + dt.timedelta(days=1), status=RegistrationStatus.REGISTERED,
                        reminded_at__isnull=True).order_by("event_id", "id"))
    if not wet_run:
        return regs
    for reg in regs:
        with transaction.atomic():
            # claim the row first: two overlapping runs (a retried timer) never text a person twice
            if not Registration.objects.filter(pk=reg.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            event, seeker = reg.event, reg.seeker
            notify(recipient=seeker.user if seeker.user_id else None, phone=seeker.phone, sms=True,
                   template="event_reminder",
                   context={"event_title": event.title, "code": reg.code, "bus": _bus_text(reg),
                            "starts_at": f"{timezone.localtime(event.starts_at):%m月%d日 %H:%M}",
                            "place": event.place_text})
    return regs


# --- intentions -----------------------------------------------------------------------------------------

def checked_in_registration(*, event: Event, code: str = "", phone: str = "") -> tuple[Registration, str]:
    """The checked-in person a booth identifies by their code (the seeker's confirmation) or, when the code is
    lost, by their phone number (the seeker confirms later). Returns (registration, "code" | "phone")."""
    if code:
        code = normalize_code(code)
        reg = (Registration.objects.select_related("seeker", "event")
               .filter(event=event, code=code).first())
        via = "code"
    elif phone:
        try:
            phone = normalize_phone(phone)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="phone") from None
        reg = (Registration.objects.select_related("seeker", "event")
               .filter(event=event, seeker__phone=phone).first())
        via = "phone"
    else:
        raise InvalidInput(_("请扫描或输入求职者的签到码"), field="code")
    if reg is None:
        raise NotFoundError(_("本场活动没有这个签到码") if via == "code" else _("本场活动没有这个手机号的报名"),
                            code="wrong_code")
    if reg.status != RegistrationStatus.CHECKED_IN:
        raise Conflict(_("该求职者还没有在入口签到"), code="not_checked_in")
    return reg, via


def booth_of(*, actor, event: Event, posting) -> Booth:
    """The actor's booth at this event that brings `posting` (present, or approved on the day)."""
    booth = (Booth.objects.select_related("event", "enterprise")
             .filter(event=event, booth_postings__posting=posting).first())
    if booth is None or not roles.is_enterprise_hr(actor, booth.enterprise_id):
        raise PermissionDeniedError(_("只能为本企业展位上的岗位登记"))
    if booth.status not in (BoothStatus.APPROVED, BoothStatus.PRESENT):
        raise Conflict(_("展位未通过审核或已取消"), code="booth_inactive")
    if not event.is_today or event.status != EventStatus.PUBLISHED:
        raise Conflict(_("只能在活动当天登记"), code="not_today")
    return booth


def intention_record(*, actor, booth: Booth, registration: Registration, posting, via: str) -> Intention:
    """The enterprise records an intention at its booth. Scanning the seeker's code confirms both sides at once;
    found by phone, it waits for the seeker's confirmation. An intention the seeker declared first is confirmed
    by the enterprise's scan."""
    now = timezone.now()
    with transaction.atomic():
        intention = (Intention.objects.select_for_update().select_related("booth", "registration")
                     .filter(registration=registration, posting=posting).first())
        if intention is None:
            both = via == "code"
            try:
                with transaction.atomic():
                    intention = Intention.objects.create(
                        event=booth.event, registration=registration, booth=booth, posting=posting,
                        status=IntentionStatus.CONFIRMED if both else IntentionStatus.PENDING_SEEKER,
                        seeker_confirmed_at=now if both else None, seeker_via="code" if both else "",
                        enterprise_confirmed_at=now, enterprise_by=actor)
            except IntegrityError:
                raise Conflict(_("该意向正在登记，请稍后刷新"), code="busy") from None
            IntentionChange.objects.create(intention=intention, actor=actor, action="record",
                                           to_status=intention.status, details={"via": via})
        elif intention.status == IntentionStatus.PENDING_ENTERPRISE:
            intention, _event = INTENTION.transition(intention, "confirm_enterprise", actor=actor,
                                                fields={"enterprise_confirmed_at": now, "enterprise_by": actor},
                                                details={"via": via})
        elif intention.status == IntentionStatus.PENDING_SEEKER and via == "code":
            intention, _event = INTENTION.transition(intention, "confirm_seeker", actor=actor,
                                                fields={"seeker_confirmed_at": now, "seeker_via": "code"},
                                                details={"via": via})
        elif intention.status == IntentionStatus.DECLINED:
            raise Conflict(_("该意向已标记为未达成"), code="declined")
        audit(actor=actor, action="event.intention", target=intention, via=via, status=intention.status)
    return intention


def intention_declare(*, actor, registration: Registration, posting) -> Intention:
    """The seeker says, on their ticket page, that they want a booth posting; the enterprise confirms it."""
    seeker = roles.seeker_of(actor)
    if seeker is None or seeker.pk != registration.seeker_id:
        raise PermissionDeniedError()
    if registration.status != RegistrationStatus.CHECKED_IN:
        raise Conflict(_("签到后才能登记意向"), code="not_checked_in")
    booth = (Booth.objects.select_related("event")
             .filter(event_id=registration.event_id, booth_postings__posting=posting,
                     status__in=[BoothStatus.APPROVED, BoothStatus.PRESENT]).first())
    if booth is None:
        raise NotFoundError(_("本场活动没有这个岗位"))
    now = timezone.now()
    with transaction.atomic():
        intention = (Intention.objects.select_for_update().select_related("booth", "registration")
                     .filter(registration=registration, posting=posting).first())
        if intention is None:
            intention = Intention.objects.create(
                event_id=registration.event_id, registration=registration, booth=booth, posting=posting,
                status=IntentionStatus.PENDING_ENTERPRISE, seeker_confirmed_at=now, seeker_via="app")
            IntentionChange.objects.create(intention=intention, actor=actor, action="record",
                                           to_status=intention.status, details={"via": "app"})
        elif intention.status == IntentionStatus.PENDING_SEEKER:
            intention, _event = INTENTION.transition(intention, "confirm_seeker", actor=actor,
                                                fields={"seeker_confirmed_at": now, "seeker_via": "app"})
        audit(actor=actor, action="event.intention", target=intention, via="app", status=intention.status)
    return intention


def intention_act(*, actor, intention: Intention, action: str) -> Intention:
    """confirm_enterprise / confirm_seeker / decline, from the booth page or the ticket page."""
    if action not in INTENTION._by_name:
        raise NotFoundError(_("未知操作"), code="unknown_action")
    intention = Intention.objects.select_related("booth", "registration").get(pk=intention.pk)
    if not INTENTION.action(action).allowed(actor, intention):
        raise PermissionDeniedError()
    now = timezone.now()
    fields = {}
    if action == "confirm_enterprise":
        fields = {"enterprise_confirmed_at": now, "enterprise_by": actor}
    elif action == "confirm_seeker":
        fields = {"seeker_confirmed_at": now, "seeker_via": "app"}
    with transaction.atomic():
        intention, _event = INTENTION.transition(intention, action, actor=actor, fields=fields,
                                            related=("booth", "registration"))
        audit(actor=actor, action=f"event.intention_{action}", target=intention)
    return intention


def intention_link_application(*, intention: Intention, application) -> None:
    Intention.objects.filter(pk=intention.pk, application__isnull=True).update(application=application)
    intention.application = intention.application or application


#: an application's status 30 days after the event, as the intention's 30-day outcome (None: not known yet)
_OUTCOME_OF_STATUS = {
    ApplicationStatus.HIRED: Outcome30.HIRED, ApplicationStatus.OFFERED: Outcome30.HIRED,
    ApplicationStatus.INTERVIEW: Outcome30.IN_PROCESS, ApplicationStatus.CONTACTED: Outcome30.IN_PROCESS,
    ApplicationStatus.REJECTED: Outcome30.NOT_HIRED, ApplicationStatus.WITHDRAWN: Outcome30.NOT_HIRED,
    ApplicationStatus.NO_SHOW: Outcome30.NOT_HIRED, ApplicationStatus.CLOSED: Outcome30.NOT_HIRED,
}


def outcome_from_pipeline(application_id: int, *, as_of) -> str | None:
    """Where the application stood at `as_of`, from its event history: a decisive status is a known outcome."""
    last = (ApplicationEvent.objects.filter(application_id=application_id, at__lte=as_of)
            .order_by("-at", "-id").values_list("to_status", flat=True).first())
    return _OUTCOME_OF_STATUS.get(last) if last else None


def record_outcomes(*, now=None, wet_run: bool = False) -> list[tuple[Intention, str]]:
    """Daily: for intentions whose event ended at least 30 days ago and whose 30-day outcome is not known yet,
    read it from the hiring pipeline (the application's status on day 30). Those still undecided stay on the
    organiser's call list. Returns (intention, outcome) pairs recorded (or that would be)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=OUTCOME_AFTER_DAYS)
    todo = (Intention.objects.select_related("event")
            .filter(outcome_30d="", application__isnull=False, event__ends_at__lte=cutoff)
            .exclude(status=IntentionStatus.DECLINED).order_by("id"))
    out = []
    for intention in todo:
        outcome = outcome_from_pipeline(intention.application_id,
                                        as_of=intention.event.ends_at + dt.timedelta(days=OUTCOME_AFTER_DAYS))
        if outcome is None:
            continue
        out.append((intention, outcome))
        if wet_run:
            Intention.objects.filter(pk=intention.pk, outcome_30d="").update(
                outcome_30d=outcome, outcome_at=now, outcome_source="pipeline")
    return out


def intention_record_outcome(*, actor, intention: Intention, outcome: str) -> Intention:
    """The organiser's call: where does this intention stand 30 days on?"""
    intention = Intention.objects.select_related("event").get(pk=intention.pk)
    _require_organiser(actor, intention.event)
    if outcome not in Outcome30.values:
        raise InvalidInput(_("请选择结果"), field="outcome")
    if not intention.event.is_over:
        raise Conflict(_("活动结束后才能记录结果"), code="not_over")
    with transaction.atomic():
        intention.outcome_30d, intention.outcome_at, intention.outcome_source = outcome, timezone.now(), "call"
        intention.save(update_fields=["outcome_30d", "outcome_at", "outcome_source"])
        audit(actor=actor, action="event.intention_outcome", target=intention, outcome=outcome)
    return intention
