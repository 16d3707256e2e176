"""Password rules in plain words, in the request's language like every other error (the msgids are Chinese)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "password_too_short": _("密码太短，至少 %(min_length)s 位"),
    "password_entirely_numeric": _("密码不能全是数字，请加上字母"),
    "password_too_common": _("密码太常见，容易被猜到，请换一个"),
    "password_too_similar": _("密码与手机号或用户名太相似，请换一个"),
}


def password_errors(password: str, user=None) -> list[str]:
    """What is wrong with `password` under AUTH_PASSWORD_VALIDATORS ([] when it is fine)."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        out = []
        for err in exc.error_list:
            template = MESSAGES.get(err.code or "", err.message)
            out.append(str(template) % (err.params or {}))
        return out
    return []
