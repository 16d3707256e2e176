"""Service points: pages and API; regions API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniang.jobs.models import PostingStatus
from hongniang.testing import factories as f


@pytest.fixture
def college(regions):
    return f.ServicePointFactory(name="瑞金职业学校就业之家", kind="college", region=regions["v_jiubao"],
                                 phone="0797-2999999", contact_name="张老师")


def names(response):
    return [p.name for p in response.context["points"]]


def test_list_shows_all_points(client, point_a, point_b, college):
    r = client.get(reverse("geo:points"))
    assert sorted(names(r)) == sorted(["象湖镇就业之家", "九堡镇就业之家", "瑞金职业学校就业之家"])


def test_filter_by_kind(client, point_a, point_b, college):
    assert names(client.get(reverse("geo:points"), {"kind": "college"})) == ["瑞金职业学校就业之家"]


def test_filter_by_township_includes_its_villages(client, point_a, point_b, college):
    got = names(client.get(reverse("geo:points"), {"township": "360781103000"}))
    assert sorted(got) == sorted(["九堡镇就业之家", "瑞金职业学校就业之家"])


def test_detail_shows_contact_and_nearby_open_jobs(client, college, make_posting, regions):
    make_posting(title="九堡普工", region=regions["jiubao"])
    make_posting(title="象湖缝纫工")
    make_posting(title="九堡草稿", region=regions["jiubao"], status=PostingStatus.DRAFT, published_at=None)
    r = client.get(reverse("geo:point_detail", args=[college.pk]))
    html = r.content.decode()
    assert "0797-2999999" in html and "张老师" in html and "周一至周五" in html and "院校就业之家" in html
    assert "九堡普工" in html and "象湖缝纫工" not in html and "九堡草稿" not in html


def test_detail_lists_at_most_10_newest_jobs(client, point_a, make_posting):
    for i in range(12):
        make_posting(title=f"岗位{i}")
    assert len(client.get(reverse("geo:point_detail", args=[point_a.pk])).context["jobs"]) == 10


def test_missing_point_is_404(client, db):
    assert client.get(reverse("geo:point_detail", args=[9999])).status_code == 404


def test_api_service_points_with_filters(client, point_a, point_b, college):
    body = client.get("/api/v1/service-points?township=360781103000").json()
    assert body["count"] == 2
    one = client.get(f"/api/v1/service-points/{college.pk}").json()
    assert one["kind_label"] == "院校就业之家" and one["township"] == "360781103000"
    assert client.get("/api/v1/service-points/9999").status_code == 404


def test_api_regions_by_parent_and_kind(client, regions):
    body = client.get("/api/v1/regions?kind=township").json()
    assert [r["name"] for r in body["items"]] == ["象湖镇", "九堡镇"]
    body = client.get("/api/v1/regions?parent=360781103000").json()
    assert {r["code"] for r in body["items"]} == {"360781103201", "360781103202"}


def test_api_regions_bad_kind_is_422(client, db):
    assert client.get("/api/v1/regions?kind=planet").status_code == 422
