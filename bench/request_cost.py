"""CPU per request of the whole Django stack, in-process (issue 20): the WSGI application called as gunicorn calls
it, for a static file and for page-cache hits, without a server, a socket or wrk sharing the cores. What it
prints is this stack's own cost per request; bench/crowd.py measures it served.

    .venv/bin/python bench/request_cost.py                     # a copy of var/hongniang.sqlite3 (make demo-data)
    .venv/bin/python bench/request_cost.py --profile home      # also the top of cProfile for one URL
    options: --runs 3000 --json FILE

Each URL: warmed (the first request fills the page cache), then --runs requests timed one by one in thread CPU
time; median, p90 and the mean in µs. A visitor without a cookie (a new phone from a QR code: the answer sets
a new CSRF cookie) and one with a CSRF cookie (a returning visitor)."""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from wsgiref.util import FileWrapper

ROOT = Path(__file__).resolve().parent.parent


def environ(path: str, query: str = "", cookie: str = "") -> dict:
    env = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
        "RAW_URI": path + ("?" + query if query else ""), "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8112", "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "40000",
        "HTTP_HOST": "127.0.0.1:8112", "HTTP_USER_AGENT": "wrk", "HTTP_ACCEPT": "*/*",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.file_wrapper": FileWrapper,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def call(app, path: str, query: str = "", cookie: str = "") -> tuple[str, list, bytes]:
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"], got["headers"] = status, headers

    result = app(environ(path, query, cookie), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()  # request_finished, as gunicorn does
    return got["status"], got["headers"], body


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3000)
    ap.add_argument("--profile", help="cProfile this URL's name (e.g. home, static, 'job list')")
    ap.add_argument("--json")
    args = ap.parse_args()

    src = ROOT / "var" / "hongniang.sqlite3"
    if not src.exists():
        raise SystemExit("no demo database: run `make demo-data` first")
    copy = Path(tempfile.mkdtemp(prefix="hn-cost-")) / "demo.sqlite3"
    with sqlite3.connect(src) as a, sqlite3.connect(copy) as b:
        a.backup(b)
    os.environ.update(DJANGO_SETTINGS_MODULE="hongniang.settings", HONGNIANG_ENV="demo",
                      DATABASE_URL=f"sqlite:///{copy}", PAGE_CACHE_SECONDS="30", LOG_LEVEL="ERROR")
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="hn-cost-prom-"))
    sys.path.insert(0, str(ROOT))
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    from hongniang.jobs.selectors import published_postings

    posting = published_postings().order_by("-published_at").values_list("pk", flat=True).first()
    status, headers, _ = call(app, "/")
    cookie = next(v.strip().split(";")[0] for k, v in headers if k == "Set-Cookie" and "csrftoken=" in v)
    urls = {
        "static": ("/static/hongniang/site.css", "", ""),
        "home": ("/", "", ""),
        "home, with a CSRF cookie": ("/", "", cookie),
        "job list": ("/jobs/", "", ""),
        "job list, filters": ("/jobs/", "shift=day&sort=pay", ""),
        "job page": (f"/jobs/{posting}/", "", ""),
    }
    gc.collect()
    gc.freeze()  # as gunicorn.conf.py does after warming up
    out = {}
    for name, (path, query, cookie_) in urls.items():
        for _ in range(20):
            status, headers, body = call(app, path, query, cookie_)
        cache = dict(headers).get("X-Page-Cache", "")
        times = []
        for _ in range(args.runs):
            t = time.thread_time_ns()
            call(app, path, query, cookie_)
            times.append((time.thread_time_ns() - t) / 1000)
        times.sort()
        out[name] = {"status": status, "page_cache": cache, "bytes": len(body),
                     "median_us": round(times[len(times) // 2], 1), "p90_us": round(times[len(times) * 9 // 10], 1),
                     "mean_us": round(sum(times) / len(times), 1)}
        r = out[name]
        print(f"{name:28s} {status:8s} {cache:5s} {r['bytes']:7d} B   median {r['median_us']:7.1f} µs   "
              f"p90 {r['p90_us']:7.1f} µs   mean {r['mean_us']:7.1f} µs   (≈ {1e6 / r['median_us']:,.0f}/s per core)")
        if args.profile == name:
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(args.runs):
                call(app, path, query, cookie_)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
