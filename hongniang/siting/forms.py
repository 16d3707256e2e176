"""The forms of the supply map, the recommender, what-if and opened sites. Pages and the API validate through the
same forms (the API passes its JSON body as the form's data)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniang.catalog.models import Occupation
from hongniang.matching import SHIFTS
from hongniang.matching.types import SHIFT_ZH
from hongniang.sitelib import AGE_BANDS, AVAILABILITY
from hongniang.sitelib.model import OCCUPATION_CODE

SHIFT_CHOICES = [("", _("不限"))] + [(s, SHIFT_ZH[s]) for s in SHIFTS]
AGE_CHOICES = [("", _("不限"))] + [(k, label) for k, _lo, _hi, label in AGE_BANDS]
AVAIL_CHOICES = [("", _("不限"))] + list(AVAILABILITY.items())
RELOCATE_CHOICES = [("", _("不限")), ("yes", _("愿意外出（提供住宿）")), ("no", _("只在家附近"))]
MAX_SITES = 5
MAX_CANDIDATES = 500
LINE = re.compile(r"^\s*([^,，]+)[,，]\s*(-?\d+(?:\.\d+)?)\s*[,，]\s*(-?\d+(?:\.\d+)?)\s*(?:[,，]\s*(\d+))?\s*$")


def occupation_choices():
    """Common occupations under their minor groups (a group matches everyone in it)."""
    common = list(Occupation.objects.filter(common=True).order_by("code").values_list("code", "name", "common_label"))
    groups = {c.rsplit("-", 1)[0] for c, *_ in common}
    names = dict(Occupation.objects.filter(code__in=groups).values_list("code", "name"))
    out = [("", _("不限"))]
    for g in sorted(groups):
        members = [(c, f"{label or name}（{c}）") for c, name, label in common if c.startswith(g + "-")]
        out.append((names.get(g, g), [(g, _("全部：%(group)s（%(code)s）") % {"group": names.get(g, g), "code": g})] + members))
    return out


def _code_list(value: str) -> list[str]:
    codes = [c.strip() for c in re.split(r"[,，;；\s]+", value or "") if c.strip()]
    bad = [c for c in codes if not OCCUPATION_CODE.match(c)]
    if bad:
        raise forms.ValidationError(_("职业代码格式不对：%(codes)s（例如 6-05-01-03）"), params={"codes": "、".join(bad)})
    return codes


def parse_site_lines(text: str, *, field_label: str) -> list[dict]:
    """Lines of "名称,纬度,经度[,容量]" -> [{name, lat, lon, capacity}]; errors name the line."""
    out, errors = [], []
    for n, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            errors.append(_("%(field)s第%(n)s行：应为“名称,纬度,经度”，例如“九堡镇,25.937,115.906”") % {"field": field_label, "n": n})
            continue
        lat, lon = float(m.group(2)), float(m.group(3))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(_("%(field)s第%(n)s行：坐标超出范围") % {"field": field_label, "n": n})
            continue
        out.append({"name": m.group(1).strip()[:60], "lat": lat, "lon": lon,
                    "capacity": int(m.group(4)) if m.group(4) else None})
    if errors:
        raise forms.ValidationError(errors)
    return out


class SupplyForm(forms.Form):
    occupation = forms.CharField(label=_("工种（或工种类别）"), required=False, widget=forms.Select)
    shift = forms.ChoiceField(label=_("班次"), choices=SHIFT_CHOICES, required=False)
    age = forms.ChoiceField(label=_("年龄段"), choices=AGE_CHOICES, required=False)
    availability = forms.ChoiceField(label=_("可工作时间"), choices=AVAIL_CHOICES, required=False)
    relocate = forms.ChoiceField(label=_("是否愿意外出"), choices=RELOCATE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].widget.choices = occupation_choices()

    def clean_occupation(self):
        v = (self.cleaned_data.get("occupation") or "").strip()
        if v and not OCCUPATION_CODE.match(v):
            raise forms.ValidationError(_("职业代码格式不对（例如 6-05-01-03）"))
        return v


class RecommendForm(forms.Form):
    need = forms.IntegerField(label=_("需要招多少人"), min_value=1, max_value=100000, initial=100)
    radius_km = forms.FloatField(label=_("通勤半径（公里）"), min_value=0.5, max_value=100, initial=10)
    k = forms.IntegerField(label=_("同时选几个地点"), min_value=1, max_value=MAX_SITES, initial=1,
                           help_text=_("1 为逐个排名；2–5 为几个地点合起来覆盖最多的人（精确求解）"))
    occupation = forms.CharField(label=_("工种（或工种类别）"), required=False, widget=forms.Select)
    more_occupations = forms.CharField(label=_("其他职业代码（可多个，逗号分隔）"), required=False, max_length=200)
    shift = forms.ChoiceField(label=_("班次"), choices=SHIFT_CHOICES, required=False)
    age_min = forms.IntegerField(label=_("最小年龄"), min_value=16, max_value=70, required=False)
    age_max = forms.IntegerField(label=_("最大年龄"), min_value=16, max_value=70, required=False)
    lodging = forms.BooleanField(label=_("提供住宿（愿意外出的人不受距离限制）"), required=False)
    weight_hours = forms.BooleanField(label=_("按可工作时长折算（只做4小时的妈妈岗算半个人）"), required=False)
    capacity = forms.IntegerField(label=_("每个新地点最多招多少人（不填为不限）"), min_value=1, max_value=100000,
                                  required=False)
    own_sites = forms.CharField(label=_("自选候选地点（不填则用全部乡镇和村）"), required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("每行一个：名称,纬度,经度[,容量]"))
    existing_sites = forms.CharField(label=_("已有厂区或车间（保持不变）"), required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("每行一个：名称,纬度,经度；这些地点已覆盖的人不再重复计算"))
    include_enterprise_sites = forms.BooleanField(label=_("把企业现有厂址和已开设地点算作已有"), required=False)
    enterprise = forms.IntegerField(label=_("为哪家企业（企业编号）"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].widget.choices = occupation_choices()

    def clean_occupation(self):
        v = (self.cleaned_data.get("occupation") or "").strip()
        return _code_list(v)

    def clean_more_occupations(self):
        return _code_list(self.cleaned_data.get("more_occupations") or "")

    def clean_own_sites(self):
        sites = parse_site_lines(self.cleaned_data.get("own_sites") or "", field_label=_("自选候选地点"))
        if len(sites) > MAX_CANDIDATES:
            raise forms.ValidationError(_("自选候选地点最多 %(n)s 个"), params={"n": MAX_CANDIDATES})
        return sites

    def clean_existing_sites(self):
        return parse_site_lines(self.cleaned_data.get("existing_sites") or "", field_label=_("已有厂区"))

    def clean(self):
        data = super().clean()
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("age_max", _("最大年龄不能小于最小年龄"))
        data["occupations"] = list(dict.fromkeys((data.get("occupation") or []) + (data.get("more_occupations") or [])))
        return data


class WhatIfForm(forms.Form):
    MODES = [("shuttle", _("开一条班车线路")), ("workshop", _("在那里开一个帮扶车间"))]
    mode = forms.ChoiceField(label=_("设想"), choices=MODES, initial="shuttle", widget=forms.RadioSelect)
    township = forms.CharField(label=_("乡镇"), widget=forms.Select)
    walk_km = forms.FloatField(label=_("步行到站点的距离（公里）"), min_value=0.2, max_value=5, initial=1.0,
                               required=False)
    workshop_radius_km = forms.FloatField(label=_("车间的通勤半径（公里）"), min_value=0.5, max_value=30, initial=5,
                                          required=False)
    radius_km = forms.FloatField(label=_("现有厂区的通勤半径（公里）"), min_value=0.5, max_value=100, initial=10,
                                 required=False)
    occupation = forms.CharField(label=_("工种（或工种类别）"), required=False, widget=forms.Select)
    shift = forms.ChoiceField(label=_("班次"), choices=SHIFT_CHOICES, required=False)
    age_min = forms.IntegerField(label=_("最小年龄"), min_value=16, max_value=70, required=False)
    age_max = forms.IntegerField(label=_("最大年龄"), min_value=16, max_value=70, required=False)
    enterprise = forms.IntegerField(label=_("企业编号"), required=False)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].widget.choices = occupation_choices()
        self.fields["township"].widget.choices = [("", _("请选择"))] + [(t.code, t.name) for t in townships]
        self._townships = {t.code for t in townships}

    def clean_township(self):
        v = self.cleaned_data.get("township")
        if v not in self._townships:
            raise forms.ValidationError(_("请选择一个乡镇"))
        return v

    def clean_occupation(self):
        return _code_list(self.cleaned_data.get("occupation") or "")

    def clean(self):
        data = super().clean()
        for name in ("walk_km", "workshop_radius_km", "radius_km"):
            if data.get(name) is None and name not in self.errors:
                data[name] = self.fields[name].initial
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("age_max", _("最大年龄不能小于最小年龄"))
        return data


class OpenedSiteForm(forms.Form):
    enterprise = forms.IntegerField(label=_("企业编号"))
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=[("branch", _("分厂")), ("workshop", _("帮扶车间")),
                                                     ("shuttle", _("班车线路"))])
    region = forms.CharField(label=_("所在乡镇/村（区划代码）"), max_length=12, required=False)
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    opened_on = forms.DateField(label=_("开设日期"), widget=forms.DateInput(attrs={"type": "date"}))
    predicted_3m = forms.IntegerField(label=_("预计3个月用工"), min_value=1)
    predicted_6m = forms.IntegerField(label=_("预计6个月用工"), min_value=1)
    predicted_12m = forms.IntegerField(label=_("预计12个月用工"), min_value=1)
    postings = forms.CharField(label=_("该地点的岗位编号（逗号分隔）"), required=False, max_length=500)
    scenario = forms.IntegerField(label=_("依据的方案编号"), required=False)

    def clean_postings(self):
        v = self.cleaned_data.get("postings") or ""
        parts = [p.strip() for p in re.split(r"[,，\s]+", v) if p.strip()]
        if any(not p.isdigit() for p in parts):
            raise forms.ValidationError(_("岗位编号必须是数字"))
        return [int(p) for p in parts]
