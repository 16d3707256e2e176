"""CPU per logged-in request, in-process (issue 20: logged-in pages and search at 300 requests/s on 2 cores): the
WSGI application called as gunicorn calls it, with the session cookie of the demo seeker 13800000001, for the
search `/jobs/?q=普工` with a township and a sort, `/me/`, the job list and the home page; no server, no socket,
no wrk sharing the cores. bench/crowd.py measures the same pages served.

    .venv/bin/python bench/loggedin_cost.py                    # a copy of var/hongniang.sqlite3 (make demo-data)
    .venv/bin/python bench/loggedin_cost.py --profile search   # also the top of cProfile for one URL
    options: --runs 500 --json FILE --db PATH (another SQLite file, copied) --root DIR (another checkout's code)

Each URL: warmed (20 requests), then --runs requests timed one by one in thread CPU time; median, p90, the
statements per request, and the body's digest (the same HTML before and after a change, but for the CSRF
tokens, which differ per request)."""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import os
import pstats
import re
import sqlite3
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from request_cost import call  # noqa: E402  (the WSGI call as gunicorn makes it)

_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--profile", help="cProfile this URL's name (search, me, jobs, home)")
    ap.add_argument("--json")
    ap.add_argument("--db", help="the SQLite database to copy (default var/hongniang.sqlite3)")
    ap.add_argument("--root", help="import the code from this checkout (default: this one)")
    ap.add_argument("--save-html", help="write each page's body (tokens blanked) into this directory")
    args = ap.parse_args()

    root = Path(args.root).resolve() if args.root else ROOT
    src = Path(args.db) if args.db else ROOT / "var" / "hongniang.sqlite3"
    if not src.exists():
        raise SystemExit("no demo database: run `make demo-data` first")
    copy = Path(tempfile.mkdtemp(prefix="hn-lcost-")) / "demo.sqlite3"
    with sqlite3.connect(src) as a, sqlite3.connect(copy) as b:
        a.backup(b)
    os.environ.update(DJANGO_SETTINGS_MODULE="hongniang.settings", HONGNIANG_ENV="demo",
                      DATABASE_URL=f"sqlite:///{copy}", PAGE_CACHE_SECONDS="30", LOG_LEVEL="ERROR")
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="hn-lcost-prom-"))
    sys.path.insert(0, str(root))
    os.chdir(root)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client

    import hongniang
    from hongniang.core.models import User
    from hongniang.jobs.selectors import published_postings

    print(f"code: {Path(hongniang.__file__).parent.parent}; load average {os.getloadavg()[0]:.2f}")
    township = (published_postings().order_by().values("township_id").annotate(n=Count("id")).order_by("-n")
                .first()["township_id"])
    client = Client()
    client.force_login(User.objects.get(username="13800000001") if User.objects.filter(
        username="13800000001").exists() else User.objects.get(phone="13800000001"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, headers, _ = call(app, "/", "", cookie)
    csrf = next((v.strip().split(";")[0] for k, v in headers if k == "Set-Cookie" and "csrftoken=" in v), "")
    if csrf:
        cookie += "; " + csrf
    q = urllib.parse.quote("普工")
    urls = {
        "search": ("/jobs/", f"q={q}&township={township}&sort=pay"),
        "me": ("/me/", ""),
        "jobs": ("/jobs/", ""),
        "home": ("/", ""),
    }
    gc.collect()
    gc.freeze()  # as gunicorn.conf.py does after warming up
    out = {}
    for name, (path, query) in urls.items():
        for _ in range(20):
            status, headers, body = call(app, path, query, cookie)
        settings.DEBUG = True
        reset_queries()
        call(app, path, query, cookie)
        statements = len(connection.queries) if connection.connection is not None or connection.queries else 0
        sql = [qq["sql"][:160] for qq in connection.queries]
        settings.DEBUG = False
        times = []
        for _ in range(args.runs):
            t = time.thread_time_ns()
            call(app, path, query, cookie)
            times.append((time.thread_time_ns() - t) / 1e6)
        times.sort()
        blanked = _TOKEN.sub(b"TOKEN", body)
        out[name] = {"status": status, "bytes": len(body), "statements": statements, "sql": sql,
                     "median_ms": round(times[len(times) // 2], 3), "p90_ms": round(times[len(times) * 9 // 10], 3),
                     "digest": hashlib.blake2b(blanked, digest_size=8).hexdigest()}
        if args.save_html:
            Path(args.save_html).mkdir(parents=True, exist_ok=True)
            (Path(args.save_html) / f"{name}.html").write_bytes(blanked)
        r = out[name]
        print(f"{name:8s} {status:8s} {r['bytes']:7d} B  {statements:2d} statements  median {r['median_ms']:6.2f} ms "
              f"CPU  p90 {r['p90_ms']:6.2f} ms  (≈ {1e3 / r['median_ms']:,.0f}/s per core)  html {r['digest']}")
        if args.profile == name:
            for s in sql:
                print("   ", s)
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(args.runs):
                call(app, path, query, cookie)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(35)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(70)
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
