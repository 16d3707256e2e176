"""Reports of postings: anyone files one (rate-limited); enough open reports from distinct reporters (distinct
addresses; accounts a week old: counted_reporters) take an unverified enterprise's posting off the public lists
pending review; a verified enterprise's posting is never hidden by reports alone — the bureau is told and
decides. The bureau dismisses or upholds reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hongniang.core.audit import audit
from hongniang.core.errors import Conflict, DomainError, InvalidInput, NotFoundError
from hongniang.core.roles import require_bureau
from hongniang.jobs import services as job_services
from hongniang.jobs.machines import POSTING
from hongniang.jobs.models import JobPosting, PostingEvent, PostingStatus
from hongniang.notifications.recipients import notify_bureau

from .models import PostingReport, ReportReason, ReportStatus


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    message = _lazy("举报太频繁了，请稍后再试")


def report_threshold() -> int:
    return int(getattr(settings, "POSTING_REPORT_THRESHOLD", 3))


def reports_per_hour() -> int:
    return int(getattr(settings, "POSTING_REPORT_RATE_PER_HOUR", 5))


def ip_hash(ip: str | None) -> str:
    """A keyed hash of the IP address: tells reporters apart without storing the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"report-ip:{ip or ''}".encode(), hashlib.sha256).hexdigest()[:40]


def reporter_key(user, ip: str | None) -> str:
    if getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"ip:{ip_hash(ip)}"


def reporter_min_age() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "POSTING_REPORT_MIN_ACCOUNT_DAYS", 7)))


def counted_reporters(posting: JobPosting) -> int:
    """How many distinct reporters count towards taking a posting down: open reports grouped by the reporter's
    address (keyed hash), counting an address only when it reported anonymously or from an account older than
    POSTING_REPORT_MIN_ACCOUNT_DAYS (7). Three new accounts from one address count once, or not at all; taking a
    posting down costs distinct addresses and accounts made a week ahead."""
    old_enough = timezone.now() - reporter_min_age()
    return (PostingReport.objects.filter(posting=posting, status=ReportStatus.OPEN).exclude(ip_hash="")
            .filter(Q(reporter__isnull=True) | Q(reporter__date_joined__lte=old_enough))
            .values("ip_hash").distinct().count())


def _check_rate(key: str, iph: str) -> None:
    since = timezone.now() - dt.timedelta(hours=1)
    recent = PostingReport.objects.filter(created_at__gte=since)
    limit = reports_per_hour()
    if recent.filter(reporter_key=key).count() >= limit or (iph and recent.filter(ip_hash=iph).count() >= limit * 4):
        raise RateLimited()


@transaction.atomic
def report_create(*, posting: JobPosting, reason: str, text: str = "", reporter=None, ip: str | None = None
                  ) -> PostingReport:
    """File a report about a published posting. The N-th open report from distinct reporters
    (POSTING_REPORT_THRESHOLD, default 3) moves the posting back to pending review."""
    if reason not in ReportReason.values:
        raise InvalidInput(_("请选择举报类型"), field="reason")
    text = (text or "").strip()
    if len(text) > 500:
        raise InvalidInput(_("说明不能超过 500 个字"), field="text")
    if reason == ReportReason.OTHER and not text:
        raise InvalidInput(_("选择“其他”时请简单说明情况"), field="text")
    posting = JobPosting.objects.select_for_update().filter(pk=posting.pk).first()
    if posting is None or not POSTING.can(posting, "report"):
        raise NotFoundError(_("找不到该岗位，或该岗位已不在招聘中"))
    key = reporter_key(reporter, ip)
    iph = ip_hash(ip) if ip else ""
    _check_rate(key, iph)
    try:
        with transaction.atomic():
            report = PostingReport.objects.create(
                posting=posting, reason=reason, text=text, reporter_key=key, ip_hash=iph,
                reporter=reporter if getattr(reporter, "is_authenticated", False) else None)
    except IntegrityError:
        raise Conflict(_("您已举报过该岗位，人社局会尽快处理"), code="already_reported") from None
    audit(actor=reporter, action="posting_report", target=posting, reason=reason)
    distinct = counted_reporters(posting)
    if distinct >= report_threshold() and not posting.enterprise.is_verified:
        job_services.posting_hold_for_review(
            posting=posting, reason=f"收到 {distinct} 个举报，暂停展示，等待人社局核实", reports=distinct)
    elif distinct == report_threshold() or PostingReport.objects.filter(
            posting=posting, status=ReportStatus.OPEN).count() == 1:
        # the first report, and (for a verified enterprise, whose posting reports alone never hide) the one that
        # reaches the threshold: the bureau decides (report_uphold removes the posting)
        notify_bureau(template="report_received", context={"posting_id": posting.pk, "title": posting.title},
                      url=reverse("moderation:reports"))
    return report


def _check_bureau(actor) -> None:
    require_bureau(actor, _("只有人社局审核人员可以处理举报"))


def _close(report: PostingReport, *, reviewer, status: str, note: str) -> None:
    report.status, report.resolved_by, report.resolved_at = status, reviewer, timezone.now()
    report.resolution = note[:500]
    report.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])


@transaction.atomic
def report_dismiss(*, reviewer, report: PostingReport, note: str = "") -> PostingReport:
    """The report does not hold. When it was the last open report on a posting that reports had taken down, the
    posting is published again (event `approve`, by the reviewer)."""
    _check_bureau(reviewer)
    report = PostingReport.objects.select_for_update().select_related("posting").get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise Conflict(_("该举报已处理"), code="report_resolved")
    _close(report, reviewer=reviewer, status=ReportStatus.DISMISSED, note=(note or "").strip())
    audit(actor=reviewer, action="report_dismiss", target=report.posting, reason=note or "")
    posting = report.posting
    if posting.status == PostingStatus.PENDING and \
            not PostingReport.objects.filter(posting=posting, status=ReportStatus.OPEN).exists():
        last = PostingEvent.objects.filter(posting=posting).order_by("-at", "-id").first()
        if last is not None and last.action == "reported" and posting.enterprise.is_verified:
            job_services.posting_approve(reviewer=reviewer, posting=posting, reason="举报经核实不成立，恢复展示")
    return report


@transaction.atomic
def report_uphold(*, reviewer, report: PostingReport, note: str) -> PostingReport:
    """The report holds: every open report on the posting is closed as upheld and the posting is removed."""
    _check_bureau(reviewer)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("请填写处理意见（会告知企业下架原因）"), field="note", code="reason_required")
    report = PostingReport.objects.select_for_update().select_related("posting").get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise Conflict(_("该举报已处理"), code="report_resolved")
    for r in PostingReport.objects.select_for_update().filter(posting=report.posting, status=ReportStatus.OPEN):
        _close(r, reviewer=reviewer, status=ReportStatus.UPHELD, note=note)
    audit(actor=reviewer, action="report_uphold", target=report.posting, reason=note)
    if report.posting.status != PostingStatus.REMOVED:
        job_services.posting_remove(reviewer=reviewer, posting=report.posting,
                                    reason=f"经核实举报属实：{note}")
    report.refresh_from_db()
    return report


def report_resolve(*, reviewer, report: PostingReport, outcome: str, note: str = "") -> PostingReport:
    if outcome == "dismiss":
        return report_dismiss(reviewer=reviewer, report=report, note=note)
    if outcome == "uphold":
        return report_uphold(reviewer=reviewer, report=report, note=note)
    raise InvalidInput(_("处理结果只能是 dismiss（不予采纳）或 uphold（属实并下架）"), field="outcome")
