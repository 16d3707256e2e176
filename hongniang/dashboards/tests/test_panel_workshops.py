# ruff: noqa: F811 - pytest fixtures imported from the workshops tests are parameters here
"""The 社区工厂 panel: people working near home, piece wages earned and paid, the township table, scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from hongniang.dashboards import figures, panels
from hongniang.workshops import services
from hongniang.workshops.models import HandoverKind, WageLine
from hongniang.workshops.tests.conftest import (  # noqa: F401 - shared fixtures
    _media,
    order,
    other_workshop,
    owner,
    producing,
    share,
    today,
    workers,
    workshop,
)

pytestmark = pytest.mark.django_db


def _charts(scope):
    return {c.key: c for p, cs in panels.build(scope) if p.key == "workshops" for c in cs}


def test_the_workshops_panel_shows_people_wages_and_townships(producing, owner, workers, today):
    services.pieces_record(actor=owner, share=producing, day=today, entries=[
        {"worker": workers[1], "pieces": 60, "hours": "6"}])
    services.handover_record(actor=owner, share=producing, kind=HandoverKind.BACK, quantity=600)
    services.share_deliver(actor=owner, share=producing)
    services.wage_pay(actor=owner, wage=WageLine.objects.get(worker=workers[0]))
    charts = _charts(figures.county(today - dt.timedelta(days=40), today))
    monthly = charts["workshops.monthly"]
    totals = {s["name"]: sum(s["data"]) for s in monthly.series}
    assert totals["计件工钱（元）"] == 144 and totals["已发工钱（元）"] == 96  # 180 pieces × 0.80; worker 0 paid
    header, rows = charts["workshops.townships"].table()
    row = dict(zip(header, rows[0], strict=True))
    assert row["乡镇"] == "象湖镇" and row["做工人数"] == 2 and row["在册车间"] == 1
    note = charts["workshops.townships"].note
    assert "2 人做工" in note and "目标 ≥ 90%" in note and "待发工钱 48.00 元" in note


def test_staff_of_another_township_see_none_of_these_workshops(producing, point_b, staff_b, today):
    charts = _charts(figures.scope_for(staff_b))
    assert charts["workshops.townships"].rows == []
    assert sum(sum(s["data"]) for s in charts["workshops.monthly"].series) == 0


def test_the_panel_is_on_the_dashboard_page_for_the_bureau(client, bureau, producing):
    client.force_login(bureau)
    html = client.get("/dashboard/").content.decode()
    assert "社区工厂" in html
