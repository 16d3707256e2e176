"""Reads of events shared by pages and the API: the permission is applied here, and full views of personal data
are audited here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.applications.models import Application, ApplicationStatus
from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.core.errors import NotFoundError, PermissionDeniedError
from hongniang.jobs.models import PostingStatus
from hongniang.matching import JobIndex, recommend_jobs
from hongniang.recommend.adapters import job_from_posting, seeker_from_model
from hongniang.recommend.config import match_config

from .machines import is_organiser
from .models import (
    RESULT_STATUSES,
    Booth,
    BoothPosting,
    BoothStatus,
    Bus,
    Event,
    EventStatus,
    Intention,
    IntentionStatus,
    Invitation,
    Registration,
    RegistrationStatus,
)
from .services import OUTCOME_AFTER_DAYS, OUTCOME_KNOWN_WITHIN_DAYS

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.FINISHED, EventStatus.CANCELLED)
LIVE_BOOTHS = (BoothStatus.APPROVED, BoothStatus.PRESENT)
HIRE_WITHIN_DAYS = 90
INTERVIEW_OR_LATER = (ApplicationStatus.INTERVIEW, ApplicationStatus.OFFERED, ApplicationStatus.HIRED)


def _registered_count():
    return Count("registrations", filter=~Q(registrations__status=RegistrationStatus.CANCELLED), distinct=True)


def public_events(*, kind: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None,
                  township: str = "", upcoming: bool | None = None):
    """Published (and finished or cancelled) events, soonest first, with their registration counts."""
    qs = (Event.objects.filter(status__in=PUBLIC_STATUSES)
          .select_related("township", "organiser_point", "service_point", "host_enterprise")
          .annotate(registered=_registered_count(),
                    booth_count=Count("booths", filter=Q(booths__status__in=LIVE_BOOTHS), distinct=True)))
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(ends_at__gte=timezone.make_aware(dt.datetime.combine(date_from, dt.time.min)))
    if date_to:
        qs = qs.filter(starts_at__lt=timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1),
                                                                             dt.time.min)))
    if township:
        qs = qs.filter(township_id=township)
    now = timezone.now()
    if upcoming is True:
        qs = qs.filter(ends_at__gt=now).order_by("starts_at", "id")
    elif upcoming is False:
        qs = qs.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    else:
        qs = qs.order_by("starts_at", "id")
    return qs


def event_for(pk: int, user=None) -> Event:
    """An event anyone may see (drafts: only its organiser)."""
    event = (Event.objects.select_related("township", "organiser_point", "service_point", "host_enterprise")
             .filter(pk=pk).first())
    if event is None or (event.status == EventStatus.DRAFT and not is_organiser(user, event)):
        raise NotFoundError(_("找不到该活动"))
    return event


def booths(event: Event, *, all_statuses: bool = False) -> list[Booth]:
    """The event's booths with their open postings, in booth-number (walking) order; visits by slot."""
    qs = Booth.objects.filter(event=event).select_related("enterprise")
    if not all_statuses:
        qs = qs.filter(status__in=LIVE_BOOTHS)
    postings = BoothPosting.objects.select_related("posting").order_by("order", "id")
    rows = list(qs.prefetch_related(Prefetch("booth_postings", queryset=postings)))
    for b in rows:
        b.open_postings = [bp.posting for bp in b.booth_postings.all()
                           if bp.posting.status == PostingStatus.PUBLISHED or all_statuses]
    rows.sort(key=lambda b: (b.number is None, b.number or 0, b.slot_at or event.starts_at, b.pk))
    return rows


def booth_grid(event: Event, rows: list[Booth]) -> list[list[Booth | None]]:
    """A simple numbered grid of an offline fair: booth n sits at row (n-1)//columns, column (n-1)%columns."""
    if not event.has_booth_map:
        return []
    numbered = {b.number: b for b in rows if b.number}
    if not numbered:
        return []
    cols = event.booth_columns
    last = max(numbered)
    n_rows = (last + cols - 1) // cols
    return [[numbered.get(r * cols + c + 1) for c in range(cols)] for r in range(n_rows)]


def buses(event: Event) -> list[Bus]:
    rows = list(Bus.objects.filter(event=event).select_related("township").annotate(
        taken=Count("registrations", filter=~Q(registrations__status=RegistrationStatus.CANCELLED))))
    for b in rows:
        b.left = max(0, b.seats - b.taken)
    return rows


def counts(event: Event) -> dict:
    row = Registration.objects.filter(event=event).aggregate(
        registered=Count("id", filter=~Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("id", filter=Q(status=RegistrationStatus.CHECKED_IN)))
    row["capacity"] = event.capacity
    row["left"] = max(0, event.capacity - row["registered"])
    return row


def registration_of(event: Event, user) -> Registration | None:
    seeker = roles.seeker_of(user)
    if seeker is None:
        return None
    return (Registration.objects.select_related("bus", "seeker").filter(event=event, seeker=seeker)
            .exclude(status=RegistrationStatus.CANCELLED).first())


def registration_for_viewer(pk: int, user) -> Registration:
    """A registration its seeker, staff of the seeker's point, the organiser or the bureau may open."""
    reg = Registration.objects.select_related("event", "seeker", "bus").filter(pk=pk).first()
    if reg is None:
        raise NotFoundError()
    seeker = reg.seeker
    own = bool(seeker.user_id and getattr(user, "pk", None) == seeker.user_id)
    point = bool(seeker.service_point_id and roles.is_staff_member(user, seeker.service_point_id))
    if not (own or point or is_organiser(user, reg.event)):
        raise PermissionDeniedError()
    if not own:
        audit(actor=user, action="event.view_registration", target=reg)
    return reg


@dataclass
class BoothPick:
    booth: Booth
    posting: object
    score: float
    reasons: str


def booths_for_seeker(registration: Registration, *, top: int = 6) -> list[BoothPick]:
    """这几个展位最适合你: the matching engine ranks every posting at the event's booths for this seeker; the best
    booth per enterprise is kept, the `top` best booths are then listed in walking order (booth number, or visit
    slot), each with its best posting and the reasons."""
    rows = booths(registration.event)
    postings = {p.pk: (b, p) for b in rows for p in b.open_postings}
    if not postings:
        return []
    index = JobIndex([job_from_posting(p) for _key, p in postings.values()], config=match_config())
    matches = recommend_jobs(seeker_from_model(registration.seeker), index, top=len(postings),
                             capacity_aware=False, today=timezone.localdate())
    best: dict[int, BoothPick] = {}
    for m in matches:
        booth, posting = postings[m.job_id]
        if booth.pk not in best:
            best[booth.pk] = BoothPick(booth, posting, m.score, m.reasons)
    picks = sorted(best.values(), key=lambda p: -p.score)[:top]
    order = {b.pk: i for i, b in enumerate(rows)}
    return sorted(picks, key=lambda p: order[p.booth.pk])


def my_booth(event: Event, user) -> Booth | None:
    ids = roles.enterprise_ids(user)
    if not ids:
        return None
    return Booth.objects.select_related("enterprise", "event").filter(event=event, enterprise_id__in=ids).first()


def organiser_registrations(event: Event, user, *, status: str = ""):
    """The organiser's list of people registered (names shown in full to the organiser; the view is audited)."""
    if not is_organiser(user, event):
        raise PermissionDeniedError()
    qs = Registration.objects.filter(event=event).select_related("seeker", "bus__township").order_by("id")
    if status:
        qs = qs.filter(status=status)
    audit(actor=user, action="event.view_registrations", target=event, status=status)
    return qs


def booth_intentions(booth: Booth, user):
    """Intentions at an enterprise's booth (its HR sees the people who confirmed; audited)."""
    if not roles.is_enterprise_hr(user, booth.enterprise_id):
        raise PermissionDeniedError()
    qs = (Intention.objects.filter(booth=booth).select_related("registration__seeker", "posting", "application")
          .order_by("-created_at"))
    audit(actor=user, action="event.view_booth_intentions", target=booth)
    return qs


def seeker_intentions(registration: Registration):
    return (Intention.objects.filter(registration=registration).select_related("booth__enterprise", "posting")
            .order_by("created_at"))


def followup_list(event: Event, user):
    """The organiser's follow-up list: attendees who got no interview (no application to a posting of the event's
    enterprises at interview or beyond since the event began), and intentions whose 30-day status is not known
    once the 30 days have passed."""
    if not is_organiser(user, event):
        raise PermissionDeniedError()
    enterprises = list(Booth.objects.filter(event=event).values_list("enterprise_id", flat=True))
    attended = Registration.objects.filter(event=event, status=RegistrationStatus.CHECKED_IN)
    interviewed = set(Application.objects.filter(
        seeker_id__in=attended.values("seeker_id"), posting__enterprise_id__in=enterprises,
        created_at__gte=event.starts_at).filter(
        Q(status__in=INTERVIEW_OR_LATER) | Q(interview_at__isnull=False)).values_list("seeker_id", flat=True))
    people = [r for r in attended.select_related("seeker").order_by("id") if r.seeker_id not in interviewed]
    intentions = []
    if timezone.now() >= event.ends_at + dt.timedelta(days=OUTCOME_AFTER_DAYS):
        intentions = list(Intention.objects.filter(event=event, outcome_30d="")
                          .exclude(status=IntentionStatus.DECLINED)
                          .select_related("registration__seeker", "posting", "booth__enterprise", "application"))
    audit(actor=user, action="event.view_followups", target=event)
    return people, intentions


# --- the funnel -------------------------------------------------------------------------------------------

@dataclass
class Funnel:
    """invited → registered → checked in → intentions → applied ≤ 30 d → hired ≤ 90 d → still working at 30 d,
    counted from the records (people, not rows, except intentions)."""

    invited: int = 0
    registered: int = 0
    checked_in: int = 0
    intentions: int = 0  # confirmed by both sides
    intentions_all: int = 0  # every intention not declined (one-sided ones included)
    applied_30: int = 0
    hired_90: int = 0
    working_30: int | None = None  # filled by the follow-ups (hongniang.flows.event_results)
    outcome_due: int = 0  # intentions whose 45 days have passed
    outcome_known: int = 0  # ... whose 30-day status was recorded within 45 days
    hired_application_ids: list[int] = field(default_factory=list)

    @property
    def both_rate(self) -> float | None:
        return self.intentions / self.intentions_all if self.intentions_all else None

    @property
    def known_rate(self) -> float | None:
        return self.outcome_known / self.outcome_due if self.outcome_due else None

    def steps(self) -> list[tuple[str, int | None]]:
        return [(_("邀请"), self.invited), (_("报名"), self.registered), (_("签到"), self.checked_in),
                (_("双方确认意向"), self.intentions), (_("30 天内投递"), self.applied_30), (_("90 天内录用"), self.hired_90),
                (_("上岗 30 天仍在岗"), self.working_30)]


def _funnel(event: Event, *, enterprise_id: int | None = None, now=None) -> Funnel:
    now = now or timezone.now()
    f = Funnel()
    regs = Registration.objects.filter(event=event)
    intentions = Intention.objects.filter(event=event).exclude(status=IntentionStatus.DECLINED)
    if enterprise_id is not None:
        intentions = intentions.filter(booth__enterprise_id=enterprise_id)
    if enterprise_id is None:
        invited = set(Invitation.objects.filter(event=event).values_list("seeker_id", flat=True))
        f.invited = len(invited | set(regs.values_list("seeker_id", flat=True)))
        f.registered = regs.exclude(status=RegistrationStatus.CANCELLED).count()
        f.checked_in = regs.filter(status=RegistrationStatus.CHECKED_IN).count()
    f.intentions_all = intentions.count()
    f.intentions = intentions.filter(status=IntentionStatus.CONFIRMED).count()
    due = event.ends_at + dt.timedelta(days=OUTCOME_KNOWN_WITHIN_DAYS)
    if now >= due:
        f.outcome_due = f.intentions_all
        f.outcome_known = intentions.filter(outcome_at__isnull=False, outcome_at__lte=due).count()
    enterprises = ([enterprise_id] if enterprise_id is not None
                   else list(Booth.objects.filter(event=event).values_list("enterprise_id", flat=True)))
    apps = Application.objects.filter(
        seeker_id__in=regs.filter(status=RegistrationStatus.CHECKED_IN).values("seeker_id"),
        posting__enterprise_id__in=enterprises, created_at__gte=event.starts_at,
        created_at__lte=event.ends_at + dt.timedelta(days=30))
    f.applied_30 = apps.values("seeker_id").distinct().count()
    hired = apps.filter(status=ApplicationStatus.HIRED,
                        start_date__lte=(event.ends_at + dt.timedelta(days=HIRE_WITHIN_DAYS)).date())
    f.hired_application_ids = list(hired.values_list("id", flat=True))
    f.hired_90 = hired.values("seeker_id").distinct().count()
    return f


def event_funnel(event: Event, *, now=None) -> Funnel:
    return _funnel(event, now=now)


def enterprise_funnels(event: Event, *, now=None) -> list[tuple[Booth, Funnel]]:
    rows = Booth.objects.filter(event=event).select_related("enterprise").order_by("number", "id")
    return [(b, _funnel(event, enterprise_id=b.enterprise_id, now=now)) for b in rows]


def events_with_results(*, user=None, limit: int = 20):
    """Events that have begun, newest first (for comparing side by side)."""
    return (Event.objects.filter(status__in=RESULT_STATUSES,
                                 starts_at__lte=timezone.now())
            .select_related("township", "organiser_point").order_by("-starts_at", "-id")[:limit])
