"""Reads of job postings shared by the pages and the API."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q, QuerySet, Sum

from hongniang.core.roles import enterprise_ids, is_bureau

from .models import BENEFITS, JobPosting, PostingStatus, Shift

SORTS = {"newest": ("-published_at", "-id"), "pay": ("-monthly_max", "-monthly_min", "-published_at", "-id")}


def _get(params: Mapping, key: str):
    value = params.get(key) if params is not None else None
    return value.strip() if isinstance(value, str) else value


def _getlist(params: Mapping, key: str) -> list[str]:
    if params is None:
        return []
    if hasattr(params, "getlist"):
        raw = params.getlist(key)
    else:
        raw = params.get(key) or []
        if isinstance(raw, str):
            raw = [raw]
    out: list[str] = []
    for item in raw:
        out.extend(x.strip() for x in str(item).split(",") if x.strip())
    return out


def _amount(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return int(d) if d.is_finite() else None


def published_postings() -> QuerySet:
    return JobPosting.objects.filter(status=PostingStatus.PUBLISHED).select_related(
        "enterprise", "township", "region", "occupation")


def filter_postings(params: Mapping | None) -> QuerySet:
    """Published postings narrowed by `params` (a dict or QueryDict); unknown or malformed values are ignored.

    township    region code of a township
    occupation  occupation code; a group code (6-05) matches every occupation under it
    pay_min     the posting's estimated monthly maximum reaches at least this
    pay_max     the posting's estimated monthly minimum is at most this
    shift       one of Shift
    benefits    list or comma-separated: board, lodging, shuttle, social_insurance — all must hold
    q           words in the title or the enterprise's name
    sort        newest (default) | pay
    """
    params = params or {}
    qs = published_postings()
    township = _get(params, "township")
    if township:
        qs = qs.filter(township_id=township)
    occupation = _get(params, "occupation")
    if occupation:
        qs = qs.filter(Q(occupation_id=occupation) | Q(occupation__code__startswith=f"{occupation}-"))
    pay_min = _amount(_get(params, "pay_min"))
    if pay_min is not None:
        qs = qs.filter(monthly_max__gte=pay_min)
    pay_max = _amount(_get(params, "pay_max"))
    if pay_max is not None:
        qs = qs.filter(monthly_min__lte=pay_max)
    shift = _get(params, "shift")
    if shift in Shift.values:
        qs = qs.filter(shift=shift)
    for benefit in _getlist(params, "benefits"):
        if benefit in BENEFITS:
            qs = qs.filter(**{benefit: True})
    q = _get(params, "q")
    if q:
        for word in q.split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(enterprise__name__icontains=word))
    sort = _get(params, "sort")
    return qs.order_by(*SORTS.get(sort or "newest", SORTS["newest"]))


def visible_posting(user, pk: int) -> JobPosting | None:
    """A posting the user may open: published ones for everyone; any status for its HR and the bureau."""
    posting = (JobPosting.objects.select_related("enterprise", "township", "region", "occupation")
               .filter(pk=pk).first())
    if posting is None:
        return None
    if posting.status == PostingStatus.PUBLISHED:
        return posting
    if is_bureau(user) or posting.enterprise_id in enterprise_ids(user):
        return posting
    return None


def enterprise_postings(user, enterprise_id: int | None = None) -> QuerySet:
    """Postings of the user's enterprises (all statuses) with applicant counts (one query)."""
    ids = enterprise_ids(user)
    if enterprise_id is not None:
        ids = [i for i in ids if i == enterprise_id]
    return (JobPosting.objects.filter(enterprise_id__in=ids)
            .select_related("enterprise", "township", "occupation")
            .annotate(applicant_count=Count("applications"))
            .order_by("-created_at", "-id"))


def newest_postings(limit: int = 10, township_id: str | None = None) -> list[JobPosting]:
    qs = published_postings()
    if township_id:
        qs = qs.filter(township_id=township_id)
    return list(qs.order_by("-published_at", "-id")[:limit])


def posting_figures() -> dict:
    row = JobPosting.objects.filter(status=PostingStatus.PUBLISHED).aggregate(
        jobs=Count("id"), headcount=Sum("headcount"))
    return {"jobs": row["jobs"] or 0, "headcount": row["headcount"] or 0}
