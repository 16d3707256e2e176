"""A form renderer that writes the common widgets in Python (FORM_RENDERER in settings).

Django renders every widget — and every <option> of a <select> — through its template engine; the job list's
filter form (townships, occupations, shifts, benefits) cost more than all twenty job cards together. The
templates below are written here exactly as Django's own files write them (the same attributes, the same
escaping; only the whitespace between tags differs); any other template goes to Django's renderer."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _s(value) -> str:
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_s(name)}" if value is True else f' {_s(name)}="{_s(value)}"')
    return "".join(out)


def _input(w: dict) -> str:
    value = f' value="{_s(w["value"])}"' if w["value"] is not None else ""
    return f'<input type="{_s(w["type"])}" name="{_s(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _input_option(w: dict) -> str:
    """django/forms/widgets/input_option.html (checkbox_option, radio_option)."""
    if not w.get("wrap_label"):
        return _input(w)
    label_for = f' for="{_s(w["attrs"]["id"])}"' if w["attrs"].get("id") else ""
    return f'<label{label_for}>{_input(w)} {_s(w["label"])}</label>'


def _option(w: dict) -> str:
    return f'<option value="{_s(w["value"])}"{_attrs(w["attrs"])}>{_s(w["label"])}</option>'


def _select(w: dict) -> str:
    parts = [f'<select name="{_s(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{_s(group_name)}">')
        for option in group_choices:
            parts.append(_option(option) if option["template_name"] == "django/forms/widgets/select_option.html"
                         else None)
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    if None in parts:
        raise LookupError
    return "\n".join(parts)


def _textarea(w: dict) -> str:
    value = _s(w["value"]) if w["value"] else ""
    return f'<textarea name="{_s(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>'


_INPUTS = {f"django/forms/widgets/{n}.html" for n in (
    "input", "text", "number", "email", "url", "password", "hidden", "search", "tel", "date", "datetime", "time",
    "checkbox", "color")}
_FAST = {**dict.fromkeys(_INPUTS, _input), "django/forms/widgets/checkbox_option.html": _input_option,
         "django/forms/widgets/radio_option.html": _input_option, "django/forms/widgets/select.html": _select,
         "django/forms/widgets/select_option.html": _option, "django/forms/widgets/textarea.html": _textarea}


class FastRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        fast = _FAST.get(template_name)
        if fast is not None and "widget" in context:
            try:
                return mark_safe(fast(context["widget"]))
            except (KeyError, LookupError):
                pass  # a shape this renderer does not know: Django's template
        return super().render(template_name, context, request=request)
