from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from hongniang.catalog.codes import BENEFITS, Shift
from hongniang.core.statemachine import TransitionEvent

__all__ = ["BENEFITS", "Shift"]  # shared with the matching library: hongniang.catalog.codes


class PayType(models.TextChoices):
    MONTHLY = "monthly", _("月薪")
    DAILY = "daily", _("日薪")
    HOURLY = "hourly", _("时薪")
    PIECE = "piece", _("计件")


PAY_UNIT = {"monthly": "元/月", "daily": "元/天", "hourly": "元/小时", "piece": "元/件"}




class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("招聘中")
    CLOSED = "closed", _("已关闭")
    FILLED = "filled", _("已招满")
    EXPIRED = "expired", _("已过期")
    REMOVED = "removed", _("已下架")


class JobPosting(models.Model):
    """One job advertised by an enterprise, with a headcount."""

    enterprise = models.ForeignKey("employers.Enterprise", on_delete=models.CASCADE, related_name="postings",
                                   verbose_name=_("用人单位"))
    title = models.CharField(_("岗位名称"), max_length=60)
    occupation = models.ForeignKey("catalog.Occupation", null=True, blank=True, on_delete=models.PROTECT,
                                   verbose_name=_("职业（工种）"))
    headcount = models.PositiveIntegerField(_("招聘人数"), default=1)
    pay_type = models.CharField(_("计薪方式"), max_length=10, choices=PayType.choices, default=PayType.MONTHLY)
    pay_min = models.DecimalField(_("最低薪资"), max_digits=10, decimal_places=2)
    pay_max = models.DecimalField(_("最高薪资"), max_digits=10, decimal_places=2)
    piece_unit = models.CharField(_("计件单位"), max_length=20, blank=True, help_text=_("如 件、双、打"))
    monthly_min = models.PositiveIntegerField(_("估算月收入下限（元）"))
    monthly_max = models.PositiveIntegerField(_("估算月收入上限（元）"))
    shift = models.CharField(_("班次"), max_length=16, choices=Shift.choices, default=Shift.DAY, db_index=True)
    board = models.BooleanField(_("包吃"), default=False)
    lodging = models.BooleanField(_("包住"), default=False)
    shuttle = models.BooleanField(_("班车"), default=False)
    social_insurance = models.BooleanField(_("五险一金"), default=False)
    other_benefits = models.CharField(_("其他福利"), max_length=200, blank=True)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="postings",
                               verbose_name=_("工作地点（乡镇/村）"))
    township = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", editable=False,
                                 verbose_name=_("所在乡镇"))
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    age_min = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    certificates = models.JSONField(_("所需证书"), default=list, blank=True)
    description = models.TextField(_("岗位描述"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=PostingStatus.choices, default=PostingStatus.DRAFT,
                              db_index=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    check_flags = models.JSONField(_("内容检查提示"), default=list, blank=True,
                                   help_text=_("提交时的检查结果：低于最低工资、歧视性用语、收费、疑似重复"))
    duplicate_ids = models.JSONField(_("疑似重复的岗位"), default=list, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    expiry_warned_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="posting_status_pub"),
            models.Index(fields=["status", "township"], name="posting_status_township"),
            models.Index(fields=["status", "monthly_max"], name="posting_status_pay"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gt=0), name="posting_headcount_positive"),
            models.CheckConstraint(condition=Q(pay_min__gt=0) & Q(pay_min__lte=F("pay_max")), name="posting_pay_range"),
            models.CheckConstraint(condition=Q(monthly_min__lte=F("monthly_max")), name="posting_monthly_range"),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                name="posting_age_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_at__isnull=False) & Q(valid_until__isnull=False)),
                name="posting_published_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def benefit_codes(self) -> list[str]:
        return [code for code in BENEFITS if getattr(self, code)]

    @property
    def benefit_labels(self) -> list[str]:
        labels = [BENEFITS[c] for c in self.benefit_codes]
        if "包吃" in labels and "包住" in labels:
            labels = ["包吃住"] + [x for x in labels if x not in ("包吃", "包住")]
        return labels

    @property
    def pay_unit(self) -> str:
        if self.pay_type == PayType.PIECE and self.piece_unit:
            return f"元/{self.piece_unit}"
        return PAY_UNIT[self.pay_type]

    @property
    def pay_text(self) -> str:
        def fmt(d):
            return f"{d:.2f}".rstrip("0").rstrip(".")

        if self.pay_min == self.pay_max:
            rng = fmt(self.pay_min)
        else:
            rng = f"{fmt(self.pay_min)}–{fmt(self.pay_max)}"
        return f"{rng} {self.pay_unit}"

    @property
    def pay_plain(self) -> str:
        """Pay as people say it: 月薪 4500–6000 元, 日薪 150 元, 计件 每件 0.8 元."""
        def fmt(d):
            return f"{d:.2f}".rstrip("0").rstrip(".")

        rng = fmt(self.pay_min) if self.pay_min == self.pay_max else f"{fmt(self.pay_min)}–{fmt(self.pay_max)}"
        if self.pay_type == PayType.PIECE:
            return f"计件 每{self.piece_unit or '件'} {rng} 元"
        return f"{PayType(self.pay_type).label} {rng} 元"

    @property
    def monthly_text(self) -> str:
        if self.monthly_min == self.monthly_max:
            return f"约 {self.monthly_min} 元/月"
        return f"约 {self.monthly_min}–{self.monthly_max} 元/月"

    @property
    def is_open(self) -> bool:
        return self.status == PostingStatus.PUBLISHED

    @property
    def check_labels(self) -> list[str]:
        return [gettext(CHECK_LABELS.get(c, c)) for c in self.check_flags or []]


#: the content checks run on submit (codes from hongniang.zh.posting flags, plus "duplicate"); the labels stay
#: Chinese here (they are also saved in event reasons and notifications): pages translate them with gettext()
CHECK_LABELS = {
    "below_minimum_wage": gettext_noop("薪资可能低于最低工资标准"),
    "gender_restriction": gettext_noop("含性别限制用语"),
    "ethnicity_restriction": gettext_noop("含民族限制用语"),
    "region_restriction": gettext_noop("含地域限制用语"),
    "fee_required": gettext_noop("可能向求职者收取费用或押金"),
    "duplicate": gettext_noop("与本企业在招岗位高度相似（疑似重复发布）"),
}


class PostingEvent(TransitionEvent):
    """One state transition of a posting: who, when, from, to, why (the kit's event row)."""

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="events", verbose_name=_("岗位"))
    from_status = models.CharField(_("原状态"), max_length=24, choices=PostingStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=PostingStatus.choices)

    ACTION_LABELS = {
        "create": _("创建草稿"), "submit": _("提交审核"), "auto_approve": _("自动审核通过"), "approve": _("审核通过"),
        "reject": _("审核退回"), "close": _("关闭"), "fill": _("已招满"), "expire": _("到期下线"), "remove": _("人社局下架"),
        "refresh": _("刷新有效期"), "reported": _("举报过多，暂停展示"), "edit_flagged": _("修改后需重新审核"),
        "publish": _("发布"),
    }

    class Meta(TransitionEvent.Meta):
        verbose_name = _("岗位状态记录")
        verbose_name_plural = _("岗位状态记录")

    def __str__(self) -> str:
        return f"{self.posting_id} {self.from_status}→{self.to_status} ({self.action})"
