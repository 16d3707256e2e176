from hongniang.zh.segment import matches, tokenize_for_index, tokenize_query
from hongniang.zh.synonyms import expand_query, synonyms_of


def test_operator_words_are_one_group():
    (group,) = expand_query(["操作工"])
    assert {"操作工", "普工", "流水线工人"} <= group


def test_cleaner_words():
    assert {"保洁", "清洁工", "保洁员"} <= expand_query(["清洁工"])[0]


def test_driver_and_porter():
    assert expand_query(["司机"]) == [{"司机", "驾驶员"}]
    assert "装卸工" in expand_query(["搬运工"])[0]


def test_one_way_expansion():
    assert "餐厅服务员" in synonyms_of("服务员")
    assert "服务员" not in synonyms_of("餐厅服务员")


def test_one_group_per_term_and_phrase_merge():
    groups = expand_query(["流水线", "工人", "日结"])
    assert len(groups) == 2
    assert "普工" in groups[0] and "当天结算" in groups[1]


def test_unknown_word_is_its_own_group():
    assert expand_query(["区块链"]) == [{"区块链"}]


def test_extra_synonyms_for_occupation_groups():
    extra = {"保洁人员": ["保洁员", "清洁工"], "餐饮服务人员": ["餐厅服务员", "传菜员"]}
    groups = expand_query(["保洁人员"], extra_synonyms=extra)
    assert (
        groups == [{"保洁人员", "保洁员", "清洁工", "保洁", "清洁员", "保洁阿姨"}]
        or {"保洁员", "清洁工"} <= groups[0]
    )
    assert expand_query(["厨师"], extra_synonyms=extra)[0] >= {"厨师", "中式烹调师"}


def test_expansion_finds_a_document_the_plain_query_misses():
    doc = set(tokenize_for_index("急招流水线工人20名，长白班"))
    q = tokenize_query("普工")
    assert not matches(doc, [[t] for t in q])
    assert matches(doc, expand_query(q))
