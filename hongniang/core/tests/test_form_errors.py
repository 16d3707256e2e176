"""Domain errors onto forms, the field-by-field collector, and the htmx test."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory

from hongniang.core.errors import Conflict, FieldErrors, InvalidInput
from hongniang.core.forms import add_domain_errors
from hongniang.core.htmx import is_htmx


class _Form(forms.Form):
    phone = forms.CharField(required=False)
    name = forms.CharField(required=False)


def _bound():
    form = _Form({"phone": "1", "name": "x"})
    assert form.is_valid()
    return form


def test_every_field_gets_its_message_and_unknown_fields_go_above_the_form():
    form = _bound()
    add_domain_errors(form, InvalidInput("手机号不对", errors={"contact_phone": ["手机号不对"], "name": ["请填写姓名"],
                                                             "region": ["请选择乡镇"]}),
                      field_map={"contact_phone": "phone"})
    assert form.errors["phone"] == ["手机号不对"]
    assert form.errors["name"] == ["请填写姓名"]
    assert form.non_field_errors() == ["请选择乡镇"]


def test_an_error_without_fields_goes_above_the_form():
    form = _bound()
    add_domain_errors(form, Conflict("该记录已存在"))
    assert form.non_field_errors() == ["该记录已存在"] and not form.has_error("phone")


def test_field_errors_keep_the_first_message_per_field_and_raise_them_all():
    errors = FieldErrors()
    errors.add("date", "开工日期不能早于今天")
    errors.add("date", "只能发布 14 天以内的订单")

    def bad_phone():
        raise InvalidInput("请填写 11 位手机号", field="phone")

    assert errors.check("phone", bad_phone) is None
    assert errors.check("name", lambda: "张三") == "张三"
    with pytest.raises(InvalidInput) as caught:
        errors.raise_if_any()
    assert caught.value.message == "开工日期不能早于今天" and caught.value.field == "date"
    assert caught.value.errors == {"date": ["开工日期不能早于今天"], "phone": ["请填写 11 位手机号"]}


def test_nothing_collected_raises_nothing():
    FieldErrors().raise_if_any()


def test_htmx_requests_and_their_target():
    rf = RequestFactory()
    assert not is_htmx(rf.get("/"))
    assert is_htmx(rf.get("/", HTTP_HX_REQUEST="true"))
    assert is_htmx(rf.get("/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"), target="results")
    assert not is_htmx(rf.get("/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="box"), target="results")
