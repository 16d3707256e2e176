from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Platform


class SessionForm(forms.Form):
    title = forms.CharField(label=_("直播标题"), max_length=80)
    host_name = forms.CharField(label=_("主播"), max_length=50)
    platform = forms.ChoiceField(label=_("平台"), choices=Platform.choices)
    stream_url = forms.URLField(label=_("直播间链接"), required=False, assume_scheme="https")
    starts_at = forms.DateTimeField(label=_("开播时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                                  format="%Y-%m-%dT%H:%M"))
    posting_ids = forms.CharField(label=_("介绍的岗位编号（按介绍顺序，用逗号分开）"), max_length=400,
                                  help_text=_("岗位编号见岗位页面地址 /jobs/编号/"))
    description = forms.CharField(label=_("介绍"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_posting_ids(self):
        raw = self.cleaned_data["posting_ids"].replace("，", ",").replace(" ", ",")
        ids = []
        for part in raw.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise forms.ValidationError(_("岗位编号应为数字"))
            ids.append(int(part))
        if not ids:
            raise forms.ValidationError(_("请至少填写一个岗位编号"))
        return ids


class SignupForm(forms.Form):
    posting_id = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20)
