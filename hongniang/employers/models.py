from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongniang.core.statemachine import TransitionEvent


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("未认证")
    PENDING = "pending", _("认证审核中")
    VERIFIED = "verified", _("已认证")
    REJECTED = "rejected", _("认证未通过")
    DUE = "due", _("认证到期待复审")


class Enterprise(models.Model):
    """An employer with a unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.ForeignKey("catalog.Industry", null=True, blank=True, on_delete=models.SET_NULL,
                                 verbose_name=_("所属行业"))
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT,
                               verbose_name=_("所在乡镇/村"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    description = models.TextField(_("单位简介"), blank=True)
    verification_status = models.CharField(_("认证状态"), max_length=16, choices=VerificationStatus.choices,
                                           default=VerificationStatus.UNVERIFIED, db_index=True)
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    verified_until = models.DateField(_("认证有效期至"), null=True, blank=True, db_index=True,
                                      help_text=_("每 6 个月复审一次"))
    verification_warned_at = models.DateTimeField(_("复审提醒时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="EnterpriseMembership",
                                     related_name="enterprises", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED


class EnterpriseMembership(models.Model):
    """A user acts as HR for an enterprise."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="uniq_enterprise_membership")]
        verbose_name = _("企业招聘专员")
        verbose_name_plural = _("企业招聘专员")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


def licence_path(instance, filename: str) -> str:
    """Licences live under MEDIA_ROOT/licences/<enterprise>/ with a random name (the original name is not kept)."""
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"licences/{instance.enterprise_id}/{uuid.uuid4().hex}.{ext}"


class VerificationRequest(models.Model):
    """An enterprise's request to be verified: its credit code and business licence; the bureau decides."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="verification_requests",
                                   verbose_name=_("用人单位"))
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    licence = models.FileField(_("营业执照"), upload_to=licence_path, max_length=200)
    licence_type = models.CharField(_("文件类型"), max_length=8)
    licence_size = models.PositiveIntegerField(_("文件大小（字节）"))
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING,
                              db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("提交人"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("企业认证申请")
        verbose_name_plural = _("企业认证申请")
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=models.Q(status="pending"),
                                    name="one_pending_verification_per_enterprise"),
            models.CheckConstraint(condition=models.Q(licence_size__lte=5 * 1024 * 1024),
                                   name="licence_at_most_5mb"),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="verification_decided_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_status_display()}"


class VerificationEvent(TransitionEvent):
    """One change of an enterprise's verification status: who, when, from, to, why (the kit's event row)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="verification_events")
    request = models.ForeignKey(VerificationRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="events")
    from_status = models.CharField(_("原状态"), max_length=24, choices=VerificationStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=VerificationStatus.choices)

    ACTION_LABELS = {"submit": _("提交认证"), "renewal_submit": _("提交复审"), "approve": _("认证通过"), "reject": _("认证未通过"),
                     "renewal_reject": _("复审未通过"), "expire": _("认证到期")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("企业认证记录")
        verbose_name_plural = _("企业认证记录")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待人社局核实")
    # the same Chinese words name the bureau's buttons; English needs "upheld" for the status, "uphold" for the button
    GRANTED = "granted", pgettext_lazy("claim status", "核实属实")
    REJECTED = "rejected", pgettext_lazy("claim status", "核实不属实")
    WITHDRAWN = "withdrawn", _("已撤回")


def claim_licence_path(instance, filename: str) -> str:
    """Claim licences live under MEDIA_ROOT/licences/claims/<enterprise>/ with a random name."""
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"licences/claims/{instance.enterprise_id}/{uuid.uuid4().hex}.{ext}"


class CreditCodeClaim(models.Model):
    """Someone says an already registered credit code is their company's: the bureau compares the licences and
    decides. Granted, the claimant becomes the enterprise's HR (and, if the bureau says so, replaces the others)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="claims",
                                   verbose_name=_("用人单位"))
    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_code_claims",
                                 verbose_name=_("申请人"))
    name = models.CharField(_("申请人填写的单位名称"), max_length=100)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    licence = models.FileField(_("营业执照"), upload_to=claim_licence_path, max_length=200)
    licence_type = models.CharField(_("文件类型"), max_length=8)
    licence_size = models.PositiveIntegerField(_("文件大小（字节）"))
    status = models.CharField(_("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING,
                              db_index=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("信用代码核实申请")
        verbose_name_plural = _("信用代码核实申请")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "claimant"], condition=models.Q(status="pending"),
                                    name="one_pending_claim_per_claimant"),
            models.CheckConstraint(condition=models.Q(licence_size__lte=5 * 1024 * 1024),
                                   name="claim_licence_at_most_5mb"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} ← {self.name}"


class ClaimEvent(TransitionEvent):
    """One change of a credit-code claim (the kit's event row)."""

    claim = models.ForeignKey(CreditCodeClaim, on_delete=models.CASCADE, related_name="events")

    ACTION_LABELS = {"file": _("提交核实申请"), "grant": _("核实属实"), "reject": _("核实不属实"), "withdraw": _("撤回")}

    class Meta(TransitionEvent.Meta):
        verbose_name = _("信用代码核实记录")
        verbose_name_plural = _("信用代码核实记录")
