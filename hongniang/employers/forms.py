from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hongniang.core.forms import DomainErrorsMixin
from hongniang.geo.selectors import township_choices


class EnterpriseRegisterForm(DomainErrorsMixin, forms.Form):
    """A new HR account (phone + password) and its enterprise. Rules live in employers.services."""

    domain_error_fields = {"contact_phone": "phone"}

    name = forms.CharField(label=_("单位名称"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("营业执照上的全称")}))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False,
                                  help_text=_("营业执照上的 18 位代码"),
                                  widget=forms.TextInput(attrs={"autocapitalize": "characters"}))
    region_code = forms.CharField(label=_("所在乡镇"), required=False, widget=forms.Select)
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("手机号码（登录用）"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=8, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    password = forms.CharField(label=_("设置密码"), required=False, help_text=_("至少 6 位，不能全是数字"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再输一次密码"), required=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    description = forms.CharField(label=_("单位简介（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].widget.choices = township_choices(empty=gettext("请选择"))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", gettext("两次输入的密码不一致"))
        return data



class EnterpriseAddForm(EnterpriseRegisterForm):
    """For a user who is already logged in: the enterprise only."""

    domain_error_fields = {}

    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in ("phone", "password", "password2"):
            del self.fields[f]



class CloseForm(forms.Form):
    reason = forms.CharField(label=_("关闭原因（可不填）"), max_length=200, required=False)


class VerificationForm(DomainErrorsMixin, forms.Form):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False,
                                  widget=forms.TextInput(attrs={"autocapitalize": "characters"}))
    licence = forms.FileField(label=_("营业执照（PDF、JPG 或 PNG，不超过 5 MB）"), required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}))



class ClaimForm(DomainErrorsMixin, forms.Form):
    """A claim that a registered credit code is the user's company (rules in employers.services)."""

    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False,
                                  widget=forms.TextInput(attrs={"autocapitalize": "characters"}))
    name = forms.CharField(label=_("单位名称（与营业执照一致）"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    licence = forms.FileField(label=_("营业执照（PDF、JPG 或 PNG，不超过 5 MB）"), required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}))
    note = forms.CharField(label=_("说明（可不填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("例如：本单位从未在平台登记过，或原招聘专员已离职"))
