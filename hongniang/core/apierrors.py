"""The API's validation errors in Chinese: pydantic's error list (as django-ninja raises it) becomes
{field: [中文说明]}, keyed by the field's own name (`title`, `page`, `items.0.name`) rather than pydantic's
location (`body.payload.title`), and one message naming the first fields."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# pydantic error type -> Chinese; %(..)s filled from the error's ctx
MESSAGES = {
    "missing": _("此项必填"),
    "int_parsing": _("请填写整数"), "int_type": _("请填写整数"), "int_from_float": _("请填写整数"),
    "float_parsing": _("请填写数字"), "float_type": _("请填写数字"), "finite_number": _("请填写有效的数字"),
    "decimal_parsing": _("请填写数字"), "decimal_type": _("请填写数字"), "decimal_max_digits": _("数字位数太多"),
    "decimal_max_places": _("小数位数太多"), "decimal_whole_digits": _("数字位数太多"),
    "greater_than_equal": _("不能小于 %(ge)s"), "less_than_equal": _("不能大于 %(le)s"),
    "greater_than": _("必须大于 %(gt)s"), "less_than": _("必须小于 %(lt)s"),
    "string_too_short": _("至少 %(min_length)s 个字"), "string_too_long": _("不能超过 %(max_length)s 个字"),
    "string_type": _("请填写文字"), "string_pattern_mismatch": _("格式不正确"),
    "string_unicode": _("文字编码有误"),
    "too_short": _("至少 %(min_length)s 项"), "too_long": _("最多 %(max_length)s 项"),
    "bool_parsing": _("请填写 true 或 false"), "bool_type": _("请填写 true 或 false"),
    "date_parsing": _("日期格式应为 YYYY-MM-DD"), "date_type": _("日期格式应为 YYYY-MM-DD"),
    "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"), "date_from_datetime_inexact": _("日期格式应为 YYYY-MM-DD"),
    "datetime_parsing": _("时间格式应为 2026-01-31T08:00:00+08:00"), "datetime_type": _("时间格式应为 2026-01-31T08:00:00+08:00"),
    "datetime_from_date_parsing": _("时间格式应为 2026-01-31T08:00:00+08:00"),
    "time_parsing": _("时间格式应为 HH:MM"), "time_type": _("时间格式应为 HH:MM"),
    "literal_error": _("请从以下选项中选择：%(expected)s"), "enum": _("请从以下选项中选择：%(expected)s"),
    "list_type": _("应为列表"), "tuple_type": _("应为列表"), "set_type": _("应为列表"),
    "dict_type": _("应为对象"), "model_type": _("应为对象"), "model_attributes_type": _("应为对象"),
    "json_invalid": _("不是有效的 JSON"), "json_type": _("不是有效的 JSON"),
    "uuid_parsing": _("格式不正确"), "url_parsing": _("网址格式不正确"), "bytes_type": _("格式不正确"),
    "extra_forbidden": _("不认识的字段"),
}
LOCATIONS = ("body", "query", "path", "form", "file", "header", "cookie")


def field_name(loc) -> str:
    """`body.payload.title` -> `title`; `query.page` -> `page`; a whole missing body -> `body`."""
    parts = [str(x) for x in loc]
    if parts and parts[0] in LOCATIONS:
        kind = parts.pop(0)
        if kind == "body" and len(parts) >= 2:
            parts.pop(0)  # the view's parameter name (payload)
    return ".".join(parts) or "body"


def message(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error":  # a schema's own validator: its text (ours are Chinese)
        text = str(ctx.get("error") or err.get("msg", ""))
        return text.removeprefix("Value error, ") or gettext("输入有误")
    template = MESSAGES.get(kind)
    if template is None:
        return gettext("输入有误")
    template = str(template)
    try:
        return template % {k: str(v) for k, v in ctx.items()}
    except (KeyError, IndexError, ValueError, TypeError):
        return template.split("%(")[0].rstrip("：: ") or gettext("输入有误")


def validation_errors(errors) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for err in errors:
        out.setdefault(field_name(err.get("loc", ())), []).append(message(err))
    return out


def invalid_message(errors: dict[str, list[str]]) -> str:
    """One line naming the wrong fields: "输入有误：page 不能大于 10000；title 此项必填"."""
    if not errors:
        return gettext("输入有误，请检查后重新提交")
    parts = [f"{field} {messages[0]}" for field, messages in list(errors.items())[:3]]
    return gettext("输入有误：%(fields)s") % {"fields": "；".join(parts)}
