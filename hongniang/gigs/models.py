"""The gig market (零工超市): same-day and short work, with pay that arrives.

Write paths live in hongniang.gigs.services (one function per transition); reads in selectors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniang.core.statemachine import TransitionEvent
from hongniang.zh.validators import mask_name, mask_phone


class WorkType(models.TextChoices):
    MOVING = "moving", _("搬运")
    LOADING = "loading", _("装卸")
    CLEANING = "cleaning", _("保洁")
    PICKING = "picking", _("采摘")
    HOUSEKEEPING = "housekeeping", _("家政")
    HELPER = "helper", _("小工")
    GENERAL = "general", _("临时普工")
    OTHER = "other", _("其他")


class GigPayType(models.TextChoices):
    HOUR = "hour", _("按小时")
    DAY = "day", _("按天")
    PIECE = "piece", _("计件")


PAY_UNIT = {"hour": "元/小时", "day": "元/天", "piece": "元/件"}


class PayMethod(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("转账")


class GigEmployer(models.Model):
    """Who posts gig orders: an enterprise, or an individual (个人雇主) with a verified phone.

    `is_blocked` is derived from open arrears alerts; it is never stored."""

    enterprise = models.OneToOneField("employers.Enterprise", null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="gig_employer", verbose_name=_("用人单位"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="gig_employers", verbose_name=_("个人雇主账号"))
    name = models.CharField(_("雇主名称"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("核验工作人员"))
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("所在乡镇/村"))
    late_cancel_count = models.PositiveIntegerField(_("临时取消次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("零工雇主")
        verbose_name_plural = _("零工雇主")
        constraints = [
            models.CheckConstraint(condition=Q(enterprise__isnull=False) | ~Q(phone=""),
                                   name="gig_employer_enterprise_or_phone"),
            models.UniqueConstraint(fields=["phone"], condition=Q(enterprise__isnull=True),
                                    name="uniq_gig_individual_phone"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_individual(self) -> bool:
        return self.enterprise_id is None

    @property
    def is_blocked(self) -> bool:
        return self.arrears_alerts.filter(resolved_at__isnull=True).exists()

    @property
    def display_name(self) -> str:
        return self.name if self.enterprise_id else _("%(name)s（个人雇主）") % {"name": mask_name(self.name)}


class GigWorker(models.Model):
    """A gig worker: phone and name are enough; a seeker profile can be linked later."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="gig_worker")
    seeker = models.OneToOneField("seekers.Seeker", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="gig_worker")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=11, unique=True)
    work_types = models.JSONField(_("会做的活"), default=list, blank=True)
    home_region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("家住（村/社区）"))
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    max_distance_km = models.PositiveSmallIntegerField(_("最远去多远（公里）"), default=20)
    service_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("登记站点"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    completed_count = models.PositiveIntegerField(_("完成次数"), default=0)
    no_show_count = models.PositiveIntegerField(_("爽约次数"), default=0)
    late_cancel_count = models.PositiveIntegerField(_("临时取消次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("零工")
        verbose_name_plural = _("零工")

    def __str__(self) -> str:
        return mask_name(self.name)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def work_type_labels(self) -> list[str]:
        labels = dict(WorkType.choices)
        return [str(labels.get(w, w)) for w in self.work_types]


class GigAvailability(models.Model):
    """A day the worker is free for gigs."""

    worker = models.ForeignKey(GigWorker, on_delete=models.CASCADE, related_name="availability")
    date = models.DateField(_("日期"), db_index=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["worker", "date"], name="uniq_gig_availability")]
        verbose_name = _("空闲日期")
        verbose_name_plural = _("空闲日期")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("招人中")
    FILLED = "filled", _("已招满")
    IN_PROGRESS = "in_progress", _("进行中")
    COMPLETED = "completed", _("已完工")
    CANCELLED = "cancelled", _("已取消")


class GigOrder(models.Model):
    """One gig: work type, date(s) and hours, place, pay and headcount."""

    employer = models.ForeignKey(GigEmployer, on_delete=models.PROTECT, related_name="orders",
                                 verbose_name=_("雇主"))
    work_type = models.CharField(_("工种"), max_length=16, choices=WorkType.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=60, blank=True)
    date = models.DateField(_("开工日期"), db_index=True)
    end_date = models.DateField(_("结束日期（多天）"), null=True, blank=True)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("乡镇/村"))
    township = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("乡镇"))
    address = models.CharField(_("详细地址"), max_length=200)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    pay_type = models.CharField(_("计薪方式"), max_length=8, choices=GigPayType.choices)
    pay_rate = models.DecimalField(_("工钱（元）"), max_digits=10, decimal_places=2)
    piece_unit = models.CharField(_("计件单位"), max_length=20, blank=True)
    piece_hourly_estimate = models.DecimalField(_("计件折合时薪（元/小时）"), max_digits=8, decimal_places=2,
                                                null=True, blank=True)
    total_per_worker = models.DecimalField(_("每人预计总工钱（元）"), max_digits=10, decimal_places=2)
    headcount = models.PositiveIntegerField(_("要几个人"))
    requirements = models.TextField(_("要求"), blank=True)
    meals_provided = models.BooleanField(_("管饭"), default=False)
    transport_provided = models.BooleanField(_("接送"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN,
                              db_index=True)
    service_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("代发站点"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("零工订单")
        verbose_name_plural = _("零工订单")
        # created_at: the public figures count this month's new orders live, and the nightly run by day posted
        indexes = [models.Index(fields=["status", "date"], name="gig_order_status_date"),
                   models.Index(fields=["created_at"], name="gig_order_created")]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gt=0), name="gig_order_headcount_positive"),
            models.CheckConstraint(condition=Q(pay_rate__gt=0), name="gig_order_pay_positive"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="gig_order_end_after_start"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                                   name="gig_order_end_date_after_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_work_type_display()} {self.date:%m-%d} {self.address}"

    @property
    def display_title(self) -> str:
        return self.title or _("%(work_type)s（%(headcount)s人）") % {"work_type": self.get_work_type_display(), "headcount": self.headcount}

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.date

    @property
    def days(self) -> int:
        return (self.last_date - self.date).days + 1

    @property
    def hours_per_day(self) -> Decimal:
        return scheduled_hours(self.start_time, self.end_time)

    @property
    def pay_label(self) -> str:
        rate = f"{self.pay_rate.normalize():f}"
        if self.pay_type == GigPayType.PIECE and self.piece_unit:
            return f"{rate} 元/{self.piece_unit}"
        return f"{rate} {PAY_UNIT[self.pay_type]}"

    @property
    def is_active(self) -> bool:
        return self.status in (OrderStatus.OPEN, OrderStatus.FILLED, OrderStatus.IN_PROGRESS)

    # The clock, read at read time (no periodic job moves the status): the stored status says what people did
    # (confirmed, started, completed); these say what time it is for the order.

    @property
    def starts_at(self) -> dt.datetime:
        """The first day's start (aware, in settings.TIME_ZONE)."""
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> dt.datetime:
        """The last day's end."""
        return timezone.make_aware(dt.datetime.combine(self.last_date, self.end_time))

    @property
    def signup_closes_at(self) -> dt.datetime:
        """Sign-up closes when the last working day starts: a one-day gig stops taking people at its start
        (a half-day job that began two hours ago cannot use someone who sets off now); a several-day order
        still takes people for its days not yet begun."""
        return timezone.make_aware(dt.datetime.combine(self.last_date, self.start_time))

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def signup_closed(self, now: dt.datetime | None = None) -> bool:
        return self.signup_closes_at <= (now or timezone.now())

    def takes_confirmations(self, now: dt.datetime | None = None) -> bool:
        """Whether a sign-up (or an invitation) may still be turned into a confirmed worker: the order is open,
        or already in progress (someone checked in, or the employer pressed 开工), and its work time is not over.
        Sign-up closes at the last day's start, but a worker who signed up in time and turned up that morning may
        still be confirmed on the spot, the same day, until the day's end time (`ends_at`); after that, never.
        Whether an in-progress order still has room is the service's check (services.require_confirm_open)."""
        return self.status in (OrderStatus.OPEN, OrderStatus.IN_PROGRESS) and not self.has_ended(now)

    def confirmed_late(self, confirmed_at: dt.datetime | None) -> bool:
        """A confirmation made after sign-up closed (the work had begun): the worker was never told before the
        start to come, so not coming is no no-show on their record."""
        return confirmed_at is not None and confirmed_at >= self.signup_closes_at

    @property
    def signup_open(self) -> bool:
        """Taking sign-ups right now: open in status and its sign-up time not passed."""
        return self.status == OrderStatus.OPEN and not self.signup_closed()

    @property
    def time_status(self) -> str:
        """"ended" (an active order whose work time is over), "started" (open, but sign-up has closed), or ""."""
        if not self.is_active:
            return ""
        if self.has_ended():
            return "ended"
        if self.status == OrderStatus.OPEN and self.signup_closed():
            return "started"
        return ""

    @property
    def status_label(self) -> str:
        """The status people should read: 已结束 once an active order's time is over, 已开工，不再报名 once an
        open order's sign-up has closed, else the stored status."""
        ts = self.time_status
        if ts == "ended":
            return str(_("已结束"))
        if ts == "started":
            return str(_("已开工，不再报名"))
        return str(self.get_status_display())


def scheduled_hours(start: dt.time, end: dt.time) -> Decimal:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))


class OrderEvent(TransitionEvent):
    """One transition of a gig order (the kit's event row)."""

    order = models.ForeignKey(GigOrder, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"create": _("发布"), "fill": _("招满"), "reopen": _("重新招人"), "start": _("开工"), "complete": _("完工"),
                     "cancel": _("取消")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("订单记录")
        verbose_name_plural = _("订单记录")


class AssignmentStatus(models.TextChoices):
    INVITED = "invited", _("雇主邀请")
    SIGNED_UP = "signed_up", _("已报名")
    CONFIRMED = "confirmed", _("已录用")
    CHECKED_IN = "checked_in", _("已签到")
    CHECKED_OUT = "checked_out", _("已签退")
    PAID = "paid", _("雇主已付款")
    SETTLED = "settled", _("已结清")
    DISPUTED = "disputed", _("工钱有争议")
    NO_SHOW = "no_show", _("未到岗")
    CANCELLED_BY_WORKER = "cancelled_by_worker", _("工人取消")
    CANCELLED_BY_EMPLOYER = "cancelled_by_employer", _("雇主取消")
    REJECTED = "rejected", _("未录用")


ACTIVE_ASSIGNMENT = (AssignmentStatus.INVITED, AssignmentStatus.SIGNED_UP, AssignmentStatus.CONFIRMED,
                     AssignmentStatus.CHECKED_IN)
WORKING_ASSIGNMENT = (AssignmentStatus.CONFIRMED, AssignmentStatus.CHECKED_IN, AssignmentStatus.CHECKED_OUT,
                      AssignmentStatus.PAID, AssignmentStatus.SETTLED, AssignmentStatus.DISPUTED)
UNSETTLED_ASSIGNMENT = (AssignmentStatus.CHECKED_OUT, AssignmentStatus.PAID, AssignmentStatus.DISPUTED)


class GigAssignment(models.Model):
    """派工: one worker on one gig order."""

    order = models.ForeignKey(GigOrder, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(GigWorker, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("状态"), max_length=24, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.SIGNED_UP, db_index=True)
    signed_up_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    check_method = models.CharField(_("签到方式"), max_length=10, blank=True)  # qr / desk / employer
    hours_worked = models.DecimalField(_("工时（小时）"), max_digits=6, decimal_places=2, null=True, blank=True)
    pay_amount = models.DecimalField(_("实付工钱（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    pay_method = models.CharField(_("付款方式"), max_length=10, choices=PayMethod.choices, blank=True)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    worker_confirmed_at = models.DateTimeField(_("工人确认收款时间"), null=True, blank=True)
    dispute_reason = models.CharField(_("争议原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["signed_up_at", "pk"]
        verbose_name = _("派工")
        verbose_name_plural = _("派工")
        constraints = [
            models.UniqueConstraint(fields=["order", "worker"], name="uniq_gig_assignment"),
            models.CheckConstraint(condition=Q(pay_amount__isnull=True) | Q(pay_amount__gt=0),
                                   name="gig_assignment_pay_positive"),
            models.CheckConstraint(condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                                   name="gig_assignment_out_after_in"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.order_id} ({self.status})"


class AssignmentEvent(TransitionEvent):
    """One transition of a gig assignment (the kit's event row)."""

    assignment = models.ForeignKey(GigAssignment, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"signup": _("报名"), "resignup": _("重新报名"), "invite": _("邀请"), "reinvite": _("再次邀请"),
                     "confirm": _("录用"), "accept": _("接受邀请"), "reject": _("未录用"), "close_unconfirmed": _("订单完工未录用"),
                     "cancel_by_worker": _("工人取消"), "cancel_by_employer": _("雇主取消"), "order_cancelled": _("订单取消"),
                     "check_in": _("签到"), "check_out": _("签退"), "no_show": _("未到岗"), "pay": _("登记付款"),
                     "pay_confirm": _("确认收款"), "dispute": _("提出异议")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("派工记录")
        verbose_name_plural = _("派工记录")


class ArrearsAlert(models.Model):
    """欠薪预警: pay not recorded or not confirmed in time. Blocks the employer while open."""

    assignment = models.ForeignKey(GigAssignment, on_delete=models.CASCADE, related_name="arrears_alerts")
    order = models.ForeignKey(GigOrder, on_delete=models.CASCADE, related_name="arrears_alerts")
    employer = models.ForeignKey(GigEmployer, on_delete=models.CASCADE, related_name="arrears_alerts")
    raised_at = models.DateTimeField(db_index=True)
    reason = models.CharField(_("原因"), max_length=200)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.CharField(_("处理结果"), max_length=200, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("欠薪预警")
        verbose_name_plural = _("欠薪预警")
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(resolved_at__isnull=True),
                                    name="uniq_open_arrears_per_assignment"),
        ]


class RatingDirection(models.TextChoices):
    EMPLOYER_TO_WORKER = "e2w", _("雇主评工人")
    WORKER_TO_EMPLOYER = "w2e", _("工人评雇主")


class Rating(models.Model):
    assignment = models.ForeignKey(GigAssignment, on_delete=models.CASCADE, related_name="ratings")
    order = models.ForeignKey(GigOrder, on_delete=models.CASCADE, related_name="ratings")
    direction = models.CharField(max_length=3, choices=RatingDirection.choices)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    worker = models.ForeignKey(GigWorker, on_delete=models.CASCADE, related_name="ratings")
    employer = models.ForeignKey(GigEmployer, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField(_("星级"))
    comment = models.CharField(_("评价"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "direction"], name="uniq_gig_rating"),
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="gig_rating_stars_1_5"),
        ]


class NoticeChannel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    SMS = "sms", _("短信")


class GigNotice(models.Model):
    """A minimal notification outbox local to the gig market. To be replaced by the shared inbox /
    SMS outbox (issue 5). Rows are written on commit; an SMS sender marks `sent_at`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="gig_notices")
    phone = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=8, choices=NoticeChannel.choices)
    text = models.CharField(max_length=500)
    order = models.ForeignKey(GigOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("零工通知")
        verbose_name_plural = _("零工通知")
