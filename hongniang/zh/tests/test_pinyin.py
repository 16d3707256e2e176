import pytest

from hongniang.zh.pinyin import PinyinMatcher, edit_distance_le1, fuzzy_key, normalize_latin, pinyin_keys

VOCAB = [
    "装配工",
    "长白班",
    "长白班普工",
    "缝纫工",
    "保洁员",
    "叉车工",
    "瑞金电子厂",
    "重庆火锅店",
    "包装工",
    "操作工",
    "普工",
    "中国银行瑞金支行",
    "会计",
    "泽覃乡",
    "九堡镇",
    "装卸工",
    "质检员",
    "仓管员",
]


@pytest.mark.parametrize(
    "term,full,initials",
    [
        ("装配工", "zhuangpeigong", "zpg"),
        ("长白班", "changbaiban", "cbb"),
        ("重庆", "chongqing", "cq"),
        ("银行", "yinhang", "yh"),
        ("会计", "kuaiji", "kj"),
        ("泽覃乡", "zetanxiang", "ztx"),
        ("仓管员", "cangguanyuan", "cgy"),
        ("女工", "nvgong", "ng"),
        ("C1驾照", "c1jiazhao", "cjz"),
    ],
)
def test_pinyin_keys_with_phrase_overrides(term, full, initials):
    assert pinyin_keys(term) == (full, initials)


@pytest.fixture(scope="module")
def matcher():
    return PinyinMatcher(VOCAB)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("zpg", "装配工"),
        ("cbb", "长白班"),
        ("zhuangpeigong", "装配工"),
        ("Zhuang Pei Gong", "装配工"),
        ("zhuangpg", "装配工"),
        ("fengrengong", "缝纫工"),
        ("rjdzc", "瑞金电子厂"),
        ("changbai", "长白班"),
    ],
)
def test_lookup_first_hit(matcher, query, expected):
    assert matcher.lookup(query)[0] == expected


@pytest.mark.parametrize(
    "query", ["zhuanpeigong", "zhuangpeigon", "zhuangpiegong", "zuangpeigong", "xzhuangpeigong"]
)
def test_near_miss_spellings_find_the_term(matcher, query):
    assert "装配工" in matcher.lookup(query)


def test_prefix_lists_all_candidates(matcher):
    got = matcher.lookup("zh")
    assert {"装配工", "质检员", "中国银行瑞金支行", "装卸工"} <= set(got)
    assert "重庆火锅店" not in got


def test_exact_before_prefix(matcher):
    assert matcher.lookup("cbb")[:2] == ["长白班", "长白班普工"]


def test_unknown_and_chinese_queries_give_nothing(matcher):
    assert matcher.lookup("qqqqqq") == []
    assert matcher.lookup("装配") == []
    assert matcher.lookup("") == []


def test_weights_order_candidates():
    m = PinyinMatcher(["包装工", "保洁员", "搬运工"], weights={"搬运工": 10, "保洁员": 5})
    assert m.lookup("b") == ["搬运工", "保洁员", "包装工"]


def test_helpers():
    assert normalize_latin("Lü'Se ") == "lvse"
    assert fuzzy_key("zhuangpeigong") == fuzzy_key("zuanpeigon")
    assert (
        edit_distance_le1("abc", "abd")
        and edit_distance_le1("abc", "ab")
        and edit_distance_le1("abc", "xabc")
    )
    assert edit_distance_le1("peigong", "piegong")
    assert not edit_distance_le1("abc", "cab")


def test_fast_scan_agrees_with_pypinyin_where_no_override_applies():
    import re

    from pypinyin import Style, lazy_pinyin

    from hongniang.zh.pinyin import _overrides, syllables

    from .corpus import corpus

    overrides = _overrides()[0]
    checked = 0
    for text in corpus(300, seed=21):
        for run in re.findall(r"[\u4e00-\u9fff]+", text):
            if any(o in run for o in overrides):
                continue
            assert list(syllables(run)) == lazy_pinyin(run, style=Style.NORMAL), run
            checked += 1
    assert checked > 500
