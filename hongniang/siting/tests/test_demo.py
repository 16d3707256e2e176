"""The demo gives 因人设厂 saved scenarios and opened sites with hires, so calibration shows figures."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from hongniang.core.models import User
from hongniang.siting import selectors
from hongniang.siting.models import OpenedSite, Scenario


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo", "--scale", "0.02", "--wet-run", stdout=out)
    return out.getvalue()


def test_demo_scenarios_and_calibration(demo, client):
    assert "siting (seed" in demo
    assert Scenario.objects.filter(is_demo=True).count() == 3
    assert Scenario.objects.filter(is_demo=True, status="shared").count() == 1
    assert OpenedSite.objects.filter(is_demo=True).count() == 2
    cal = selectors.calibration(User.objects.get(username="admin"))
    branch = next(s for s in cal["sites"] if s["name"] == "九堡分厂")
    assert branch["hires"] > 0 and all(c["actual"] is not None for c in branch["checks"])
    hr = User.objects.get(username="hr_demo")
    assert {s.title for s in selectors.scenarios(hr)} == {s.title for s in Scenario.objects.filter(
        is_demo=True).exclude(status="private", by_enterprise=False)}
    client.force_login(hr)
    assert client.get("/siting/scenarios/").status_code == 200


def test_demo_reset_replaces_the_siting_rows(demo):
    call_command("load_demo", "--scale", "0.02", "--wet-run", "--reset", stdout=io.StringIO())
    assert Scenario.objects.filter(is_demo=True).count() == 3
    assert OpenedSite.objects.filter(is_demo=True).count() == 2
