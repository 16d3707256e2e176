"""The Python form renderer writes what Django's widget templates write (whitespace between tags aside)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from hongniang.core.formrender import FastRenderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": '如："张三" <b>', "autofocus": True}))
    age = forms.IntegerField(min_value=16, required=False)
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}))
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agree = forms.BooleanField(required=False)
    shift = forms.ChoiceField(choices=[("", "不限"), ("day", "白班"), ("night", "夜班 & 倒班")])
    region = forms.ChoiceField(choices=[("", "请选择"), ("象湖镇", [("1", "象湖镇（镇上）"), ("2", "<村>")]),
                                        ("九堡镇", [("3", "九堡镇")])])
    benefits = forms.MultipleChoiceField(choices=[("board", "包吃"), ("lodging", "包住")],
                                         widget=forms.CheckboxSelectMultiple, required=False)
    kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)


def _norm(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("data", [None, {"name": '"><script>x</script>', "age": "30", "phone": "13800000001",
                                         "hidden": "h&", "note": "多行\n<b>文字</b>", "agree": "on", "shift": "night",
                                         "region": "2", "benefits": ["lodging"], "kind": "b", "day": "2026-12-03",
                                         "many": ["x", "y"]}])
def test_every_widget_renders_as_django_renders_it(data):
    slow, fast = DjangoTemplates(), FastRenderer()
    form_slow, form_fast = Everything(data, renderer=slow), Everything(data, renderer=fast)
    for name in Everything.base_fields:
        assert _norm(form_fast[name]) == _norm(form_slow[name]), name
        for a, b in zip(form_fast[name].subwidgets, form_slow[name].subwidgets, strict=True):
            assert _norm(a.tag()) == _norm(b.tag()), name
    assert _norm(form_fast.as_div()) == _norm(form_slow.as_div())


def test_the_job_filter_form_renders_the_same(db, regions, occupations):
    from hongniang.jobs.forms import JobFilterForm

    data = {"q": "普工", "township": regions["xianghu"].code, "shift": "day", "benefits": ["board"], "sort": "pay"}
    a, b = JobFilterForm(data, renderer=FastRenderer()), JobFilterForm(data, renderer=DjangoTemplates())
    for name in JobFilterForm.base_fields:
        assert _norm(a[name]) == _norm(b[name]), name
    assert 'selected' in str(a["township"])
