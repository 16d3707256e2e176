"""The public figures page (/figures/) in-process on a copy of the demo database: what making the gig orders
current costs, against the stored figures alone (the page before) and a naive baseline that counts everything
from the facts and the live tables on every request.

    .venv/bin/python bench/public_figures.py [--runs 300] [--orders 20000]

--orders adds that many gig orders to the copy, posted over the last 90 days (a busier market than the demo's 80;
the live count reads gig orders by their posting time, which has no index). Each cell renders the page through the
view (dashboards.views.public_figures, anonymous; the page cache's middleware not involved) `--runs` times and
prints p50 / p99 ms and the statements per request:

  stored only      the figures as of the last nightly run, from the process cache (what the page did before)
  current, kept    + the gig orders made current, kept under the page cache's generation (most requests)
  current, fresh   the same, the gig orders counted again each request (after every write: the worst case)
  naive            nothing kept: public.compute() from the facts and the gig orders counted, every request

Prints the load average at the start and the end: the machine is shared."""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--orders", type=int, default=0, help="gig orders to add to the copy (over the last 90 days)")
    args = ap.parse_args()

    src = Path(os.environ.get("HONGNIANG_VAR_DIR", ROOT / "var")) / "hongniang.sqlite3"
    if not src.exists():
        raise SystemExit(f"no demo database at {src}: run `make demo-data` first")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    copy = out / "public_figures.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(copy) as b:
        a.backup(b)
    os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
    os.environ.setdefault("HONGNIANG_ENV", "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
    import django

    django.setup()
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache, caches
    from django.db import connection
    from django.shortcuts import render
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from hongniang.dashboards import public, views
    from hongniang.dashboards.aggregate import day_start
    from hongniang.dashboards.models import FactDay
    from hongniang.gigs.models import GigOrder

    print(f"database: copy of {src}; load average {load()}")
    if args.orders:
        rng = random.Random(7)
        proto = list(GigOrder.objects.order_by("id")[:50])
        now = time.time()
        rows = []
        for i in range(args.orders):
            o = proto[i % len(proto)]
            o.pk = None
            rows.append(GigOrder(**{f.attname: getattr(o, f.attname) for f in GigOrder._meta.concrete_fields
                                    if f.attname != "id"}))
        made = GigOrder.objects.bulk_create(rows, batch_size=2000)
        table = connection.ops.quote_name(GigOrder._meta.db_table)
        with connection.cursor() as cur:  # auto_now_add: set the posting times afterwards (SQLite's UTC text)
            cur.executemany(f"UPDATE {table} SET created_at = %s WHERE id = %s",
                            [(dt.datetime.fromtimestamp(now - rng.random() * 90 * 86400, dt.UTC).replace(tzinfo=None)
                              .isoformat(" "), o.pk)
                             for o in made])
    last = FactDay.objects.order_by("-day").values_list("day", flat=True).first()
    if last is None:
        raise SystemExit("the demo has no daily facts: run `manage.py aggregate_stats --wet-run` on it first")
    live = GigOrder.objects.filter(created_at__gte=day_start(last + dt.timedelta(days=1))).count()
    print(f"gig orders: {GigOrder.objects.count()}, {live} posted after the last day the nightly run wrote ({last})")

    rf = RequestFactory()

    def request():
        r = rf.get("/figures/")
        r.user = AnonymousUser()
        return r

    def stored_page():
        data = public.stored_figures()
        return render(request(), "dashboards/public.html", {"data": data, "labels": public.FIELDS})

    def current_page():
        return views.public_figures(request())

    def naive_page():
        cache.clear()
        caches["fragments"].clear()
        data = public.current_gigs(public.compute())
        return render(request(), "dashboards/public.html", {"data": data, "labels": public.FIELDS})

    cells = [("stored only (before)", stored_page, 30), ("current, kept", current_page, 30),
             ("current, fresh", current_page, 0), ("naive (nothing kept)", naive_page, 30)]
    results = {}
    for name, page, page_cache in cells:
        settings.PAGE_CACHE_SECONDS = page_cache
        cache.clear()
        caches["fragments"].clear()
        for _ in range(5):
            page()
        with CaptureQueriesContext(connection) as q:
            page()
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            r = page()
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        times.sort()
        p50, p99 = statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]
        results[name] = p50
        print(f"{name:24s} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  {len(q.captured_queries)} statements")
    base = results["naive (nothing kept)"]
    print("naive / cell (p50): " + ", ".join(f"{k} {base / v:.1f}x" for k, v in results.items()))
    print(f"load average at the end: {load()}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
