"""Reading what people type: Latin queries as pinyin or initials, typos, near words."""

import pytest

from hongniang.zh.autocomplete import Autocompleter
from hongniang.zh.plain import distance_text, distance_words
from hongniang.zh.reading import QueryReader, static_vocabulary


@pytest.fixture(scope="module")
def reader():
    vocab = static_vocabulary()
    vocab.update({"电子装配工": 3, "CNC操作工": 2, "瑞金电子厂": 2, "焊工": 40})
    return QueryReader(vocab)


@pytest.mark.parametrize("typed,read", [
    ("zpg", "装配工"), ("baojie", "保洁"), ("zhuangpei", "装配"), ("Zhuang Pei Gong", "装配工"),
    ("ZPG", "装配工"), ("fengren", "缝纫"), ("siji", "司机"), ("电子 zpg", "电子 装配工"),
])
def test_a_latin_query_is_read_as_the_chinese_it_spells(reader, typed, read):
    r = reader.read(typed)
    assert r is not None and r.sure and r.text == read


def test_latin_words_postings_use_are_not_read(reader):
    assert reader.read("cnc") is None
    assert reader.read("x") is None
    assert reader.read("普工") is None


def test_a_near_miss_is_only_a_suggestion(reader):
    r = reader.read("baojei")  # two letters swapped
    assert r is not None and not r.sure and r.text == "保洁"


def test_other_readings_of_an_ambiguous_word_are_offered(reader):
    r = reader.read("pg")
    assert r.text == "普工" and "品管" in r.others


@pytest.mark.parametrize("typed,meant", [("保结", "保洁"), ("装陪工", "装配工")])
def test_a_chinese_word_with_a_typo_gets_did_you_mean(reader, typed, meant):
    assert reader.did_you_mean(typed) == meant


def test_a_known_word_gets_no_did_you_mean(reader):
    assert reader.did_you_mean("普工") is None
    assert reader.did_you_mean("司机") is None


def test_neighbours_are_the_words_inside_then_words_sharing_two_characters(reader):
    assert reader.neighbours("装配工人")[0] == "装配工"
    assert "电焊工" in reader.neighbours("电焊")


def test_autocomplete_finds_inner_words_by_chinese_and_pinyin():
    ac = Autocompleter({"电子装配工": 3, "装配工": 5, "长白班普工": 1}, infix=True)
    assert ac.suggest("装配") == ["装配工", "电子装配工"]
    assert ac.suggest("zpg") == ["装配工", "电子装配工"]
    assert ac.suggest("pg") == ["长白班普工"]
    assert Autocompleter({"电子装配工": 3}).suggest("zpg") == []  # without infix: prefixes only


@pytest.mark.parametrize("km,words", [(0.04, "100 米"), (0.34, "300 米"), (0.96, "1 公里"), (3.4, "3 公里"),
                                      (12.6, "13 公里")])
def test_distances_are_written_as_people_say_them(km, words):
    assert distance_words(km) == words


def test_distance_from_home():
    assert distance_text(25.8950, 116.0188, 25.8950, 116.0188 + 0.03) == "离你家 3 公里"
