"""Figures computed ahead: right after the nightly aggregation, the county's dashboard (panels, headline figures
and the API overview) for each preset period the page offers, and the public figures, are computed once and kept
as Snapshot rows. The first view of those after the night then reads a row instead of summing facts and hire
records (figures.cached and public.public_figures look for them). Any other period or area is computed on its
first view, as before."""

from __future__ import annotations

import time
from dataclasses import asdict

from django.utils import timezone

from . import figures, panels, public
from .models import Snapshot


def _builders(scope: figures.Scope):
    return (
        ("panels", lambda: panels.charts_to_json([(p.key, cs) for p, cs in panels.build(scope)])),
        ("headline", lambda: [asdict(f) for f in figures.headline(scope)]),
        ("overview", lambda: figures.overview(scope)),
    )


def write(today=None) -> dict:
    """Compute and keep the county's figures for every preset period and the public figures; drop the
    snapshots of earlier runs. Returns how many were written and how long it took."""
    today = today or timezone.localdate()
    run = figures.stamp()
    now = timezone.now()
    t_all = time.perf_counter()
    keep: set[str] = set()

    def put(key: str, build) -> None:
        if key in keep:
            return
        t0 = time.perf_counter()
        payload = build()
        Snapshot.objects.update_or_create(key=key, defaults={"payload": payload, "computed_at": now,
                                                             "seconds": time.perf_counter() - t0})
        keep.add(key)

    with figures.computing():  # the three figure sets of a period share their hire figures
        for p in figures.presets(today):
            scope = figures.county(p["from"], p["to"])
            for kind, build in _builders(scope):
                put(figures.cache_key(kind, scope, run), build)
        put(public.snapshot_key(), public.compute)
    Snapshot.objects.exclude(key__in=keep).delete()
    return {"snapshots": len(keep), "snapshot_seconds": round(time.perf_counter() - t_all, 1)}
