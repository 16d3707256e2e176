from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniang.core.statemachine import TransitionEvent


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
    CLOSED = "closed", _("超期未处理已关闭")


class ApplicationChannel(models.TextChoices):
    SELF = "self", _("本人报名")
    STAFF = "staff", _("工作人员代报")
    # made at an event or from a live session; `source_id` names the event / the live session
    FAIR = "fair", _("招聘会")
    PARK_VISIT = "park_visit", _("入园入企")
    LIVE = "live", _("直播招聘")


#: channels whose application records where it came from (Application.source_id: events.Event / live.LiveSession)
SOURCED_CHANNELS = (ApplicationChannel.FAIR, ApplicationChannel.PARK_VISIT, ApplicationChannel.LIVE)


class Application(models.Model):
    """A seeker's interest in a posting, moving through the hiring pipeline."""

    seeker = models.ForeignKey("seekers.Seeker", on_delete=models.CASCADE, related_name="applications")
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("状态"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED, db_index=True)
    channel = models.CharField(_("报名方式"), max_length=12, choices=ApplicationChannel.choices,
                               default=ApplicationChannel.SELF)
    # the event (fair / park_visit) or live session (live) the application was made at; a plain id, since
    # events and live sit above applications in the layers
    source_id = models.PositiveBigIntegerField(_("来源活动编号"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # consent to share the seeker's contact details with this enterprise (the apply itself, or staff's witness)
    consent_at = models.DateTimeField(_("授权同意时间"), null=True, blank=True)
    consent_channel = models.CharField(_("授权方式"), max_length=10, blank=True,
                                       help_text=_("online 本人线上 / paper 纸质签字 / verbal 口头同意 / screen 现场屏幕确认"))
    consent_witness = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("见证人"))
    # pipeline facts
    interview_at = models.DateTimeField(_("面试时间"), null=True, blank=True)
    interview_place = models.CharField(_("面试地点"), max_length=200, blank=True)
    start_date = models.DateField(_("约定上岗日期"), null=True, blank=True)
    close_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    # after the hire: the seeker (or staff of their point) confirms the real start, then the pay received
    actual_start_date = models.DateField(_("实际上岗日期"), null=True, blank=True)
    start_confirmed_at = models.DateTimeField(_("确认上岗时间"), null=True, blank=True)
    pay_amount = models.PositiveIntegerField(_("首月实发工资（元）"), null=True, blank=True)
    pay_reported_at = models.DateTimeField(_("填报工资时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["channel", "source_id"], name="application_source")]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(fields=["seeker", "posting"], name="uniq_application"),
            models.CheckConstraint(
                condition=(Q(channel__in=[c.value for c in SOURCED_CHANNELS], source_id__isnull=False)
                           | (~Q(channel__in=[c.value for c in SOURCED_CHANNELS]) & Q(source_id__isnull=True))),
                name="application_source_with_channel"),
            models.CheckConstraint(condition=Q(pay_amount__isnull=True) | (Q(pay_amount__gt=0) & Q(pay_amount__lte=200000)),
                                   name="application_pay_sane"),
            models.CheckConstraint(condition=Q(pay_amount__isnull=True) | Q(actual_start_date__isnull=False),
                                   name="application_pay_after_start"),
            models.CheckConstraint(condition=Q(actual_start_date__isnull=True) | Q(status="hired"),
                                   name="application_start_only_when_hired"),
            models.CheckConstraint(condition=~Q(status="interview") | Q(interview_at__isnull=False),
                                   name="application_interview_has_time"),
            models.CheckConstraint(condition=~Q(status="hired") | Q(start_date__isnull=False),
                                   name="application_hired_has_start"),
        ]

    @property
    def is_withdrawable(self) -> bool:
        return self.status in (ApplicationStatus.APPLIED, ApplicationStatus.VIEWED, ApplicationStatus.CONTACTED,
                               ApplicationStatus.INTERVIEW, ApplicationStatus.OFFERED)

    @property
    def pay_below_promise(self) -> bool | None:
        """The reported pay compared with the posting's promised monthly minimum (None: not reported)."""
        if self.pay_amount is None:
            return None
        return self.pay_amount < self.posting.monthly_min

    @property
    def is_active(self) -> bool:
        return self.status != ApplicationStatus.WITHDRAWN


class ApplicationEvent(TransitionEvent):
    """One transition of an application: who, when, from, to, why (the kit's event row)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"apply": _("报名"), "reapply": _("重新报名"), "view": _("企业查看"), "contact": _("联系"),
                     "interview": _("约面试"), "offer": _("录用"), "hire": _("上岗"), "reject": _("不合适"), "no_show": _("未到场"),
                     "withdraw": _("撤回"), "close": _("超期关闭"), "confirm_start": _("确认上岗"),
                     "report_pay": _("填报工资")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("报名记录")
        verbose_name_plural = _("报名记录")

    @property
    def to_status_label(self) -> str:
        return str(ApplicationStatus(self.to_status).label) if self.to_status in ApplicationStatus.values \
            else self.to_status
