"""One-time SMS codes that prove someone holds a phone number.

    code = phone_code_send(phone="13800000001", purpose="quick_apply", ip=client_ip(request), actor=user)
    phone_code_check(phone="13800000001", purpose="quick_apply", code="123456")   # or InvalidInput

- A 6-digit code, valid PHONE_CODE_TTL_MINUTES (10) minutes, for one purpose only (a code sent to register
  cannot confirm a live-session lead); only the newest code for a number and purpose counts; used once.
- Stored as keyed hashes (the number and the code); the SMS outbox keeps the message with the code blanked.
- PHONE_CODE_MAX_ATTEMPTS (5) wrong tries and the code is dead: ask for a new one.
- Rate limits (PHONE_CODE_LIMITS): per number (1 a minute, 5 an hour, 10 a day: nobody can bomb a phone with
  texts), per client address and per logged-in user (nobody can send texts to many numbers).
- The same answer for every number: sending never looks at whether the number is registered, so the answer
  cannot tell an attacker who is.
- Sent at once through the pluggable sender (settings.SMS_SENDER; the console sender logs the text with the
  number masked, which is how the demo and the tests see codes). A code is not worth retrying minutes later:
  when the sender fails, the caller gets "短信发送失败，请稍后再试" and the person asks again.

Call `phone_code_check` before opening the transaction of the work it guards: a wrong code is counted in the
code's own row, and an outer transaction that rolls back on the error would undo that count.

`phone_code_send` returns the code for tests and callers that must show it to staff; never put it in a page or
an API answer.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongniang.core import throttle
from hongniang.core.errors import DomainError, InvalidInput
from hongniang.zh.validators import normalize_phone

from .models import PhoneCode, SmsMessage, SmsStatus
from .senders import get_sender
from .services import SMS_SIGNATURE

logger = logging.getLogger("hongniang.notifications")

CODE_DIGITS = 6
PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
DEFAULT_LIMITS = {
    # scope: (how many, within minutes)
    "phone_minute": (1, 1),
    "phone_hour": (5, 60),
    "phone_day": (10, 24 * 60),
    "address_hour": (20, 60),
    "user_hour": (10, 60),
}
WRONG = gettext_lazy("验证码不正确，请核对短信后重新输入")
EXPIRED = gettext_lazy("验证码已失效，请重新获取")
TOO_MANY_WRONG = gettext_lazy("验证码输错次数过多，请重新获取")


class SmsUnavailable(DomainError):
    code = "sms_unavailable"
    status = 503
    message = gettext_lazy("短信发送失败，请稍后再试")


def ttl() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "PHONE_CODE_TTL_MINUTES", 10))


def max_attempts() -> int:
    return getattr(settings, "PHONE_CODE_MAX_ATTEMPTS", 5)


def _limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **(getattr(settings, "PHONE_CODE_LIMITS", None) or {})}


def _phone(phone: str) -> str:
    try:
        return normalize_phone(str(phone or "")[:40])
    except ValueError as exc:
        raise InvalidInput(str(exc), field="phone") from None


def _purpose(purpose: str) -> str:
    if not PURPOSE_RE.match(purpose or ""):
        raise ValueError(f"phone code purpose must match {PURPOSE_RE.pattern}: {purpose!r}")
    return purpose


def _phone_hash(phone: str) -> str:
    return salted_hmac("hongniang.phone_code.phone", phone).hexdigest()[:40]


def _code_hash(salt: str, phone: str, purpose: str, code: str) -> str:
    digest = salted_hmac("hongniang.phone_code", f"{salt}:{phone}:{purpose}:{code}").hexdigest()
    return f"{salt}${digest}"[:64]


def _matches(stored: str, phone: str, purpose: str, code: str) -> bool:
    salt, _sep, _rest = stored.partition("$")
    return hmac.compare_digest(stored, _code_hash(salt, phone, purpose, code))


def sms_text(code: str) -> str:
    minutes = int(ttl().total_seconds() // 60)
    return f"{SMS_SIGNATURE}您的验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。"


def console_hint() -> str:
    """A line for pages in the demo: where the code went when no real SMS gateway is configured."""
    sender = getattr(settings, "SMS_SENDER", "") or ""
    if sender.endswith(".ConsoleSender"):
        return _("演示环境不发真实短信：验证码显示在运行网站的终端窗口里。")
    return ""


def _rate_checks(phone: str, ip: str | None, actor) -> list:
    limits = _limits()
    user_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None

    def rule(name: str, message: str) -> throttle.Rule:
        n, mins = limits[name]
        return throttle.Rule(scope=f"sms_code:{name}", limit=n, window=throttle.minutes(mins), message=message)

    return [
        (rule("phone_minute", _("验证码已发送，请 1 分钟后再试")), phone),
        (rule("phone_hour", _("该号码获取验证码太频繁，请 1 小时后再试")), phone),
        (rule("phone_day", _("该号码今天获取验证码次数已用完，请明天再试或到就业之家办理")), phone),
        (rule("address_hour", _("获取验证码太频繁，请稍后再试")), ip),
        (rule("user_hour", _("获取验证码太频繁，请稍后再试")), str(user_id) if user_id else None),
    ]


def phone_code_send(*, phone: str, purpose: str, ip: str | None = None, actor=None, text: str = "") -> str:
    """Text a new one-time code to `phone` for `purpose`. Returns the code (see the module note: never show
    it). Raises InvalidInput for a malformed number, RateLimited (429) past a limit, SmsUnavailable (503)
    when the sender fails. Answers the same whether or not the number belongs to anyone.

    text: the message instead of the standard one (sms_text), with "{code}" where the code goes — for a code
    the holder is meant to read out to someone at a desk, which must say what reading it out agrees to (the
    standard text tells them never to give it to anyone)."""
    phone = _phone(phone)
    purpose = _purpose(purpose)
    if text and "{code}" not in text:
        raise ValueError("a phone code text needs a {code} placeholder")
    throttle.guard(_rate_checks(phone, ip, actor))
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    text = text.replace("{code}", code) if text else sms_text(code)
    now = timezone.now()
    with transaction.atomic():
        row = PhoneCode.objects.create(
            phone_hash=_phone_hash(phone), purpose=purpose,
            code_hash=_code_hash(secrets.token_hex(6), phone, purpose, code), expires_at=now + ttl(),
            actor=actor if getattr(actor, "is_authenticated", False) else None)
        message = SmsMessage.objects.create(
            recipient=None, phone=phone, template=f"phone_code:{purpose}"[:64],
            body=text.replace(code, "*" * CODE_DIGITS), status=SmsStatus.QUEUED)

    try:
        get_sender().send(phone, text)
    except Exception as exc:  # noqa: BLE001 - any sender failure: the person asks again
        SmsMessage.objects.filter(pk=message.pk).update(
            status=SmsStatus.FAILED, attempts=1, last_error=f"{type(exc).__name__}: {exc}"[:300])
        PhoneCode.objects.filter(pk=row.pk).update(expires_at=now)  # never delivered: never valid
        logger.warning("phone code SMS %s failed: %s", message.pk, exc)
        raise SmsUnavailable() from None
    SmsMessage.objects.filter(pk=message.pk).update(status=SmsStatus.SENT, attempts=1, sent_at=timezone.now())
    if secrets.randbelow(50) == 0:  # housekeeping: codes are of no use after a day
        PhoneCode.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
    return code


def phone_code_check(*, phone: str, purpose: str, code: str) -> None:
    """Accept the newest unused code sent to `phone` for `purpose` and mark it used, or raise InvalidInput
    (field "code") with a Chinese message: wrong, expired, or too many wrong tries."""
    phone = _phone(phone)
    purpose = _purpose(purpose)
    code = "".join(str(code or "")[:20].split())
    now = timezone.now()
    failure = None
    with transaction.atomic():
        row = (PhoneCode.objects.select_for_update()
               .filter(phone_hash=_phone_hash(phone), purpose=purpose)
               .order_by("-created_at", "-id").first())
        if row is None or row.used_at is not None or row.expires_at <= now:
            failure = EXPIRED
        elif row.attempts >= max_attempts():
            failure = TOO_MANY_WRONG
        elif not (len(code) == CODE_DIGITS and code.isdigit() and _matches(row.code_hash, phone, purpose, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            failure = WRONG if row.attempts < max_attempts() else TOO_MANY_WRONG
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if failure:
        raise InvalidInput(failure, field="code", code="phone_code_invalid")
