"""The one write path for applications: one function per transition, an ApplicationEvent per transition.

Repeat applies are idempotent: applying again to the same posting returns the existing application
(no duplicate row, no error): a person on a cheap phone who taps twice must not see an error. A
withdrawn application is re-opened (withdrawn → applied) by applying again."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.core.models import AuditEvent
from hongniang.jobs.models import PostingStatus
from hongniang.jobs.services import posting_positions_changed
from hongniang.notifications.services import notify
from hongniang.seekers.models import ConsentChannel

from .machines import APPLICATION, HR_ACTIONS, OPEN_STATUSES, may_run_pipeline, own_or_point_staff
from .models import SOURCED_CHANNELS, Application, ApplicationChannel, ApplicationStatus

STAFF_CONSENT_CHANNELS = (ConsentChannel.PAPER, ConsentChannel.VERBAL, ConsentChannel.SCREEN)
__all__ = ["HR_ACTIONS", "OPEN_STATUSES", "may_run_pipeline"]


def _set_consent(application: Application, *, actor, channel: str, consent_channel: str) -> None:
    """Applying is consent to share contact details with this enterprise: online by the seeker, or
    witnessed by the staff member who applies on their behalf."""
    application.consent_at = timezone.now()
    if channel == ApplicationChannel.STAFF:
        application.consent_channel = consent_channel
        application.consent_witness = actor
    else:
        application.consent_channel = ConsentChannel.ONLINE
        application.consent_witness = None


def application_apply(*, seeker, posting, actor, channel: str = ApplicationChannel.SELF,
                      consent_confirmed: bool = False, consent_channel: str = "") -> Application:
    """The seeker applies to the posting (self), or staff of the seeker's point applies on their behalf
    (channel "staff", needs the seeker's confirmed consent). Returns the application; `created` tells
    whether it is new."""
    if channel not in (ApplicationChannel.SELF, ApplicationChannel.STAFF):
        raise InvalidInput(_("未知的报名方式"), field="channel")
    if channel == ApplicationChannel.SELF:
        if not (seeker.user_id and getattr(actor, "pk", None) == seeker.user_id):
            raise PermissionDeniedError(_("只能为自己报名"))
    else:
        if not (seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(actor)):
            raise PermissionDeniedError(_("只能为本站点登记的求职者代为报名"))
        if not consent_confirmed:
            raise InvalidInput(_("代人报名前，请确认求职者本人已同意"), field="consent_confirmed")
        consent_channel = consent_channel or ConsentChannel.VERBAL
        if consent_channel not in STAFF_CONSENT_CHANNELS:
            raise InvalidInput(_("请选择求职者表示同意的方式"), field="consent_channel")
    check_posting_open(posting)

    with transaction.atomic():
        existing = Application.objects.select_for_update().filter(seeker=seeker, posting=posting).first()
        if existing is not None:
            if APPLICATION.can(existing, "reapply"):
                existing.channel = channel
                _set_consent(existing, actor=actor, channel=channel, consent_channel=consent_channel)
                APPLICATION.transition(existing, "reapply", actor=actor, reason="重新报名", lock=False, fields={
                    f: getattr(existing, f) for f in ("channel", "consent_at", "consent_channel", "consent_witness")})
                audit(actor=actor, action="application.apply", target=existing, channel=channel, reopened=True)
                _notify_applied(existing)
            existing.created = False
            return existing
        try:
            with transaction.atomic():
                application = Application(seeker=seeker, posting=posting, channel=channel,
                                          created_by=actor if actor.is_authenticated else None)
                _set_consent(application, actor=actor, channel=channel, consent_channel=consent_channel)
                application.save()
        except IntegrityError:  # the same tap twice at the same moment
            application = Application.objects.get(seeker=seeker, posting=posting)
            application.created = False
            return application
        APPLICATION.record(application, "apply", actor=actor,
                           reason="工作人员代报，求职者已同意" if channel == ApplicationChannel.STAFF else "")
        audit(actor=actor, action="application.apply", target=application, channel=channel,
              consent_confirmed=bool(consent_confirmed) if channel == ApplicationChannel.STAFF else None,
              consent_channel=application.consent_channel)
        _notify_applied(application)
    application.created = True
    return application


def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """The seeker (or staff of the seeker's point) withdraws an open application."""
    seeker = application.seeker
    own = bool(seeker.user_id and getattr(actor, "pk", None) == seeker.user_id)
    staff = bool(seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(actor))
    if not (own or staff):
        raise PermissionDeniedError()
    with transaction.atomic():
        application = APPLICATION.lock(application)
        if not APPLICATION.can(application, "withdraw"):
            raise InvalidInput(_("该报名已结束，无法撤回"), code="not_withdrawable")
        before = application.status
        APPLICATION.transition(application, "withdraw", actor=actor, lock=False,
                               reason=reason or ("本人撤回" if own else "工作人员代为撤回"))
        _places_changed(application, before)
        audit(actor=actor, action="application.withdraw", target=application, reason=reason)
        _notify_hr(application, template="application_withdrawn")
    return application


#: statuses that hold one of the posting's positions: an offer the person is to take up, and a hire
TAKES_PLACE = (ApplicationStatus.OFFERED, ApplicationStatus.HIRED)


def _places_changed(application: Application, before: str) -> None:
    """An offer or hire took a place, or an offer was given back (withdrawn, no-show, turned down): the posting's
    open positions changed, so the matching index's prices must know (recommend.state counts the same statuses)."""
    if (before in TAKES_PLACE) != (application.status in TAKES_PLACE):
        posting_positions_changed(posting_id=application.posting_id)


def check_posting_open(posting) -> None:
    """Applying needs a published posting (InvalidInput "posting_closed" otherwise)."""
    if posting.status != PostingStatus.PUBLISHED:
        raise InvalidInput(_("该岗位已停止招聘"), code="posting_closed", field="posting")


def applications_close_for_account_deletion(*, seeker) -> int:
    """The seeker deletes their account: open applications are withdrawn (event "求职者注销账号") and every
    application's note is cleared; the applications stay, anonymised with the seeker, for statistics."""
    n = 0
    for a in Application.objects.select_for_update().filter(seeker=seeker, status__in=OPEN_STATUSES):
        before = a.status
        APPLICATION.transition(a, "withdraw", actor=None, reason="求职者注销账号", lock=False)
        _places_changed(a, before)
        n += 1
    Application.objects.filter(seeker=seeker).update(note="")
    return n


def applications_export(*, seeker) -> tuple[list[dict], list[dict]]:
    """The seeker's applications with their history, and the consents given by applying (for the seeker's own
    data export)."""
    def iso(v):
        return v.isoformat() if v else None

    applications = (Application.objects.filter(seeker=seeker).select_related("posting__enterprise")
                    .prefetch_related("events").order_by("created_at", "id"))
    consents = [{"what": f"报名：向{a.posting.enterprise.name}提供联系方式（{a.posting.title}）", "at": iso(a.consent_at),
                 "channel": a.consent_channel, "witness": str(a.consent_witness) if a.consent_witness_id else ""}
                for a in applications if a.consent_at]
    rows = [{
        "id": a.pk, "posting": a.posting.title, "enterprise": a.posting.enterprise.name, "status": a.status,
        "channel": a.channel, "created_at": iso(a.created_at), "interview_at": iso(a.interview_at),
        "interview_place": a.interview_place, "start_date": iso(a.start_date),
        "actual_start_date": iso(a.actual_start_date), "pay_amount": a.pay_amount,
        "history": [{"at": iso(e.at), "from": e.from_status, "to": e.to_status, "reason": e.reason}
                    for e in a.events.all()],
    } for a in applications]
    return rows, consents


SOURCE_REASON = {ApplicationChannel.FAIR: "招聘会现场登记", ApplicationChannel.PARK_VISIT: "入园入企现场登记",
                 ApplicationChannel.LIVE: "直播报名，已回访确认"}


def application_record_from_source(*, seeker, posting, actor, channel: str, source_id: int, consent_channel: str,
                                   note: str = "", verified_phone: str = "") -> Application:
    """An application made at an event (a booth scan of the seeker's code) or from a confirmed live-session lead,
    entering the hiring pipeline with the event / session as its source. The caller (a flow) has checked that the
    actor may act here: HR of the posting's enterprise at a booth, staff calling a lead back, or the person
    confirming their own lead with an SMS code (`verified_phone`: the number the code was checked for, when the
    person has no log-in). Consent: the code shown at the booth or the confirmation.

    An existing application of the seeker to the posting is returned unchanged (its source stays its first one);
    a withdrawn one is re-opened. `created` tells whether it is new."""
    if channel not in SOURCED_CHANNELS:
        raise InvalidInput(_("未知的报名来源"), field="channel")
    if not source_id:
        raise InvalidInput(_("缺少报名来源"), field="source_id")
    if consent_channel not in ConsentChannel.values:
        raise InvalidInput(_("请选择求职者表示同意的方式"), field="consent_channel")
    if posting.status != PostingStatus.PUBLISHED:
        raise InvalidInput(_("该岗位已停止招聘"), code="posting_closed", field="posting")
    own = bool(seeker.user_id and getattr(actor, "pk", None) == seeker.user_id)
    own = own or bool(verified_phone and verified_phone == seeker.phone)
    if not (own or roles.is_enterprise_hr(actor, posting.enterprise_id) or roles.is_staff_member(actor)
            or roles.is_bureau(actor)):
        raise PermissionDeniedError()
    reason = (note or SOURCE_REASON[channel])[:200]
    witness = None if own else (actor if getattr(actor, "is_authenticated", False) else None)
    with transaction.atomic():
        existing = Application.objects.select_for_update().filter(seeker=seeker, posting=posting).first()
        if existing is not None:
            if APPLICATION.can(existing, "reapply"):
                existing.consent_at, existing.consent_channel = timezone.now(), consent_channel
                existing.consent_witness = witness
                APPLICATION.transition(existing, "reapply", actor=actor, reason=reason, lock=False, fields={
                    f: getattr(existing, f) for f in ("consent_at", "consent_channel", "consent_witness")})
                audit(actor=actor, action="application.apply", target=existing, channel=channel,
                      source_id=source_id, reopened=True)
                _notify_applied(existing)
            existing.created = False
            return existing
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    seeker=seeker, posting=posting, channel=channel, source_id=source_id,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    note=(note or "")[:200], consent_at=timezone.now(), consent_channel=consent_channel,
                    consent_witness=witness)
        except IntegrityError:  # the same scan twice at the same moment
            application = Application.objects.get(seeker=seeker, posting=posting)
            application.created = False
            return application
        APPLICATION.record(application, "apply", actor=actor, reason=reason,
                           details={"channel": channel, "source_id": source_id})
        audit(actor=actor, action="application.apply", target=application, channel=channel, source_id=source_id,
              consent_channel=consent_channel)
        _notify_applied(application)
    application.created = True
    return application


# --- notifications ----------------------------------------------------------------------------------

S = ApplicationStatus
SMS_STATUSES = (S.INTERVIEW, S.OFFERED, S.HIRED)


def _url(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _context(application: Application, **extra) -> dict:
    posting = application.posting
    return {"posting_title": posting.title, "enterprise_name": posting.enterprise.name,
            "seeker_name": application.seeker.name, "application_id": application.pk, **extra}


def _notify_hr(application: Application, *, template: str, **extra) -> None:
    posting = application.posting
    for m in posting.enterprise.memberships.select_related("user").filter(user__is_active=True):
        notify(recipient=m.user, template=template, context=_context(application, **extra),
               url=_url("applications:detail", application.pk))


def _notify_seeker(application: Application, *, template: str, sms: bool = False, **extra) -> None:
    seeker = application.seeker
    user = seeker.user if seeker.user_id else None
    if user is None and not sms:
        return
    notify(recipient=user, phone=seeker.phone or None, template=template, sms=sms,
           context=_context(application, **extra), url=_url("seekers:applications"))


def _notify_applied(application: Application) -> None:
    _notify_hr(application, template="application_received",
               by_staff=application.channel == ApplicationChannel.STAFF)
    if application.channel == ApplicationChannel.STAFF:
        _notify_seeker(application, template="applied_by_staff", sms=True)


# --- the hiring pipeline ----------------------------------------------------------------------------
# One function per transition. Each checks the actor (HR of the posting's enterprise), then the machine
# (applications.machines.APPLICATION) locks the row, checks the allowed-from table, writes the new status
# and an ApplicationEvent; an audit row follows, and the seeker is notified (inbox; SMS too for interview,
# offer and hire) after commit.

#: the statuses each target may be reached from (kept for callers; the machine's table is the truth)
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    a.target: APPLICATION.statuses_with(a.name) for a in APPLICATION.actions
    if a.target and a.name not in ("apply", "reapply")
}


ACTION_TARGET = {name: APPLICATION.action(name).target for name in HR_ACTIONS}


def next_actions(status: str) -> list[str]:
    """The enterprise's pipeline actions from a status (the table only; pages and the API ask
    `machines.pipeline_actions(application, user)`)."""
    return [a for a in HR_ACTIONS if status in APPLICATION.sources_of(a)]


def _transition(application: Application, *, actor, action: str, reason: str = "", fields: dict | None = None,
                hr: bool = True, notify_template: str = "", **notify_extra) -> Application:
    if hr and not may_run_pipeline(actor, application):
        raise PermissionDeniedError(_("只有该岗位所属企业的招聘人员可以操作"))
    with transaction.atomic():
        locked, _event = APPLICATION.transition(application, action, actor=actor, reason=reason, fields=fields,
                                                related=("seeker", "posting__enterprise"))
        before, to = _event.from_status, locked.status
        audit(actor=actor, action=f"application.{to}", target=locked, reason=reason, from_status=before)
        _places_changed(locked, before)
        if notify_template:
            _notify_seeker(locked, template=notify_template, sms=to in SMS_STATUSES,
                           **{"reason": reason, **notify_extra})
    return locked


def application_mark_viewed(*, actor, application: Application) -> Application:
    return _transition(application, actor=actor, action="view", notify_template="application_viewed")


def application_contact(*, actor, application: Application, note: str = "") -> Application:
    return _transition(application, actor=actor, action="contact", reason=note,
                       notify_template="application_contacted")


def application_schedule_interview(*, actor, application: Application, interview_at, place: str) -> Application:
    place = " ".join((place or "").split())
    if interview_at is None:
        raise InvalidInput(_("请填写面试时间"), field="interview_at")
    if timezone.is_naive(interview_at):
        interview_at = timezone.make_aware(interview_at)
    if interview_at < timezone.now():
        raise InvalidInput(_("面试时间不能早于现在"), field="interview_at")
    if not place:
        raise InvalidInput(_("请填写面试地点"), field="interview_place")
    when = timezone.localtime(interview_at).strftime("%Y-%m-%d %H:%M")
    return _transition(application, actor=actor, action="interview", reason=f"{when} {place}"[:200],
                       fields={"interview_at": interview_at, "interview_place": place[:200]},
                       notify_template="application_interview", interview_at=when, interview_place=place)


def application_offer(*, actor, application: Application, note: str = "") -> Application:
    return _transition(application, actor=actor, action="offer", reason=note, notify_template="application_offered")


def application_hire(*, actor, application: Application, start_date) -> Application:
    """contacted / interview / offered → hired with the agreed start date. The follow-ups of a hire are
    scheduled by the flow that calls this (hongniang.flows.hiring.hire)."""
    if start_date is None:
        raise InvalidInput(_("请填写上岗日期"), field="start_date")
    return _transition(application, actor=actor, action="hire", reason=f"上岗日期 {start_date:%Y-%m-%d}",
                       fields={"start_date": start_date}, notify_template="application_hired",
                       start_date=f"{start_date:%Y-%m-%d}")


def application_reject(*, actor, application: Application, reason: str) -> Application:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_("请填写不合适的原因（求职者会看到）"), field="reason")
    return _transition(application, actor=actor, action="reject", reason=reason,
                       fields={"close_reason": reason[:200]}, notify_template="application_rejected")


def application_no_show(*, actor, application: Application, note: str = "") -> Application:
    return _transition(application, actor=actor, action="no_show", reason=note, notify_template="application_no_show")


#: the rule's defaults: unanswered applications close after 60 days; an offer (录用) that HR neither turns into a
#: hire nor marks as a no-show closes 30 days after it was made, and HR is warned OFFER_WARN_DAYS before, so an
#: offer forgotten on the pipeline gives its place on the posting back (an offer holds a place: matching counts
#: offers and hires against the headcount)
STALE_DAYS = 60
OFFER_CLOSE_DAYS = 30
OFFER_WARN_DAYS = 7


def application_close_stale(*, application: Application, days: int) -> Application:
    """The rule: an application left applied/viewed, or an offer left without a hire, for `days` days closes
    with a reason (no actor). A closed offer gives its place back; the seeker gets an SMS and HR an inbox note."""
    if application.status == S.OFFERED:
        reason = f"录用后超过 {days} 天未办理上岗，系统自动关闭"
        with transaction.atomic():
            locked = _transition(application, actor=None, action="close", reason=reason, hr=False,
                                 fields={"close_reason": reason})
            _notify_seeker(locked, template="offer_closed", sms=True, days=days)
            _notify_hr(locked, template="offer_closed_hr", days=days)
        return locked
    reason = f"超过 {days} 天未处理，系统自动关闭"
    return _transition(application, actor=None, action="close", reason=reason, hr=False,
                       fields={"close_reason": reason}, notify_template="application_closed", days=days)


def stale_applications(*, days: int = STALE_DAYS, offer_days: int = OFFER_CLOSE_DAYS, now=None):
    """Applications still applied/viewed whose last change is older than `days` days, and offers older than
    `offer_days` days (0: offers never close by rule)."""
    import datetime as dt

    now = now or timezone.now()
    rule = Q(status__in=(S.APPLIED, S.VIEWED), updated_at__lt=now - dt.timedelta(days=days))
    if offer_days > 0:
        rule |= Q(status=S.OFFERED, updated_at__lt=now - dt.timedelta(days=offer_days))
    return (Application.objects.filter(rule)
            .select_related("seeker", "posting__enterprise").order_by("updated_at", "pk"))


def offers_closing_soon(*, offer_days: int = OFFER_CLOSE_DAYS, warn_days: int = OFFER_WARN_DAYS, now=None):
    """Offers that close by rule within `warn_days` days and whose HR has not been warned yet."""
    import datetime as dt

    if offer_days <= 0:
        return Application.objects.none()
    now = now or timezone.now()
    # warned about this offer already (an audit row since the offer was made: a later offer is warned again)
    warned = AuditEvent.objects.filter(action="application.offer_closing_warned",
                                       target_type=Application._meta.label_lower,
                                       target_id=Cast(OuterRef("pk"), CharField()), at__gte=OuterRef("updated_at"))
    return (Application.objects.filter(
        status=S.OFFERED, updated_at__lt=now - dt.timedelta(days=max(0, offer_days - warn_days)),
        updated_at__gte=now - dt.timedelta(days=offer_days))
        .exclude(Exists(warned)).select_related("seeker", "posting__enterprise").order_by("updated_at", "pk"))


def offer_warn_closing(*, application: Application, offer_days: int = OFFER_CLOSE_DAYS, now=None) -> None:
    """Warn the posting's HR (inbox) that this offer closes by rule on a given day unless they act."""
    import datetime as dt

    closes_on = timezone.localtime(application.updated_at + dt.timedelta(days=offer_days)).date()
    with transaction.atomic():
        _notify_hr(application, template="offer_closing_hr", days=offer_days, closes_on=f"{closes_on.month}月{closes_on.day}日")
        audit(actor=None, action="application.offer_closing_warned", target=application,
              closes_on=closes_on.isoformat())


# --- after the hire: the real start and the real pay ------------------------------------------------

PAY_REPORT_AFTER_DAYS = 28


_own_or_point_staff = own_or_point_staff


def application_confirm_start(*, actor, application: Application, actual_start_date) -> Application:
    """The seeker (or staff of the seeker's point, on a follow-up call) confirms the day work really started."""
    if not _own_or_point_staff(actor, application):
        raise PermissionDeniedError(_("只有求职者本人或其登记站点的工作人员可以确认上岗"))
    if actual_start_date is None:
        raise InvalidInput(_("请填写实际上岗日期"), field="actual_start_date")
    if actual_start_date > timezone.localdate():
        raise InvalidInput(_("实际上岗日期不能晚于今天"), field="actual_start_date")
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("posting").get(pk=application.pk)
        if locked.status != S.HIRED:
            raise Conflict(_("只有已上岗的报名可以确认上岗日期"), code="not_hired")
        if locked.pay_amount is not None:
            raise Conflict(_("已填报工资，不能再修改上岗日期"), code="pay_reported")
        APPLICATION.transition(locked, "confirm_start", actor=actor, lock=False,
                               reason=f"确认实际上岗 {actual_start_date:%Y-%m-%d}",
                               fields={"actual_start_date": actual_start_date, "start_confirmed_at": timezone.now()})
        audit(actor=actor, action="application.confirm_start", target=locked,
              actual_start_date=actual_start_date.isoformat())
    return locked


def application_report_pay(*, actor, application: Application, amount) -> Application:
    """After the first month: the pay actually received for it (yuan). Compared with the posting's promised
    monthly minimum on the bureau's enterprise record."""
    import datetime as dt

    if not _own_or_point_staff(actor, application):
        raise PermissionDeniedError(_("只有求职者本人或其登记站点的工作人员可以填报工资"))
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        raise InvalidInput(_("工资请填写整数（元）"), field="amount") from None
    if not 0 < amount <= 200000:
        raise InvalidInput(_("工资应在 1 到 200000 元之间"), field="amount")
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("posting").get(pk=application.pk)
        if locked.status != S.HIRED or locked.actual_start_date is None:
            raise Conflict(_("请先确认实际上岗日期"), code="start_not_confirmed")
        if timezone.localdate() < locked.actual_start_date + dt.timedelta(days=PAY_REPORT_AFTER_DAYS):
            raise Conflict(_("上岗满一个月后才能填报首月工资"), code="too_early")
        below = amount < locked.posting.monthly_min
        APPLICATION.transition(locked, "report_pay", actor=actor, lock=False,
                               reason=f"填报首月实发工资 {amount} 元" + ("（低于承诺）" if below else ""),
                               fields={"pay_amount": amount, "pay_reported_at": timezone.now()})
        audit(actor=actor, action="application.report_pay", target=locked, amount=amount,
              promised_min=locked.posting.monthly_min, below_promise=below)
    return locked


def application_act(*, actor, application: Application, action: str, note: str = "", reason: str = "",
                    interview_at=None, interview_place: str = "", start_date=None) -> Application:
    """Dispatch a pipeline action name (pages and API) to its one transition function."""
    if action == "view":
        return application_mark_viewed(actor=actor, application=application)
    if action == "contact":
        return application_contact(actor=actor, application=application, note=note)
    if action == "interview":
        return application_schedule_interview(actor=actor, application=application, interview_at=interview_at,
                                              place=interview_place)
    if action == "offer":
        return application_offer(actor=actor, application=application, note=note)
    if action == "hire":
        return application_hire(actor=actor, application=application, start_date=start_date)
    if action == "reject":
        return application_reject(actor=actor, application=application, reason=reason)
    if action == "no_show":
        return application_no_show(actor=actor, application=application, note=note)
    raise NotFoundError(_("未知操作"), code="unknown_action")
