import pytest

from hongniang.zh.highlight import highlight, highlight_html
from hongniang.zh.numerals import cn_to_number, parse_amount


def test_segments_join_back_to_the_text():
    text = "招聘装配工，ＳＭＴ操作工"
    segs = highlight(text, ["装配", "smt"])
    assert "".join(s for s, _ in segs) == text
    assert [s for s, hit in segs if hit] == ["装配", "ＳＭＴ"]


def test_overlapping_terms_merge():
    assert highlight("叉车工", ["叉车", "车工"]) == [("叉车工", True)]


def test_no_terms():
    assert highlight("普工", []) == [("普工", False)]
    assert highlight("", ["普工"]) == []


def test_html_escapes_everything_else():
    out = highlight_html('<script>alert("x")</script>招普工&', ["普工"])
    assert out == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;招<mark>普工</mark>&amp;"


def test_html_escapes_inside_marks_too():
    assert highlight_html("a<b", ["a<b"]) == "<mark>a&lt;b</mark>"


def test_html_rejects_odd_tags():
    with pytest.raises(ValueError):
        highlight_html("x", ["x"], tag="mark onclick=x")


@pytest.mark.parametrize(
    "text,value",
    [
        ("三千五", 3500),
        ("四千五", 4500),
        ("一万二", 12000),
        ("两百", 200),
        ("四千五百", 4500),
        ("一万", 10000),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百二十", 120),
        ("五百五", 550),
        ("4.5k", 4500),
        ("1.2万", 12000),
        ("3千5", 3500),
        ("一点五万", 15000),
        ("两万三", 23000),
        ("一万零五百", 10500),
        ("三百五十", 350),
        ("一千零五十", 1050),
        ("1w2", 12000),
        ("150", 150),
        ("0.5", 0.5),
        ("六千", 6000),
        ("贰仟", 2000),
    ],
)
def test_chinese_numerals(text, value):
    assert cn_to_number(text) == value


def test_not_a_numeral():
    assert parse_amount("普工") is None
    with pytest.raises(ValueError):
        cn_to_number("")
