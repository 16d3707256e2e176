"""Public job pages: home, list with filters and pagination, detail with JSON-LD."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from hongniang.jobs.models import PostingStatus
from hongniang.testing import factories as f


def titles(response) -> list[str]:
    return [p.title for p in response.context["postings"]]


@pytest.fixture
def mixed(make_posting, other_enterprise, regions, occupations):
    """Four published postings that differ in one thing each, plus one draft and one closed."""
    return {
        "sew": make_posting(title="缝纫工A", shift="day", board=True, lodging=True, shuttle=False,
                            social_insurance=False, monthly_min=4500, monthly_max=6000),
        "clean": make_posting(title="保洁B", occupation=occupations["4-09-08-01"], shift="part_time", board=False,
                              lodging=False, shuttle=False, social_insurance=True, monthly_min=2000,
                              monthly_max=2500, pay_min=Decimal(2000), pay_max=Decimal(2500)),
        "assembly": make_posting(title="普工C", enterprise=other_enterprise, occupation=occupations["6-25-04-01"],
                                 region=regions["v_jiubao"], shift="two_shift", board=True, lodging=True,
                                 shuttle=True, social_insurance=True, monthly_min=5000, monthly_max=7000),
        "cut": make_posting(title="裁剪工D", occupation=occupations["6-05-01-02"], region=regions["jiubao"],
                            shift="day", board=False, lodging=False, monthly_min=3500, monthly_max=4000),
        "draft": make_posting(title="草稿E", status=PostingStatus.DRAFT, published_at=None),
        "closed": make_posting(title="关闭F", status=PostingStatus.CLOSED),
    }


def test_list_shows_published_only(client, mixed):
    r = client.get(reverse("jobs:list"))
    assert r.status_code == 200
    assert sorted(titles(r)) == ["保洁B", "普工C", "缝纫工A", "裁剪工D"]
    assert "草稿E" not in r.content.decode()


def test_card_shows_pay_township_shift_benefits_and_badge(client, mixed):
    html = client.get(reverse("jobs:list")).content.decode()
    assert "月薪 4500–6000 元" in html
    assert "象湖镇" in html and "九堡镇" in html
    assert "两班倒" in html and "包吃住" in html and "五险一金" in html
    assert "已认证" in html


@pytest.mark.parametrize("query,expected", [
    ({"township": "360781103000"}, ["普工C", "裁剪工D"]),
    ({"occupation": "4-09-08-01"}, ["保洁B"]),
    ({"occupation": "6-05"}, ["缝纫工A", "裁剪工D"]),  # a group code matches its occupations
    ({"pay_min": "4800"}, ["普工C", "缝纫工A"]),
    ({"pay_max": "3000"}, ["保洁B"]),
    ({"pay_min": "4100", "pay_max": "2000"}, ["保洁B", "裁剪工D"]),  # typed the wrong way round: the range meant
    ({"shift": "part_time"}, ["保洁B"]),
    ({"benefits": ["board", "shuttle"]}, ["普工C"]),
    ({"benefits": "social_insurance"}, ["保洁B", "普工C"]),
    ({"q": "裁剪"}, ["裁剪工D"]),  # full text: title and occupation
    ({"q": "绿野"}, ["普工C"]),  # enterprise name
])
def test_each_filter_narrows_the_list(client, mixed, query, expected):
    r = client.get(reverse("jobs:list"), query)
    assert sorted(titles(r)) == sorted(expected)


def test_sort_by_pay_puts_best_paid_first(client, mixed):
    r = client.get(reverse("jobs:list"), {"sort": "pay"})
    assert titles(r)[0] == "普工C"
    assert titles(r)[-1] == "保洁B"


def test_bad_filter_values_are_ignored_not_an_error(client, mixed):
    r = client.get(reverse("jobs:list"), {"pay_min": "很多", "shift": "nonsense", "page": "x"})
    assert r.status_code == 200
    assert len(titles(r)) == 4


def test_no_results_offers_to_clear_filters(client, mixed):
    html = client.get(reverse("jobs:list"), {"q": "宇航员"}).content.decode()
    assert "没有找到符合条件的岗位" in html and "清除条件" in html


def test_pagination_20_per_page_keeps_filters(client, make_posting):
    for i in range(45):
        make_posting(title=f"岗位{i:02d}")
    r1 = client.get(reverse("jobs:list"), {"shift": "day"})
    assert len(titles(r1)) == 20
    assert r1.context["page"].paginator.num_pages == 3
    html = r1.content.decode()
    assert "shift=day&amp;page=2" in html
    r3 = client.get(reverse("jobs:list"), {"shift": "day", "page": 3})
    assert len(titles(r3)) == 5


def test_htmx_filter_request_gets_the_results_fragment(client, mixed):
    r = client.get(reverse("jobs:list"), {"shift": "part_time"}, headers={"HX-Request": "true",
                                                                         "HX-Target": "results"})
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "保洁B" in html and "缝纫工A" not in html


def test_list_page_without_js_has_a_real_form(client, mixed):
    html = client.get(reverse("jobs:list")).content.decode()
    assert 'method="get"' in html and 'hx-push-url="true"' in html


def test_list_query_count_does_not_grow_with_postings(client, make_posting, django_assert_max_num_queries):
    for i in range(20):
        make_posting(title=f"岗位{i}")
    # count + page + townships + occupations for the filter form + 3 facet counts
    with django_assert_max_num_queries(8):
        r = client.get(reverse("jobs:list"))
    assert len(titles(r)) == 20


def test_search_ranks_title_matches_first_and_highlights_them(client, make_posting):
    make_posting(title="仓库管理员", description="偶尔协助装配工作")
    make_posting(title="装配工", description="电子厂长白班")
    r = client.get(reverse("jobs:list"), {"q": "装配"})
    assert titles(r)[0] == "装配工"
    assert "<mark>装配</mark>" in r.content.decode()


def test_search_by_synonym_finds_the_job(client, make_posting):
    make_posting(title="保洁员", description="写字楼清洁")
    assert "保洁员" in titles(client.get(reverse("jobs:list"), {"q": "清洁工"}))


def test_suggestions_for_initials(client, make_posting):
    from hongniang.search.suggest import autocompleter

    make_posting(title="装配工")
    autocompleter(force=True)
    r = client.get(reverse("jobs:suggest"), {"q": "zpg"})
    assert '<option value="装配工">' in r.content.decode()


def test_distance_sort_puts_the_nearest_first(client, make_posting):
    make_posting(title="远处岗位", lat=26.2, lon=116.3)
    make_posting(title="近处岗位", lat=25.8951, lon=116.0190)
    r = client.get(reverse("jobs:list"), {"sort": "distance", "lat": "25.8950", "lon": "116.0188"})
    assert titles(r)[:2] == ["近处岗位", "远处岗位"]


def test_home_shows_figures_and_newest_jobs(client, mixed, point_a, seeker):
    r = client.get(reverse("home"))
    assert r.status_code == 200
    fig = r.context["figures"]
    assert fig["jobs"] == 4
    assert fig["headcount"] == 20
    assert fig["enterprises"] == 2 and fig["points"] == 1 and fig["seekers"] == 1
    html = r.content.decode()
    assert "缝纫工A" in html and "象湖镇就业之家" in html
    assert 'name="q"' in html and "演示" in html


def test_detail_shows_the_posting(client, posting):
    r = client.get(reverse("jobs:detail", args=[posting.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "缝纫工" in html and "瑞金红都服饰有限公司" in html and "月薪 4500–6000 元" in html


def jsonld(response) -> dict:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert m, "no JSON-LD"
    return json.loads(m.group(1))


def test_detail_has_valid_jobposting_jsonld(client, posting):
    data = jsonld(client.get(reverse("jobs:detail", args=[posting.pk])))
    assert data["@type"] == "JobPosting"
    assert data["title"] == "缝纫工"
    assert data["datePosted"] == posting.published_at.astimezone().date().isoformat() or data["datePosted"]
    assert data["validThrough"].startswith(posting.valid_until.isoformat())
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "瑞金红都服饰有限公司"}
    addr = data["jobLocation"]["address"]
    assert (addr["addressRegion"], addr["addressLocality"], addr["addressCountry"]) == ("江西省", "瑞金市", "CN")
    assert data["jobLocation"]["geo"]["latitude"] == posting.lat
    salary = data["baseSalary"]
    assert salary["currency"] == "CNY"
    assert salary["value"] == {"@type": "QuantitativeValue", "minValue": 4500, "maxValue": 6000, "unitText": "MONTH"}
    assert data["directApply"] is True
    assert data["identifier"]["value"] == str(posting.pk)


def test_jsonld_escapes_script_breaking_text(client, make_posting):
    p = make_posting(title="普工</script><script>alert(1)</script>", description="a & b <i>")
    r = client.get(reverse("jobs:detail", args=[p.pk]))
    html = r.content.decode()
    assert "</script><script>alert(1)" not in html
    assert jsonld(r)["title"] == "普工</script><script>alert(1)</script>"


def test_part_time_hourly_job_in_jsonld(client, make_posting):
    p = make_posting(shift="part_time", pay_type="hourly", pay_min=Decimal("18.5"), pay_max=Decimal("20"))
    data = jsonld(client.get(reverse("jobs:detail", args=[p.pk])))
    assert data["employmentType"] == "PART_TIME"
    assert data["baseSalary"]["value"]["unitText"] == "HOUR"
    assert data["baseSalary"]["value"]["minValue"] == 18.5


def test_draft_is_hidden_from_the_public_but_visible_to_its_hr(client, make_posting, hr, other_hr):
    p = make_posting(status=PostingStatus.DRAFT, published_at=None)
    url = reverse("jobs:detail", args=[p.pk])
    assert client.get(url).status_code == 404
    client.force_login(other_hr)
    assert client.get(url).status_code == 404
    client.force_login(hr)
    r = client.get(url)
    assert r.status_code == 200 and "求职者看不到" in r.content.decode()


def test_detail_of_missing_posting_is_404(client, db):
    assert client.get(reverse("jobs:detail", args=[999999])).status_code == 404


def test_other_jobs_in_the_same_township_are_listed(client, mixed):
    html = client.get(reverse("jobs:detail", args=[mixed["assembly"].pk])).content.decode()
    assert "九堡镇的其他岗位" in html and "裁剪工D" in html and "缝纫工A" not in html


_ = f
