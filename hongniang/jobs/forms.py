"""Forms for job pages. They only shape the input; the rules live in hongniang.jobs.services."""

from __future__ import annotations

from django import forms
from django.utils.choices import normalize_choices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hongniang.catalog.models import Occupation
from hongniang.core import pagecache
from hongniang.core.forms import DomainErrorsMixin
from hongniang.geo.models import Region, RegionKind
from hongniang.geo.selectors import township_choices

from .models import BENEFITS, PayType, Shift

SORT_CHOICES = [("", _("默认")), ("relevance", _("最相关")), ("distance", _("离我最近")), ("newest", _("最新发布")), ("pay", _("工资最高"))]


def occupation_choices(empty=_("全部工种"), include: str | None = None):
    rows = [(o.code, o.common_label or o.name) for o in Occupation.objects.filter(common=True).order_by("code")]
    if include and include not in {c for c, _ in rows}:
        occ = Occupation.objects.filter(code=include).first()
        if occ:
            rows.append((occ.code, occ.label))
    return [("", empty), *rows]


def region_choices():
    """Townships, each followed by its villages (an optgroup per township)."""
    townships = list(Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code"))
    villages: dict[str, list] = {}
    for v in Region.objects.filter(kind=RegionKind.VILLAGE).order_by("code").only("code", "name", "parent_id"):
        villages.setdefault(v.parent_id, []).append((v.code, v.name))
    out = [("", gettext("请选择"))]
    for t in townships:
        out.append((t.name, [(t.code, gettext("%(township)s（镇上）") % {"township": t.name}), *villages.get(t.code, [])]))
    return out


class JobFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": _("岗位、工种或企业，如：普工、缝纫、zpg"), "type": "search",
                                                                  "list": "q-suggestions", "autocomplete": "off"}))
    township = forms.ChoiceField(label=_("乡镇"), required=False)
    occupation = forms.ChoiceField(label=_("工种"), required=False)
    pay_min = forms.IntegerField(label=_("月收入不低于"), required=False, min_value=0,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("元")}))
    pay_max = forms.IntegerField(label=_("月收入不高于"), required=False, min_value=0,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("元")}))
    shift = forms.ChoiceField(label=_("班次"), required=False, choices=[("", _("不限")), *Shift.choices])
    benefits = forms.MultipleChoiceField(label=_("福利"), required=False, choices=list(BENEFITS.items()),
                                         widget=forms.CheckboxSelectMultiple)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        include = self.data.get("occupation") or None
        # reference data, the same for everyone: kept under the page cache's generation (hongniang.core.pagecache),
        # already in the normalized form the choices setter would make (it walks every option on each request)
        for name, key, make in (("township", "choices:township", township_choices),
                                ("occupation", f"choices:occupation:{include}",
                                 lambda: occupation_choices(include=include))):
            field = self.fields[name]
            field._choices = field.widget._choices = pagecache.shared(key, lambda m=make: normalize_choices(m()),
                                                                     ttl=600)

    def params(self) -> dict:
        """The valid filters only (a wrong value is dropped rather than failing the whole page)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "", [])}


class PostingForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(label=_("岗位名称"), max_length=60, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("如：缝纫工、普工、保洁")}))
    occupation = forms.CharField(label=_("工种"), required=False, widget=forms.Select)
    headcount = forms.CharField(label=_("招聘人数"), required=False,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}))
    pay_type = forms.ChoiceField(label=_("计薪方式"), choices=PayType.choices, initial=PayType.MONTHLY)
    pay_min = forms.CharField(label=_("最低薪资（元）"), required=False,
                              widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    pay_max = forms.CharField(label=_("最高薪资（元）"), required=False, help_text=_("不填则与最低薪资相同"),
                              widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    piece_unit = forms.CharField(label=_("计件单位"), required=False, max_length=20, help_text=_("计件工资才填，如：件、双、打"))
    est_monthly_min = forms.CharField(label=_("估算月收入下限（元）"), required=False, help_text=_("计件工资才填：熟练工一个月大约能拿多少"),
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    est_monthly_max = forms.CharField(label=_("估算月收入上限（元）"), required=False,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    shift = forms.ChoiceField(label=_("班次"), choices=Shift.choices, initial=Shift.DAY)
    board = forms.BooleanField(label=_("包吃"), required=False)
    lodging = forms.BooleanField(label=_("包住"), required=False)
    shuttle = forms.BooleanField(label=_("班车"), required=False)
    social_insurance = forms.BooleanField(label=_("五险一金"), required=False)
    other_benefits = forms.CharField(label=_("其他福利"), required=False, max_length=200)
    region = forms.CharField(label=_("工作地点"), required=False, widget=forms.Select,
                             help_text=_("选乡镇，或选到具体的村"))
    address = forms.CharField(label=_("详细地址"), required=False, max_length=200)
    age_min = forms.CharField(label=_("最低年龄"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    age_max = forms.CharField(label=_("最高年龄"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    description = forms.CharField(label=_("岗位描述"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text=_("工作内容、上班时间、要求等，写得越清楚越好"))

    BOOL_FIELDS = ("board", "lodging", "shuttle", "social_insurance")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.data.get("occupation") or self.initial.get("occupation") or None
        self.fields["occupation"].widget.choices = occupation_choices(empty=gettext("请选择工种（可不选）"), include=current)
        self.fields["region"].widget.choices = region_choices()

