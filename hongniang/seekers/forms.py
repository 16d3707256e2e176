"""Page forms: shape only (types, choices, required). The rules live in seekers.services; their errors are
copied back onto these forms by `hongniang.core.forms.add_domain_errors` (service field names renamed by
FIELD_MAP)."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hongniang.catalog.codes import Shift

from . import selectors
from .models import ConsentChannel


def _month_label(month: int) -> str:
    return gettext("%(month)s月") % {"month": month}


MONTH_CHOICES = [(m, lazy(_month_label, str)(m)) for m in range(1, 13)]

# service field name → form field name
FIELD_MAP = {"home_region_code": "home_region", "desired_occupations": "occupation_1"}


class AccountRegisterForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=8, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    password = forms.CharField(label=_("设置密码"), strip=False, help_text=_("至少 6 位，不能全是数字"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(label=_("我已阅读并同意《个人信息保护说明》"), required=True,
                                 error_messages={"required": _("请阅读并同意《个人信息保护说明》")})


def _occupation_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False)


class _ProfileFields(forms.Form):
    """Fields shared by the seeker's own profile and the staff walk-in form."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    township = forms.ChoiceField(label=_("乡镇"), required=False)
    home_region = forms.ChoiceField(label=_("村（社区）"), required=False)
    occupation_1 = _occupation_field(_("第一意向工种"))
    occupation_2 = _occupation_field(_("第二意向工种"))
    occupation_3 = _occupation_field(_("第三意向工种"))
    acceptable_shifts = forms.MultipleChoiceField(label=_("能接受的班次"), required=False, choices=Shift.choices,
                                                  widget=forms.CheckboxSelectMultiple)
    unavailable_months = forms.TypedMultipleChoiceField(label=_("农忙月份（这些月份不能全职上班）"), required=False,
                                                        choices=MONTH_CHOICES, coerce=int,
                                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        towns = list(selectors.townships().values_list("code", "name"))
        self.fields["township"].choices = [("", gettext("请选择乡镇"))] + towns
        town = self.data.get("township") or self.initial.get("township") or None
        self.fields["home_region"].choices = [("", gettext("请选择村（社区）"))] + selectors.village_choices(town)
        if town:  # a township is accepted when the village is not listed
            self.fields["home_region"].choices += [(town, gettext("（只选乡镇）"))]
        occ = [("", gettext("不选"))] + selectors.occupation_choices()
        for i in (1, 2, 3):
            self.fields[f"occupation_{i}"].choices = occ
        self.fields["township"].widget.attrs.update({
            "hx-get": "/me/villages/", "hx-target": "#id_home_region", "hx-swap": "innerHTML",
            "hx-trigger": "change"})

    def service_fields(self) -> dict:
        d = self.cleaned_data
        occs = [d.get(f"occupation_{i}") for i in (1, 2, 3)]
        return {
            "name": d["name"],
            "home_region_code": d.get("home_region") or "",
            "desired_occupations": [c for c in occs if c],
            "acceptable_shifts": d.get("acceptable_shifts") or [],
            "unavailable_months": d.get("unavailable_months") or [],
        }


class ProfileForm(_ProfileFields):
    id_number = forms.CharField(label=_("身份证号（可不填）"), max_length=20, required=False,
                                help_text=_("填写后只显示前 4 位和后 4 位，加密保存"))
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    certificates = forms.CharField(label=_("持有证书（用逗号分隔）"), max_length=300, required=False,
                                   help_text=_("如 电工证, 叉车证, 健康证"))
    expected_pay = forms.IntegerField(label=_("期望月薪（元）"), required=False, min_value=0, max_value=200000)
    max_commute_km = forms.IntegerField(label=_("最远通勤（公里）"), required=False, min_value=0, max_value=500)
    relocate = forms.BooleanField(label=_("提供住宿的话，愿意去外地上班"), required=False)

    field_order = ["name", "phone", "id_number", "township", "home_region", "occupation_1", "occupation_2",
                   "occupation_3", "certificates", "expected_pay", "acceptable_shifts", "max_commute_km",
                   "relocate", "unavailable_months"]

    def service_fields(self) -> dict:
        d = self.cleaned_data
        out = super().service_fields()
        out.update(phone=d["phone"], id_number=d.get("id_number") or "", certificates=d.get("certificates") or "",
                   expected_pay=d.get("expected_pay"), max_commute_km=d.get("max_commute_km"),
                   relocate=bool(d.get("relocate")))
        return out


STAFF_CONSENT_CHOICES = [(c.value, c.label) for c in ConsentChannel if c != ConsentChannel.ONLINE]


class StaffRegisterForm(_ProfileFields):
    id_number = forms.CharField(label=_("身份证号"), max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    consent_channel = forms.ChoiceField(label=_("求职者如何表示同意"), choices=STAFF_CONSENT_CHOICES,
                                        widget=forms.RadioSelect)
    consent = forms.BooleanField(label=_("求职者本人已同意登记并使用其个人信息找工作（本人作为见证人）"), required=True,
                                 error_messages={"required": _("请先取得求职者本人同意")})

    field_order = ["name", "id_number", "phone", "township", "home_region", "occupation_1", "occupation_2",
                   "occupation_3", "acceptable_shifts", "unavailable_months", "consent_channel", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_region"].required = True
        self.fields["id_number"].widget.attrs.update({
            # POST: the number travels in the body, never in a URL (access logs, proxies, browser history)
            "hx-post": "/me/staff/id-preview/", "hx-trigger": "keyup changed delay:400ms", "hx-include": "this",
            "hx-target": "#id-preview", "hx-swap": "innerHTML"})

    def service_fields(self) -> dict:
        out = super().service_fields()
        out.update(id_number=self.cleaned_data["id_number"], phone=self.cleaned_data["phone"],
                   consent_channel=self.cleaned_data["consent_channel"])
        return out


class PasswordForm(forms.Form):
    """A new password, proved by the old one or by an SMS code to the account's phone (seekers.services
    .account_set_password checks it)."""

    old_password = forms.CharField(label=_("原密码"), strip=False, required=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    code = forms.CharField(label=_("短信验证码"), max_length=8, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    new_password = forms.CharField(label=_("新密码"), strip=False, help_text=_("至少 6 位，不能全是数字"),
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("再输一次新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password2") and data["new_password"] != data["new_password2"]:
            self.add_error("new_password2", gettext("两次输入的新密码不一致"))
        return data
