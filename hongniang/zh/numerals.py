"""Chinese numerals to numbers: 三千五 -> 3500, 一万二 -> 12000, 两百 -> 200, 四千五百 -> 4500, 1.2万 -> 12000.

Spoken shorthand: a trailing digit after a unit means the next lower unit (三千五 = 3500, 一万二 = 12000,
五百五 = 550, 两万三 = 23000). Mixed Arabic digits with units are handled (3千5, 1.2万, 4.5k).
"""

from __future__ import annotations

import re

__all__ = ["cn_to_number", "NUMBER_TOKEN", "parse_amount"]

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

_CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# A number token: Arabic (with decimals / k / w / 千 / 万 suffixes) or Chinese numerals.
NUMBER_TOKEN = (
    r"(?:\d+(?:\.\d+)?\s*(?:[kKwW千万](?:\d(?![\d.]))?)?"
    rf"|[{''.join(DIGITS)}十拾][{_CN_CHARS}]*)"
)


def _small(s: str) -> float:
    """Value below 10,000 from Chinese/Arabic characters (no 万/亿)."""
    if not s:
        return 0
    total = 0.0
    digit: float | None = None
    last_unit = None
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch.isdigit():
            m = re.match(r"\d+(?:\.\d+)?", s[i:])
            digit = float(m.group())
            i += len(m.group())
            continue
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        elif ch == "点" or ch == ".":
            raise ValueError("decimal in small part")
        else:
            raise ValueError(f"not a numeral: {ch}")
        i += 1
    if digit is not None:
        if (
            last_unit
            and last_unit >= 100
            and not s.endswith(("零", "〇"))
            and len(s) >= 2
            and s[-2] in SMALL_UNITS
        ):
            total += digit * last_unit // 10  # 三千五 -> 3500, 五百五 -> 550
        else:
            total += digit
    return total


def cn_to_number(text: str) -> float:
    """Convert a Chinese (or mixed) numeral to a number. Raises ValueError if it is not one.

    >>> cn_to_number("三千五"), cn_to_number("一万二"), cn_to_number("两百"), cn_to_number("4.5k")
    (3500.0, 12000.0, 200.0, 4500.0)
    """
    s = re.sub(r"\s+", "", text or "")
    if not s:
        raise ValueError("empty")
    low = s.lower()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kw千万])(\d)?", low)
    if m:
        base = float(m.group(1)) * (1000 if m.group(2) in "k千" else 10_000)
        if m.group(3):  # 3千5 / 1万2 shorthand
            base += int(m.group(3)) * (100 if m.group(2) in "k千" else 1000)
        return base
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    # 点 decimals: 一点五万 -> 15000
    total = 0.0
    rest = s
    for unit_char, unit in (("亿", 100_000_000), ("万", 10_000), ("萬", 10_000)):
        if unit_char in rest:
            head, _, rest = rest.partition(unit_char)
            if "点" in head:
                ip, _, fp = head.partition("点")
                val = _small(ip) + float("0." + "".join(str(DIGITS[c]) for c in fp))
            else:
                val = _small(head) if head else 1
            total += val * unit
            if rest and len(rest) == 1 and rest in DIGITS:  # 一万二 -> 12000
                total += DIGITS[rest] * unit // 10
                rest = ""
    if rest:
        if rest.startswith(("零", "〇")):
            rest = rest.lstrip("零〇")
        total += _small(rest)
    return total


def parse_amount(text: str) -> float | None:
    """``cn_to_number`` that returns None instead of raising."""
    try:
        return cn_to_number(text)
    except (ValueError, KeyError):
        return None
