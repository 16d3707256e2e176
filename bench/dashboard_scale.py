"""The dashboard at a prefecture's size, on PostgreSQL.

    .venv/bin/python bench/dashboard_scale.py [--db hn_dashboard_bench] [--keep [--reuse]] [--runs 20] [--scale 0.2]
        [--profile] [--only TEXT] [--no-report]

Creates its own database (dropped at the end unless --keep), loads 10 synthetic counties (180 townships, 600
service points) with 20,000 enterprises, 100,000 postings, 1,000,000 seekers and 2,000,000 applications over two
years (with their events and the hires' follow-ups) by INSERT ... SELECT over generate_series, then prints:

  * the backfill of two years of daily facts, and the nightly aggregation of one day (target <= 10 min) with the
    snapshots of the county's preset periods it then computes;
  * p50 / p99 of every dashboard request (target p99 <= 300 ms), beside the naive live query (the same headline
    figures counted from the live tables, no pre-aggregation);
  * the monthly report's run time (target <= 60 s).

--scale multiplies the rows (regions and points stay a prefecture's); --profile prints the slowest statements of a
cold request. The machine is shared: note `uptime` beside the figures (printed at the start and the end)."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

N_ENT, N_POST, N_SEEK, N_APP = 20_000, 100_000, 1_000_000, 2_000_000
SIZES = (N_ENT, N_POST, N_SEEK, N_APP)  # times --scale
COUNTIES, TOWNSHIPS, VILLAGES, POINTS_PER_COUNTY = 10, 18, 12, 60
HISTORY_DAYS = 730


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def psql(dbname: str, sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-d", dbname,
                    "-c", sql], check=True)


def timed(label: str, fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    dt_ = time.perf_counter() - t0
    print(f"  {label:<58} {dt_:8.1f} s", flush=True)
    return out, dt_


def load(cur) -> None:
    """The synthetic prefecture, all in SQL."""
    N_ENT, N_POST, N_SEEK, N_APP = SIZES
    cur.execute("SELECT setseed(0.2026)")
    # regions: 10 counties x 18 townships x 12 villages; one township point and a few village points each
    cur.execute(f"""
        INSERT INTO geo_region (code, name, short_name, kind, subkind, approximate, parent_id)
        SELECT '3607' || (81 + c) || '000000', '县' || c, '', 'county', '', false, NULL
        FROM generate_series(1, {COUNTIES}) c
        UNION ALL
        SELECT '3607' || (81 + c) || (100 + t) || '000', '县' || c || '镇' || t, '', 'township', '镇', false,
               '3607' || (81 + c) || '000000'
        FROM generate_series(1, {COUNTIES}) c, generate_series(1, {TOWNSHIPS}) t
        ON CONFLICT (code) DO NOTHING""")
    cur.execute(f"""
        INSERT INTO geo_region (code, name, short_name, kind, subkind, approximate, parent_id)
        SELECT '3607' || (81 + c) || (100 + t) || lpad((200 + v)::text, 3, '0'), '村' || v, '', 'village', '村', false,
               '3607' || (81 + c) || (100 + t) || '000'
        FROM generate_series(1, {COUNTIES}) c, generate_series(1, {TOWNSHIPS}) t, generate_series(1, {VILLAGES}) v
        ON CONFLICT (code) DO NOTHING""")
    cur.execute("""
        INSERT INTO geo_servicepoint (name, kind, address, opening_hours, phone, contact_name, is_demo, region_id)
        SELECT r.name || '就业之家' || r.code, 'township', '', '', '', '', false, r.code
        FROM geo_region r WHERE r.kind = 'township' AND r.code ~ '^3607(8[2-9]|9[01])'""")
    cur.execute(f"""
        INSERT INTO geo_servicepoint (name, kind, address, opening_hours, phone, contact_name, is_demo, region_id)
        SELECT r.name || '就业之家' || r.code, 'village', '', '', '', '', false, r.code
        FROM geo_region r WHERE r.kind = 'village' AND r.code ~ '^3607(8[2-9]|9[01])'
          AND right(r.code, 3)::int - 200 <= {(POINTS_PER_COUNTY - TOWNSHIPS) // TOWNSHIPS}
          AND NOT EXISTS (SELECT 1 FROM geo_servicepoint p WHERE p.region_id = r.code)
        """)
    # village -> its township's point (seekers register where they live)
    cur.execute("""
        CREATE TEMP TABLE vmap AS
        SELECT row_number() OVER (ORDER BY v.code) AS rn, v.code AS village, v.parent_id AS township,
               COALESCE(vp.id, tp.id) AS point
        FROM geo_region v
        JOIN geo_servicepoint tp ON tp.region_id = v.parent_id
        LEFT JOIN geo_servicepoint vp ON vp.region_id = v.code
        WHERE v.kind = 'village' AND v.code ~ '^3607(8[2-9]|9[01])'""")
    cur.execute("SELECT count(*) FROM vmap")
    nv = cur.fetchone()[0]
    cur.execute("""CREATE TEMP TABLE occ AS SELECT row_number() OVER (ORDER BY code) rn, code FROM catalog_occupation
                   WHERE level = 4 AND (common OR code LIKE '6-%' OR code LIKE '4-0%') ORDER BY code LIMIT 150""")
    cur.execute("SELECT count(*) FROM occ")
    no = cur.fetchone()[0]
    cur.execute("CREATE TEMP TABLE ind AS SELECT row_number() OVER (ORDER BY code) rn, code FROM catalog_industry "
                "WHERE level = 4 ORDER BY code LIMIT 400")
    cur.execute("SELECT count(*) FROM ind")
    ni = cur.fetchone()[0]
    h = HISTORY_DAYS
    cur.execute(f"""
        INSERT INTO employers_enterprise (name, credit_code, address, contact_name, contact_phone, description,
            verification_status, verified_at, verified_until, is_demo, created_at, industry_id, region_id)
        SELECT '测试企业' || g, 'B' || lpad(g::text, 17, '0'), '', '', '', '',
               CASE WHEN g % 10 < 8 THEN 'verified' ELSE 'unverified' END,
               CASE WHEN g % 10 < 8 THEN ts + interval '5 days' END,
               CASE WHEN g % 10 < 8 THEN (ts + interval '190 days')::date END, false, ts,
               ind.code, vmap.village
        FROM (SELECT g, now() - (random() * {h + 365}) * interval '1 day' AS ts FROM generate_series(1::bigint, {N_ENT}) g) s
        JOIN ind ON ind.rn = 1 + (g * 7) % {ni}
        JOIN vmap ON vmap.rn = 1 + (g * 7919) % {nv}""")
    cur.execute(f"""
        INSERT INTO jobs_jobposting (title, headcount, pay_type, pay_min, pay_max, piece_unit, monthly_min, monthly_max,
            shift, board, lodging, shuttle, social_insurance, other_benefits, address, certificates, description,
            status, valid_from, valid_until, published_at, is_demo, created_at, updated_at, enterprise_id,
            occupation_id, region_id, township_id, check_flags, duplicate_ids, review_note)
        SELECT '岗位' || g, 1 + g % 20, 'monthly', 3000 + (g % 30) * 100, 4500 + (g % 30) * 100, '',
               3000 + (g % 30) * 100, 4500 + (g % 30) * 100, 'day', g % 2 = 0, g % 3 = 0, false, g % 4 = 0, '', '',
               '[]', '', CASE WHEN ts > now() - interval '90 days' THEN 'published'
                              WHEN g % 3 = 0 THEN 'filled' ELSE 'expired' END,
               ts::date, ts::date + 30 + CASE WHEN ts > now() - interval '90 days' THEN 90 ELSE 0 END, ts, false, ts,
               LEAST(now(), ts + interval '30 days'),
               e.id, occ.code, vmap.village, vmap.township, '[]', '[]', ''
        FROM (SELECT g, now() - (random() * {h}) * interval '1 day' AS ts FROM generate_series(1::bigint, {N_POST}) g) s
        JOIN occ ON occ.rn = 1 + (g * 13) % {no}
        JOIN vmap ON vmap.rn = 1 + (g * 104729) % {nv}
        JOIN (SELECT row_number() OVER (ORDER BY id) rn, id FROM employers_enterprise) e ON e.rn = 1 + (g * 31) % {N_ENT}""")
    cur.execute(f"""
        INSERT INTO seekers_seeker (name, id_number_encrypted, id_number_masked, phone, gender, birth_year,
            desired_occupations, certificates, acceptable_shifts, relocate, unavailable_months, consent_at,
            consent_channel, is_active, is_demo, created_at, updated_at, home_region_id, service_point_id, id_number_claim_hash)
        SELECT '求职者' || g, '', '', '1' || lpad(g::text, 10, '0'), CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END,
               1965 + g % 40, jsonb_build_array(occ.code), '[]', '[]', false, '[]', ts,
               CASE WHEN g % 3 = 0 THEN 'paper' ELSE 'online' END, g % 5 < 4, false, ts, ts, vmap.village, vmap.point, ''
        FROM (SELECT g, now() - (random() * {h + 365}) * interval '1 day' AS ts FROM generate_series(1::bigint, {N_SEEK}) g) s
        JOIN occ ON occ.rn = 1 + (g * 17 + g / 1000) % {no}
        JOIN vmap ON vmap.rn = 1 + (g * 7919) % {nv}""")
    cur.execute("SELECT min(id) FROM seekers_seeker")
    s0 = cur.fetchone()[0]
    cur.execute("SELECT min(id) FROM jobs_jobposting")
    p0 = cur.fetchone()[0]
    half = N_POST // 2
    cur.execute(f"""
        CREATE TEMP TABLE appgen AS
        SELECT g, {s0} + (g % {N_SEEK}) AS seeker_id,
               {p0} + ((g::bigint * 104729) % {half}) + (g / {N_SEEK}) * {half} AS posting_id,
               (g::bigint * 2654435761 % 100)::int AS h
        FROM generate_series(0::bigint, {N_APP - 1}) g""")
    cur.execute("""
        INSERT INTO applications_application (status, channel, note, created_at, updated_at, posting_id, seeker_id,
            actual_start_date, close_reason, consent_at, consent_channel, interview_at, interview_place, pay_amount,
            pay_reported_at, start_confirmed_at, start_date)
        SELECT st, CASE WHEN a.g % 3 = 0 THEN 'staff' ELSE 'self' END, '', c, c + interval '5 days', a.posting_id,
               a.seeker_id,
               CASE WHEN st = 'hired' AND a.h % 10 < 6 AND c + interval '8 days' < now() THEN (c + interval '7 days')::date END,
               '', c, 'online',
               CASE WHEN st = 'interview' THEN c + interval '6 days' END, '',
               CASE WHEN st = 'hired' AND a.h % 10 < 4 AND c + interval '40 days' < now() THEN p.monthly_min - 200 + (a.g % 5) * 150 END,
               CASE WHEN st = 'hired' AND a.h % 10 < 4 AND c + interval '40 days' < now() THEN c + interval '40 days' END,
               CASE WHEN st = 'hired' AND a.h % 10 < 6 AND c + interval '8 days' < now() THEN c + interval '8 days' END,
               CASE WHEN st = 'hired' THEN (c + interval '7 days')::date END
        FROM appgen a JOIN jobs_jobposting p ON p.id = a.posting_id,
        LATERAL (SELECT LEAST(now() - interval '6 days', p.published_at + (a.h % 20) * interval '1 day'
                              + (a.g % 24) * interval '1 hour') AS c,
                        CASE WHEN a.h < 40 THEN 'applied' WHEN a.h < 55 THEN 'viewed' WHEN a.h < 62 THEN 'contacted'
                             WHEN a.h < 67 THEN 'interview' WHEN a.h < 70 THEN 'offered' WHEN a.h < 80 THEN 'hired'
                             WHEN a.h < 88 THEN 'rejected' WHEN a.h < 92 THEN 'withdrawn' ELSE 'closed' END AS st) x""")
    cur.execute("""
        INSERT INTO applications_applicationevent (at, from_status, to_status, reason, application_id, action, details)
        SELECT created_at, '', 'applied', '', id, 'apply', '{}'::jsonb FROM applications_application
        UNION ALL
        SELECT created_at + interval '5 days', 'applied', status, '', id, '', '{}'::jsonb FROM applications_application
        WHERE status <> 'applied'""")
    cur.execute("""
        INSERT INTO outreach_followup (day, hired_on, due_on, status, still_working, paid_as_promised, problems, done_at,
            created_at, application_id, enterprise_id, seeker_id, service_point_id)
        SELECT d, a.start_date, a.start_date + d,
               CASE WHEN a.start_date + d < now()::date - 3 AND (a.id + d) % 10 < 8 THEN 'done' ELSE 'pending' END,
               CASE WHEN a.start_date + d < now()::date - 3 AND (a.id + d) % 10 < 8 THEN (a.id * 7 + d) % 100 < 85 END,
               CASE WHEN a.start_date + d < now()::date - 3 AND (a.id + d) % 10 < 8 THEN (a.id * 3 + d) % 100 < 90 END,
               '', CASE WHEN a.start_date + d < now()::date - 3 AND (a.id + d) % 10 < 8
                        THEN (a.start_date + d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '10 hours' END,
               a.created_at, a.id, p.enterprise_id, a.seeker_id, s.service_point_id
        FROM applications_application a JOIN jobs_jobposting p ON p.id = a.posting_id
        JOIN seekers_seeker s ON s.id = a.seeker_id, (VALUES (7), (30), (90)) v(d)
        WHERE a.status = 'hired'""")


def pctl(values: list[float], q: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="hn_dashboard_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database (and skip the load if it exists)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: skip the nightly aggregation and the snapshots when an earlier run wrote "
                             "them today (compare two checkouts on one database without re-running the night)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print the slowest queries of a cold request")
    parser.add_argument("--only", default="", help="only the requests whose label contains this text")
    parser.add_argument("--no-report", action="store_true", help="skip the naive live query and the monthly report")
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="do not freeze the loaded heap before the requests (gunicorn.conf.py's workers do)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="rows times this (0.2: 200,000 seekers); regions and points stay a prefecture's")
    args = parser.parse_args()
    global SIZES
    SIZES = tuple(max(1, int(n * args.scale)) for n in SIZES)
    print(f"scale {args.scale:g}: enterprises, postings, seekers, applications = {SIZES}")
    print("uptime at start:", uptime(), flush=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
    exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"],
                            capture_output=True, text=True).stdout.strip() == "1"
    fresh = not (exists and args.keep)
    if fresh:
        psql("postgres", f"DROP DATABASE IF EXISTS {args.db}")
        psql("postgres", f"CREATE DATABASE {args.db}")
    import django

    django.setup()
    import datetime as dt

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from hongniang.core.models import User
    from hongniang.dashboards import aggregate, report
    from hongniang.dashboards.models import Fact, HireRecord
    from hongniang.geo.models import ServicePoint, StaffMembership

    print("load:", flush=True)
    if fresh:
        timed("migrate", call_command, "migrate", verbosity=0)
        from hongniang.demo.loader import load_reference

        timed("reference data (regions, occupations, industries)", load_reference, wet_run=True, out=lambda s: None)
        with connection.cursor() as cur:
            timed("prefecture: enterprises, postings, seekers, applications, events, follow-ups (SQL)", load, cur)
            timed("ANALYZE", cur.execute, "ANALYZE")
    with connection.cursor() as cur:
        for t in ("employers_enterprise", "jobs_jobposting", "seekers_seeker", "applications_application",
                  "applications_applicationevent", "outreach_followup", "geo_servicepoint"):
            cur.execute(f"SELECT count(*) FROM {t}")
            print(f"  {t:<40} {cur.fetchone()[0]:>10,}")

    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    print("aggregation:", flush=True)
    if fresh or not Fact.objects.exists():
        days = aggregate.days_between(today - dt.timedelta(days=HISTORY_DAYS), yesterday)
        rep, backfill_s = timed(f"backfill {len(days)} days (once, when the platform starts counting)",
                                aggregate.aggregate, days, today=today)
        print(f"    facts {rep['facts']:,}, month rows {rep['month_rows']:,}, hire records {rep['hires_new']:,}")
        with connection.cursor() as cur:
            cur.execute("ANALYZE dashboards_fact; ANALYZE dashboards_hirerecord")
    from hongniang.dashboards import snapshots
    from hongniang.dashboards.models import FactDay, Snapshot

    done_today = (FactDay.objects.filter(day=yesterday, computed_at__date=today).exists()
                  and Snapshot.objects.exists())
    if args.reuse and not fresh and done_today:
        daily_s = float("nan")
        print("  nightly aggregation and snapshots: reused (written earlier today; --reuse)")
    else:
        rep, daily_s = timed("nightly aggregation of one day (target <= 600 s)", aggregate.aggregate, [yesterday],
                             today=today)
        if "hire_stat_rows" in rep:
            print(f"    of which the hire records pre-summed (HireStat, rewritten whole): {rep['hire_stat_rows']:,} "
                  f"rows in {rep['hire_stat_seconds']:.1f} s")
        snap, snap_s = timed("snapshots: the county's preset periods computed ahead", snapshots.write, today)
        print(f"    {snap['snapshots']} snapshots; nightly run in all {daily_s + snap_s:.1f} s")
    print(f"    facts {Fact.objects.count():,} rows in all, hire records {HireRecord.objects.count():,}")

    bureau, _ = User.objects.get_or_create(username="bench_bureau", defaults={"is_bureau": True})
    point = ServicePoint.objects.filter(kind="township").order_by("pk").first()
    staff, _ = User.objects.get_or_create(username="bench_staff")
    StaffMembership.objects.get_or_create(user=staff, service_point=point)
    township = point.region_id
    month = report.shift_month(today.replace(day=1), -1)
    year_from = report.shift_month(today.replace(day=1), -11)
    from hongniang.dashboards.figures import presets

    p12 = next(p for p in presets(today) if p["label"] == "近 12 个月")
    p12 = f"from={p12['from']}&to={p12['to']}"
    odd = f"from={year_from + dt.timedelta(days=3)}&to={yesterday - dt.timedelta(days=2)}"  # no preset: computed
    requests = [
        ("bureau", "/dashboard/", "dashboard page, this month"),
        ("bureau", f"/dashboard/?{p12}", "dashboard page, 12 months (preset)"),
        ("bureau", f"/dashboard/?{odd}", "dashboard page, 12 months less 5 days (no preset)"),
        ("bureau", f"/dashboard/?from={month}&to={aggregate.month_end(month)}&township={township}",
         "dashboard page, last month, one township"),
        ("staff", f"/dashboard/?from={year_from}&to={yesterday}", "dashboard page, staff, 12 months"),
        ("bureau", f"/api/v1/stats/overview?from={month}&to={aggregate.month_end(month)}", "API overview, last month"),
        ("bureau", f"/api/v1/stats/overview?{p12}", "API overview, 12 months (preset)"),
        ("bureau", f"/api/v1/stats/overview?{odd}", "API overview, 12 months less 5 days (no preset)"),
        ("bureau", f"/dashboard/drill/hires/?from={month}&to={aggregate.month_end(month)}", "drill-down: hires"),
        ("bureau", f"/dashboard/drill/applications/?from={month}&to={aggregate.month_end(month)}",
         "drill-down: applications"),
        ("staff", f"/dashboard/drill/seekers/?from={month}&to={aggregate.month_end(month)}", "drill-down: seekers (staff)"),
        ("bureau", f"/dashboard/export/points.outcomes.xlsx?{p12}", "Excel of one chart (service points, 12 months)"),
        ("bureau", f"/dashboard/export/points.outcomes.xlsx?{odd}", "Excel of one chart (points, no preset)"),
        ("anon", "/figures/", "public figures page (cache cleared)"),
        ("anon", "/api/v1/stats/public", "public figures API (cache cleared)"),
    ]
    if args.only:
        requests = [r for r in requests if args.only in r[2]]
    clients = {"anon": Client()}
    clients["bureau"], clients["staff"] = Client(), Client()
    clients["bureau"].force_login(bureau)
    clients["staff"].force_login(staff)

    def naive(start, end, town=None):
        """The headline figures counted from the live tables (what the dashboard would do without facts)."""
        from django.db.models import Count, Q, Sum
        from django.db.models.fields.json import KT

        from hongniang.applications.models import ApplicationEvent
        from hongniang.employers.models import Enterprise
        from hongniang.jobs.models import JobPosting
        from hongniang.outreach.models import FollowUp
        from hongniang.seekers.models import Seeker

        s = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
        e = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        sk = Q(application__seeker__home_region__parent_id=town) if town else Q()
        out = {
            "applications": ApplicationEvent.objects.filter(sk, at__gte=s, at__lt=e, from_status="",
                                                            to_status="applied").count(),
            "interviews": ApplicationEvent.objects.filter(sk, at__gte=s, at__lt=e, to_status="interview").count(),
            "hires": ApplicationEvent.objects.filter(sk, at__gte=s, at__lt=e, to_status="hired").count(),
            "seekers": Seeker.objects.filter(Q(home_region__parent_id=town) if town else Q(), created_at__lt=e)
            .aggregate(n=Count("id"), a=Count("id", filter=Q(is_active=True)), new=Count("id", filter=Q(created_at__gte=s))),
            "postings": JobPosting.objects.filter(Q(township_id=town) if town else Q(), status="published")
            .aggregate(n=Count("id"), h=Sum("headcount")),
            "enterprises": Enterprise.objects.filter(created_at__lt=e).count(),
            "by_occupation": len(list(Seeker.objects.filter(is_active=True).annotate(o=KT("desired_occupations__0"))
                                      .values("o").annotate(n=Count("id")))),
            "by_point": len(list(Seeker.objects.values("service_point_id").annotate(n=Count("id")))),
            "retention": FollowUp.objects.filter(due_on__gte=start, due_on__lte=end).aggregate(
                n=Count("id"), d=Count("id", filter=Q(status="done"))),
        }
        return out

    print(f"requests ({args.runs} runs each after one warm-up, ms; cold = the figure cache cleared before every "
          "request, i.e. the first view of a period and area in a process after a night's aggregation: the preset "
          "periods of the county read the snapshot the nightly run wrote, other periods and areas are computed; "
          "warm = later views):",
          flush=True)
    print(f"  {'request':<52} {'cold p50':>8} {'cold p99':>8} {'warm p50':>8} {'warm p99':>8}  status")
    if not args.no_gc_freeze:
        import gc

        gc.collect()
        gc.freeze()  # as the server's workers do after warming up (gunicorn.conf.py): collections scan what requests make
    worst = worst_warm = 0.0
    for who, url, label in requests:
        c = clients[who]
        cold, warm, status = [], [], None
        for i in range(args.runs + 1):
            cache.clear()
            t0 = time.perf_counter()
            r = c.get(url)
            ms = (time.perf_counter() - t0) * 1000
            status = r.status_code
            if i:
                cold.append(ms)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            c.get(url)
            warm.append((time.perf_counter() - t0) * 1000)
        worst = max(worst, pctl(cold, 0.99))
        worst_warm = max(worst_warm, pctl(warm, 0.99))
        print(f"  {label:<52} {statistics.median(cold):8.0f} {pctl(cold, 0.99):8.0f} {statistics.median(warm):8.0f} "
              f"{pctl(warm, 0.99):8.0f}  {status}", flush=True)
    if args.profile:
        from django.test.utils import CaptureQueriesContext

        for who, url, label in [r for r in requests if "no preset" in r[2]] + requests[:1]:
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                clients[who].get(url)
                wall = (time.perf_counter() - t0) * 1000
            qs = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
            sql_ms = sum(float(q["time"]) for q in qs) * 1000
            print(f"  profile {label}: wall {wall:.0f} ms, {len(qs)} queries, SQL {sql_ms:.0f} ms")
            for q in qs[:12]:
                print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:230]}")
    print(f"  worst dashboard p99: cold {worst:.0f} ms, warm {worst_warm:.0f} ms (target <= 300 ms)")
    print("uptime after the requests:", uptime(), flush=True)
    if not args.no_report:
        naive_times = []
        for _ in range(3):
            t0 = time.perf_counter()
            naive(month, aggregate.month_end(month))
            naive_times.append((time.perf_counter() - t0) * 1000)
        naive_year = []
        for _ in range(2):
            t0 = time.perf_counter()
            naive(year_from, yesterday)
            naive_year.append((time.perf_counter() - t0) * 1000)
        print(f"  {'naive live query: headline figures, last month':<52} {statistics.median(naive_times):7.0f}")
        print(f"  {'naive live query: headline figures, 12 months':<52} {statistics.median(naive_year):7.0f}")
        with tempfile.TemporaryDirectory() as tmp:
            out, report_s = timed(f"monthly report {month:%Y-%m} (xlsx + pdf; target <= 60 s)", report.write_report,
                                  month, tmp)
        print(f"  the naive equivalent: the headline figures three times (month, previous, last year) from live "
              f"tables ~ {3 * statistics.median(naive_times) / 1000:.1f} s, before any chart")
        print(f"summary: nightly aggregation {daily_s:.1f} s (<= 600: {'MET' if daily_s <= 600 else 'NOT MET'}), "
              f"report {report_s:.1f} s (<= 60: {'MET' if report_s <= 60 else 'NOT MET'}), "
              f"worst request p99 cold {worst:.0f} ms / warm {worst_warm:.0f} ms (<= 300: "
              f"{'MET' if worst <= 300 else ('MET when warm' if worst_warm <= 300 else 'NOT MET')})")
    print("uptime at end:", uptime(), flush=True)
    connection.close()
    if not args.keep:
        psql("postgres", f"DROP DATABASE IF EXISTS {args.db}")
        print(f"dropped {args.db}")


if __name__ == "__main__":
    main()
