"""A crowd on a live session's page: when the host says "点链接报名", thousands of phones open /live/<id>/ within a
minute and each polls /live/<id>/counts.json every few seconds. Target: at least 1,000 requests per second for the
page and for the counter on this 2-core machine, with the counter at most 5 s behind.

    .venv/bin/python bench/live_crowd.py                       # 10 s per URL, 64 connections, port 8104
    .venv/bin/python bench/live_crowd.py --duration 20 --connections 128 --access-log

What it does, in one run:
1. a fresh SQLite database in a temporary directory (migrations, one service point, one enterprise, 8 open
   postings, a live session on air presenting them, 600 sign-ups);
2. gunicorn with the project's gunicorn.conf.py (sync workers, WEB_CONCURRENCY workers, default 2) on
   127.0.0.1:PORT, HONGNIANG_ENV=demo; the access log goes to /dev/null unless --access-log (then to a file);
3. wrk (-t2, bounded by --duration and --connections) against, one after the other:
   a static file (WhiteNoise: the ceiling of the Django stack), the public session page as an anonymous viewer (served
   from the page cache), the counter (one cached read), and the naive baseline: the same page for a logged-in
   viewer, rendered on every request;
4. staleness: a sign-up written to the database, then the counter polled until it shows it (the seconds printed);
5. requests/s, latency p50 / p99, non-2xx answers, and the load average before and after (`uptime`): this
   machine is shared, so note the load beside the figures and repeat when it is busy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1000.0


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def setup_django(var_dir: str) -> None:
    os.environ["HONGNIANG_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hongniang.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(n_leads: int) -> dict:
    """The database the server will read: a session on air with 8 postings and its sign-ups."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from hongniang.core.models import User
    from hongniang.employers.models import Enterprise
    from hongniang.geo.models import Region, ServicePoint
    from hongniang.jobs.models import JobPosting
    from hongniang.live import services
    from hongniang.live.models import Lead

    county = Region.objects.create(code="360781000000", name="瑞金市", kind="county", lat=25.8858, lon=116.0222)
    town = Region.objects.create(code="360781100000", name="象湖镇", kind="township", parent=county, lat=25.89,
                                 lon=116.02)
    point = ServicePoint.objects.create(name="象湖镇就业之家", kind="township", region=town, lat=25.89, lon=116.02)
    staff = User.objects.create(username="bench_staff", display_name="工作人员")
    point.memberships.create(user=staff)
    ent = Enterprise.objects.create(name="瑞金红都服饰有限公司", credit_code="91360781MA35BENCH1", region=town,
                                    verification_status="verified")
    today = timezone.localdate()
    postings = [JobPosting.objects.create(
        enterprise=ent, title=f"缝纫工{i + 1}号线", pay_type="piece" if i % 2 else "monthly",
        pay_min=Decimal("0.6") if i % 2 else Decimal(4200 + 100 * i),
        pay_max=Decimal("0.9") if i % 2 else Decimal(6000 + 100 * i), piece_unit="件" if i % 2 else "",
        monthly_min=4200 + 100 * i, monthly_max=6000 + 100 * i, shift="day", board=True, lodging=i % 3 == 0,
        region=town, township=town, status="published", published_at=timezone.now(), valid_from=today,
        valid_until=today + dt.timedelta(days=30), description="计件加底薪，包吃。") for i in range(8)]
    session = services.session_create(actor=staff, title="象湖镇“家门口好工作”直播带岗", host_name="小谢",
                                      platform="douyin", stream_url="https://live.douyin.com/1", starts_at=timezone.now(),
                                      postings=postings, organiser_point=point)
    session = services.session_act(actor=staff, session=session, action="go_live")
    services.session_present(actor=staff, session=session, posting=postings[2])
    Lead.objects.bulk_create([Lead(session=session, posting=postings[i % 8], name="观众", phone=f"1990000{i:04d}")
                              for i in range(n_leads)])
    viewer = User.objects.create(username="bench_viewer", display_name="登录的观众")
    store = SessionStore()
    store[SESSION_KEY] = str(viewer.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = viewer.get_session_auth_hash()
    store.create()
    return {"session": session.pk, "posting": postings[0].pk, "cookie": store.session_key}


def wait_up(url: str, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url}")


def wrk(url: str, *, duration: int, connections: int, header: str = "") -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "--latency", url]
    if header:
        cmd[1:1] = ["-H", header]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30).stdout

    def ms(label: str) -> float | None:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return None
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "requests": int(total.group(1)) if total else 0,
            "p50_ms": ms("50"), "p99_ms": ms("99"), "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(1).strip() if errors else ""}


def staleness(base: str, session_id: int, posting_id: int) -> float:
    """Seconds from a sign-up written to the database until the counter shows it."""
    from hongniang.live.models import Lead

    url = f"{base}/live/{session_id}/counts.json"

    def count() -> int:
        with urllib.request.urlopen(url, timeout=20) as r:
            return json.loads(r.read())["counts"].get(str(posting_id), 0)

    before = count()
    Lead.objects.create(session_id=session_id, posting_id=posting_id, name="新观众", phone="19911112222")
    t0 = time.time()
    while count() <= before:
        if time.time() - t0 > 30:
            return float("inf")
        time.sleep(0.1)
    return time.time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL (default 10)")
    ap.add_argument("--connections", type=int, default=64, help="open connections (default 64)")
    ap.add_argument("--port", type=int, default=8104)
    ap.add_argument("--leads", type=int, default=600)
    ap.add_argument("--access-log", action="store_true", help="keep gunicorn's access log (to a file)")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")

    var_dir = tempfile.mkdtemp(prefix="hn_live_crowd_")
    setup_django(var_dir)
    facts = prepare(args.leads)
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "HONGNIANG_ENV": "demo", "BIND": f"127.0.0.1:{args.port}", "HONGNIANG_VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    log = os.path.join(var_dir, "access.log") if args.access_log else "/dev/null"
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "hongniang.wsgi", "-c",
                               str(ROOT / "gunicorn.conf.py"), "--access-logfile", log], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    page = f"{base}/live/{facts['session']}/"
    rows = [("static file (site.css, WhiteNoise)", f"{base}/static/hongniang/site.css", ""),
            ("session page, anonymous (cached)", page, ""),
            ("counter (one cached read)", f"{base}/live/{facts['session']}/counts.json", ""),
            ("baseline: session page rendered per request (logged in)", page, f"Cookie: sessionid={facts['cookie']}")]
    results = {}
    try:
        wait_up(page)
        time.sleep(3)  # the workers' warm-up (word segmentation, matching indexes) settles
        for _, url, header in rows:  # a short warm-up of each URL in every worker
            wrk(url, duration=2, connections=8, header=header)
        load_before = uptime()
        for label, url, header in rows:
            results[label] = wrk(url, duration=args.duration, connections=args.connections, header=header)
        load_after = uptime()
        time.sleep(2)  # connections wrk left queued drain
        stale = staleness(base, facts["session"], facts["posting"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    workers = os.environ.get("WEB_CONCURRENCY", "2")
    print(f"live_crowd — gunicorn (gunicorn.conf.py, {workers} sync workers, access log "
          f"{'on' if args.access_log else 'off'}), wrk -t2 -c{args.connections} -d{args.duration}s, "
          f"{os.cpu_count()} CPUs, SQLite")
    print(f"load before: {load_before}")
    print(f"load after:  {load_after}")
    print()
    print("| URL | requests/s | p50 ms | p99 ms | requests | non-2xx | target ≥ 1,000/s |")
    print("|---|---:|---:|---:|---:|---:|:-:|")
    for label, _, _ in rows:
        r = results[label]
        goal = "—" if label.startswith(("static", "baseline")) else ("met" if r["rps"] >= TARGET else "NOT met")
        print(f"| {label} | {r['rps']:,.0f} | {r['p50_ms'] or 0:.1f} | {r['p99_ms'] or 0:.1f} | {r['requests']:,} | "
              f"{r['non_2xx']} | {goal} |")
    page_r = results[rows[1][0]]["rps"]
    base_r = results[rows[3][0]]["rps"] or 1
    print()
    print(f"cached page ÷ per-request render: {page_r / base_r:.1f}×")
    print(f"counter staleness: a new sign-up showed after {stale:.1f} s (target ≤ 5 s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "staleness_s": stale, "load_before": load_before,
                                               "load_after": load_after}, ensure_ascii=False, indent=2))
    shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
