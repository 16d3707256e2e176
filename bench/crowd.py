"""Speed under a crowd (issue 20): gunicorn on 127.0.0.1 against the demo database, wrk against each URL, a static
file as the reference in the same run.

    .venv/bin/python bench/crowd.py                       # SQLite: a copy of var/hongniang.sqlite3 (make demo-data)
    DATABASE_URL=postgres://… .venv/bin/python bench/crowd.py   # PostgreSQL, in place (the bench's rows removed)
    options: --seconds 8 (≤ 15 per URL) --connections 8 --threads 2 --workers 2 --port 8112 --only cached|uncached
             --no-writes --writes-only --json bench/out/crowd.json

Two servers, one after the other: with the page cache (PAGE_CACHE_SECONDS=30) and without it (=0, the baseline);
for every URL it prints requests/s, p50 and p99 in each, and the ratio. The URLs: the public pages anonymously
(home, job list with and without filters, a job page, service points, gigs, events, a fair, the live list),
search `/jobs/?q=普工` with filters, and the same search and `/me/` logged in (the seeker 13800000001).

Then the writes, on the cached server: apply (`POST /api/v1/jobs/{id}/apply`, a bearer token per seeker) and gig
sign-up (`POST /api/v1/gigs/orders/{id}/signup`, a token per worker; the demo registers most seekers and gig
workers without a log-in, so the bench gives them one, and adds gig workers when there are too few). Each request is a (person, job) pair taken in
turn; when the pairs run out they come round again, so repeats are sent too. Checked afterwards in the database:
the new rows equal the 201 answers (none lost) and no pair has two rows (none duplicated).

Before the runs it measures the uncached job list in-process (render time, queries and their time)."""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WRK = shutil.which("wrk") or "/usr/bin/wrk"


# ------------------------------------------------------------------------------------------------ Django


def django_setup(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
    os.environ["HONGNIANG_ENV"] = "demo"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sample_ids() -> dict:
    from django.db.models import Count

    from hongniang.events.models import Event
    from hongniang.geo.models import ServicePoint
    from hongniang.gigs.models import GigOrder
    from hongniang.jobs.selectors import published_postings

    posting = published_postings().order_by("-published_at").first()
    township = (published_postings().order_by().values("township_id").annotate(n=Count("id")).order_by("-n")
                .first()["township_id"])
    return {
        "posting": posting.pk,
        "township": township,
        "point": ServicePoint.objects.order_by("pk").first().pk,
        "order": getattr(GigOrder.objects.filter(status="open").order_by("pk").first(), "pk", None),
        "event": getattr(Event.objects.exclude(status="cancelled").order_by("-starts_at").first(), "pk", None),
    }


def in_process_job_list(runs: int = 30) -> dict:
    """Public pages rendered in this process without the page cache: "cold" with every cache off
    (PAGE_CACHE_SECONDS=0: choices, facets and cards computed each time), "miss" a page-cache miss as a new URL or a
    logged-in visitor gets it (the fragments — choices, facet counts, job cards, the filter form — kept). ms per
    render (median and min) in wall and thread CPU time, the CPU time of the template's rendering, queries and their
    time."""
    import gc

    from django.conf import settings
    from django.db import connection
    from django.template.backends.django import Template as DjangoTemplate
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    out = {}
    # thread CPU time spent rendering the page's template (its queries included: a lazy queryset runs there)
    spent = [0.0]
    plain_render = DjangoTemplate.render

    def timed_render(self, *args, **kwargs):
        t = time.thread_time()
        try:
            return plain_render(self, *args, **kwargs)
        finally:
            spent[0] += time.thread_time() - t

    DjangoTemplate.render = timed_render
    n = 0
    for mode, seconds in (("cold", 0), ("miss", 30)):
        settings.PAGE_CACHE_SECONDS = seconds
        for url in ("/jobs/", "/jobs/?q=%E6%99%AE%E5%B7%A5", "/"):
            sep = "&" if "?" in url else "?"

            def get(url=url, sep=sep):
                nonlocal n
                n += 1
                return client.get(f"{url}{sep}nc={n}")  # a new URL each time: never a page-cache hit

            for _ in range(3):
                get()
            gc.collect()
            gc.freeze()  # as the server's workers do after warming up (gunicorn.conf.py)
            times, cpu, tpl = [], [], []
            for _ in range(runs):
                t, tc, spent[0] = time.perf_counter(), time.thread_time(), 0.0
                get()
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.thread_time() - tc) * 1000)
                tpl.append(spent[0] * 1000)
            with CaptureQueriesContext(connection) as q:
                get()
            times.sort()
            cpu.sort()
            tpl.sort()
            out[f"{mode} {url}"] = {"median_ms": round(times[len(times) // 2], 2), "min_ms": round(times[0], 2),
                                    "cpu_median_ms": round(cpu[len(cpu) // 2], 2), "cpu_min_ms": round(cpu[0], 2),
                                    "template_cpu_ms": round(tpl[len(tpl) // 2], 2),
                                    "queries": len(q.captured_queries),
                                    "query_ms": round(sum(float(x["time"]) for x in q.captured_queries) * 1000, 2)}
    settings.PAGE_CACHE_SECONDS = 0
    DjangoTemplate.render = plain_render
    return out


# ------------------------------------------------------------------------------------------------ server


def start_server(port: int, workers: int, cache_seconds: int, env_db: dict,
                 access_log: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, **env_db, HONGNIANG_ENV="demo", BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers),
               PAGE_CACHE_SECONDS=str(cache_seconds), ACCESS_LOG=str(access_log) if access_log else "off",
               LOG_FORMAT="json", LOG_LEVEL="ERROR",
               PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="hn-crowd-prom-"))
    proc = subprocess.Popen([str(BIN / "gunicorn"), "hongniang.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    settled = wait_idle(proc.pid)
                    print(f"(server up; its workers' warm-up — matching indexes — done after {settled:.1f} s)")
                    return proc
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited: " + proc.stderr.read().decode()[-2000:])
    stop_server(proc)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def _group_cpu(pgid: int) -> float:
    """CPU seconds used so far by every process of the process group `pgid` (the server and its workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wait_idle(pgid: int, limit: float = 180.0) -> float:
    """Wait until the server's workers have finished warming up (gunicorn.conf.py builds the matching indexes in
    a background thread of each worker: ~10 s at the demo's size, ~25 s of CPU at 10×, competing with the first
    requests) — until the group uses under 0.1 s of CPU in a second — and return the seconds waited. A crowd
    that arrives during a restart meets slower workers than the figures below; this measures the steady state."""
    start = time.time()
    last = _group_cpu(pgid)
    while time.time() - start < limit:
        time.sleep(1.0)
        now = _group_cpu(pgid)
        if now - last < 0.1:
            break
        last = now
    return time.time() - start


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def login(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    req = urllib.request.Request(f"{base}/accounts/login/", data=data.encode(), headers={"Referer": base + "/"})
    opener.open(req).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"log-in as {username} failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# ---------------------------------------------------------------------------------------------------- wrk

_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * _UNIT[m.group(2)] if m else float("nan")


def wrk(url: str, seconds: int, connections: int, threads: int, headers=(), script: str | None = None) -> dict:
    cmd = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    tail = ["--", str(threads)] if script else []
    out = subprocess.run([*cmd, url, *tail], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    stats = re.search(r"^STATUS (\{.*\})$", out, re.M)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50_ms": _ms(p50.group(1)) if p50 else float("nan"),
            "p99_ms": _ms(p99.group(1)) if p99 else float("nan"), "requests": int(total.group(1)) if total else 0,
            "non_2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(1) if errors else "",
            "status": json.loads(stats.group(1)) if stats else None}


# ------------------------------------------------------------------------------------------------- writes

LUA = r"""
local items = {%ITEMS%}
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
function init(args)
  nthreads = tonumber(args[1])
  i = tid - 1
  statuses = {}
end
function request()
  local it = items[(i % #items) + 1]
  i = i + nthreads
  return wrk.format("POST", it[2], {["Authorization"] = "Bearer " .. it[1],
                                    ["Content-Type"] = "application/json"}, "{}")
end
function response(status, headers, body)
  local k = tostring(status)
  statuses[k] = (statuses[k] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%s": %d', k, v)) end
  io.write("STATUS {" .. table.concat(parts, ", ") .. "}\n")
end
"""


def _lua(items: list[tuple[str, str]], path: Path) -> str:
    body = ", ".join(f'{{"{tok}", "{url}"}}' for tok, url in items)
    path.write_text(LUA.replace("%ITEMS%", body))
    return str(path)


def _accounts(people, prefix: str) -> list[int]:
    """Log-ins for people the demo registered without one (staff register most seekers; gig workers too):
    one user each, no password (the bench uses API tokens). Returns the new users' ids."""
    from hongniang.core.models import User

    missing = [p for p in people if p.user_id is None]
    users = User.objects.bulk_create([User(username=f"bench-{prefix}-{p.pk}", password="!") for p in missing])
    for person, user in zip(missing, users, strict=True):
        person.user_id = user.pk
        person.user = user
    type(people[0]).objects.bulk_update(missing, ["user"]) if missing else None
    return [u.pk for u in users]


def _tokens(users, name: str) -> dict:
    from hongniang.core.models import ApiToken

    out = {}
    for user in users:
        tok = ApiToken(user=user, name=name)
        tok.save()
        out[user.pk] = tok.key
    return out


def prepare_applies(n_pairs: int) -> tuple[list, dict]:
    from hongniang.applications.models import Application
    from hongniang.jobs.selectors import published_postings
    from hongniang.seekers.models import Seeker

    seekers = list(Seeker.objects.filter(is_active=True).select_related("user").order_by("pk")[:n_pairs // 4])
    made = _accounts(seekers, "seeker")
    postings = list(published_postings().order_by("pk").values_list("pk", flat=True)[:400])
    tokens = _tokens([s.user for s in seekers], "bench-crowd")
    applied = set(Application.objects.filter(seeker__in=seekers).values_list("seeker_id", "posting_id"))
    items, pairs = [], []
    for k, s in enumerate(seekers):
        for j in range(4):
            p = postings[(k * 7 + j * 101) % len(postings)]
            if (s.pk, p) not in applied:
                items.append((tokens[s.user_id], f"/api/v1/jobs/{p}/apply"))
                pairs.append((s.pk, p))
    before = Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return items, {"seekers": [s.pk for s in seekers], "pairs": pairs, "max_pk": before, "users": made}


def check_applies(state: dict, status: dict | None) -> dict:
    from django.db.models import Count

    from hongniang.applications.models import Application

    new = Application.objects.filter(pk__gt=state["max_pk"], seeker_id__in=state["seekers"])
    rows = new.count()
    dup = (Application.objects.filter(seeker_id__in=state["seekers"]).values("seeker_id", "posting_id")
           .annotate(n=Count("id")).filter(n__gt=1).count())
    created = (status or {}).get("201", 0)
    return {"new_rows": rows, "answered_201": created, "lost": created - rows if created > rows else 0,
            "extra": rows - created if rows > created else 0, "duplicated_pairs": dup}


def prepare_signups(n_pairs: int) -> tuple[list, dict]:
    from hongniang.gigs.models import GigAssignment, GigOrder, GigWorker

    orders = list(GigOrder.objects.filter(status="open").order_by("pk").values_list("pk", flat=True)[:200])
    want = n_pairs // 2
    made_workers = []
    have_n = GigWorker.objects.count()
    if have_n < want:  # the demo registers few gig workers: the bench adds its own (phone and name are enough)
        taken = set(GigWorker.objects.values_list("phone", flat=True))
        phones = [ph for ph in (f"1990{i:07d}" for i in range(want * 2)) if ph not in taken][:want - have_n]
        made_workers = [w.pk for w in GigWorker.objects.bulk_create(
            [GigWorker(name="压测零工", phone=ph, work_types=["moving"]) for ph in phones])]
    workers = list(GigWorker.objects.select_related("user").order_by("pk")[:want])
    if not orders or not workers:
        return [], {}
    made = _accounts(workers, "worker")
    tokens = _tokens([w.user for w in workers], "bench-crowd")
    have = set(GigAssignment.objects.filter(worker__in=workers).values_list("worker_id", "order_id"))
    items = []
    for k, w in enumerate(workers):
        for j in range(2):
            o = orders[(k * 3 + j * 17) % len(orders)]
            if (w.pk, o) not in have:
                items.append((tokens[w.user_id], f"/api/v1/gigs/orders/{o}/signup"))
    before = GigAssignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return items, {"workers": [w.pk for w in workers], "max_pk": before, "users": made,
                   "made_workers": made_workers}


def check_signups(state: dict, status: dict | None) -> dict:
    from django.db.models import Count

    from hongniang.gigs.models import GigAssignment

    rows = GigAssignment.objects.filter(pk__gt=state["max_pk"], worker_id__in=state["workers"]).count()
    dup = (GigAssignment.objects.filter(worker_id__in=state["workers"]).values("worker_id", "order_id")
           .annotate(n=Count("id")).filter(n__gt=1).count())
    created = (status or {}).get("201", 0)
    return {"new_rows": rows, "answered_201": created, "lost": max(0, created - rows),
            "extra": max(0, rows - created), "duplicated_pairs": dup}


def clean_up(apply_state: dict, signup_state: dict) -> None:
    """On PostgreSQL the bench runs in place: its rows and tokens go again."""
    from hongniang.applications.models import Application
    from hongniang.core.models import ApiToken
    from hongniang.gigs.models import GigAssignment

    if apply_state:
        Application.objects.filter(pk__gt=apply_state["max_pk"], seeker_id__in=apply_state["seekers"]).delete()
    if signup_state:
        GigAssignment.objects.filter(pk__gt=signup_state["max_pk"], worker_id__in=signup_state["workers"]).delete()
    ApiToken.objects.filter(name="bench-crowd").delete()
    from hongniang.core.models import User

    if signup_state and signup_state.get("made_workers"):
        from hongniang.gigs.models import GigWorker

        # a sign-up still in flight when wrk stopped may have committed after the delete above
        GigAssignment.objects.filter(worker_id__in=signup_state["made_workers"]).delete()
        GigWorker.objects.filter(pk__in=signup_state["made_workers"]).delete()
    for state in (apply_state, signup_state):
        if state and state.get("users"):
            User.objects.filter(pk__in=state["users"]).delete()  # the people keep no log-in (SET_NULL)


# --------------------------------------------------------------------------------------------------- main


def _fmt(r: dict) -> str:
    server = r.get("server")
    return (f"{r['rps']:8.0f}/s  p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms"
            + (f"  (in the server: p50 {server['p50_ms']:.0f} p99 {server['p99_ms']:.0f} max {server['max_ms']:.0f} ms,"
               f" {server['over_50ms']} over 50 ms)" if server else ""))


def server_times(log: Path | None) -> dict | None:
    """The requests' durations inside gunicorn (from its JSON access log, whole milliseconds) since the log was last
    emptied, and empty it: what the client's latency is beyond this is waiting for a free worker."""
    if log is None or not log.exists():
        return None
    durations = sorted(json.loads(line)["duration_ms"] for line in log.read_text().splitlines()
                       if line.startswith("{") and '"duration_ms"' in line)
    log.write_text("")
    if not durations:
        return None
    n = len(durations)
    return {"n": n, "p50_ms": durations[n // 2], "p99_ms": durations[min(n - 1, int(n * 0.99))],
            "max_ms": durations[-1], "over_50ms": sum(d > 50 for d in durations)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8112)
    ap.add_argument("--only", choices=["cached", "uncached"])
    ap.add_argument("--no-writes", action="store_true")
    ap.add_argument("--writes-only", action="store_true", help="only the writes (on the cached server)")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--server-times", action="store_true",
                    help="also print each run's durations inside the server (gunicorn's access log, on for this)")
    args = ap.parse_args()
    seconds = min(args.seconds, 15)

    database_url = os.environ.get("DATABASE_URL")
    env_db, copy = {}, None
    if not database_url:
        src = ROOT / "var" / "hongniang.sqlite3"
        if not src.exists():
            raise SystemExit("no demo database: run `make demo-data` first")
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        copy = out / "crowd.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        import sqlite3

        with sqlite3.connect(src) as a, sqlite3.connect(copy) as b:
            a.backup(b)  # the bench writes: never into the demo itself
        database_url = f"sqlite:///{copy}"
    env_db["DATABASE_URL"] = database_url
    django_setup(database_url)
    from django.db import connection

    print(f"database: {connection.vendor} ({'copy of the demo' if copy else 'in place'}); "
          f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; "
          f"wrk -t{args.threads} -c{args.connections} -d{seconds}s; gunicorn {args.workers} sync workers")
    report: dict = {"loadavg_start": os.getloadavg(), "seconds": seconds, "vendor": connection.vendor}
    report["in_process"] = {} if args.writes_only else in_process_job_list()
    for url, r in report["in_process"].items():
        print(f"in-process, {url}: median {r['median_ms']} ms (min {r['min_ms']}), CPU median {r['cpu_median_ms']} ms "
              f"(min {r['cpu_min_ms']}, template {r['template_cpu_ms']}), {r['queries']} queries in {r['query_ms']} ms")
    ids = sample_ids()
    q = urllib.parse.quote("普工")
    public = {
        "static file (reference)": "/static/hongniang/site.css",
        "home": "/",
        "job list": "/jobs/",
        "job list, filters": f"/jobs/?township={ids['township']}&shift=day&sort=pay",
        "job page": f"/jobs/{ids['posting']}/",
        "service points": "/points/",
        "service point": f"/points/{ids['point']}/",
        "gigs": "/gigs/",
        "events": "/events/",
        "live sessions": "/live/",
        "search 普工 + filters (anonymous)": f"/jobs/?q={q}&township={ids['township']}&sort=pay",
    }
    if ids["event"]:
        public["fair page"] = f"/events/{ids['event']}/"
    if ids["order"]:
        public["gig order"] = f"/gigs/orders/{ids['order']}/"
    logged = {
        "search 普工 + filters (logged in)": f"/jobs/?q={q}&township={ids['township']}&sort=pay",
        "/me/ (logged in)": "/me/",
    }
    runs = [("uncached", 0), ("cached", 30)]
    if args.writes_only:
        runs, public, logged = [("cached", 30)], {}, {}
    if args.only:
        runs = [r for r in runs if r[0] == args.only]
    results: dict = {}
    tmpdir = Path(tempfile.mkdtemp(prefix="hn-crowd-"))
    for label, cache_seconds in runs:
        access_log = tmpdir / f"access-{label}.log" if args.server_times else None
        proc = start_server(args.port, args.workers, cache_seconds, env_db, access_log)
        try:
            base = f"http://127.0.0.1:{args.port}"
            cookie = login(base, "13800000001", "demo1234")
            print(f"\n== {label} (PAGE_CACHE_SECONDS={cache_seconds})")
            for name, path in public.items():
                urllib.request.urlopen(base + path).read()  # warm: the first render fills the cache
                server_times(access_log)  # the warm-up request is not the crowd's
                r = wrk(base + path, seconds, args.connections, args.threads)
                r["server"] = server_times(access_log)
                results.setdefault(name, {})[label] = r
                print(f"{name:38s} {_fmt(r)}" + (f"  non-2xx {r['non_2xx']}" if r["non_2xx"] else ""))
            for name, path in logged.items():
                server_times(access_log)
                r = wrk(base + path, seconds, args.connections, args.threads, headers=[f"Cookie: {cookie}"])
                r["server"] = server_times(access_log)
                results.setdefault(name, {})[label] = r
                print(f"{name:38s} {_fmt(r)}" + (f"  non-2xx {r['non_2xx']}" if r["non_2xx"] else ""))
            if label == "cached" and not args.no_writes:
                print("\n== writes (each request one person and one job; repeats come round when the pairs run out)")
                apply_items, apply_state = prepare_applies(4 * 2000)
                r = wrk(base + "/", seconds, args.connections, args.threads,
                        script=_lua(apply_items, tmpdir / "apply.lua"))
                r["check"] = check_applies(apply_state, r["status"])
                r["created_per_s"] = round(r["check"]["new_rows"] / seconds, 1)
                results["apply (POST /api/v1/jobs/{id}/apply)"] = {"cached": r}
                print(f"{'apply':38s} {_fmt(r)}  statuses {r['status']}  new rows {r['check']['new_rows']} "
                      f"({r['created_per_s']}/s)  lost {r['check']['lost']}  duplicated {r['check']['duplicated_pairs']}")
                signup_items, signup_state = prepare_signups(2 * 2000)
                if signup_items:
                    r = wrk(base + "/", seconds, args.connections, args.threads,
                            script=_lua(signup_items, tmpdir / "signup.lua"))
                    r["check"] = check_signups(signup_state, r["status"])
                    r["created_per_s"] = round(r["check"]["new_rows"] / seconds, 1)
                    results["gig sign-up (POST /api/v1/gigs/orders/{id}/signup)"] = {"cached": r}
                    print(f"{'gig sign-up':38s} {_fmt(r)}  statuses {r['status']}  new rows "
                          f"{r['check']['new_rows']} ({r['created_per_s']}/s)  lost {r['check']['lost']}  "
                          f"duplicated {r['check']['duplicated_pairs']}")
                if not copy:
                    clean_up(apply_state, signup_state)
        finally:
            stop_server(proc)
    if len(runs) == 2:
        print("\n== cached / uncached (requests/s)")
        for name, r in results.items():
            if "cached" in r and "uncached" in r and r["uncached"]["rps"]:
                print(f"{name:38s} {r['cached']['rps'] / r['uncached']['rps']:6.1f}x")
    report["results"] = results
    report["loadavg_end"] = os.getloadavg()
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1))
    shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
