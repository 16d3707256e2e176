from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongniang.geo.models import Region, RegionKind
from hongniang.geo.selectors import township_choices

from .models import GigPayType, PayMethod, WorkType


def place_choices():
    rows = [("", _("请选择"))]
    for r in Region.objects.filter(kind__in=(RegionKind.TOWNSHIP, RegionKind.VILLAGE)).select_related("parent") \
            .order_by("code")[:3000]:
        rows.append((r.code, r.name if r.kind == RegionKind.TOWNSHIP else f"　{r.parent.name if r.parent_id else ''}{r.name}"))
    return rows


class OrderFilterForm(forms.Form):
    work_type = forms.ChoiceField(label=_("工种"), required=False, choices=[("", _("全部工种"))] + list(WorkType.choices))
    date = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    township = forms.ChoiceField(label=_("离哪个乡镇近"), required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = township_choices()


def employer_choice(employer) -> str:
    """The order form's value for a gig employer: its id, or "e<enterprise id>" for an enterprise's that is not
    saved yet (gigs.selectors.employers_to_post_for)."""
    return str(employer.pk) if employer.pk else f"e{employer.enterprise_id}"


class OrderForm(forms.Form):
    employer = forms.ChoiceField(label=_("雇主"), required=True)
    work_type = forms.ChoiceField(label=_("干什么活"), choices=WorkType.choices)
    title = forms.CharField(label=_("一句话说明（可不填）"), max_length=60, required=False)
    date = forms.DateField(label=_("哪天干"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("干到哪天（只干一天不用填）"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("几点开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("几点结束"), widget=forms.TimeInput(attrs={"type": "time"}))
    region = forms.ChoiceField(label=_("在哪个乡镇/村"))
    address = forms.CharField(label=_("详细地址"), max_length=200)
    pay_type = forms.ChoiceField(label=_("怎么算钱"), choices=GigPayType.choices, widget=forms.RadioSelect)
    pay_rate = forms.DecimalField(label=_("工钱（元）"), max_digits=10, decimal_places=2,
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    piece_unit = forms.CharField(label=_("计件单位（如 斤、箱）"), max_length=20, required=False)
    piece_hourly_estimate = forms.DecimalField(label=_("计件：正常速度每小时能挣多少元"), required=False,
                                               max_digits=8, decimal_places=2)
    headcount = forms.IntegerField(label=_("要几个人"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    requirements = forms.CharField(label=_("要求（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    meals_provided = forms.BooleanField(label=_("管饭"), required=False)
    transport_provided = forms.BooleanField(label=_("接送"), required=False)
    contact_name = forms.CharField(label=_("现场联系人（可不填）"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话（可不填，默认雇主电话）"), max_length=20, required=False)

    def __init__(self, *args, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [(employer_choice(e), e.name) for e in employers]
        self.fields["region"].choices = place_choices()
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("pay_type", "day")
            self.initial.setdefault("headcount", 1)


class QuickWorkerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=8, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    work_types = forms.MultipleChoiceField(label=_("会做的活（可多选）"), choices=WorkType.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    home_region = forms.ChoiceField(label=_("家住哪里（可不填）"), required=False)

    def __init__(self, *args, account_phone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_region"].choices = place_choices()
        if account_phone:  # a logged-in seeker joins with their log-in number: nothing to type or prove
            del self.fields["phone"]
            del self.fields["code"]


class WorkerProfileForm(forms.Form):
    work_types = forms.MultipleChoiceField(label=_("会做的活"), choices=WorkType.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    max_distance_km = forms.IntegerField(label=_("最远去多远（公里）"), min_value=1, max_value=200)


class PayForm(forms.Form):
    amount = forms.DecimalField(label=_("实付金额（元）"), max_digits=10, decimal_places=2)
    method = forms.ChoiceField(label=_("付款方式"), choices=PayMethod.choices, widget=forms.RadioSelect)


class IndividualEmployerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=8, required=False)
