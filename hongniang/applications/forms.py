from django import forms


class QuickApplyForm(forms.Form):
    """Anonymous one-tap apply: phone (and name for a new profile) + consent."""

    phone = forms.CharField(label="手机号", max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                          "placeholder": "请输入手机号"}))
    name = forms.CharField(label="姓名", max_length=50, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": "您的姓名"}))
    consent = forms.BooleanField(label="同意把我的姓名和手机号提供给该企业，用于联系我面试", required=False)


class StaffApplyForm(forms.Form):
    seeker = forms.IntegerField(widget=forms.HiddenInput)
    consent_confirmed = forms.BooleanField(label="求职者本人已同意报名该岗位", required=False)
