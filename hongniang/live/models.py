"""Live-stream recruitment (直播带岗): a host presents postings in order on 抖音 / 快手 / 视频号 (stored as a link;
no platform integration); viewers open the public session page from the stream and sign up for a posting with
their name and phone. A sign-up is a lead, not an account: staff call it back, and it becomes an application only
when the person confirms (on the call, or with an SMS code)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniang.core.statemachine import TransitionEvent
from hongniang.zh.validators import mask_name, mask_phone


class Platform(models.TextChoices):
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    SHIPINHAO = "shipinhao", _("视频号")
    OTHER = "other", _("其他")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("直播预告")
    LIVE = "live", _("直播中")
    ENDED = "ended", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class LiveSession(models.Model):
    title = models.CharField(_("直播标题"), max_length=80)
    host_name = models.CharField(_("主播"), max_length=50)
    platform = models.CharField(_("平台"), max_length=12, choices=Platform.choices)
    stream_url = models.URLField(_("直播间链接"), blank=True)
    description = models.TextField(_("介绍"), blank=True)
    starts_at = models.DateTimeField(_("开播时间"), db_index=True)
    organiser_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="live_sessions", verbose_name=_("主办站点"),
                                        help_text=_("空：人社局主办"))
    enterprise = models.ForeignKey("employers.Enterprise", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("合作企业"))
    status = models.CharField(_("状态"), max_length=12, choices=SessionStatus.choices,
                              default=SessionStatus.SCHEDULED, db_index=True)
    postings = models.ManyToManyField("jobs.JobPosting", through="SessionPosting", related_name="live_sessions")
    current_posting = models.ForeignKey("jobs.JobPosting", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("正在介绍的岗位"))
    went_live_at = models.DateTimeField(_("开播于"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束于"), null=True, blank=True)
    replay_url = models.URLField(_("回放链接"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("直播招聘")
        verbose_name_plural = _("直播招聘")
        constraints = [
            models.CheckConstraint(condition=~Q(status="live") | Q(went_live_at__isnull=False),
                                   name="live_session_live_has_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser_name(self) -> str:
        return self.organiser_point.name if self.organiser_point_id else "瑞金市人力资源和社会保障局"


class SessionChange(TransitionEvent):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="changes")
    ACTION_LABELS = {"create": "创建", "go_live": "开播", "end": "结束", "cancel": "取消", "present": "切换岗位"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("直播状态记录")
        verbose_name_plural = _("直播状态记录")


class SessionPosting(models.Model):
    """A posting presented in the session, in order."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="session_postings")
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    presented_at = models.DateTimeField(_("介绍时间"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "posting"], name="uniq_session_posting")]


class LeadStatus(models.TextChoices):
    NEW = "new", _("待回访")
    UNREACHABLE = "unreachable", _("未接通")
    CONFIRMED = "confirmed", _("已确认报名")
    DECLINED = "declined", _("不报名")


class Lead(models.Model):
    """A viewer's sign-up for a posting of a session (直播报名线索): name and phone, no account. One per phone and
    posting in a session: a second sign-up counts once."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="leads")
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=11)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)  # keyed hash, for the per-address limit
    status = models.CharField(_("状态"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(_("回访次数"), default=0)
    called_at = models.DateTimeField(_("最近回访"), null=True, blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    confirmed_via = models.CharField(_("确认方式"), max_length=8, blank=True, help_text=_("call 电话 / sms 短信验证码"))
    application = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("直播报名线索")
        verbose_name_plural = _("直播报名线索")
        constraints = [
            models.UniqueConstraint(fields=["session", "posting", "phone"], name="uniq_lead"),
        ]
        indexes = [
            models.Index(fields=["phone", "created_at"], name="lead_phone_at"),
            models.Index(fields=["ip_hash", "created_at"], name="lead_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.posting_id}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


class LeadChange(TransitionEvent):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="changes")
    ACTION_LABELS = {"signup": "报名", "no_answer": "未接通", "decline": "不报名", "confirm": "确认报名"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("线索状态记录")
        verbose_name_plural = _("线索状态记录")
