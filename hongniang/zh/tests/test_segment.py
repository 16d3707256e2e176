import random

import pytest

from hongniang.zh._text import CJK_RUN_RE, normalize
from hongniang.zh.segment import (
    fts5_match,
    index_terms,
    index_text,
    matches,
    tokenize_for_index,
    tokenize_query,
    tsquery,
)

from .corpus import JOBS, corpus


@pytest.fixture(scope="module")
def docs():
    texts = corpus(400, seed=11)
    return [
        (normalize(t), set(tokenize_for_index(t)), set(tokenize_for_index(t, ngrams=False))) for t in texts
    ]


def _queries(docs, seed=3):
    rng = random.Random(seed)
    chars, bigrams = set(), set()
    for norm, _, _ in docs[:80]:
        for run in CJK_RUN_RE.findall(norm):
            chars.update(run)
            bigrams.update(run[i : i + 2] for i in range(len(run) - 1))
    return (
        sorted(rng.sample(sorted(chars), 60)),
        sorted(rng.sample(sorted(bigrams), 120)),
        JOBS
        + [
            "长白班",
            "包吃住",
            "五险一金",
            "两班倒",
            "日结",
            "计件",
            "电子厂普工",
            "瑞金经开区",
            "白夜班轮换",
        ],
    )


def _recall(docs, q, which):
    groups = [[t] for t in tokenize_query(q)]
    truth = {i for i, (norm, _, _) in enumerate(docs) if normalize(q) in norm}
    found = {i for i, d in enumerate(docs) if matches(d[which], groups)}
    return truth, found


@pytest.mark.parametrize("kind", [0, 1, 2], ids=["single_chars", "bigrams", "job_words"])
def test_recall_is_exact_versus_substring_scan(docs, kind):
    for q in _queries(docs)[kind]:
        truth, found = _recall(docs, q, 1)
        assert truth <= found, f"{q!r} missed {len(truth - found)} documents"


def test_jieba_words_alone_miss_single_characters(docs):
    """Why the index also stores CJK unigrams/bigrams: jieba-only tokens do not give exact recall."""
    missed = 0
    for q in _queries(docs)[0]:
        truth, found = _recall(docs, q, 2)
        missed += len(truth - found)
    assert missed > 0


def test_precision_of_long_words_is_high(docs):
    total_truth = total_found = 0
    for q in _queries(docs)[2]:
        truth, found = _recall(docs, q, 1)
        total_truth += len(truth)
        total_found += len(found)
    assert total_found <= total_truth * 1.05


def test_job_terms_are_kept_whole():
    toks = tokenize_for_index("招聘普工，长白班，包吃住，五险一金，两班倒，计件，日结")
    for w in ["普工", "长白班", "包吃住", "五险一金", "两班倒", "计件", "日结"]:
        assert w in toks
    assert tokenize_query("叉车工 日结") == ["叉车工", "日结"]


def test_normalisation_fullwidth_and_case():
    assert "smt" in tokenize_for_index("ＳＭＴ操作工")
    assert tokenize_query("ＳＭＴ") == ["smt"]


def test_punctuation_is_not_a_token():
    toks = tokenize_for_index("招工！！，。（急）")
    assert all(t.strip("！，。（）!,.() ") for t in toks)


def test_index_terms():
    assert index_terms("工") == ("工",)
    assert index_terms("普工") == ("普工",)
    assert index_terms("叉车工") == ("叉车工",)
    assert index_terms("叉车司机") == ("叉车司", "车司机")
    assert index_terms("C1驾照") == ("c1", "驾照")
    assert index_terms("  ") == ()


def test_index_text_is_space_joined():
    assert index_text("普工").split() == tokenize_for_index("普工")


def test_fts5_match_quotes_tokens():
    expr = fts5_match([{"叉车司机"}, {'a"b'}])
    assert expr == '("叉车司" AND "车司机") AND "a""b"'
    assert fts5_match([]) == ""


def test_tsquery_escapes_quotes():
    assert tsquery([{"司机", "驾驶员"}]) == "('司机' | '驾驶员')"
    assert tsquery([{"五险一金"}]) == "('五险一' & '险一金')"
    assert tsquery([{"o'neil"}]) == "'o''neil'"


def test_tokenizer_does_not_touch_global_jieba():
    import jieba

    tokenize_for_index("长白班")
    assert "长白班" not in jieba.dt.FREQ or jieba.dt.FREQ.get("长白班", 0) == 0


def test_two_character_queries_are_exact(docs):
    for q in _queries(docs)[1]:
        truth, found = _recall(docs, q, 1)
        assert truth == found, q


def test_single_character_words_in_a_query_become_bigrams():
    assert tokenize_query("班包") == ["班包"]
    assert tokenize_query("工") == ["工"]
