"""Validation of Chinese identifiers: resident ID numbers (GB 11643), unified social credit codes
(GB 32100) and mobile phone numbers. Pure functions; each returns the normalised value or raises
ValueError with a Chinese message a user can act on.

The check digits come from python-stdnum (cn.ric, cn.uscc) and phonenumbers, not from regexes.
"""

from __future__ import annotations

import datetime as _dt

import phonenumbers
from stdnum import exceptions as _stdnum_errors
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc


def normalize_id_number(value: str) -> str:
    """Return the 18-character ID number (upper-case X) or raise ValueError in Chinese."""
    raw = (value or "").strip().replace(" ", "").upper()
    if not raw:
        raise ValueError("请填写身份证号码")
    if len(raw) != 18:
        raise ValueError("身份证号码应为 18 位")
    if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise ValueError("身份证号码格式不正确：前 17 位应为数字，最后一位为数字或 X")
    if raw[-1] != _ric.calc_check_digit(raw):
        raise ValueError("身份证号码校验位不正确，请核对最后一位")
    try:
        birth = _ric.get_birth_date(raw)
    except _stdnum_errors.ValidationError:
        raise ValueError("身份证号码中的出生日期无效") from None
    if birth > _dt.date.today() or birth.year < 1900:
        raise ValueError("身份证号码中的出生日期无效")
    # The area code must exist, but not necessarily in the birth year: people born before a county
    # was renamed (瑞金 362102 → 360781 in 1994) got the new code when their card was first issued,
    # which python-stdnum's birth-year check wrongly rejects.
    from stdnum import numdb

    if not numdb.get("cn/loc").info(raw[:6])[0][1]:
        raise ValueError("身份证号码中的地区码无效")
    return raw


def id_number_facts(id_number: str) -> tuple[_dt.date, str]:
    """Birth date and gender ('M'/'F') encoded in a valid ID number."""
    number = normalize_id_number(id_number)
    birth = _ric.get_birth_date(number)
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return birth, gender


def mask_id_number(id_number: str) -> str:
    """3607**********1234: keep the first 4 and last 4 characters."""
    n = (id_number or "").strip()
    if len(n) < 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def normalize_credit_code(value: str) -> str:
    """Return the 18-character unified social credit code or raise ValueError in Chinese."""
    raw = (value or "").strip().replace(" ", "").upper()
    if not raw:
        raise ValueError("请填写统一社会信用代码")
    if len(raw) != 18:
        raise ValueError("统一社会信用代码应为 18 位")
    try:
        code = _uscc.validate(raw)
    except _stdnum_errors.InvalidChecksum:
        raise ValueError("统一社会信用代码校验位不正确，请核对") from None
    except _stdnum_errors.ValidationError:
        raise ValueError("统一社会信用代码格式不正确") from None
    # A check digit matches one code in 31 by chance (123456789012345678 does): the 3rd-8th characters are the
    # registering authority's administrative division code, which must be a real one (100000 for central ones).
    if code[2:8] != "100000" and not _known_division(code[2:8]):
        raise ValueError("统一社会信用代码中的登记管理机关行政区划码无效，请核对")
    return code


def _known_division(code: str) -> bool:
    from stdnum import numdb

    if not code.isdigit():
        return False
    info = numdb.get("cn/loc").info(code)
    return bool(info and len(info) > 1 and info[0][1] and info[1][1])


def normalize_phone(value: str) -> str:
    """Return an 11-digit mainland mobile number or raise ValueError in Chinese."""
    raw = "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")
    if not raw:
        raise ValueError("请填写手机号码")
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValueError("手机号码格式不正确") from None
    national = str(parsed.national_number)
    if (
        parsed.country_code != 86
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        or len(national) != 11
    ):
        raise ValueError("请填写有效的 11 位手机号码")
    return national


def mask_phone(phone: str) -> str:
    """138****5678."""
    p = (phone or "").strip()
    if len(p) != 11:
        return "*" * len(p)
    return p[:3] + "****" + p[-4:]


def mask_name(name: str) -> str:
    """张** / 欧阳*: keep the family name's first character."""
    n = (name or "").strip()
    if not n:
        return ""
    return n[0] + "*" * max(1, len(n) - 1)
