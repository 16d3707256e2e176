from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hongniang.geo.models import Region, RegionKind, ServicePoint

from .models import EventKind, FollowUpOutcome, Outcome30

DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _townships():
    return Region.objects.filter(kind=RegionKind.TOWNSHIP).order_by("code")


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部"))] + list(EventKind.choices))
    township = forms.ChoiceField(label=_("乡镇"), required=False)
    date_from = forms.DateField(label=_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("到"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("全县"))] + [(r.code, r.name) for r in _townships()]


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("名称"), max_length=80)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DT_WIDGET)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DT_WIDGET)
    capacity = forms.IntegerField(label=_("可报名人数"), min_value=1, max_value=100000, initial=300)
    service_point = forms.ModelChoiceField(label=_("举办地点（就业之家）"), required=False,
                                           queryset=ServicePoint.objects.order_by("name"))
    venue = forms.CharField(label=_("场地或园区名称"), required=False, max_length=100)
    address = forms.CharField(label=_("地址"), required=False, max_length=200)
    township = TownshipChoiceField(label=_("所在乡镇"), required=False, queryset=Region.objects.none())
    online_url = forms.URLField(label=_("网络招聘会链接"), required=False, assume_scheme="https")
    booth_columns = forms.IntegerField(label=_("展位图每行展位数（线下招聘会）"), required=False, min_value=0,
                                       max_value=20, initial=6)
    description = forms.CharField(label=_("介绍"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    publish = forms.BooleanField(label=_("立即发布"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = _townships()


class BusForm(forms.Form):
    township = TownshipChoiceField(label=_("出发乡镇"), queryset=Region.objects.none())
    departure_place = forms.CharField(label=_("上车地点"), max_length=100)
    departs_at = forms.DateTimeField(label=_("发车时间"), widget=DT_WIDGET)
    seats = forms.IntegerField(label=_("座位数"), min_value=1, max_value=100, initial=45)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = _townships()


class CodeForm(forms.Form):
    code = forms.CharField(label=_("签到码（6 位）"), max_length=12,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "inputmode": "text",
                                                         "class": "code-input"}))


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel",
                                                                                         "autocomplete": "off"}))
    wanted = forms.CharField(label=_("想做的工作"), required=False, max_length=50,
                             help_text=_("如 普工、缝纫工、保安（可不填）"))
    consent_confirmed = forms.BooleanField(label=_("本人已同意登记个人信息（口头同意，本人见证）"))


class ScanForm(forms.Form):
    code = forms.CharField(label=_("求职者的签到码"), required=False, max_length=12,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "class": "code-input"}))
    phone = forms.CharField(label=_("或手机号（忘带签到码时）"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    posting = forms.ChoiceField(label=_("岗位"))
    interview = forms.BooleanField(label=_("同时约面试"), required=False)
    interview_at = forms.DateTimeField(label=_("面试时间"), required=False, widget=DT_WIDGET)

    def __init__(self, *args, postings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posting"].choices = [(p.pk, f"{p.title}（{p.pay_text}）") for p in postings]


class StaffRegisterForm(forms.Form):
    phone = forms.CharField(label=_("求职者手机号（本站点已登记）"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    bus = forms.ChoiceField(label=_("班车"), required=False)

    def __init__(self, *args, buses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bus"].choices = [("", _("不坐班车"))] + [(b.pk, str(b)) for b in buses]


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label=_("回访结果"), choices=FollowUpOutcome.choices, widget=forms.RadioSelect)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("30 天结果"), choices=Outcome30.choices, widget=forms.RadioSelect)
