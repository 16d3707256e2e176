"""The recommender on the platform's people: ranking, K sites, said-yes counts, masking, permissions."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.outreach.models import CallLog

from .conftest import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1/siting/recommend"
PAGE = "/siting/recommend/"
BODY = {"need": 20, "radius_km": 5, "occupations": ["6-05-01-03"]}


def test_anonymous_401_and_seeker_403(client, people, seeker_user):
    assert client.post(API, BODY, content_type="application/json").status_code == 401
    assert client.get(PAGE).status_code == 302
    client.force_login(seeker_user)
    assert client.post(API, BODY, content_type="application/json").status_code == 403
    assert client.get(PAGE).status_code == 403


def test_single_site_ranking_with_the_numbers_behind_it(client, people, placed, staff_a):
    client.force_login(staff_a)
    r = client.post(API, BODY, content_type="application/json")
    assert r.status_code == 200
    body = r.json()
    assert body["eligible"] == 19 and body["candidates"] == 5
    top = body["ranking"][0]
    # the 沙洲坝 village point and the 象湖镇 seat both reach the 12 sewing workers of 沙洲坝 (5 km)
    assert {body["ranking"][0]["name"], body["ranking"][1]["name"]} == {"象湖镇", "象湖镇沙洲坝村委会"}
    assert top["people"] == 12 and top["share"] == 0.6
    b = top["breakdown"]
    assert b["by_occupation"] == [{"code": "6-05-01-03", "name": "缝纫工", "people": 12}]
    assert {s["shift"]: s["people"] for s in b["by_shift"]}["day"] == 12
    assert {s["shift"]: s["people"] for s in b["by_shift"]}["two_shift"] == 6
    assert sum(a["people"] for a in b["by_age"]) == 12
    nine = [x for x in body["ranking"] if x["name"] == "九堡镇"][0]
    assert nine["people"] == 7  # 4 cutters (same minor group) + 3 in 坝溪


def test_two_sites_exact_with_greedy_beside_it(client, people, staff_a):
    client.force_login(staff_a)
    body = client.post(API, {**BODY, "k": 2}, content_type="application/json").json()
    e, g = body["exact"], body["greedy"]
    assert e["optimal"] is True and e["covered_total"] == 19 and e["people"] == 19
    assert [s["covered_new"] for s in e["sites"]] == [12, 7]
    assert g["covered_total"] == 19
    assert e["share"] == 0.95


def test_said_yes_counts_calls_and_sign_ups(client, people, posting, staff_a):
    xs = people["xianghu"]
    CallLog.objects.create(posting=posting, seeker=xs[0], staff=staff_a, outcome="interested")
    CallLog.objects.create(posting=posting, seeker=xs[1], staff=staff_a, outcome="not_interested")
    Application.objects.create(seeker=xs[2], posting=posting, consent_at=timezone.now(), consent_channel="online")
    Application.objects.create(seeker=xs[3], posting=posting, status="withdrawn", consent_at=timezone.now(),
                               consent_channel="online")
    client.force_login(staff_a)
    body = client.post(API, {**BODY, "k": 2}, content_type="application/json").json()
    assert body["ranking"][0]["said_yes"] == 2
    assert body["exact"]["said_yes"] == 2


def test_enterprise_sees_masked_figures_and_no_bound(client, people, hr):
    client.force_login(hr)
    body = client.post(API, {**BODY, "k": 2}, content_type="application/json").json()
    assert body["masked"] is True
    ranks = {r["name"]: r["people"] for r in body["ranking"]}
    assert ranks["象湖镇"] == 10 and ranks["九堡镇"] == "<10"  # 12 rounded to 5
    assert [s["covered_new"] for s in body["exact"]["sites"]] == [10, "<10"]
    shares = {r["name"]: r["share"] for r in body["ranking"]}
    assert shares["象湖镇"] == round(10 / BODY["need"], 4) and shares["九堡镇"] is None  # never an exact count
    assert body["exact"]["share"] == round(min(1, 20 / BODY["need"]), 4)
    assert body["exact"]["bound"] is None and body["ranking"][0]["said_yes"] == "<10"
    assert body["enterprise"] == hr.enterprise_memberships.get().enterprise_id


def test_hr_cannot_query_for_another_enterprise(client, people, hr, other_enterprise):
    client.force_login(hr)
    r = client.post(API, {**BODY, "enterprise": other_enterprise.pk}, content_type="application/json")
    assert r.status_code == 403


def test_existing_plant_is_kept_fixed(client, people, staff_a, enterprise):
    enterprise.lat, enterprise.lon = 25.894257, 116.018804  # at the 象湖镇 seat
    enterprise.save()
    client.force_login(staff_a)
    body = client.post(API, {**BODY, "k": 2, "enterprise": enterprise.pk, "include_enterprise_sites": True},
                       content_type="application/json").json()
    assert body["fixed_people"] == 12
    assert body["exact"]["sites"][0]["covered_new"] == 7  # only the 九堡 side adds anyone
    assert body["exact"]["covered_total"] == 19


def test_capacity_and_lodging_and_hours(client, people, staff_a):
    client.force_login(staff_a)
    capped = client.post(API, {**BODY, "k": 2, "capacity": 5}, content_type="application/json").json()
    assert capped["exact"]["covered_total"] == 10
    # with lodging the 3 in 坝溪 who would relocate count at every site
    lodged = client.post(API, {**BODY, "radius_km": 1, "lodging": True}, content_type="application/json").json()
    assert {r["name"]: r["people"] for r in lodged["ranking"]}["象湖镇"] == 3
    weighted = client.post(API, {**BODY, "weight_hours": True}, content_type="application/json").json()
    nine = [x for x in weighted["ranking"] if x["name"] == "九堡镇"][0]
    assert nine["weight"] == 5.0 and nine["people"] == 7  # the 4 part-time cutters count half


def test_own_candidate_list(client, people, staff_a):
    client.force_login(staff_a)
    body = client.post(API, {**BODY, "own_sites": "工业园,25.90,116.00\n远处,26.5,116.5"},
                       content_type="application/json").json()
    assert [(r["name"], r["people"]) for r in body["ranking"]] == [("工业园", 12), ("远处", 0)]


@pytest.mark.parametrize("body,field", [
    ({**BODY, "radius_km": 0}, "radius_km"), ({**BODY, "k": 6}, "k"), ({**BODY, "need": 0}, "need"),
    ({**BODY, "shift": "night"}, "shift"), ({**BODY, "own_sites": "只有名字"}, "own_sites"),
    ({**BODY, "age_min": 50, "age_max": 30}, "age_max"), ({**BODY, "occupations": ["缝纫"]}, "more_occupations"),
])
def test_bad_input_is_422_with_the_field(client, people, staff_a, body, field):
    client.force_login(staff_a)
    r = client.post(API, body, content_type="application/json")
    assert r.status_code == 422 and field in r.json()["errors"]


def test_k_larger_than_candidates(client, people, staff_a):
    client.force_login(staff_a)
    r = client.post(API, {**BODY, "k": 3, "own_sites": "甲,25.9,116.0\n乙,25.94,115.91"},
                    content_type="application/json")
    assert r.status_code == 422 and "大于候选地点数" in r.json()["message"]


def test_the_site_librarys_refusals_speak_the_pages_language():
    """sitelib (no Django) words its refusals in Chinese; where one reaches a page or the API (the forms catch most
    first), the platform translates it with the request's language, numbers included."""
    from django.utils import translation

    from hongniang.core.errors import InvalidInput
    from hongniang.siting.selectors import _query

    for lang, bad, said in [("zh-hans", {"radius_km": 600}, "通勤半径不能超过 500 公里"),
                            ("en", {"radius_km": 600}, "The commuting radius cannot be more than 500 km"),
                            ("en", {"radius_km": 5, "occupations": ["x1"]},
                             "Occupation codes not in the right form: x1 (for example 6-05-01-03)")]:
        with translation.override(lang), pytest.raises(InvalidInput) as refused:
            _query(bad)
        assert refused.value.message == said


def test_page_shows_results_and_excel(client, people, staff_a):
    client.force_login(staff_a)
    q = {"need": 20, "radius_km": 5, "k": 2, "occupation": "6-05-01-03"}
    html = client.get(PAGE, q).content.decode()
    assert "已证明最优" in html and "贪心解" in html and "象湖镇" in html
    r = client.get(PAGE + "result.xlsx", q)
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["逐个排名", "精确解", "贪心解"]
    assert [c.value for c in wb["精确解"][2]][6:8] == [12, 12]


def test_page_form_errors_in_chinese(client, people, staff_a):
    client.force_login(staff_a)
    r = client.get(PAGE, {"need": 20, "radius_km": 5, "k": 9})
    assert r.status_code == 422 and "5" in r.content.decode()


def test_bearer_token(client, people, bureau):
    r = client.post(API, BODY, content_type="application/json", **bearer(bureau))
    assert r.status_code == 200 and r.json()["masked"] is False
