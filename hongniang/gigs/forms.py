from __future__ import annotations

from django import forms
from django.utils import timezone

from hongniang.geo.models import Region, RegionKind
from hongniang.geo.selectors import township_choices

from .models import GigPayType, PayMethod, WorkType


def place_choices():
    rows = [("", "请选择")]
    for r in Region.objects.filter(kind__in=(RegionKind.TOWNSHIP, RegionKind.VILLAGE)).select_related("parent") \
            .order_by("code")[:3000]:
        rows.append((r.code, r.name if r.kind == RegionKind.TOWNSHIP else f"　{r.parent.name if r.parent_id else ''}{r.name}"))
    return rows


class OrderFilterForm(forms.Form):
    work_type = forms.ChoiceField(label="工种", required=False, choices=[("", "全部工种")] + list(WorkType.choices))
    date = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    township = forms.ChoiceField(label="离哪个乡镇近", required=False)
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
    employer = forms.ChoiceField(label="雇主", required=True)
    work_type = forms.ChoiceField(label="干什么活", choices=WorkType.choices)
    title = forms.CharField(label="一句话说明（可不填）", max_length=60, required=False)
    date = forms.DateField(label="哪天干", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="干到哪天（只干一天不用填）", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="几点开始", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="几点结束", widget=forms.TimeInput(attrs={"type": "time"}))
    region = forms.ChoiceField(label="在哪个乡镇/村")
    address = forms.CharField(label="详细地址", max_length=200)
    pay_type = forms.ChoiceField(label="怎么算钱", choices=GigPayType.choices, widget=forms.RadioSelect)
    pay_rate = forms.DecimalField(label="工钱（元）", max_digits=10, decimal_places=2,
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    piece_unit = forms.CharField(label="计件单位（如 斤、箱）", max_length=20, required=False)
    piece_hourly_estimate = forms.DecimalField(label="计件：正常速度每小时能挣多少元", required=False,
                                               max_digits=8, decimal_places=2)
    headcount = forms.IntegerField(label="要几个人", widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    requirements = forms.CharField(label="要求（可不填）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    meals_provided = forms.BooleanField(label="管饭", required=False)
    transport_provided = forms.BooleanField(label="接送", required=False)
    contact_name = forms.CharField(label="现场联系人（可不填）", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话（可不填，默认雇主电话）", max_length=20, required=False)

    def __init__(self, *args, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [(employer_choice(e), e.name) for e in employers]
        self.fields["region"].choices = place_choices()
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("pay_type", "day")
            self.initial.setdefault("headcount", 1)


class QuickWorkerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    code = forms.CharField(label="短信验证码", max_length=8, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    work_types = forms.MultipleChoiceField(label="会做的活（可多选）", choices=WorkType.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    home_region = forms.ChoiceField(label="家住哪里（可不填）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_region"].choices = place_choices()


class WorkerProfileForm(forms.Form):
    work_types = forms.MultipleChoiceField(label="会做的活", choices=WorkType.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    max_distance_km = forms.IntegerField(label="最远去多远（公里）", min_value=1, max_value=200)


class PayForm(forms.Form):
    amount = forms.DecimalField(label="实付金额（元）", max_digits=10, decimal_places=2)
    method = forms.ChoiceField(label="付款方式", choices=PayMethod.choices, widget=forms.RadioSelect)


class IndividualEmployerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    code = forms.CharField(label="短信验证码", max_length=8, required=False)
