"""How long a 花名册 (seeker roster) import takes: upload (read + validate every row + store the preview)
and commit (re-validate + bulk insert in one transaction), on a fresh database.

    .venv/bin/python bench/outreach_import.py [--rows 10000] [--bad 0.02] [--db sqlite|postgres]

--db postgres uses a fresh database ``hn_bench_outreach`` on $BENCH_PG (default
postgres://postgres@127.0.0.1:5432), dropped afterwards; sqlite uses a temporary file. Migrations run, the
test reference data (Ruijin, two townships, villages, occupations) is loaded, a staff member of one point
uploads an .xlsx of N rows (a share of them broken: bad ID numbers, bad phones, unknown villages) through
``hongniang.outreach.services``. The target in the issue: 10,000 rows in under 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--bad", type=float, default=0.02, help="share of broken rows")
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="hn_bench_import_")
    pg_base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(pg_base + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS hn_bench_outreach")
            conn.execute("CREATE DATABASE hn_bench_outreach")
        os.environ["DATABASE_URL"] = pg_base + "/hn_bench_outreach"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    try:
        run(args, call_command)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db == "postgres":
            import psycopg

            with psycopg.connect(pg_base + "/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS hn_bench_outreach")


def run(args, call_command) -> None:
    import openpyxl

    from hongniang.outreach import services
    from hongniang.seekers.models import Seeker
    from hongniang.testing import factories as f

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    regions = f.reference_regions()
    f.reference_occupations()
    point = f.ServicePointFactory(name="象湖镇就业之家", region=regions["xianghu"])
    staff = f.make_staff(point, "bench_staff")
    print(f"setup (migrate + reference data): {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["姓名", "身份证号", "手机号", "乡镇", "村（社区）", "意向工种", "可接受班次", "农忙月份"])
    every = int(1 / args.bad) if args.bad > 0 else 0
    for i in range(args.rows):
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=i // 400)
        id_number = f.valid_id_number(i, birth=birth, female=bool(i % 2))
        phone = f"139{i:08d}"
        village = ("沙洲坝", "象湖镇") if i % 2 else ("九堡", "九堡镇")
        if every and i % every == 0:
            kind = (i // every) % 3
            if kind == 0:
                id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
            elif kind == 1:
                phone = "12345"
            else:
                village = ("不存在村", "象湖镇")
        ws.append([f"刘{i}", id_number, phone, village[1], village[0], "缝纫工、保洁", "长白班、两班倒", "5、6"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    print(f"built {args.rows} rows ({len(data) / 1024:.0f} KB .xlsx): {time.perf_counter() - t:.1f} s")

    t0 = time.perf_counter()
    batch = services.import_upload(actor=staff, kind="seekers", data=data, filename="bench.xlsx")
    t1 = time.perf_counter()
    batch = services.import_commit(actor=staff, batch=batch)
    t2 = time.perf_counter()
    made = Seeker.objects.filter(registered_by=staff).count()
    print(f"db={args.db} rows={args.rows} valid={batch.created_rows} invalid={batch.error_rows} created={made}")
    print(f"upload (read + validate + preview stored): {t1 - t0:.2f} s")
    print(f"commit (re-validate + bulk insert, one transaction): {t2 - t1:.2f} s")
    total = t2 - t0
    print(f"total: {total:.2f} s  ({args.rows / total:.0f} rows/s)  target < 30 s: {'OK' if total < 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
