from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已报名")
    VIEWED = "viewed", _("企业已查看")
    CONTACTED = "contacted", _("已联系")
    INTERVIEW = "interview", _("约面试")
    OFFERED = "offered", _("已录用待上岗")
    HIRED = "hired", _("已上岗")
    REJECTED = "rejected", _("不合适")
    WITHDRAWN = "withdrawn", _("已撤回")
    NO_SHOW = "no_show", _("未到场")


class ApplicationChannel(models.TextChoices):
    SELF = "self", _("本人报名")
    STAFF = "staff", _("工作人员代报")


class Application(models.Model):
    """A seeker's interest in a posting, moving through the hiring pipeline."""

    seeker = models.ForeignKey("seekers.Seeker", on_delete=models.CASCADE, related_name="applications")
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("状态"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED, db_index=True)
    channel = models.CharField(_("报名方式"), max_length=8, choices=ApplicationChannel.choices,
                               default=ApplicationChannel.SELF)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [models.UniqueConstraint(fields=["seeker", "posting"], name="uniq_application")]

    @property
    def is_withdrawable(self) -> bool:
        return self.status in (ApplicationStatus.APPLIED, ApplicationStatus.VIEWED, ApplicationStatus.CONTACTED,
                               ApplicationStatus.INTERVIEW, ApplicationStatus.OFFERED)

    @property
    def is_active(self) -> bool:
        return self.status != ApplicationStatus.WITHDRAWN


class ApplicationEvent(models.Model):
    """One transition of an application: who, when, from, to, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
