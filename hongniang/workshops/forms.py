"""Page forms of the workshops app: they only parse; the services check the rules (and their InvalidInput lands
on these forms through DomainErrorsMixin)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniang.core.forms import DomainErrorsMixin
from hongniang.geo.models import Region, RegionKind

from .models import HandoverKind, WorkshopKind

NUM = {"inputmode": "numeric", "autocomplete": "off"}
DEC = {"inputmode": "decimal", "autocomplete": "off"}


class OrderForm(DomainErrorsMixin, forms.Form):
    product = forms.CharField(label=_("产品"), max_length=100)
    process = forms.CharField(label=_("工序"), max_length=200)
    occupation = forms.CharField(label=_("工种职业代码（可不填，例如 6-05-01-03 缝纫工）"), max_length=16, required=False)
    quantity = forms.CharField(label=_("数量（件）"), widget=forms.TextInput(attrs=NUM))
    piece_rate = forms.CharField(label=_("计件单价（元/件）"), widget=forms.TextInput(attrs=DEC))
    trial_workers = forms.CharField(label=_("试做人数（至少 5 人）"), initial="5", widget=forms.TextInput(attrs=NUM))
    trial_pieces_per_hour = forms.CharField(label=_("试做平均每小时件数"), widget=forms.TextInput(attrs=DEC))
    deadline = forms.DateField(label=_("交货期限"), widget=forms.DateInput(attrs={"type": "date"}))
    allowed_reject_rate = forms.CharField(label=_("允许次品率（%）"), initial="2", widget=forms.TextInput(attrs=DEC))
    quality_standard = forms.CharField(label=_("质量标准（对照样品）"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    materials = forms.CharField(label=_("领料与退料（企业提供的料、领料地点）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    splittable = forms.BooleanField(label=_("可以分给几个车间做"), required=False, initial=True)
    wage_days = forms.CharField(label=_("交货后几天内发工钱"), initial="10", widget=forms.TextInput(attrs=NUM))

    domain_error_fields = {"trial_workers": "trial_workers"}


class RetrialForm(DomainErrorsMixin, forms.Form):
    """A new timed trial of a flagged order (the service checks the fair rate)."""

    trial_workers = forms.CharField(label=_("这次试做人数（至少 5 人）"), initial="5", widget=forms.TextInput(attrs=NUM))
    trial_pieces_per_hour = forms.CharField(label=_("试做平均每小时件数"), widget=forms.TextInput(attrs=DEC))
    piece_rate = forms.CharField(label=_("新的计件单价（元/件）"), widget=forms.TextInput(attrs=DEC))
    note = forms.CharField(label=_("说明（在哪里、和谁试做，可不填）"), max_length=200, required=False)


def _regions_in(codes=None):
    qs = Region.objects.filter(kind__in=(RegionKind.TOWNSHIP, RegionKind.VILLAGE)).select_related("parent")
    if codes is not None:
        qs = qs.filter(pk__in=codes) | qs.filter(parent_id__in=codes)
    return qs.order_by("code")


class WorkshopForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField(label=_("车间名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=WorkshopKind.choices)
    region = forms.ChoiceField(label=_("所在村（社区）或乡镇"))
    owner_name = forms.CharField(label=_("负责人姓名"), max_length=50)
    owner_phone = forms.CharField(label=_("负责人手机（用来登录）"), max_length=11,
                                  widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    stations = forms.CharField(label=_("工位数"), initial="10", widget=forms.TextInput(attrs=NUM))
    hours_per_day = forms.CharField(label=_("每天工作几小时"), initial="6", widget=forms.TextInput(attrs=DEC))
    usual_hours = forms.CharField(label=_("通常上班时间（例如 8:00–11:30，14:00–17:30）"), max_length=100, required=False)
    skills = forms.CharField(label=_("会做的工序的职业代码（用空格隔开，可不填）"), max_length=200, required=False)
    skills_text = forms.CharField(label=_("会做的活"), max_length=200, required=False)
    equipment = forms.CharField(label=_("设备"), max_length=200, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.full_name) for r in _regions_in(townships)]


class WorkerForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField(label=_("工人姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=11,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class HandoverForm(DomainErrorsMixin, forms.Form):
    share = forms.ChoiceField(label=_("车间"))
    kind = forms.ChoiceField(label=_("类型"), choices=HandoverKind.choices)
    quantity = forms.CharField(label=_("数量（件）"), widget=forms.TextInput(attrs=NUM))
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}),
                           initial=timezone.localdate)
    handed_by = forms.CharField(label=_("经手人"), max_length=50, required=False)
    reason = forms.CharField(label=_("原因（次品必填：对照样品哪里不合格）"), max_length=200, required=False)
    photos = forms.FileField(label=_("照片（次品必须上传照片，与约定样品对照；JPG/PNG，每张不超过 5 MB）"), required=False,
                             widget=MultipleFiles(attrs={"accept": "image/jpeg,image/png,image/webp"}))

    def __init__(self, *args, shares=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].choices = [(s.pk, s.workshop.name) for s in shares]


class FiguresFilter(forms.Form):
    since = forms.DateField(label=_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("到"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    township = forms.ChoiceField(label=_("乡镇"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        towns = Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code")
        self.fields["township"].choices = [("", _("全市"))] + [(t.code, t.name) for t in towns]

    def period(self) -> tuple[dt.date | None, dt.date | None, str]:
        if not self.is_valid():
            return None, None, ""
        d = self.cleaned_data
        return d.get("since"), d.get("until"), d.get("township") or ""
