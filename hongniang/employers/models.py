from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("未认证")
    PENDING = "pending", _("认证审核中")
    VERIFIED = "verified", _("已认证")
    REJECTED = "rejected", _("认证未通过")


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
