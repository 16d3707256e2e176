"""Reads for applications."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from hongniang.core import roles

from .models import Application, ApplicationStatus


def seeker_applications(seeker) -> QuerySet[Application]:
    """The seeker's applications with their history (events prefetched: two queries in all)."""
    return (Application.objects.filter(seeker=seeker)
            .select_related("posting__enterprise", "posting__region")
            .prefetch_related("events").order_by("-created_at", "-id"))


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


def history(application: Application) -> QuerySet:
    return application.events.select_related("actor").order_by("at", "id")


def enterprise_pay_record() -> QuerySet:
    """Per enterprise: hires, confirmed starts, pay reports, how many reported pay below the posting's
    promised monthly minimum (one grouped query)."""
    from hongniang.employers.models import Enterprise

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
