"""Reads for the enterprise side."""

from __future__ import annotations

from hongniang.core.roles import enterprise_ids

from .models import Enterprise


def my_enterprises(user) -> list[Enterprise]:
    return list(Enterprise.objects.filter(pk__in=enterprise_ids(user)).select_related("region", "industry"))


def my_enterprise_ids(user) -> list[int]:
    return enterprise_ids(user)


def verification_requests_of(enterprise) -> list:
    return list(enterprise.verification_requests.select_related("reviewer").order_by("-submitted_at", "-id"))


def verification_events_of(enterprise) -> list:
    return list(enterprise.verification_events.select_related("actor").order_by("at", "id"))
