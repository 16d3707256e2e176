"""Reads for the enterprise side."""

from __future__ import annotations

from django.db.models import QuerySet

from hongniang.core.roles import enterprise_ids
from hongniang.jobs.models import JobPosting

from .models import Enterprise


def my_enterprises(user) -> list[Enterprise]:
    return list(Enterprise.objects.filter(pk__in=enterprise_ids(user)).select_related("region", "industry"))


def own_posting(user, pk: int) -> JobPosting | None:
    """A posting of one of the user's enterprises, or None (pages answer 404, not 403, to hide existence)."""
    return (JobPosting.objects.select_related("enterprise", "township", "region", "occupation")
            .filter(pk=pk, enterprise_id__in=enterprise_ids(user)).first())


def applicants_of(posting) -> QuerySet:
    from hongniang.applications.models import Application

    return (Application.objects.filter(posting=posting).select_related("seeker", "seeker__home_region")
            .order_by("-created_at", "-id"))


def my_enterprise_ids(user) -> list[int]:
    return enterprise_ids(user)


def verification_requests_of(enterprise) -> list:
    return list(enterprise.verification_requests.select_related("reviewer").order_by("-submitted_at", "-id"))


def verification_events_of(enterprise) -> list:
    return list(enterprise.verification_events.select_related("actor").order_by("at", "id"))
