"""Village workshops (社区工厂 / 帮扶车间): an outsourcing exchange where enterprises send piecework to where idle
labour lives.

A Workshop (or a home worker, a workshop of one) takes a Share of an enterprise's OutsourcingOrder; material and
goods move by Handover rows (a running balance per share); the workshop records PieceRecords per worker and
day; each worker's WageLine is computed at the piece rate and moves due → paid → confirmed / disputed. Write
paths live in services.py, reads in selectors.py, the status tables in machines.py."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hongniang.core.statemachine import TransitionEvent
from hongniang.zh.validators import mask_name, mask_phone


class WorkshopKind(models.TextChoices):
    WORKSHOP = "workshop", _("社区工厂/帮扶车间")
    HOME = "home", _("居家灵活就业")


class WorkshopStatus(models.TextChoices):
    ACTIVE = "active", _("正常接单")
    PAUSED = "paused", _("暂停接单")
    CLOSED = "closed", _("已关闭")


class Workshop(models.Model):
    """A village workshop, or a home worker taking small batches directly (kind "home", a workshop of one).

    The owner is a phone-verified person (owner_user) or an enterprise (owner_enterprise: its HR run it)."""

    name = models.CharField(_("车间名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=WorkshopKind.choices, default=WorkshopKind.WORKSHOP)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="workshops", verbose_name=_("负责人账号"))
    owner_enterprise = models.ForeignKey("employers.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="workshops", verbose_name=_("所属企业"))
    owner_name = models.CharField(_("负责人"), max_length=50, blank=True)
    owner_phone = models.CharField(_("负责人手机"), max_length=11, blank=True)
    phone_verified_at = models.DateTimeField(_("手机核验时间"), null=True, blank=True)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("所在村（社区）/乡镇"))
    township = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("乡镇"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    stations = models.PositiveIntegerField(_("工位数"), default=1)
    usual_hours = models.CharField(_("通常上班时间"), max_length=100, blank=True)
    hours_per_day = models.DecimalField(_("每天工作小时"), max_digits=4, decimal_places=1, default=Decimal("6"))
    skills = models.JSONField(_("会做的工序（职业代码）"), default=list, blank=True)
    skills_text = models.CharField(_("会做的活（文字）"), max_length=200, blank=True)
    equipment = models.CharField(_("设备"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=WorkshopStatus.choices,
                              default=WorkshopStatus.ACTIVE, db_index=True)
    service_point = models.ForeignKey("geo.ServicePoint", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("登记站点"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("社区工厂")
        verbose_name_plural = _("社区工厂")
        constraints = [
            models.CheckConstraint(condition=Q(owner_user__isnull=False) | Q(owner_enterprise__isnull=False),
                                   name="workshop_has_owner"),
            models.CheckConstraint(condition=Q(stations__gt=0), name="workshop_stations_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_owner(self) -> str:
        return mask_name(self.owner_name) if self.owner_name else ""


def _workshop_photo_path(instance, filename: str) -> str:
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"workshops/photos/{instance.workshop_id}/{uuid.uuid4().hex[:16]}.{ext}"


class WorkshopPhoto(models.Model):
    """A photo of a workshop (its floor, its machines, a sample of its work): optional, at most six. Shown to
    those who see the workshop's page (the owner, its township's staff, the bureau), never on the public list:
    a photo of a floor shows people."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to=_workshop_photo_path)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("车间照片")
        verbose_name_plural = _("车间照片")


class WorkshopWorker(models.Model):
    """A person who works at a workshop (or the home worker of a workshop of one)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="workers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="workshop_workers", verbose_name=_("工人账号"))
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=11)
    home_region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("家住（村/社区）"))
    active = models.BooleanField(_("在做"), default=True)
    joined_at = models.DateField(_("加入日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("车间工人")
        verbose_name_plural = _("车间工人")
        constraints = [models.UniqueConstraint(fields=["workshop", "phone"], name="uniq_workshop_worker_phone")]

    def __str__(self) -> str:
        return mask_name(self.name)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class OrderStatus(models.TextChoices):
    OPEN = "open", _("待接单")
    IN_PROGRESS = "in_progress", _("生产中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class OutsourcingOrder(models.Model):
    """An enterprise's batch of piecework, with the fair-rate trial that makes its piece rate publishable.

    fair_minimum_rate = hourly minimum ÷ (trial_pieces_per_hour ÷ 1.2), fixed when the order is published; the
    database refuses a piece rate below it."""

    enterprise = models.ForeignKey("employers.Enterprise", on_delete=models.PROTECT, related_name="outsourcing_orders",
                                   verbose_name=_("发单企业"))
    product = models.CharField(_("产品"), max_length=100)
    process = models.CharField(_("工序"), max_length=200)
    occupation = models.ForeignKey("catalog.Occupation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("工种（职业代码）"))
    quantity = models.PositiveIntegerField(_("数量（件）"))
    piece_rate = models.DecimalField(_("计件单价（元/件）"), max_digits=8, decimal_places=3)
    quality_standard = models.TextField(_("质量标准"), blank=True)
    allowed_reject_rate = models.DecimalField(_("允许次品率（%）"), max_digits=5, decimal_places=2,
                                              default=Decimal("2"))
    deadline = models.DateField(_("交货期限"))
    materials = models.TextField(_("领料与退料"), blank=True)
    splittable = models.BooleanField(_("可以分给几个车间"), default=True)
    trial_workers = models.PositiveSmallIntegerField(_("试做人数"))
    trial_pieces_per_hour = models.DecimalField(_("试做平均每小时件数"), max_digits=8, decimal_places=2)
    fair_minimum_rate = models.DecimalField(_("公平最低单价（元/件）"), max_digits=8, decimal_places=3)
    wage_days = models.PositiveSmallIntegerField(_("交货后几天内发工钱"), default=10)
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("领料地点（乡镇/村）"))
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN,
                              db_index=True)
    needs_trial = models.BooleanField(_("需要重新试做"), default=False)
    needs_trial_reason = models.CharField(_("重新试做原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("外发订单")
        verbose_name_plural = _("外发订单")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="ws_order_quantity_positive"),
            models.CheckConstraint(condition=Q(trial_workers__gte=5), name="ws_order_trial_5_workers"),
            models.CheckConstraint(condition=Q(trial_pieces_per_hour__gt=0), name="ws_order_trial_rate_positive"),
            models.CheckConstraint(condition=Q(fair_minimum_rate__gt=0), name="ws_order_fair_rate_positive"),
            models.CheckConstraint(condition=Q(piece_rate__gte=F("fair_minimum_rate")),
                                   name="ws_order_piece_rate_fair"),
            models.CheckConstraint(condition=Q(allowed_reject_rate__gte=0) & Q(allowed_reject_rate__lte=100),
                                   name="ws_order_reject_rate_percent"),
        ]

    def __str__(self) -> str:
        return _("%(product)s·%(process)s（%(quantity)s件）") % {"product": self.product, "process": self.process, "quantity": self.quantity}

    @property
    def expected_hourly(self) -> Decimal:
        """What a typical worker (the trial's average speed) earns per hour at this piece rate."""
        return (self.piece_rate * self.trial_pieces_per_hour).quantize(Decimal("0.01"))


class OrderEvent(TransitionEvent):
    order = models.ForeignKey(OutsourcingOrder, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"publish": _("发布"), "start": _("开始生产"), "complete": _("完成"), "cancel": _("取消"),
                     "flag_trial": _("标记重新试做"), "retrial": _("重新试做"), "offer": _("派单")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("外发订单记录")
        verbose_name_plural = _("外发订单记录")


class ShareStatus(models.TextChoices):
    OFFERED = "offered", _("待接单")
    ACCEPTED = "accepted", _("已接单")
    MATERIAL_COLLECTED = "material_collected", _("已领料")
    IN_PRODUCTION = "in_production", _("生产中")
    DELIVERED = "delivered", _("已交货")
    CHECKED = "checked", _("已验收")
    PAID = "paid", _("已结算")
    DECLINED = "declined", _("已谢绝")
    CANCELLED = "cancelled", _("已取消")
    DISPUTED = "disputed", _("有争议")


ACTIVE_SHARE = (ShareStatus.ACCEPTED, ShareStatus.MATERIAL_COLLECTED, ShareStatus.IN_PRODUCTION)
WORKING_SHARE = (*ACTIVE_SHARE, ShareStatus.DELIVERED, ShareStatus.CHECKED, ShareStatus.PAID, ShareStatus.DISPUTED)


class Share(models.Model):
    """One workshop's part of an order. wage_rate: the piece rate its workers' wages were computed at on
    delivery; a later new trial's rate does not reach those pieces (ledger.piece_rate_of prices every figure)."""

    order = models.ForeignKey(OutsourcingOrder, on_delete=models.CASCADE, related_name="shares")
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="shares")
    offered_quantity = models.PositiveIntegerField(_("派单数量"))
    quantity = models.PositiveIntegerField(_("接单数量"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=ShareStatus.choices, default=ShareStatus.OFFERED,
                              db_index=True)
    balance_reason = models.CharField(_("料账差异说明"), max_length=200, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("交货时间"), null=True, blank=True)
    wage_rate = models.DecimalField(
        _("核算单价（元/件）"), max_digits=8, decimal_places=3, null=True, blank=True,
        help_text=_("交货时核算工人工钱所用的计件单价；之后重新试做调价，不影响这批已核算的件数"))
    checked_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    paid_amount = models.DecimalField(_("结算金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    dispute_reason = models.CharField(_("争议原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order_id", "pk"]
        verbose_name = _("车间分单")
        verbose_name_plural = _("车间分单")
        constraints = [
            models.UniqueConstraint(fields=["order", "workshop"], name="uniq_share_order_workshop"),
            models.CheckConstraint(condition=Q(offered_quantity__gt=0), name="ws_share_offered_positive"),
            models.CheckConstraint(condition=Q(quantity__lte=F("offered_quantity")), name="ws_share_accept_le_offer"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} · {self.order}"


class ShareEvent(TransitionEvent):
    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"offer": _("派单"), "accept": _("接单"), "decline": _("谢绝"), "collect": _("领料"), "start": _("开工"),
                     "deliver": _("交货"), "check": _("验收"), "pay": _("结算"), "dispute": _("提出争议"), "resolve": _("争议处理"),
                     "cancel": _("取消"), "order_cancelled": _("订单取消")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("分单记录")
        verbose_name_plural = _("分单记录")


class HandoverKind(models.TextChoices):
    OUT = "out", _("发料")
    BACK = "back", _("交回成品")
    REJECT = "reject", _("次品退回")


class Handover(models.Model):
    """One handover of material or goods between the enterprise and a workshop."""

    share = models.ForeignKey(Share, on_delete=models.PROTECT, related_name="handovers")
    order = models.ForeignKey(OutsourcingOrder, on_delete=models.PROTECT, related_name="handovers")
    kind = models.CharField(_("类型"), max_length=8, choices=HandoverKind.choices)
    quantity = models.PositiveIntegerField(_("数量（件）"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    date = models.DateField(_("日期"))
    handed_by = models.CharField(_("经手人"), max_length=50)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("交接记录")
        verbose_name_plural = _("交接记录")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="ws_handover_quantity_positive"),
            models.CheckConstraint(condition=~Q(kind="reject") | ~Q(reason=""), name="ws_handover_reject_reason"),
        ]


def _photo_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"workshops/rejects/{instance.handover.order_id}/{instance.handover_id}-{instance.pk or 'x'}.{ext}"


class HandoverPhoto(models.Model):
    """A photo of rejected goods next to the agreed sample."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to=_photo_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("次品照片")
        verbose_name_plural = _("次品照片")


class PieceRecord(models.Model):
    """Pieces one worker made on one day for one share, and the hours it took."""

    share = models.ForeignKey(Share, on_delete=models.PROTECT, related_name="pieces")
    worker = models.ForeignKey(WorkshopWorker, on_delete=models.PROTECT, related_name="pieces")
    day = models.DateField(_("日期"), db_index=True)
    pieces = models.PositiveIntegerField(_("件数"))
    hours = models.DecimalField(_("工时（小时）"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "worker_id"]
        verbose_name = _("计件记录")
        verbose_name_plural = _("计件记录")
        constraints = [
            models.UniqueConstraint(fields=["share", "worker", "day"], name="uniq_piece_share_worker_day"),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=16), name="ws_piece_hours_range"),
        ]


class WageStatus(models.TextChoices):
    DUE = "due", _("待发放")
    PAID = "paid", _("车间已发")
    CONFIRMED = "confirmed", _("工人已确认")
    DISPUTED = "disputed", _("工人有异议")


UNSETTLED_WAGE = (WageStatus.DUE, WageStatus.PAID, WageStatus.DISPUTED)


class ReceiptProof(models.TextChoices):
    """How the worker's “收到了” was proved. Every kind is the worker's confirmation (status confirmed)."""

    WORKER = "worker", _("工人本人在网站点“收到了”")
    SMS_CODE = "sms_code", _("工人念出发到本人手机的验证码")
    IN_PERSON_STAFF = "in_person_staff", _("工人当面确认（工作人员已核对身份证）")


class WageLine(models.Model):
    """One worker's wages for one share: pieces × piece rate, computed when the share is delivered."""

    share = models.ForeignKey(Share, on_delete=models.PROTECT, related_name="wages")
    worker = models.ForeignKey(WorkshopWorker, on_delete=models.PROTECT, related_name="wages")
    pieces = models.PositiveIntegerField(_("件数"))
    hours = models.DecimalField(_("工时（小时）"), max_digits=7, decimal_places=1)
    amount = models.DecimalField(_("应发工钱（元）"), max_digits=10, decimal_places=2)
    due_date = models.DateField(_("应发日期"))
    status = models.CharField(_("状态"), max_length=10, choices=WageStatus.choices, default=WageStatus.DUE,
                              db_index=True)
    paid_amount = models.DecimalField(_("实发（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_via = models.CharField(_("确认方式"), max_length=20, choices=ReceiptProof.choices, blank=True)
    confirm_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("代为录入确认的人"), help_text=_("工人不是自己点的：在柜台录入验证码或当面核对的人"))
    confirm_note = models.CharField(_("确认说明"), max_length=200, blank=True)
    dispute_reason = models.CharField(_("异议"), max_length=200, blank=True)

    class Meta:
        ordering = ["share_id", "worker_id"]
        verbose_name = _("计件工钱")
        verbose_name_plural = _("计件工钱")
        constraints = [
            models.UniqueConstraint(fields=["share", "worker"], name="uniq_wage_share_worker"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ws_wage_amount_not_negative"),
        ]

    @property
    def hourly(self) -> Decimal | None:
        return (self.amount / self.hours).quantize(Decimal("0.01")) if self.hours else None


class WageEvent(TransitionEvent):
    wage = models.ForeignKey(WageLine, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"compute": _("核算"), "pay": _("登记发放"), "confirm": _("确认收到"), "dispute": _("提出异议"),
                     "resolve": _("人社局处理争议")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("工钱记录")
        verbose_name_plural = _("工钱记录")


class WageArrearsAlert(models.Model):
    """欠薪预警: a worker's piece wages not paid or not confirmed by the agreed date. The bureau follows it up."""

    wage = models.ForeignKey(WageLine, on_delete=models.CASCADE, related_name="arrears_alerts")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="arrears_alerts")
    order = models.ForeignKey(OutsourcingOrder, on_delete=models.CASCADE, related_name="arrears_alerts")
    raised_at = models.DateTimeField(db_index=True)
    reason = models.CharField(_("原因"), max_length=200)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.CharField(_("处理结果"), max_length=200, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("计件欠薪预警")
        verbose_name_plural = _("计件欠薪预警")
        constraints = [
            models.UniqueConstraint(fields=["wage"], condition=Q(resolved_at__isnull=True),
                                    name="uniq_open_arrears_per_wage"),
        ]
