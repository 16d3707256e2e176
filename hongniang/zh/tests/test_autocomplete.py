import random
import time

import pytest

from hongniang.zh.autocomplete import Autocompleter
from hongniang.zh.pinyin import pinyin_keys

from .corpus import JOBS, PLACES

VOCAB = {
    "装配工": 120,
    "装配钳工": 3,
    "长白班普工": 40,
    "缝纫工": 80,
    "中国银行": 2,
    "招聘": 1,
    "装修工": 70,
    "保洁员": 60,
    "包装工": 55,
    "C1司机": 4,
    "叉车工": 30,
}


@pytest.fixture(scope="module")
def ac():
    return Autocompleter(VOCAB)


def test_chinese_prefix(ac):
    assert ac.suggest("装") == ["装配工", "装修工", "装配钳工"]


def test_initials(ac):
    assert ac.suggest("zpg") == ["装配工"]
    assert ac.suggest("cbb") == ["长白班普工"]


def test_full_pinyin_prefix(ac):
    assert ac.suggest("zhuangp") == ["装配工", "装配钳工"]


def test_mixed_case_and_fullwidth(ac):
    assert ac.suggest("ＺＰＧ") == ["装配工"]
    assert ac.suggest("c1") == ["C1司机"]


def test_weight_orders_and_limit(ac):
    assert ac.suggest("b", limit=2) == ["保洁员", "包装工"]
    assert ac.suggest("z", limit=0) == []


def test_no_match(ac):
    assert ac.suggest("xyzq") == []
    assert ac.suggest("") == []


def test_each_term_once_even_when_full_and_initials_match():
    ac = Autocompleter({"保安": 5})
    assert ac.suggest("b") == ["保安"]


def test_accepts_pairs_and_plain_terms():
    assert Autocompleter([("普工", 2), ("普通工", 1)]).suggest("p") == ["普工", "普通工"]
    assert Autocompleter(["普工"]).suggest("p") == ["普工"]


def test_results_equal_a_linear_scan_on_random_vocabulary():
    rng = random.Random(5)
    vocab = {}
    for _ in range(3000):
        vocab[rng.choice(PLACES) + rng.choice(JOBS) + str(rng.randint(1, 99))] = rng.randint(1, 10_000)
    ac = Autocompleter(vocab)
    keys = {t: pinyin_keys(t) for t in vocab}
    for q in ["电子", "pg", "dzc", "fuzhuang", "超市收", "c", "xie"]:
        expect = sorted(
            (t for t in vocab if t.startswith(q) or keys[t][0].startswith(q) or keys[t][1].startswith(q)),
            key=lambda t: (-vocab[t], len(t), t),
        )[:10]
        assert ac.suggest(q) == expect, q


def test_fast_enough_for_every_keystroke():
    rng = random.Random(9)
    vocab = {rng.choice(PLACES) + rng.choice(JOBS) + str(i): rng.random() for i in range(20_000)}
    ac = Autocompleter(vocab)
    t0 = time.perf_counter()
    for q in ["d", "dz", "电", "电子厂", "zpg", "fuzhuangchang"] * 50:
        ac.suggest(q)
    assert (time.perf_counter() - t0) / 300 < 0.005


def test_precomputed_keys_are_used():
    ac = Autocompleter({"长白班": 1}, keys={"长白班": ("changbaiban", "cbb")})
    assert ac.suggest("cbb") == ["长白班"]
    assert Autocompleter({"普工": 1}, keys={}).suggest("pg") == ["普工"]


def test_infix_matches_come_after_prefix_matches():
    ac = Autocompleter({"普工": 1, "电子厂普工": 50, "长白班普工": 10, "普通话教师": 5}, infix=True)
    assert ac.suggest("普工") == ["普工", "电子厂普工", "长白班普工"]
    assert ac.suggest("普") == ["普通话教师", "普工", "电子厂普工", "长白班普工"]
    assert Autocompleter({"电子厂普工": 1}).suggest("普工") == []
