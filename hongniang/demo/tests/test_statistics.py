"""After a load the pages must not pay for it: on PostgreSQL the demo load leaves no dead row versions and fresh
planner statistics (at 10x, 220,000 dead seeker rows cost the logged-in pages a quarter of their rate until
autovacuum came round)."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from hongniang.demo.loader import load_demo


@pytest.mark.django_db(transaction=True)
def test_a_loaded_demo_is_vacuumed_and_analysed():
    if connection.vendor != "postgresql":
        pytest.skip("dead row versions and VACUUM are PostgreSQL's")
    load_demo(wet_run=True, scale=0.02, out=lambda *a, **k: None)
    with connection.cursor() as cur:
        for _ in range(100):  # the statistics views are written a moment after the command
            cur.execute("SELECT pg_stat_clear_snapshot()")
            cur.execute("SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL, n_dead_tup "
                        "FROM pg_stat_user_tables WHERE relname = 'seekers_seeker'")
            vacuumed, analysed, dead = cur.fetchone()
            if vacuumed and analysed:
                break
            time.sleep(0.1)
    assert vacuumed and analysed
    assert dead == 0
