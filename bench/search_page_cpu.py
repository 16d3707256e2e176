"""Where a page of search results spends its time, on a database kept by `search_speed.py --keep`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hn_bench_search .venv/bin/python bench/search_page_cpu.py [--rounds 8]

For 14 queries (one to three characters, several words, pinyin) without and with township + shift + pay_min
filters, interleaved in one process so that a shared machine's load falls on every variant alike:

  page      search_postings({...})[0:20] + count() (the list page's and GET /api/v1/jobs' path)
  in_bulk   the same with the page's postings read by `in_bulk` of the page queryset (how `load_page` read
            them before its statement was compiled once, commit 64210d2)
  plain     the same as page with every statement bound on the client and planned on each run (PostgreSQL;
            before `hongniang.core.prepared`)
  old       plain, with the words before the filter tokens in PostgreSQL's GIN conditions and each posting made
            by `Model.from_db` (the page before 2026-12-05)
  search    the search alone: ids(0, 20) + count()

The loaded heap is frozen first (gc.freeze), as the server's workers freeze theirs (--no-gc-freeze: not).
Wall-clock and thread CPU time (p50 / p90 / mean, ms) and the garbage collector's collections during the run.
On PostgreSQL the CPU time of the server process serving the connection is read too (/proc/<pid>/schedstat,
same machine only): planning and executing are there, not in the client's. On a loaded machine the wall-clock
time is mostly waiting (for the database process and the CPU): compare the CPU columns, and wall-clock figures
only of one run.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["工", "厂", "班", "普工", "司机", "保洁", "装配工", "电子厂", "长白班", "电子厂 两班倒 包吃住", "普工 长白班",
           "叉车司机 五险一金", "zpg", "baojie"]
FILTERS = [{}, {"township": "360781100000", "shift": "two_shift", "pay_min": "5000"}]


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--variants", default="page,plain,in_bulk,search")
    ap.add_argument("--no-gc-freeze", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-search-page-cpu")
    import django

    django.setup()
    from django.db import connection, connections

    from hongniang.core import prepared
    from hongniang.jobs import selectors as js
    from hongniang.search import engine, query
    from hongniang.search import results as rs
    from hongniang.search import selectors as ss

    engine.occupation_expansions()
    query.reader()
    compiled = js.load_page
    prepared_cursor = prepared.cursor

    def plain_cursor(alias="default"):
        return connections[alias].cursor()

    new_where, new_call = rs.RankedResults._where, js._PageLoad.__call__

    def old_where(self, any_of=None):
        """_where with the words before every filter token (the order before 2026-12-05)."""
        table, col, cond, params = new_where(self, any_of)
        if connection.vendor != "postgresql" or not table:
            return table, col, cond, params
        n_short = sum(not t.startswith("zzfst") for t in self.filter_tokens)
        n_words = len(params) - len(self.filter_tokens) - (1 if any_of else 0)
        words, rest = params[n_short:n_short + n_words], params[n_short + n_words:]
        tail = rest[len(rest) - (1 if any_of else 0):]
        return table, col, cond, [*words, *self.filter_tokens, *tail]

    def old_call(self, ids):
        """_PageLoad.__call__ making each posting by Model.from_db (before 2026-12-05)."""
        with prepared.cursor(self.db) as cur:
            cur.execute(self.sql, (*self.params, *ids))
            rows = cur.fetchall()
        objs = {}
        for row in self.compiler.results_iter([rows]):
            obj = self.model.from_db(self.db, self.init_list, row[self.start:self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            objs[obj.pk] = obj
        return objs

    def server_cpu() -> float:
        """CPU seconds of the PostgreSQL process serving this connection so far (0 on other databases)."""
        if connection.vendor != "postgresql":
            return 0.0
        with open(f"/proc/{backend_pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9

    connection.ensure_connection()
    backend_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            backend_pid = cur.fetchone()[0]

    def in_bulk(qs, ids):
        objs = js.page_queryset(qs.order_by()).in_bulk(ids)
        js.with_references(objs.values())
        return objs

    collections = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}
    started = [0.0]

    def on_gc(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            c = collections[info["generation"]]
            c[0] += 1
            c[1] += time.perf_counter() - started[0]

    res: dict[str, list[tuple[float, float, float]]] = {v: [] for v in args.variants.split(",")}
    gc.collect()
    if not args.no_gc_freeze:
        gc.freeze()
    gc.callbacks.append(on_gc)
    for rnd in range(args.rounds + 1):  # round 0 warms up
        for params in FILTERS:
            for q in QUERIES:
                for name in res:
                    js.load_page = in_bulk if name == "in_bulk" else compiled
                    prepared.cursor = plain_cursor if name in ("plain", "old") else prepared_cursor
                    rs.RankedResults._where = old_where if name == "old" else new_where
                    js._PageLoad.__call__ = old_call if name == "old" else new_call
                    sc, c, t = server_cpu(), time.thread_time(), time.perf_counter()
                    r, _ = ss.search_postings({**params, "q": q})
                    if name == "search":
                        r.ids(0, 20)
                    else:
                        r[0:20]
                    r.count()
                    if rnd:
                        res[name].append(((time.perf_counter() - t) * 1e3, (time.thread_time() - c) * 1e3,
                                          (server_cpu() - sc) * 1e3))
    gc.callbacks.remove(on_gc)
    js.load_page = compiled
    prepared.cursor = prepared_cursor
    rs.RankedResults._where, js._PageLoad.__call__ = new_where, new_call
    print("heap frozen (gc.freeze) before the rounds" if not args.no_gc_freeze else "heap not frozen")
    for name, v in res.items():
        wall, cpu, srv = [x[0] for x in v], [x[1] for x in v], [x[2] for x in v]
        both = [x[1] + x[2] for x in v]
        print(f"{name:8} wall p50 {pct(wall, 50):6.2f} p90 {pct(wall, 90):6.2f} p99 {pct(wall, 99):6.2f} "
              f"mean {statistics.fmean(wall):6.2f} | CPU p50 {pct(cpu, 50):5.2f} p90 {pct(cpu, 90):5.2f} "
              f"mean {statistics.fmean(cpu):5.2f} | server CPU p50 {pct(srv, 50):5.2f} mean {statistics.fmean(srv):5.2f}"
              f" | both p50 {pct(both, 50):5.2f} p90 {pct(both, 90):5.2f} p99 {pct(both, 99):5.2f} "
              f"mean {statistics.fmean(both):5.2f} | n={len(v)}")
    print("gc collections (count, ms) by generation:",
          {g: (n, round(s * 1e3, 1)) for g, (n, s) in collections.items()})
    print("load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
