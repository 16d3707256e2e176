"""The API's validation errors in Chinese: pydantic's error list (as django-ninja raises it) becomes
{field: [中文说明]}, keyed by the field's own name (`title`, `page`, `items.0.name`) rather than pydantic's
location (`body.payload.title`), and one message naming the first fields."""

from __future__ import annotations

# pydantic error type -> Chinese; {..} filled from the error's ctx
MESSAGES = {
    "missing": "此项必填",
    "int_parsing": "请填写整数", "int_type": "请填写整数", "int_from_float": "请填写整数",
    "float_parsing": "请填写数字", "float_type": "请填写数字", "finite_number": "请填写有效的数字",
    "decimal_parsing": "请填写数字", "decimal_type": "请填写数字", "decimal_max_digits": "数字位数太多",
    "decimal_max_places": "小数位数太多", "decimal_whole_digits": "数字位数太多",
    "greater_than_equal": "不能小于 {ge}", "less_than_equal": "不能大于 {le}",
    "greater_than": "必须大于 {gt}", "less_than": "必须小于 {lt}",
    "string_too_short": "至少 {min_length} 个字", "string_too_long": "不能超过 {max_length} 个字",
    "string_type": "请填写文字", "string_pattern_mismatch": "格式不正确",
    "string_unicode": "文字编码有误",
    "too_short": "至少 {min_length} 项", "too_long": "最多 {max_length} 项",
    "bool_parsing": "请填写 true 或 false", "bool_type": "请填写 true 或 false",
    "date_parsing": "日期格式应为 YYYY-MM-DD", "date_type": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD", "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 2026-01-31T08:00:00+08:00", "datetime_type": "时间格式应为 2026-01-31T08:00:00+08:00",
    "datetime_from_date_parsing": "时间格式应为 2026-01-31T08:00:00+08:00",
    "time_parsing": "时间格式应为 HH:MM", "time_type": "时间格式应为 HH:MM",
    "literal_error": "请从以下选项中选择：{expected}", "enum": "请从以下选项中选择：{expected}",
    "list_type": "应为列表", "tuple_type": "应为列表", "set_type": "应为列表",
    "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON", "json_type": "不是有效的 JSON",
    "uuid_parsing": "格式不正确", "url_parsing": "网址格式不正确", "bytes_type": "格式不正确",
    "extra_forbidden": "不认识的字段",
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
        return text.removeprefix("Value error, ") or "输入有误"
    template = MESSAGES.get(kind)
    if template is None:
        return "输入有误"
    try:
        return template.format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].rstrip("：: ") or "输入有误"


def validation_errors(errors) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for err in errors:
        out.setdefault(field_name(err.get("loc", ())), []).append(message(err))
    return out


def invalid_message(errors: dict[str, list[str]]) -> str:
    """One line naming the wrong fields: "输入有误：page 不能大于 10000；title 此项必填"."""
    if not errors:
        return "输入有误，请检查后重新提交"
    parts = [f"{field} {messages[0]}" for field, messages in list(errors.items())[:3]]
    return "输入有误：" + "；".join(parts)
