"""Reads for the enterprise side."""

from __future__ import annotations

from hongniang.core.roles import enterprise_ids, is_bureau

from .models import CreditCodeClaim, Enterprise


def my_enterprises(user) -> list[Enterprise]:
    return list(Enterprise.objects.filter(pk__in=enterprise_ids(user)).select_related("region", "industry"))


def my_enterprise_ids(user) -> list[int]:
    return enterprise_ids(user)


def verification_requests_of(enterprise) -> list:
    return list(enterprise.verification_requests.select_related("reviewer").order_by("-submitted_at", "-id"))


def verification_events_of(enterprise) -> list:
    return list(enterprise.verification_events.select_related("actor").order_by("at", "id"))


def my_claims(user) -> list:
    """The user's own credit-code claims, newest first."""
    return list(CreditCodeClaim.objects.filter(claimant=user).select_related("enterprise").order_by("-created_at", "-id"))


def claim_for_file(user, pk: int):
    """A claim whose licence `user` may open (its claimant or the bureau), or None."""
    claim = CreditCodeClaim.objects.select_related("enterprise").filter(pk=pk).first()
    if claim is None or not (is_bureau(user) or claim.claimant_id == getattr(user, "pk", None)):
        return None
    return claim
