from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("举报类型"), choices=ReportReason.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("简单说明（可不填）"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("如：面试时要求先交 300 元押金")}))


class DecisionForm(forms.Form):
    action = forms.CharField()
    reason = forms.CharField(required=False, max_length=500)
