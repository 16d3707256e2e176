"""Page forms: shape only; the rules live in outreach.services and imports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CallOutcome, ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportKind.choices, widget=forms.RadioSelect,
                             initial=ImportKind.SEEKERS)
    file = forms.FileField(label=_("表格文件（.xlsx、.xls 或 .csv）"))
    enterprise = forms.IntegerField(label=_("企业（导入岗位清单时必选）"), required=False, widget=forms.Select)
    service_point = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].widget.choices = [("", "—")] + [(e.pk, e.name) for e in enterprises]


class CallOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=CallOutcome.choices)
    note = forms.CharField(max_length=200, required=False)
    verbal_consent = forms.BooleanField(required=False)


class FollowUpForm(forms.Form):
    reached = forms.ChoiceField(label=_("是否联系上"), choices=[("yes", _("联系上了")), ("no", _("联系不上"))],
                                widget=forms.RadioSelect, initial="yes")
    still_working = forms.TypedChoiceField(label=_("还在这家单位上班吗"), required=False, widget=forms.RadioSelect,
                                           choices=[("1", _("还在")), ("0", _("已离职"))],
                                           coerce=lambda v: v == "1", empty_value=None)
    paid_as_promised = forms.TypedChoiceField(label=_("工资是否按约定发放"), required=False, widget=forms.RadioSelect,
                                              choices=[("1", _("是")), ("0", _("否")), ("", _("还没发工资"))],
                                              coerce=lambda v: v == "1", empty_value=None)
    problems = forms.CharField(label=_("遇到的问题（可不填）"), required=False, max_length=500,
                               widget=forms.Textarea(attrs={"rows": 3}))
