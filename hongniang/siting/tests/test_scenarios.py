"""Saved scenarios shared with an enterprise; opened sites and calibration; what-if. Permissions for every role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.outreach.models import FollowUp
from hongniang.siting.models import OpenedSite, Scenario, ScenarioEvent
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/siting"
BODY = {"need": 20, "radius_km": 5, "k": 2, "occupations": ["6-05-01-03"]}


@pytest.fixture
def staff_scenario(client, people, staff_a, enterprise):
    client.force_login(staff_a)
    r = client.post(f"{API}/scenarios", {**BODY, "title": "红都服饰九堡分厂", "enterprise": enterprise.pk},
                    content_type="application/json")
    assert r.status_code == 201
    client.logout()
    return Scenario.objects.get(pk=r.json()["id"])


def test_staff_saves_a_scenario_private_until_shared(client, staff_scenario, hr, other_hr, staff_a, staff_b, bureau):
    s = staff_scenario
    assert s.status == "private" and s.result["exact"]["covered_total"] == 19 and not s.by_enterprise
    for user in (staff_a, staff_b, bureau):  # staff and the bureau see every scenario
        client.force_login(user)
        assert client.get(f"{API}/scenarios/{s.pk}").status_code == 200
    client.force_login(hr)
    assert client.get(f"{API}/scenarios/{s.pk}").status_code == 404
    assert client.get(f"/siting/scenarios/{s.pk}/").status_code == 404
    assert client.get(f"{API}/scenarios").json() == []
    assert client.post(f"{API}/scenarios/{s.pk}/share").status_code == 404


def test_sharing_lets_the_enterprise_see_it_masked_and_not_another(client, staff_scenario, staff_a, hr, other_hr):
    s = staff_scenario
    client.force_login(staff_a)
    r = client.post(f"{API}/scenarios/{s.pk}/share")
    assert r.status_code == 200 and r.json()["status"] == "shared" and r.json()["actions"] == ["unshare"]
    ev = ScenarioEvent.objects.get(scenario=s)
    assert (ev.action, ev.from_status, ev.to_status, ev.actor) == ("share", "private", "shared", staff_a)
    assert client.post(f"{API}/scenarios/{s.pk}/share").status_code == 409  # already shared
    client.force_login(hr)
    body = client.get(f"{API}/scenarios/{s.pk}").json()
    assert body["actions"] == []  # HR may not unshare
    assert [x["covered_new"] for x in body["result"]["exact"]["sites"]] == [10, "<10"]  # 12 rounded to 5
    assert body["result"]["exact"]["share"] == round(20 / body["result"]["need"], 4)  # from the rounded 19
    assert body["result"]["masked"] is True and body["result"]["exact"]["bound"] is None
    html = client.get(f"/siting/scenarios/{s.pk}/").content.decode()
    assert "红都服饰九堡分厂" in html and "&lt;10" in html and "取消分享" not in html
    assert client.post(f"{API}/scenarios/{s.pk}/unshare").status_code == 403
    xlsx = client.get(f"/siting/scenarios/{s.pk}/result.xlsx")
    assert xlsx.status_code == 200
    client.force_login(other_hr)
    assert client.get(f"{API}/scenarios/{s.pk}").status_code == 404
    assert client.get(f"/siting/scenarios/{s.pk}/result.xlsx").status_code == 404


def test_share_and_unshare_on_the_page(client, staff_scenario, staff_a):
    client.force_login(staff_a)
    html = client.get(f"/siting/scenarios/{staff_scenario.pk}/").content.decode()
    assert "分享给企业" in html
    r = client.post(f"/siting/scenarios/{staff_scenario.pk}/share/")
    assert r.status_code == 302
    staff_scenario.refresh_from_db()
    assert staff_scenario.status == "shared"
    client.post(f"/siting/scenarios/{staff_scenario.pk}/unshare/")
    staff_scenario.refresh_from_db()
    assert staff_scenario.status == "private"


def test_a_scenario_without_an_enterprise_cannot_be_shared(client, people, staff_a):
    client.force_login(staff_a)
    sid = client.post(f"{API}/scenarios", {**BODY, "title": "全市"}, content_type="application/json").json()["id"]
    assert client.post(f"{API}/scenarios/{sid}/share").status_code == 403
    assert Scenario.objects.get(pk=sid).status == "private"


def test_hr_saves_its_own_scenario_masked_for_colleagues_only(client, people, hr, enterprise, other_hr):
    colleague = f.make_hr(enterprise, "hr_a2")
    client.force_login(hr)
    r = client.post(f"{API}/scenarios", {**BODY, "title": "我们的方案"}, content_type="application/json")
    assert r.status_code == 201
    s = Scenario.objects.get(pk=r.json()["id"])
    assert s.by_enterprise and s.enterprise == enterprise and s.result["masked"] is True
    assert s.result["ranking"][2]["people"] == "<10"  # stored masked
    client.force_login(colleague)
    assert client.get(f"{API}/scenarios/{s.pk}").status_code == 200
    client.force_login(other_hr)
    assert client.get(f"{API}/scenarios/{s.pk}").status_code == 404


def test_saving_from_the_page_needs_a_title(client, people, staff_a):
    client.force_login(staff_a)
    q = {"need": 20, "radius_km": 5, "k": 1, "occupation": "6-05-01-03"}
    r = client.post("/siting/recommend/", {**q, "title": ""})
    assert r.status_code == 422 and Scenario.objects.count() == 0
    r = client.post("/siting/recommend/", {**q, "title": "试一下"})
    assert r.status_code == 302 and Scenario.objects.get().title == "试一下"


# --------------------------------------------------------------------------- opened sites and calibration


@pytest.fixture
def opened(people, enterprise, posting, months_ago, bureau):
    """A branch opened 7 months ago predicting 5 / 8 / 10 people: 4 hires started in the first 3 months (one left
    before month 6, found by a follow-up) and 4 more by month 6."""
    from hongniang.siting import services

    site = services.opened_site_create(actor=bureau, enterprise_id=enterprise.pk, name="九堡分厂", kind="branch",
                                       lat=25.937, lon=115.906, opened_on=months_ago(7), predicted_3m=5,
                                       predicted_6m=8, predicted_12m=10, region="360781103000",
                                       postings=[posting.pk])
    open_day = site.opened_on
    hires = []
    for n, s in enumerate(people["jiubao"] + people["baxi"] + people["xianghu"][:1]):
        start = open_day + dt.timedelta(days=10 + n) if n < 4 else open_day + dt.timedelta(days=120 + n)
        hires.append(Application.objects.create(seeker=s, posting=posting, status="hired", start_date=start,
                                                consent_at=timezone.now(), consent_channel="online"))
    FollowUp.objects.create(application=hires[0], seeker=hires[0].seeker, enterprise=enterprise, day=90,
                            hired_on=hires[0].start_date, due_on=open_day + dt.timedelta(days=100),
                            status="done", still_working=False)
    return site


def test_calibration_for_the_bureau(client, opened, bureau):
    client.force_login(bureau)
    body = client.get(f"{API}/calibration").json()
    site = body["sites"][0]
    assert site["name"] == "九堡分厂" and site["hires"] == 8
    checks = {c["months"]: c for c in site["checks"]}
    assert (checks[3]["predicted"], checks[3]["actual"]) == (5, 4) and checks[3]["within"] is True
    assert (checks[6]["predicted"], checks[6]["actual"]) == (8, 7) and checks[6]["within"] is True
    assert checks[12]["actual"] is None  # not yet
    assert body["summary"]["3"] == {"sites": 1, "within": 1}
    html = client.get("/siting/calibration/").content.decode()
    assert "九堡分厂" in html and "-20%" in html


@pytest.mark.parametrize("who", ["staff_a", "hr", "seeker_user"])
def test_calibration_is_for_the_bureau_only(client, opened, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{API}/calibration").status_code == 403
    assert client.get("/siting/calibration/").status_code == 403


def test_opened_site_by_staff_not_by_hr(client, people, staff_a, hr, enterprise, posting, other_enterprise):
    body = {"enterprise": enterprise.pk, "name": "坝溪车间", "kind": "workshop", "lat": 25.95, "lon": 115.92,
            "opened_on": "2026-01-15", "predicted_3m": 20, "predicted_6m": 30, "predicted_12m": 40,
            "postings": [posting.pk]}
    client.force_login(hr)
    assert client.post(f"{API}/opened", body, content_type="application/json").status_code == 403
    assert client.get("/siting/opened/new/").status_code == 403
    client.force_login(staff_a)
    bad = client.post(f"{API}/opened", {**body, "enterprise": other_enterprise.pk}, content_type="application/json")
    assert bad.status_code == 422 and "postings" in bad.json()["errors"]  # not that enterprise's posting
    assert client.post(f"{API}/opened", {**body, "predicted_3m": 0}, content_type="application/json").status_code == 422
    assert OpenedSite.objects.count() == 0
    r = client.post(f"{API}/opened", body, content_type="application/json")
    assert r.status_code == 201 and OpenedSite.objects.get().postings.get() == posting


def test_opened_site_page_form(client, people, staff_a, enterprise):
    client.force_login(staff_a)
    r = client.post("/siting/opened/new/", {"enterprise": enterprise.pk, "name": "坝溪车间", "kind": "workshop",
                                            "lat": 25.95, "lon": 115.92, "opened_on": "2026-01-15",
                                            "predicted_3m": 20, "predicted_6m": 30, "predicted_12m": 40})
    assert r.status_code == 302 and OpenedSite.objects.get().name == "坝溪车间"


# --------------------------------------------------------------------------- what if


def test_shuttle_from_a_township_adds_people_near_its_stops(client, people, hr, enterprise, staff_a):
    enterprise.lat, enterprise.lon = 25.894257, 116.018804
    enterprise.save()
    q = {"mode": "shuttle", "township": "360781103000", "walk_km": 1.0, "radius_km": 5,
         "occupation": "6-05-01-03"}
    client.force_login(staff_a)
    body = client.post(f"{API}/whatif", {**q, "enterprise": enterprise.pk}, content_type="application/json").json()
    assert body["base"]["people"] == 12
    assert body["added"]["people"] == 7  # 4 at the 九堡 stop, 3 at the 坝溪 stop
    assert {b["name"]: b["people"] for b in body["by_stop"]} == {"九堡镇": 4, "九堡村委会": 4, "坝溪村委会": 3}
    client.force_login(hr)  # HR: its own enterprise, masked
    mine = client.post(f"{API}/whatif", q, content_type="application/json").json()
    assert mine["added"]["people"] == "<10" and mine["base"]["people"] == 10  # 12 rounded to 5
    assert mine["total"]["people"] == "10 + <10"  # not 20: base and total would give the 7 away
    html = client.get("/siting/whatif/", q).content.decode()
    assert "班车新增" in html


def test_workshop_and_permissions(client, people, hr, enterprise, other_enterprise, seeker_user):
    enterprise.lat, enterprise.lon = 25.894257, 116.018804
    enterprise.save()
    q = {"mode": "workshop", "township": "360781103000", "workshop_radius_km": 3, "radius_km": 5}
    client.force_login(hr)
    body = client.post(f"{API}/whatif", q, content_type="application/json").json()
    assert body["workshop"]["people"] == "<10" and body["added"]["people"] == "<10"
    assert client.post(f"{API}/whatif", {**q, "enterprise": other_enterprise.pk},
                       content_type="application/json").status_code == 403
    assert client.post(f"{API}/whatif", {**q, "township": "999"}, content_type="application/json").status_code == 422
    client.force_login(seeker_user)
    assert client.post(f"{API}/whatif", q, content_type="application/json").status_code == 403


def test_scenario_list_query_count_does_not_grow(client, staff_scenario, staff_a, django_assert_max_num_queries):
    for n in range(5):
        Scenario.objects.create(title=f"方案{n}", enterprise=staff_scenario.enterprise, created_by=staff_a,
                                params={"need": 1, "radius_km": 5, "k": 1}, result={})
    client.force_login(staff_a)
    with django_assert_max_num_queries(8):
        r = client.get(f"{API}/scenarios")
    assert r.status_code == 200 and len(r.json()) == 6
    with django_assert_max_num_queries(10):
        assert client.get("/siting/scenarios/").status_code == 200
