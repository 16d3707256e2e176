"""Job fairs (offline and online) and park / enterprise visits (入园入企), on the same postings and pipeline.

An Event has booths (an enterprise's place, or its visit slot, with its open postings), buses from townships,
registrations (each with a 6-character code and a QR code), check-ins at the door, and intentions (意向): a seeker
and a booth posting, counted only when both sides confirmed it. Every status moves through the state-machine kit
(hongniang.core.statemachine); machines are in hongniang.events.machines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniang.core.statemachine import TransitionEvent


class EventKind(models.TextChoices):
    FAIR_OFFLINE = "fair_offline", _("线下招聘会")
    FAIR_ONLINE = "fair_online", _("网络招聘会")
    PARK_VISIT = "park_visit", _("入园入企")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    PUBLISHED = "published", _("已发布")
    FINISHED = "finished", _("已结束")
    CANCELLED = "cancelled", _("已取消")


#: the statuses whose events have results to show (the public funnel, the comparison)
RESULT_STATUSES = (EventStatus.PUBLISHED, EventStatus.FINISHED)


class Event(models.Model):
    """A fair or a visit: when, where, who organises it, how many people it takes."""

    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices, db_index=True)
    title = models.CharField(_("名称"), max_length=80)
    description = models.TextField(_("介绍"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    # where: a service point, a venue (name, address, point on the map), or an enterprise / park
    service_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("举办地点（就业之家）"))
    host_enterprise = models.ForeignKey("employers.Enterprise", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("参观企业"))
    venue = models.CharField(_("场地或园区名称"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    township = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("所在乡镇"))
    online_url = models.URLField(_("网络招聘会链接"), blank=True)
    # who: the bureau (no point) or a service point
    organiser_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="organised_events", verbose_name=_("主办站点"),
                                        help_text=_("空：人社局主办"))
    capacity = models.PositiveIntegerField(_("可报名人数"))
    booth_columns = models.PositiveSmallIntegerField(_("展位图每行展位数"), default=0,
                                                     help_text=_("线下招聘会的展位按编号排成网格，0：不显示展位图"))
    status = models.CharField(_("状态"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("招聘活动")
        verbose_name_plural = _("招聘活动")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser_name(self) -> str:
        return self.organiser_point.name if self.organiser_point_id else "瑞金市人力资源和社会保障局"

    @property
    def place_text(self) -> str:
        if self.kind == EventKind.FAIR_ONLINE:
            return "网上举办"
        parts = [self.venue or (self.service_point.name if self.service_point_id else "")
                 or (self.host_enterprise.name if self.host_enterprise_id else ""), self.address]
        return " · ".join(p for p in parts if p)

    @property
    def is_over(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def has_public_results(self) -> bool:
        """Its funnel is worth a public link: published or finished (not a draft, not cancelled)."""
        return self.status in RESULT_STATUSES

    @property
    def is_today(self) -> bool:
        today = timezone.localdate()
        return timezone.localdate(self.starts_at) <= today <= timezone.localdate(self.ends_at)

    @property
    def has_booth_map(self) -> bool:
        return self.kind == EventKind.FAIR_OFFLINE and self.booth_columns > 0


class EventChange(TransitionEvent):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    ACTION_LABELS = {"create": "创建", "publish": "发布", "finish": "结束并统计", "cancel": "取消"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("活动状态记录")
        verbose_name_plural = _("活动状态记录")


class Bus(models.Model):
    """A bus from a township to the event (visits and offline fairs), with its departure time and seats."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="buses")
    township = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("出发乡镇"))
    departure_place = models.CharField(_("上车地点"), max_length=100)
    departs_at = models.DateTimeField(_("发车时间"))
    seats = models.PositiveSmallIntegerField(_("座位数"))

    class Meta:
        ordering = ["departs_at", "id"]
        verbose_name = _("班车")
        verbose_name_plural = _("班车")
        constraints = [models.CheckConstraint(condition=Q(seats__gt=0), name="bus_seats_positive")]

    def __str__(self) -> str:
        return f"{self.township.name} {timezone.localtime(self.departs_at):%H:%M}"


class BoothStatus(models.TextChoices):
    REQUESTED = "requested", _("待审核")
    APPROVED = "approved", _("已通过")
    DECLINED = "declined", _("未通过")
    CANCELLED = "cancelled", _("已取消")
    PRESENT = "present", _("已到场")
    NO_SHOW = "no_show", _("未到场")


class Booth(models.Model):
    """An enterprise's booth at a fair, or its slot in a visit, with the open postings it brings."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="booths")
    enterprise = models.ForeignKey("employers.Enterprise", on_delete=models.CASCADE, related_name="booths",
                                   verbose_name=_("企业"))
    status = models.CharField(_("状态"), max_length=12, choices=BoothStatus.choices, default=BoothStatus.REQUESTED,
                              db_index=True)
    number = models.PositiveSmallIntegerField(_("展位号"), null=True, blank=True)
    slot_at = models.DateTimeField(_("参观时段"), null=True, blank=True)
    postings = models.ManyToManyField("jobs.JobPosting", through="BoothPosting", related_name="booths")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # what the organiser should know when deciding: earlier no-shows / late cancellations, pay below promise
    flags = models.JSONField(_("提示"), default=list, blank=True)
    cancelled_late = models.BooleanField(_("开始前不足一天取消"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("展位")
        verbose_name_plural = _("展位")
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise"], name="uniq_booth_enterprise"),
            models.UniqueConstraint(fields=["event", "number"], condition=Q(number__isnull=False),
                                    name="uniq_booth_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '-'} {self.enterprise.name}"

    @property
    def flag_labels(self) -> list[str]:
        return [BOOTH_FLAGS.get(f, f) for f in self.flags or []]

    @property
    def is_active(self) -> bool:
        return self.status in (BoothStatus.REQUESTED, BoothStatus.APPROVED, BoothStatus.PRESENT)


BOOTH_FLAGS = {
    "no_show_before": _("曾预订展位未到场（或开始前不足一天才取消）"),
    "pay_below_promise": _("经招聘活动录用的人员首月工资低于承诺 10% 以上"),
}


class BoothChange(TransitionEvent):
    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="changes")
    ACTION_LABELS = {"request": "预订", "approve": "通过", "decline": "不通过", "cancel": "取消", "rebook": "重新预订",
                     "arrive": "到场", "no_show": "未到场"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("展位状态记录")
        verbose_name_plural = _("展位状态记录")


class BoothPosting(models.Model):
    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="booth_postings")
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["booth", "posting"], name="uniq_booth_posting")]


class BoothBar(models.Model):
    """The organiser bars an enterprise that left its booth empty from a later event (a county rule)."""

    enterprise = models.ForeignKey("employers.Enterprise", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bars", verbose_name=_("不得参加的活动"))
    source_booth = models.ForeignKey(Booth, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("禁止参展")
        verbose_name_plural = _("禁止参展")
        constraints = [models.UniqueConstraint(fields=["enterprise", "event"], name="uniq_booth_bar")]


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    CHECKED_IN = "checked_in", _("已签到")
    CANCELLED = "cancelled", _("已取消")


class RegistrationChannel(models.TextChoices):
    SELF = "self", _("本人报名")
    STAFF = "staff", _("工作人员代报")
    WALK_IN = "walk_in", _("现场登记")


class FollowUpOutcome(models.TextChoices):
    """The organiser's call to an attendee who got no interview."""

    WANTS_MORE = "wants_more", _("还想找工作，已推荐岗位")
    FOUND_WORK = "found_work", _("已找到工作")
    NOT_LOOKING = "not_looking", _("暂不找工作")
    UNREACHABLE = "unreachable", _("联系不上")


class Registration(models.Model):
    """A seeker registered for an event: the 6-character code and its QR code get them in and identify them at
    the booths."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    seeker = models.ForeignKey("seekers.Seeker", on_delete=models.CASCADE, related_name="event_registrations")
    code = models.CharField(_("签到码"), max_length=6)
    bus = models.ForeignKey(Bus, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations",
                            verbose_name=_("班车"))
    status = models.CharField(_("状态"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED, db_index=True)
    channel = models.CharField(_("报名方式"), max_length=8, choices=RegistrationChannel.choices,
                               default=RegistrationChannel.SELF)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    reminded_at = models.DateTimeField(_("提醒短信时间"), null=True, blank=True)
    followup_outcome = models.CharField(_("回访结果"), max_length=12, choices=FollowUpOutcome.choices, blank=True)
    followup_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    followup_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            models.UniqueConstraint(fields=["event", "seeker"], name="uniq_registration_seeker"),
            models.UniqueConstraint(fields=["event", "code"], name="uniq_registration_code"),
            models.CheckConstraint(condition=~Q(status="checked_in") | Q(checked_in_at__isnull=False),
                                   name="registration_checked_in_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.code}"

    @property
    def qr_payload(self) -> str:
        return self.code


class RegistrationChange(TransitionEvent):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    ACTION_LABELS = {"register": "报名", "check_in": "签到", "cancel": "取消报名"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("报名状态记录")
        verbose_name_plural = _("报名状态记录")


class Invitation(models.Model):
    """Staff invited a seeker to the event (SMS): the first step of the funnel."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    seeker = models.ForeignKey("seekers.Seeker", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动邀请")
        verbose_name_plural = _("活动邀请")
        constraints = [models.UniqueConstraint(fields=["event", "seeker"], name="uniq_invitation")]


class IntentionStatus(models.TextChoices):
    PENDING_SEEKER = "pending_seeker", _("待求职者确认")
    PENDING_ENTERPRISE = "pending_enterprise", _("待企业确认")
    CONFIRMED = "confirmed", _("双方已确认")
    DECLINED = "declined", _("未达成")


class Outcome30(models.TextChoices):
    """Where an intention stands 30 days after the event."""

    HIRED = "hired", _("已上岗或已录用")
    IN_PROCESS = "in_process", _("面试或录用中")
    NOT_HIRED = "not_hired", _("未录用或本人放弃")
    UNREACHABLE = "unreachable", _("联系不上")


class Intention(models.Model):
    """An intention (意向) between a checked-in seeker and a booth posting. It counts only when both sides
    confirmed it: the enterprise by scanning (or typing) the seeker's code at the booth, the seeker by showing
    the code or confirming on their ticket page. One per (registration, posting): a fair can never report more
    intentions than people × postings."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="intentions")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="intentions")
    booth = models.ForeignKey(Booth, on_delete=models.CASCADE, related_name="intentions")
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=IntentionStatus.choices, db_index=True)
    seeker_confirmed_at = models.DateTimeField(_("求职者确认时间"), null=True, blank=True)
    seeker_via = models.CharField(_("求职者确认方式"), max_length=8, blank=True,
                                  help_text=_("code 出示签到码 / app 本人在手机上确认 / staff 工作人员见证"))
    enterprise_confirmed_at = models.DateTimeField(_("企业确认时间"), null=True, blank=True)
    enterprise_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    application = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    outcome_30d = models.CharField(_("30 天结果"), max_length=12, choices=Outcome30.choices, blank=True)
    outcome_at = models.DateTimeField(_("30 天结果记录时间"), null=True, blank=True)
    outcome_source = models.CharField(_("结果来源"), max_length=8, blank=True,
                                      help_text=_("pipeline 招聘流程记录 / call 工作人员回访"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("意向")
        verbose_name_plural = _("意向")
        constraints = [
            models.UniqueConstraint(fields=["registration", "posting"], name="uniq_intention"),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | (Q(seeker_confirmed_at__isnull=False)
                                                    & Q(enterprise_confirmed_at__isnull=False)),
                name="intention_confirmed_by_both"),
            models.CheckConstraint(condition=Q(outcome_30d="") | Q(outcome_at__isnull=False),
                                   name="intention_outcome_has_time"),
        ]


class IntentionChange(TransitionEvent):
    intention = models.ForeignKey(Intention, on_delete=models.CASCADE, related_name="changes")
    ACTION_LABELS = {"record": "记录", "confirm_enterprise": "企业确认", "confirm_seeker": "求职者确认",
                     "decline": "未达成"}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("意向状态记录")
        verbose_name_plural = _("意向状态记录")
