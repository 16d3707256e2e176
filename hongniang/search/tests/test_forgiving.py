"""Search that forgives what people type: pinyin and initials, typos, and never an empty end."""

import pytest
from django.urls import reverse

from hongniang.search.engine import index_posting
from hongniang.search.suggest import autocompleter
from hongniang.testing.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(enterprise, regions, occupations):
    made = {
        "asm": JobPostingFactory(enterprise=enterprise, title="电子装配工", description="长白班，五险一金",
                                 occupation=occupations["6-25-04-01"]),
        "clean": JobPostingFactory(enterprise=enterprise, title="保洁员", description="写字楼日常清洁",
                                   occupation=occupations["4-09-08-01"], region=regions["jiubao"]),
        "sew": JobPostingFactory(enterprise=enterprise, title="缝纫工", description="服装厂，计件"),
    }
    for p in made.values():
        index_posting(p)
    autocompleter(force=True)
    return made


def api_titles(client, q):
    r = client.get("/api/v1/jobs", {"q": q})
    assert r.status_code == 200
    return {item["title"] for item in r.json()["items"]}


@pytest.mark.parametrize("q,title", [("zpg", "电子装配工"), ("zhuangpei", "电子装配工"), ("baojie", "保洁员"),
                                     ("bj", "保洁员"), ("ZPG", "电子装配工")])
def test_api_reads_latin_queries_as_pinyin_or_initials(client, jobs, q, title):
    assert api_titles(client, q) == {title}


def test_the_list_page_says_what_it_searched_for(client, jobs):
    html = client.get(reverse("jobs:list"), {"q": "zpg"}).content.decode()
    assert "已按 <b>装配工</b> 搜索" in html
    assert "电子<mark>装配工</mark>" in html


def test_suggest_matches_inside_titles_and_by_inner_pinyin(client, jobs):
    for q in ("装配", "zpg"):
        r = client.get("/api/v1/search/suggest", {"q": q})
        assert "电子装配工" in r.json()["suggestions"], q


def test_a_typo_gets_did_you_mean(client, jobs):
    html = client.get(reverse("jobs:list"), {"q": "保结"}).content.decode()
    assert "你是不是要找" in html and "?q=%E4%BF%9D%E6%B4%81" in html  # 保洁


def test_a_near_miss_in_pinyin_gets_did_you_mean_not_a_search(client, jobs):
    html = client.get(reverse("jobs:list"), {"q": "baojei"}).content.decode()
    assert "已按" not in html
    assert "你是不是要找" in html and ">保洁<" in html


def test_nothing_found_offers_near_words_that_find_jobs(client, jobs):
    html = client.get(reverse("jobs:list"), {"q": "电子装配线"}).content.decode()
    assert "没有找到符合条件的岗位" in html
    assert "试试相近的词" in html and "q=%E8%A3%85%E9%85%8D%E5%B7%A5" in html  # 装配工, 1 个


def test_nothing_found_in_a_township_offers_the_whole_county(client, jobs):
    html = client.get(reverse("jobs:list"), {"q": "保洁", "township": "360781100000"}).content.decode()
    assert "没有找到符合条件的岗位" in html
    assert "在全县找（1 个岗位）" in html


def test_nothing_found_shows_jobs_near_the_seekers_home(client, jobs, seeker_user):
    seeker = seeker_user.seeker
    seeker.lat, seeker.lon = 25.8950, 116.0188
    seeker.save(update_fields=["lat", "lon"])
    client.force_login(seeker_user)
    html = client.get(reverse("jobs:list"), {"q": "宇航员"}).content.decode()
    assert "你家附近的岗位" in html and "离你家" in html


def test_nothing_found_shows_the_newest_jobs_to_a_visitor(client, jobs):
    html = client.get(reverse("jobs:list"), {"q": "宇航员"}).content.decode()
    assert "最新岗位" in html and "缝纫工" in html
