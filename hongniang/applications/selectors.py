"""Reads for applications."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Application


def seeker_applications(seeker) -> QuerySet[Application]:
    return (Application.objects.filter(seeker=seeker)
            .select_related("posting__enterprise", "posting__region").order_by("-created_at", "-id"))


def current_application(seeker, posting) -> Application | None:
    """The seeker's application to this posting (one indexed query), or None."""
    if seeker is None:
        return None
    return Application.objects.filter(seeker=seeker, posting=posting).only("id", "status").first()
