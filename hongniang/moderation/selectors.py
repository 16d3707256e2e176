"""Reads for the bureau's queues (verification, posting review, reports)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from hongniang.core.roles import require_bureau
from hongniang.employers.models import (
    ClaimStatus,
    CreditCodeClaim,
    EnterpriseMembership,
    RequestStatus,
    VerificationRequest,
)
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.jobs.selectors import postings_by_id, review_queue

from .models import PostingReport, ReportStatus


def pending_verifications() -> QuerySet:
    return (VerificationRequest.objects.filter(status=RequestStatus.PENDING)
            .select_related("enterprise", "enterprise__region", "submitted_by").order_by("submitted_at", "id"))


def pending_claims(user) -> list[CreditCodeClaim]:
    """Open credit-code claims for the bureau, oldest first, each with what the bureau compares: the enterprise's
    current HR accounts, its verification status and its latest licence on file (`latest_request`)."""
    require_bureau(user, _("只有人社局审核人员可以处理信用代码核实"))
    rows = list(CreditCodeClaim.objects.filter(status=ClaimStatus.PENDING)
                .select_related("enterprise", "enterprise__region", "claimant").order_by("created_at", "id"))
    ids = {c.enterprise_id for c in rows}
    latest: dict[int, VerificationRequest] = {}
    for req in VerificationRequest.objects.filter(enterprise_id__in=ids).order_by("submitted_at", "id"):
        latest[req.enterprise_id] = req
    members: dict[int, list] = {}
    for m in EnterpriseMembership.objects.filter(enterprise_id__in=ids).select_related("user"):
        members.setdefault(m.enterprise_id, []).append(m.user)
    for c in rows:
        c.latest_request = latest.get(c.enterprise_id)
        c.members = members.get(c.enterprise_id, [])
    return rows


def reports(user, *, status: str | None = ReportStatus.OPEN, posting_id: int | None = None) -> QuerySet:
    """Reports for the bureau (anyone else: PermissionDeniedError), oldest first, optionally of one status and
    one posting, each with its posting's open report count: the reports page and GET /api/v1/reports."""
    require_bureau(user, _("只有人社局审核人员可以查看举报"))
    qs = (PostingReport.objects.select_related("posting", "posting__enterprise", "posting__township")
          .annotate(posting_open_reports=Count("posting__reports", filter=Q(posting__reports__status="open")))
          .order_by("created_at", "id"))
    if status:
        qs = qs.filter(status=status)
    if posting_id:
        qs = qs.filter(posting_id=posting_id)
    return qs


def reports_of(posting) -> list[PostingReport]:
    return list(PostingReport.objects.filter(posting=posting).select_related("resolved_by").order_by("-created_at"))


def review_rows() -> list:
    """Pending postings with their duplicates resolved to postings (one extra query for all of them)."""
    rows = list(review_queue())
    dup_ids = {i for p in rows for i in (p.duplicate_ids or [])}
    found = postings_by_id(dup_ids) if dup_ids else {}
    for p in rows:
        p.duplicates = [found[i] for i in (p.duplicate_ids or []) if i in found]
    return rows


def queue_counts() -> dict:
    return {
        "verifications": VerificationRequest.objects.filter(status=RequestStatus.PENDING).count(),
        "postings": JobPosting.objects.filter(status=PostingStatus.PENDING).count(),
        "reports": PostingReport.objects.filter(status=ReportStatus.OPEN).count(),
        "claims": CreditCodeClaim.objects.filter(status=ClaimStatus.PENDING).count(),
    }
