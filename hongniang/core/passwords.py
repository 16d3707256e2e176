"""Password rules in Chinese whatever language the request asked for (an API client sending
Accept-Language: en still gets the same messages as every other API error)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

MESSAGES = {
    "password_too_short": "密码太短，至少 {min_length} 位",
    "password_entirely_numeric": "密码不能全是数字，请加上字母",
    "password_too_common": "密码太常见，容易被猜到，请换一个",
    "password_too_similar": "密码与手机号或用户名太相似，请换一个",
}


def password_errors(password: str, user=None) -> list[str]:
    """What is wrong with `password` under AUTH_PASSWORD_VALIDATORS, in Chinese ([] when it is fine)."""
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            out = []
            for err in exc.error_list:
                template = MESSAGES.get(err.code or "")
                out.append(template.format(**(err.params or {})) if template else str(err.message % (err.params or {})))
            return out
    return []
