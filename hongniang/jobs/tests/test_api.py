"""/api/v1/jobs: same filters as the page, validation as 422 JSON, permissions."""

from __future__ import annotations

import json

import pytest

from hongniang.core.models import ApiToken
from hongniang.jobs.models import JobPosting, PostingStatus

URL = "/api/v1/jobs"


def post_json(client, url, data, **kw):
    return client.post(url, json.dumps(data), content_type="application/json", **kw)


def patch_json(client, url, data, **kw):
    return client.patch(url, json.dumps(data), content_type="application/json", **kw)


@pytest.fixture
def api_data(valid_posting_data):
    d = dict(valid_posting_data)
    d.update(headcount=10, pay_min=3800, pay_max=5200, age_min=18, age_max=50)
    return d


def test_list_shape_is_items_and_count(client, posting):
    body = client.get(URL).json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == "缝纫工" and item["enterprise"]["verified"] is True
    assert item["monthly_min"] == 4500 and item["township_name"] == "象湖镇"
    assert "contact_phone" not in json.dumps(body)


@pytest.mark.parametrize("query,expected", [
    ("township=360781103000", {"jiubao"}),
    ("occupation=4-09", {"clean"}),
    ("pay_min=5500", {"sew", "jiubao"}),
    ("pay_max=3000", {"clean"}),
    ("shift=part_time", {"clean"}),
    ("benefits=board&benefits=shuttle", {"jiubao"}),
    ("benefits=board,shuttle", {"jiubao"}),
    ("q=保洁", {"clean"}),
])
def test_list_filters_match_the_page(client, make_posting, occupations, regions, query, expected):
    made = {
        "sew": make_posting(title="缝纫", shift="day", monthly_min=4500, monthly_max=6000, shuttle=False),
        "clean": make_posting(title="保洁", occupation=occupations["4-09-08-01"], shift="part_time",
                              monthly_min=2000, monthly_max=2500, board=False),
        "jiubao": make_posting(title="普工", region=regions["jiubao"], shuttle=True, monthly_min=5000,
                               monthly_max=7000),
    }
    ids = {i["id"] for i in client.get(f"{URL}?{query}").json()["items"]}
    assert ids == {made[k].pk for k in expected}


def test_list_paginates(client, make_posting):
    for i in range(25):
        make_posting(title=f"岗位{i}")
    body = client.get(f"{URL}?page=2&page_size=10").json()
    assert body["count"] == 25 and len(body["items"]) == 10
    assert len(client.get(f"{URL}?page=3&page_size=10").json()["items"]) == 5


def test_page_size_over_100_is_a_422(client, db):
    r = client.get(f"{URL}?page_size=500")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input"


def test_list_query_count_is_constant(client, make_posting, django_assert_max_num_queries):
    for i in range(30):
        make_posting(title=f"岗位{i}")
    with django_assert_max_num_queries(2):
        body = client.get(f"{URL}?page_size=30").json()
    assert len(body["items"]) == 30


def test_detail_of_draft_is_404_json_for_public_but_visible_to_hr(client, make_posting, hr, other_hr):
    p = make_posting(status=PostingStatus.DRAFT, published_at=None)
    r = client.get(f"{URL}/{p.pk}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    client.force_login(other_hr)
    assert client.get(f"{URL}/{p.pk}").status_code == 404
    client.force_login(hr)
    assert client.get(f"{URL}/{p.pk}").json()["status"] == "draft"


def test_detail_with_bearer_token_of_hr(client, make_posting, hr):
    p = make_posting(status=PostingStatus.DRAFT, published_at=None)
    token = ApiToken.objects.create(user=hr)
    r = client.get(f"{URL}/{p.pk}", headers={"Authorization": f"Bearer {token.key}"})
    assert r.status_code == 200


def test_create_needs_login(client, api_data):
    r = post_json(client, URL, api_data)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert JobPosting.objects.count() == 0


def test_hr_creates_a_published_posting(client, hr, api_data):
    client.force_login(hr)
    r = post_json(client, URL, api_data)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "published" and body["township"] == "360781103000"
    assert body["monthly_min"] == 3800


def test_create_with_bearer_token(client, hr, api_data):
    token = ApiToken.objects.create(user=hr)
    r = post_json(client, URL, api_data, headers={"Authorization": f"Bearer {token.key}"})
    assert r.status_code == 201


@pytest.mark.parametrize("changes,field,message", [
    ({"pay_min": 6000, "pay_max": 5000}, "pay_max", "最高薪资不能低于最低薪资"),
    ({"headcount": 0}, "headcount", "招聘人数至少为 1 人"),
    ({"age_min": 50, "age_max": 30}, "age_max", "最高年龄不能小于最低年龄"),
    ({"region": "360781999999"}, "region", "找不到该地点，请从列表中选择乡镇或村"),
    ({"pay_min": 1200, "pay_max": 1500}, "pay_min", "薪资低于江西省最低工资标准（1610 元/月）"),
])
def test_create_refuses_bad_input_with_422_and_saves_nothing(client, hr, api_data, changes, field, message):
    client.force_login(hr)
    r = post_json(client, URL, {**api_data, **changes})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_input"
    assert body["errors"][field] == [message]
    assert JobPosting.objects.count() == 0


def test_create_with_wrong_types_is_422_json(client, hr, api_data):
    client.force_login(hr)
    r = post_json(client, URL, {**api_data, "headcount": "很多"})
    assert r.status_code == 422 and r.json()["message"] == "输入有误：headcount 请填写整数"
    assert r.json()["errors"] == {"headcount": ["请填写整数"]}
    assert JobPosting.objects.count() == 0


def test_user_without_enterprise_cannot_create(client, outsider, api_data):
    client.force_login(outsider)
    r = post_json(client, URL, api_data)
    assert r.status_code == 422 and "请先登记企业" in r.json()["message"]


def test_hr_cannot_post_for_another_enterprise(client, hr, other_enterprise, api_data):
    client.force_login(hr)
    r = post_json(client, URL, {**api_data, "enterprise_id": other_enterprise.pk})
    assert r.status_code == 403
    assert JobPosting.objects.count() == 0


def test_patch_by_own_hr_changes_the_posting(client, hr, posting):
    client.force_login(hr)
    r = patch_json(client, f"{URL}/{posting.pk}", {"title": "熟练缝纫工", "headcount": 8})
    assert r.status_code == 200
    posting.refresh_from_db()
    assert (posting.title, posting.headcount, posting.monthly_min) == ("熟练缝纫工", 8, 4500)


def test_patch_with_bad_value_is_422_and_changes_nothing(client, hr, posting):
    client.force_login(hr)
    r = patch_json(client, f"{URL}/{posting.pk}", {"title": "新", "age_min": 60})
    assert r.status_code == 422
    posting.refresh_from_db()
    assert posting.title == "缝纫工"


def test_patch_by_other_hr_is_403(client, other_hr, posting):
    client.force_login(other_hr)
    r = patch_json(client, f"{URL}/{posting.pk}", {"title": "抢走"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    posting.refresh_from_db()
    assert posting.title == "缝纫工"


def test_patch_anonymous_is_401(client, posting):
    assert patch_json(client, f"{URL}/{posting.pk}", {"title": "x"}).status_code == 401


def test_close_by_own_hr(client, hr, posting):
    client.force_login(hr)
    r = post_json(client, f"{URL}/{posting.pk}/close", {"reason": "已招满"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert client.get(URL).json()["count"] == 0


def test_close_by_other_hr_is_403(client, other_hr, posting):
    client.force_login(other_hr)
    assert post_json(client, f"{URL}/{posting.pk}/close", {}).status_code == 403
    posting.refresh_from_db()
    assert posting.status == "published"


def test_close_missing_posting_is_404(client, hr):
    client.force_login(hr)
    assert post_json(client, f"{URL}/999999/close", {}).status_code == 404
