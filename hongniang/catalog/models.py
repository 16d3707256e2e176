from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """中华人民共和国职业分类大典 (2022): level 1 major, 2 medium, 3 minor group, 4 occupation.
    Codes look like 6-05-01-03 (缝纫工)."""

    code = models.CharField(_("职业代码"), max_length=16, primary_key=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("层级"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    common = models.BooleanField(_("县域常见工种"), default=False, db_index=True,
                                 help_text=_("在选择器中优先列出的常见蓝领工种"))
    common_label = models.CharField(_("常用叫法"), max_length=32, blank=True,
                                    help_text=_("如 普工、保洁、司机：选择器里显示的通俗名称"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("职业")
        verbose_name_plural = _("职业")

    def __str__(self) -> str:
        return self.common_label or self.name

    @property
    def label(self) -> str:
        if self.common_label and self.common_label != self.name:
            return f"{self.common_label}（{self.name}）"
        return self.name


class Industry(models.Model):
    """GB/T 4754-2017: section (门类, letter), division (2 digits), group (3), class (4)."""

    code = models.CharField(_("行业代码"), max_length=8, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行业")
        verbose_name_plural = _("行业")

    def __str__(self) -> str:
        return self.name
