import csv
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hongniang.zh.highlight import highlight
from hongniang.zh.numerals import cn_to_number
from hongniang.zh.posting import KEYS, parse_posting, split_ads
from hongniang.zh.segment import index_terms, tokenize_for_index

AD_ALPHABET = st.sampled_from(
    list(
        "招聘普工月薪元天小时计件包吃住长白班两倒岁名人限男女押金体检费日结保底过万-~至到0123456789一二两三四五六七八九十百千万，。：\n "
    )
    + ["---", "4.5k", "1380797", "0797-", "象湖镇", "村"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(AD_ALPHABET, max_size=60).map("".join))
def test_parser_never_crashes_and_keeps_its_shape(text):
    d = parse_posting(text).to_dict()
    assert list(d)[:-1] == list(KEYS)
    if d["pay_min"] is not None and d["pay_max"] is not None:
        assert d["pay_min"] <= d["pay_max"]
    if d["monthly_min"] is not None and d["monthly_max"] is not None:
        assert d["monthly_min"] <= d["monthly_max"]
    if d["age_min"] is not None and d["age_max"] is not None:
        assert d["age_min"] <= d["age_max"]
    for part in split_ads(text):
        assert part.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_tokenize_and_highlight_never_crash(text):
    tokenize_for_index(text)
    segs = highlight(text, [text[:2]] if text else [])
    assert "".join(s for s, _ in segs) == text


DIG = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Reference formal numeral writer for 1..99_999_999 (with 零 where digits are skipped)."""

    def small(x: int, leading: bool) -> str:
        out, zero = "", False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d == 0:
                zero = bool(out) or not leading
                continue
            if zero and (out or not leading):
                out += "零"
            zero = False
            out += ("" if (name == "十" and d == 1 and not out and leading) else DIG[d]) + name
        return out

    hi, lo = divmod(n, 10_000)
    if not hi:
        return small(lo, True)
    s = small(hi, True) + "万"
    if lo:
        s += ("零" if lo < 1000 else "") + small(lo, True)
    return s


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert cn_to_number(to_chinese(n)) == n


@given(st.text(alphabet="装配工叉车普长白班abc1", min_size=1, max_size=8))
def test_index_terms_are_substrings(term):
    for t in index_terms(term):
        assert t in term.lower()


OCC = "/work/shared/data/classifications/occupations_2022.csv"


@pytest.mark.skipif(not os.path.exists(OCC), reason="reference occupation table not available")
def test_occupation_codes_exist_in_the_2022_dictionary():
    from hongniang.zh.posting import _occupation_keywords

    with open(OCC, encoding="utf-8") as fh:
        occ = {r["code"]: r for r in csv.DictReader(fh)}
    for kw, code, name, _ in _occupation_keywords():
        if code:
            assert occ[code]["level"] == "4" and occ[code]["name"] == name, kw
