import pytest

from hongniang.zh.posting import KEYS, parse_posting, parse_postings, split_ads

from .ads_data import ADS, MULTI


def _check(got: dict, expect: dict, label: str) -> None:
    bad = {k: (got[k], v) for k, v in expect.items() if got[k] != v}
    assert not bad, f"{label}: (got, expected) {bad}"


def test_there_are_at_least_60_ads():
    assert len(ADS) + sum(len(m["expect"]) for m in MULTI) >= 60


@pytest.mark.parametrize("ad", ADS, ids=[a["id"] for a in ADS])
def test_ad_fields(ad):
    _check(parse_posting(ad["text"]).to_dict(), ad["expect"], ad["id"])


@pytest.mark.parametrize("case", MULTI, ids=[m["id"] for m in MULTI])
def test_text_with_two_jobs_gives_two_ads(case):
    parsed = parse_postings(case["text"])
    assert len(parsed) == len(case["expect"])
    for p, exp in zip(parsed, case["expect"], strict=True):
        _check(p.to_dict(), exp, case["id"])


def test_to_dict_has_exactly_the_form_keys_and_a_confidence_per_key():
    d = parse_posting(ADS[0]["text"]).to_dict()
    assert list(d) == [*KEYS, "confidence"]
    assert set(d["confidence"]) == set(KEYS)
    assert all(0.0 <= c <= 1.0 for c in d["confidence"].values())


def test_missing_fields_have_zero_confidence():
    d = parse_posting("有人要找工作吗？").to_dict()
    assert all(c == 0.0 for c in d["confidence"].values())


def test_found_fields_have_positive_confidence():
    d = parse_posting(ADS[0]["text"]).to_dict()
    for k in ("title", "headcount", "pay_min", "shift", "benefits", "township", "phone"):
        assert d["confidence"][k] > 0.5, k


def test_minimum_wage_is_configurable():
    text = "招保洁员，月薪1800，包午餐"
    assert "below_minimum_wage" not in parse_posting(text).flags
    assert "below_minimum_wage" in parse_posting(text, minimum_wage_monthly=1850).flags
    assert "below_minimum_wage" in parse_posting("时薪17元", minimum_wage_hourly=18.5).flags


def test_places_parameter_replaces_the_default_list():
    text = "招普工，工作地点：梅林镇，月薪4000"
    assert parse_posting(text).township is None
    assert parse_posting(text, places=["梅林镇", "湖田镇"]).township == "梅林镇"
    assert parse_posting("象湖镇招普工", places=["梅林镇"]).township is None


def test_split_ads_keeps_a_single_job_whole():
    text = "招普工10名\n月薪4000\n电话13800000000"
    assert split_ads(text) == [text]


def test_split_ads_on_separator_lines():
    assert split_ads("招普工\n---\n招保洁员\n  ---  \n\n") == ["招普工", "招保洁员"]


def test_village_is_kept_as_extra():
    p = parse_posting("在叶坪镇洋溪村招工")
    assert p.township == "叶坪镇" and p.village == "洋溪村民委员会"


def test_reversed_range_is_put_in_order():
    p = parse_posting("招普工，月薪6500-4500元")
    assert (p.pay_min, p.pay_max) == (4500, 6500)


def test_floor_above_stated_range_keeps_min_le_max():
    p = parse_posting("计件，保底5000，熟手月入4000-4500")
    assert p.monthly_min <= p.monthly_max


def test_numbered_requirements_or_benefits_are_not_split():
    reqs = "瑞金某电子厂招聘普工30名\n要求：\n1、男女不限，18-45岁，工作认真\n2、有电子厂工作经验者优先，熟手工资更高\n待遇：月薪4500-6500元"
    assert len(split_ads(reqs)) == 1
    assert len(split_ads("福利待遇：\n1、包吃住\n2、五险一金\n3、年底双薪")) == 1


def test_chinese_numbered_jobs_are_split():
    parts = split_ads("招聘岗位：\n一、操作工 20名 月薪4500\n二、仓管员 1名 月薪4000\n地址：象湖镇")
    assert [parse_posting(p).title for p in parts] == ["操作工", "仓管员"]
    assert all("象湖镇" in p for p in parts)
