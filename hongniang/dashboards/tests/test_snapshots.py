"""Figures computed ahead by the nightly run: the county's preset periods and the public figures are read from a
Snapshot on their first view, with the same figures as computing them."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hongniang.dashboards import figures, panels, public, snapshots
from hongniang.dashboards.models import Snapshot

pytestmark = pytest.mark.django_db


def preset_url(label: str) -> str:
    p = next(p for p in figures.presets(timezone.localdate()) if p["label"] == label)
    return f"/dashboard/?from={p['from']:%Y-%m-%d}&to={p['to']:%Y-%m-%d}"


def test_snapshot_json_gives_back_the_same_charts_and_figures(aggregated):
    today = timezone.localdate()
    for p in figures.presets(today):
        scope = figures.county(p["from"], p["to"])
        built = [(pn.key, cs) for pn, cs in panels.build(scope)]
        assert panels.charts_from_json(json.loads(json.dumps(panels.charts_to_json(built)))) == built
        heads = figures.headline(scope)
        from dataclasses import asdict

        assert figures.figures_from_json(json.loads(json.dumps([asdict(f) for f in heads]))) == heads


def test_first_view_of_a_preset_reads_the_snapshot_with_the_same_figures(client, aggregated, bureau):
    client.force_login(bureau)
    url = preset_url("近 12 个月")
    cache.clear()
    computed = client.get(url)
    rep = snapshots.write()
    assert rep["snapshots"] >= 10
    cache.clear()  # a new process, or the first view after the night
    with CaptureQueriesContext(connection) as ctx:
        first = client.get(url)
    assert first.status_code == 200
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "dashboards_hirerecord" not in sql and "dashboards_fact\"" not in sql.replace("dashboards_factday", "")
    assert first.context["built"] == computed.context["built"]
    assert first.context["figures"] == computed.context["figures"]
    assert "各就业之家成效" in first.content.decode()


def test_other_periods_and_townships_are_computed_from_the_summed_rows(client, aggregated, bureau):
    snapshots.write()
    client.force_login(bureau)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/dashboard/?from=2026-09-01&to=2026-09-30")
    assert r.status_code == 200 and "已核实 1" in r.content.decode()
    sql = [q["sql"] for q in ctx.captured_queries]
    # the county's hire figures: the summed rows of the three dates a hire counts on (hired, started 7/30/90 days
    # before, pay reported) in one statement for the county's cells and one for the service points' (the points
    # table), one by month for the fairs' and live sessions' trends, and whether the rows have been written; the
    # records only for the people placed (a person hired twice counts once) and the latest outcome date
    assert sum("dashboards_hirestat" in q for q in sql) == 4
    assert sum("dashboards_hirerecord" in q for q in sql) <= 2
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/dashboard/?from=2026-09-01&to=2026-09-30&township=360781100000")
    assert r.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum("dashboards_hirerecord" in q for q in sql) == 1 and not any("dashboards_hirestat" in q for q in sql)
    # a page reads the run's last day and stock day once, not once per figure
    assert sum('MAX("dashboards_factday"."day")' in q for q in sql) <= 2


def test_api_overview_and_public_figures_from_the_snapshot(client, aggregated, bureau):
    snapshots.write()
    client.force_login(bureau)
    p = next(p for p in figures.presets(timezone.localdate()) if p["label"] == "本月")
    cache.clear()
    live = public.compute()
    assert Snapshot.objects.filter(key=public.snapshot_key()).exists()
    body = client.get("/api/v1/stats/public").json()
    assert public.stored_figures() == live  # the stored part from the snapshot; the gig orders made current
    assert body == {**public.current_gigs(live), "gig_as_of": body["gig_as_of"]}
    body = client.get(f"/api/v1/stats/overview?from={p['from']}&to={p['to']}").json()
    assert body == figures.overview(figures.county(p["from"], p["to"]))


def test_the_nightly_command_replaces_the_snapshots_of_the_run_before(aggregated):
    snapshots.write()
    before = set(Snapshot.objects.values_list("key", flat=True))
    call_command("aggregate_stats", "--day", "2026-10-31", "--wet-run", stdout=open("/dev/null", "w"))
    after = set(Snapshot.objects.values_list("key", flat=True))
    assert after and not (after & before - {public.snapshot_key()})  # a new run, new keys; the old ones gone
    assert len(after) == len(before)
