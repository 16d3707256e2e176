"""Who may open a saved scenario — the page, its Excel and the API follow one rule (selectors.scenarios): staff and
the bureau every scenario; an enterprise's HR the ones shared with it and the ones it made itself; HR of another
enterprise none (404); seekers 403; anonymous the log-in page (401 on the API). The status shown says the same."""

from __future__ import annotations

import pytest

from hongniang.siting import selectors, services

pytestmark = pytest.mark.django_db
API = "/api/v1/siting"
DATA = {"need": 20, "radius_km": 5, "k": 2, "occupations": ["6-05-01-03"], "shift": "day"}


def _save(user, title, enterprise, share=False):
    data = {**DATA, "enterprise": enterprise.pk}
    s = services.scenario_save(actor=user, title=title, data=data, result=selectors.recommend(user, data))
    if share:
        s = services.scenario_share(scenario=s, actor=user)
    return s


@pytest.fixture
def scenarios(people, staff_a, hr, enterprise):
    return {"staff_private": _save(staff_a, "工作人员内部方案", enterprise),
            "shared": _save(staff_a, "已分享的方案", enterprise, share=True),
            "hr_own": _save(hr, "我们自己算的：两处分厂", enterprise)}


# who → which scenarios open (the rest: 404 for a user with a role, 403 for a seeker, log-in for anonymous)
SEES = {"staff_a": {"staff_private", "shared", "hr_own"}, "bureau": {"staff_private", "shared", "hr_own"},
        "hr": {"shared", "hr_own"}, "colleague": {"shared", "hr_own"}, "other_hr": set()}


@pytest.fixture
def colleague(enterprise):
    from hongniang.testing import factories as f

    return f.make_hr(enterprise, "hr_a2")


@pytest.mark.parametrize("who", sorted(SEES))
def test_page_export_and_api_agree_on_who_sees_a_scenario(client, scenarios, who, request):
    client.force_login(request.getfixturevalue(who))
    listed_api = {x["id"] for x in client.get(f"{API}/scenarios").json()}
    listed_page = client.get("/siting/scenarios/").content.decode()
    for key, s in scenarios.items():
        code = 200 if key in SEES[who] else 404
        assert client.get(f"/siting/scenarios/{s.pk}/").status_code == code, (who, key)
        assert client.get(f"/siting/scenarios/{s.pk}/result.xlsx").status_code == code, (who, key)
        assert client.get(f"{API}/scenarios/{s.pk}").status_code == code, (who, key)
        assert (s.pk in listed_api) == (key in SEES[who]), (who, key)
        assert (s.title in listed_page) == (key in SEES[who]), (who, key)


def test_seekers_are_refused_and_anonymous_sent_to_log_in(client, scenarios, seeker_user):
    client.force_login(seeker_user)
    for s in scenarios.values():
        assert client.get(f"/siting/scenarios/{s.pk}/").status_code == 403
        assert client.get(f"/siting/scenarios/{s.pk}/result.xlsx").status_code == 403
        assert client.get(f"{API}/scenarios/{s.pk}").status_code == 403
    assert client.get("/siting/scenarios/").status_code == 403
    assert client.get(f"{API}/scenarios").status_code == 403
    client.logout()
    for s in scenarios.values():
        for url in (f"/siting/scenarios/{s.pk}/", f"/siting/scenarios/{s.pk}/result.xlsx"):
            r = client.get(url)
            assert r.status_code == 302 and "/login" in r["Location"]
        assert client.get(f"{API}/scenarios/{s.pk}").status_code == 401


def test_hr_cannot_share_its_own_or_a_staff_scenario(client, scenarios, hr, staff_a):
    client.force_login(hr)
    assert client.post(f"{API}/scenarios/{scenarios['hr_own'].pk}/share").status_code == 403
    assert client.post(f"{API}/scenarios/{scenarios['staff_private'].pk}/share").status_code == 404
    client.force_login(staff_a)  # an enterprise's own scenario is not staff's to share either
    assert client.post(f"{API}/scenarios/{scenarios['hr_own'].pk}/share").status_code == 403


@pytest.mark.parametrize("who", ["hr", "staff_a"])
def test_an_enterprise_made_scenario_is_not_labelled_staff_only(client, scenarios, who, request):
    """The QA finding: HR saw its own scenario listed as "仅工作人员可见" — it is the enterprise's, not a leak."""
    client.force_login(request.getfixturevalue(who))
    own = scenarios["hr_own"]
    for html in (client.get("/siting/scenarios/").content.decode(),
                 client.get(f"/siting/scenarios/{own.pk}/").content.decode()):
        line = next(x for x in html.splitlines() if "企业自建" in x)
        assert "本企业和工作人员可见" in line and "仅工作人员可见" not in line
    assert client.get(f"{API}/scenarios/{own.pk}").json()["status_label"] == "企业自建 · 本企业和工作人员可见"
    if who == "hr":
        assert "仅工作人员可见" not in client.get("/siting/scenarios/").content.decode()
    else:
        html = client.get(f"/siting/scenarios/{scenarios['staff_private'].pk}/").content.decode()
        assert "仅工作人员可见" in html


def test_conditions_show_occupation_and_shift_names_not_codes(client, scenarios, hr, staff_a):
    for user in (hr, staff_a):
        client.force_login(user)
        html = client.get(f"/siting/scenarios/{scenarios['shared'].pk}/").content.decode()
        cond = html.split("条件", 1)[1].split("</dd>", 1)[0]
        assert "缝纫工" in cond and "长白班" in cond
        assert "6-05-01-03" not in cond and "day" not in cond


def test_a_group_of_occupations_shows_its_name(people, staff_a, enterprise):
    assert selectors.scenario_conditions({"occupations": ["6-05-01", "9-99"], "shift": "part_time"}) == {
        "occupations": ["纺织品和服装剪裁缝纫人员", "9-99"], "shift": "兼职"}
    assert selectors.scenario_conditions({}) == {"occupations": [], "shift": ""}
