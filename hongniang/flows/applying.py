"""Register-and-apply: a visitor applies with a phone number and the SMS code texted to it. The seekers app
finds or creates the person behind the number (an account, a profile), the applications app the application —
in one transaction, so nothing is half-saved when anything fails. The code comes first: nobody gets an account
for, or a session as, a number they do not hold, and the answer to a number nobody proved is the same whether
or not it is registered."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hongniang.applications.services import application_apply, check_posting_open
from hongniang.core.errors import InvalidInput
from hongniang.notifications.phone_codes import phone_code_check, phone_code_send
from hongniang.seekers.services import (
    QUICK_APPLY_CODE_PURPOSE,
    account_quick_apply_logged_in,
    seeker_for_verified_phone,
)
from hongniang.zh.validators import normalize_phone


def _phone(phone: str) -> str:
    try:
        return normalize_phone(phone or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="phone") from None


def quick_apply_send_code(*, phone: str, posting, ip: str | None = None) -> None:
    """Step 1: text a code to the number (rate-limited; the same answer for every number)."""
    check_posting_open(posting)
    phone_code_send(phone=_phone(phone), purpose=QUICK_APPLY_CODE_PURPOSE, ip=ip)


def quick_apply(*, name: str, phone: str, posting, consent: bool, code: str):
    """Step 2: the code proves the number; then (user, application). The user is the account the page logs in
    (a new one, or the existing plain account of that number); the proof is recorded for it (account.login_quick_apply),
    so the page that logs it in may let it set a password without a second code (seekers.phone_proof). A posting no longer published raises InvalidInput
    "posting_closed" before anything is written; a wrong code raises InvalidInput "phone_code_invalid"."""
    check_posting_open(posting)
    phone = _phone(phone)
    if not consent:
        raise InvalidInput(_("请勾选同意把姓名和手机号提供给该企业"), field="consent")
    if not (code or "").strip():
        raise InvalidInput(_("请填写短信验证码"), field="code")
    phone_code_check(phone=phone, purpose=QUICK_APPLY_CODE_PURPOSE, code=code)  # before the transaction
    with transaction.atomic():
        user, seeker = seeker_for_verified_phone(name=name, phone=phone, consent=consent)
        application = application_apply(seeker=seeker, posting=posting, actor=user)
        account_quick_apply_logged_in(user=user)  # the phone is proven: a password may follow without a 2nd code
    return user, application
