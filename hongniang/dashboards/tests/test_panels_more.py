"""The capabilities' panels: 因人设厂 (scenarios, opened sites, calibration for the bureau only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.dashboards import figures, panels
from hongniang.siting.models import OpenedSite, Scenario
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(regions, enterprise, posting, bureau):
    """A branch opened 7 months ago in 九堡 predicting 4/6/8 people; 5 hired at its posting, started 6 months ago."""
    from hongniang.sitelib.calibration import add_months

    today = timezone.localdate()
    Scenario.objects.create(title="九堡分厂", enterprise=enterprise, created_by=bureau, params={}, result={})
    Scenario.objects.create(title="企业自做", enterprise=enterprise, by_enterprise=True, params={}, result={})
    site = OpenedSite.objects.create(enterprise=enterprise, name="九堡分厂", kind="branch", region=regions["jiubao"],
                                     lat=25.93, lon=115.9, opened_on=add_months(today, -7), predicted_3m=4,
                                     predicted_6m=6, predicted_12m=8)
    site.postings.add(posting)
    started = add_months(today, -6)
    for _ in range(5):
        Application.objects.create(seeker=f.SeekerFactory(), posting=posting, status="hired", start_date=started,
                                   consent_at=timezone.now(), consent_channel="online")
    return site


def _charts(scope):
    return {c.key: c for p, cs in panels.build(scope) if p.key == "siting" for c in cs}


def test_siting_panel_counts_scenarios_and_opened_sites_and_calibrates_for_the_bureau(opened):
    today = timezone.localdate()
    charts = _charts(figures.county(today - dt.timedelta(days=30), today))
    monthly = charts["siting.monthly"]
    totals = {s["name"]: sum(s["data"]) for s in monthly.series}
    assert totals["工作人员做的方案"] == 1 and totals["企业自做的方案"] == 1 and totals["开设分厂"] == 1
    cal = charts["siting.calibration"]
    header, rows = cal.table()
    row = dict(zip(header, rows[0], strict=True))
    assert row["地点"] == "九堡分厂" and row["3个月预测"] == 4 and row["3个月实际"] == 5
    assert row["3个月偏差率"] == 0.25 and row["6个月实际"] == 5 and row["12个月实际"] is None
    assert "1 个地点中 0 个在 ±20% 以内" in cal.note


def test_staff_see_the_siting_counts_but_not_the_calibration(opened, point_b, staff_b):
    scope = figures.scope_for(staff_b)
    charts = _charts(scope)
    assert "siting.monthly" in charts and "siting.calibration" not in charts


def test_the_dashboard_page_shows_the_siting_panel(client, opened, bureau):
    client.force_login(bureau)
    page = client.get("/dashboard/").content.decode()
    assert "因人设厂：选址方案与经平台开设的地点" in page and "预测校准" in page


def test_panels_over_empty_tables_send_no_statement_to_them_and_count_a_fair_once_held(regions, monkeypatch):
    """No fair, live session, workshop or siting scenario yet: the events, live, workshops and siting panels do not
    read those tables (one statement says they are empty) and show the same charts as reading them. Once a fair
    is held, the events panel counts it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hongniang.dashboards import panels_more
    from hongniang.events.models import Event

    today = timezone.localdate()
    scope = figures.county(today.replace(day=1), today)
    keys = ("events", "live", "workshops", "siting")

    def build():
        with figures.computing():
            return [(p.key, cs) for p, cs in panels.build(scope) if p.key in keys]

    with CaptureQueriesContext(connection) as ctx:
        new = build()
    skipped = ("events_event", "events_registration", "live_livesession", "live_lead", "siting_scenario",
               "siting_scenarioevent", "siting_openedsite")
    sent = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("SELECT NOT EXISTS")]
    assert not [q for q in sent if any(f'FROM "{t}"' in q for t in skipped)], sent
    monkeypatch.setattr(panels_more, "SKIP_EMPTY", False)
    with CaptureQueriesContext(connection) as ctx:
        assert build() == new
    # and the workshops' figures: 3 + 2 + 7 + the workshops' 2 monthly and 14 figures' statements, one instead
    assert len(ctx.captured_queries) - len(sent) - 1 >= 25, (len(ctx.captured_queries), len(sent))
    monkeypatch.undo()
    Event.objects.create(kind="fair_offline", title="春风行动招聘会", starts_at=timezone.now(),
                         ends_at=timezone.now() + dt.timedelta(hours=3), capacity=100, status="published")
    charts = {c.key: c for _k, cs in build() for c in cs}
    fairs = next(s for s in charts["events.monthly"].series if s["name"] == "招聘会场次")
    assert sum(fairs["data"]) == 1


def test_townships_with_the_same_figures_keep_one_order_by_code(regions):
    """The townships chart lists the busiest first and ties by code: the same order in every worker and in the
    monthly report (a set's order changes from process to process)."""
    from hongniang.dashboards import panels_core
    from hongniang.geo.models import Region, RegionKind

    codes = [f"3607811{n:02d}000" for n in (50, 49, 48, 47, 46, 45, 44, 43)]  # inserted against their order
    for i, code in enumerate(codes):
        Region.objects.create(code=code, name=f"测试{i}乡", kind=RegionKind.TOWNSHIP, parent=regions["county"])
    today = timezone.localdate()
    chart = panels_core.area(figures.county(today - dt.timedelta(days=30), today))[0]
    names = dict(Region.objects.filter(kind=RegionKind.TOWNSHIP).values_list("name", "code"))
    shown = [names[n] for n in chart.categories]
    assert shown == sorted(shown)  # no figures anywhere: every township ties
