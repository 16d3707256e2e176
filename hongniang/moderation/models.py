"""Reports (举报) of postings by anyone, queued for the bureau."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportReason(models.TextChoices):
    FAKE = "fake", _("虚假招聘")
    FEES = "fees", _("收取费用或押金")
    PAY = "pay", _("工资与描述不符")
    DISCRIMINATION = "discrimination", _("就业歧视")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("举报属实")
    DISMISSED = "dismissed", _("不予采纳")


class PostingReport(models.Model):
    """One complaint about a posting. `reporter_key` tells reporters apart (the user, or a keyed hash of the
    IP address for anonymous reporters) so the threshold counts people, not clicks."""

    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="reports",
                                verbose_name=_("岗位"))
    reason = models.CharField(_("举报类型"), max_length=16, choices=ReportReason.choices)
    text = models.CharField(_("说明"), max_length=500, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("举报人"))
    reporter_key = models.CharField(max_length=80, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN,
                              db_index=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("处理人"))
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.CharField(_("处理意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("岗位举报")
        verbose_name_plural = _("岗位举报")
        constraints = [
            models.UniqueConstraint(fields=["posting", "reporter_key"], condition=Q(status="open"),
                                    name="one_open_report_per_reporter"),
            models.CheckConstraint(condition=Q(status="open") | Q(resolved_at__isnull=False),
                                   name="report_resolved_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} {self.get_reason_display()}"
