from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村（社区）")


class Region(models.Model):
    """County → township → village, keyed by the 12-digit statistical code. Coordinates are WGS-84."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("级别"), max_length=16, choices=RegionKind.choices, db_index=True)
    subkind = models.CharField(_("类别"), max_length=32, blank=True, help_text=_("镇 / 乡 / 街道 / 村委会 / 居委会 …"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    approximate = models.BooleanField(_("位置为估算"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def township(self) -> Region | None:
        if self.kind == RegionKind.TOWNSHIP:
            return self
        if self.kind == RegionKind.VILLAGE:
            return self.parent
        return None

    @property
    def full_name(self) -> str:
        if self.kind == RegionKind.VILLAGE and self.parent_id:
            return f"{self.parent.name}{self.name}"
        return self.name


class ServicePointKind(models.TextChoices):
    COUNTY_CENTRE = "county_centre", _("县级就业服务中心")
    TOWNSHIP = "township", _("乡镇就业之家")
    VILLAGE = "village", _("村（社区）就业之家")
    DEV_ZONE = "dev_zone", _("园区就业之家")
    COLLEGE = "college", _("院校就业之家")
    RAILWAY_STATION = "railway_station", _("火车站服务台")
    CULTURE_SQUARE = "culture_square", _("文化广场服务台")


class ServicePoint(models.Model):
    """A node of the 5+2 network where staff serve people (就业之家)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=ServicePointKind.choices, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="service_points",
                               verbose_name=_("所在区划"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, through="StaffMembership", related_name="service_points",
                                   blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("就业之家")
        verbose_name_plural = _("就业之家")

    def __str__(self) -> str:
        return self.name


class StaffMembership(models.Model):
    """A user works at a service point (one person may serve several)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    service_point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="memberships")
    title = models.CharField(_("职务"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "service_point"], name="uniq_staff_membership")]
        verbose_name = _("站点工作人员")
        verbose_name_plural = _("站点工作人员")
