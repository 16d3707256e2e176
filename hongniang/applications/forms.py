from django import forms
from django.utils.translation import gettext_lazy as _


class QuickApplyForm(forms.Form):
    """Anonymous one-tap apply: phone (and name for a new profile) + consent."""

    phone = forms.CharField(label=_("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                          "placeholder": _("请输入手机号")}))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("您的姓名")}))
    consent = forms.BooleanField(label=_("同意把我的姓名和手机号提供给该企业，用于联系我面试"), required=False)
    code = forms.CharField(label=_("短信验证码"), max_length=8, required=False)


class StaffApplyForm(forms.Form):
    seeker = forms.IntegerField(widget=forms.HiddenInput)
    consent_confirmed = forms.BooleanField(label=_("求职者本人已同意报名该岗位"), required=False)
    consent_channel = forms.ChoiceField(label=_("求职者如何表示同意"), required=False, initial="verbal",
                                        choices=[("verbal", _("口头同意（本人见证）")), ("paper", _("纸质签字")),
                                                 ("screen", _("现场屏幕确认"))])
