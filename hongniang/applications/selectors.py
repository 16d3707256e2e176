"""Reads for applications."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from hongniang.core import roles
from hongniang.core.audit import audit
from hongniang.employers.models import Enterprise
from hongniang.jobs.models import JobPosting

from .models import Application, ApplicationStatus


def seeker_applications(seeker) -> QuerySet[Application]:
    """The seeker's applications with their history (events prefetched: two queries in all)."""
    return (Application.objects.filter(seeker=seeker)
            .select_related("posting__enterprise", "posting__region")
            .prefetch_related("events").order_by("-created_at", "-id"))


def enterprise_postings(user, enterprise_id: int | None = None) -> QuerySet[JobPosting]:
    """Postings of the user's enterprises (all statuses) with applicant counts (one query): the HR dashboard and
    GET /enterprise/jobs."""
    ids = roles.enterprise_ids(user)
    if enterprise_id is not None:
        ids = [i for i in ids if i == enterprise_id]
    return (JobPosting.objects.filter(enterprise_id__in=ids)
            .select_related("enterprise", "township", "occupation")
            .annotate(applicant_count=Count("applications"))
            .order_by("-created_at", "-id"))


def posting_applicants(*, user, posting_id: int, channel: str, with_history: bool = False):
    """The applicants of one posting, for HR of the posting's enterprise only: (posting, applications) with the
    seeker loaded, newest first; None for anyone else (pages and the API answer 404). Every read is audited
    ("view_applicants", with the count, the channel: page / api, and which seekers were seen in full or masked). A withdrawn application's contact details
    are not for the enterprise any more: `a.full_contact` is False for it."""
    posting = (JobPosting.objects.select_related("enterprise", "township", "region", "occupation")
               .filter(pk=posting_id).first())
    if posting is None or not roles.is_enterprise_hr(user, posting.enterprise_id):
        return None
    qs = (Application.objects.filter(posting=posting).select_related("seeker", "seeker__home_region", "posting")
          .order_by("-created_at", "-id"))
    if with_history:
        qs = qs.select_related("posting__enterprise").prefetch_related("events")
    rows = list(qs)
    for a in rows:
        a.full_contact = a.status != ApplicationStatus.WITHDRAWN
    # who was seen, not only how many: a later question "who looked at my phone number" needs the seekers
    audit(actor=user, action="view_applicants", target=posting, count=len(rows), channel=channel,
          seekers_full=[a.seeker_id for a in rows if a.full_contact],
          seekers_masked=[a.seeker_id for a in rows if not a.full_contact])
    return posting, rows


def current_application(seeker, posting) -> Application | None:
    """The seeker's application to this posting (one indexed query), or None."""
    if seeker is None:
        return None
    return Application.objects.filter(seeker=seeker, posting=posting).only("id", "status").first()


def visible_application(user, pk: int) -> Application | None:
    """One application for someone who may follow it: the seeker, HR of the posting's enterprise, staff of the
    seeker's point, the bureau. Anyone else gets None (pages answer 404)."""
    if not getattr(user, "is_authenticated", False):
        return None
    a = (Application.objects.select_related("seeker", "seeker__home_region", "posting__enterprise",
                                            "posting__region")
         .filter(pk=pk).first())
    if a is None:
        return None
    seeker = a.seeker
    if (roles.is_bureau(user) or (seeker.user_id and seeker.user_id == user.pk)
            or roles.is_enterprise_hr(user, a.posting.enterprise_id)
            or (seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(user))):
        return a
    return None


def withdrawable_application(user, pk: int) -> Application | None:
    """An application the user may withdraw: their own, or one of their points' seekers'. None for anyone else
    (pages and the API answer 404)."""
    a = (Application.objects.select_related("seeker", "posting__enterprise", "posting__region")
         .filter(pk=pk).first())
    if a is None or not getattr(user, "is_authenticated", False):
        return None
    seeker = a.seeker
    own = bool(seeker.user_id and seeker.user_id == user.pk)
    staff = bool(seeker.service_point_id and seeker.service_point_id in roles.service_point_ids(user))
    return a if own or staff else None


_CONTACT_REASONS = {"page": "查看报名详情", "api": "API 查看报名详情"}


def application_contact(user, application: Application, *, channel: str) -> dict | None:
    """The applicant's name and phone for someone other than the applicant who may see them in full (HR of the
    enterprise while the application is open, staff of the seeker's point, the bureau); each read is audited
    ("seeker.view_contact"). None for the applicant themself and for anyone who sees the masked details."""
    seeker = application.seeker
    if seeker.user_id and seeker.user_id == getattr(user, "pk", None):
        return None
    if not roles.may_see_seeker_in_full(user, seeker):
        return None
    audit(actor=user, action="seeker.view_contact", target=seeker, reason=_CONTACT_REASONS[channel],
          application=application.pk)
    return {"name": seeker.name, "phone": seeker.phone}


def history(application: Application) -> QuerySet:
    return application.events.select_related("actor").order_by("at", "id")


def enterprise_pay_record() -> QuerySet:
    """Per enterprise: hires, confirmed starts, pay reports, how many reported pay below the posting's
    promised monthly minimum (one grouped query)."""
    prefix = "postings__"
    hired = Q(**{f"{prefix}applications__status": ApplicationStatus.HIRED})
    started = hired & Q(**{f"{prefix}applications__actual_start_date__isnull": False})
    reported = hired & Q(**{f"{prefix}applications__pay_amount__isnull": False})
    below = reported & Q(**{f"{prefix}applications__pay_amount__lt": F(f"{prefix}monthly_min")})
    return (Enterprise.objects
            .annotate(hires=Count(f"{prefix}applications", filter=hired, distinct=True),
                      confirmed_starts=Count(f"{prefix}applications", filter=started, distinct=True),
                      pay_reports=Count(f"{prefix}applications", filter=reported, distinct=True),
                      below_promise=Count(f"{prefix}applications", filter=below, distinct=True))
            .filter(hires__gt=0).order_by("-below_promise", "-hires", "name"))


def pay_record_row(e) -> dict:
    share = round(e.below_promise / e.pay_reports, 3) if e.pay_reports else None
    return {"enterprise_id": e.pk, "enterprise_name": e.name, "hires": e.hires,
            "confirmed_starts": e.confirmed_starts, "pay_reports": e.pay_reports,
            "below_promise": e.below_promise, "share_below_promise": share}


def places_taken(posting) -> int:
    """How many of the posting's places offers (录用, 待上岗) and hires hold: what the matching counts as taken."""
    return posting.applications.filter(status__in=(ApplicationStatus.OFFERED, ApplicationStatus.HIRED)).count()
