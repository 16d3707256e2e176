"""Search speed, index size, recall and autocomplete latency of hongniang.search on real Django backends.

    .venv/bin/python bench/search_speed.py [--n 100000] [--db sqlite|postgres|both] [--quick] [--explain]

Each database is benchmarked in its own child process (Django is configured once per process) against a fresh
temporary SQLite file or a fresh PostgreSQL database (``hn_bench_search`` on $BENCH_PG, default
postgres://postgres@127.0.0.1:5432, dropped afterwards). Migrations run, then the real occupation catalogue and
the bundled Ruijin regions are loaded and N seeded-random postings are bulk-created (no factories).

Measured:
  index         engine.reindex_all() over N postings (jieba tokenize + bulk insert; FTS5 triggers / generated
                tsvector + GIN fill the index), and the size of the entry table and full-text index
  queries       p50 / p99 ms of the real path ``RankedResults(qs, parse_query(q))[0:20]`` + ``.count()``,
                without and with filters (township + shift + pay_min via search.selectors.filter_postings),
                next to a naive icontains scan (title / description / enterprise name) and, on PostgreSQL, a
                pg_trgm GIN index over the same document text (ILIKE '%w%' per word)
  recall        single-term queries: ids found by filter_matching vs ``term in engine.document_text(p)``
  autocomplete  suggest() over the N-posting vocabulary: build time, p50 / p99 per prefix kind

Latencies on a shared machine are noisy: compare columns of one run (ratios), not runs.
Each cell runs its query list round-robin for --reps executions or --budget seconds, whichever ends first
(the sample count is printed).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DB = os.environ.get("BENCH_PG_DB", "hn_bench_search")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

# ---------------------------------------------------------------------------------------------------- data

TITLE_BASES = [  # (title, common label in common_occupations.csv or None, weight)
    ("普工", "普工", 14), ("装配工", "电子装配工", 6), ("缝纫工", "缝纫工", 7), ("叉车司机", "叉车司机", 4),
    ("保洁员", "保洁", 5), ("电子厂操作工", "普工", 8), ("包装工", "普工", 5), ("质检员", "质检员", 4),
    ("厨师", "厨师", 3), ("服务员", "服务员", 5), ("仓管员", "仓管", 3), ("搬运工", "搬运工", 3),
    ("分拣员", "分拣员", 3), ("保安", "保安", 3), ("电工", "电工", 2), ("焊工", "焊工", 2),
    ("注塑工", "注塑工", 2), ("货车司机", "货车司机", 2), ("收银员", "收银员", 2), ("客服", "客服", 2),
    ("裁剪工", "裁剪工", 2), ("养老护理员", "养老护理员", 1), ("快递员", "快递员", 2), ("脐橙采摘工", None, 1),
    ("流水线工人", "普工", 4), ("机修工", "机修工", 1), ("数控操作工", "数控操作工", 1), ("面点师", "面点师", 1),
    ("家政服务员", "家政", 1), ("学徒工", None, 1), ("喷漆工", "喷漆工", 1), ("理货员", "理货员", 1),
]
TITLE_PREFIX = ["", "", "", "", "急招", "长期招", "高薪招", "诚聘", "电子厂", "服装厂", "鞋厂", "食品厂",
                "物流园", "酒店", "长白班", "熟手", "男女不限"]
TITLE_SUFFIX = ["", "", "", "", "（包吃住）", "（长白班）", "（两班倒）", "（计件）", "学徒", "（可兼职）",
                "（五险一金）", "若干名", "（日结）", "（宝妈岗）"]
ENT_PLACES = ["瑞金", "赣州", "瑞金市", "江西", "赣南", "红都", "沙洲坝", "象湖", "九堡"]
ENT_BRANDS = ["华宏", "鑫达", "恒丰", "金泰", "宏图", "富源", "盛达", "汇丰", "永兴", "创维", "天成", "润泽",
              "嘉禾", "博远", "锦绣", "联创", "新华", "德胜", "利民", "振兴", "瑞丰", "众鑫", "兴旺", "长青",
              "绿源", "红星", "正大", "万通", "远航", "昌盛"]
ENT_INDUSTRY = ["电子", "服装", "鞋业", "食品", "物流", "家具", "塑胶", "五金", "纺织", "光电", "新能源",
                "餐饮", "酒店管理", "物业管理", "建材", "农业科技", "包装材料", "汽车配件"]
ENT_FORM = ["有限公司", "科技有限公司", "实业有限公司", "厂", "股份有限公司", "有限责任公司"]
DESC_PHRASES = [
    "工作轻松，坐着上班", "流水线作业，简单易学", "无需经验，岗前免费培训", "计件工资，多劳多得",
    "月休四天，节假日三倍工资", "提供免费工作餐", "厂区有员工宿舍，四人一间，空调热水齐全",
    "要求身体健康，吃苦耐劳", "年龄18至50周岁，男女不限", "有电子厂工作经验者优先", "两班倒，一周一倒班",
    "长白班，不加班也有保底", "持有叉车证，熟练驾驶叉车", "负责车间产品的装配和检验", "负责公共区域的日常清洁",
    "负责仓库货物的收发与盘点", "熟练操作平车、高车者优先", "每月15号准时发工资，不拖欠",
    "缴纳五险一金，享受带薪年假", "包吃包住，水电全免", "公司有班车接送", "可以预支生活费",
    "能适应夜班者优先", "宝妈岗位，可接送小孩", "负责餐厅点菜、传菜和收台", "负责中餐的烹饪，会做赣南客家菜优先",
    "负责产品外观检验，视力良好", "负责成品打包、贴标和装箱", "服从车间管理，遵守安全操作规程",
    "试用期一个月，转正后有全勤奖", "工作地点在瑞金经济开发区", "离市区近，交通方便",
]
OTHER_BENEFITS = ["", "", "", "全勤奖", "年终奖", "节日福利", "高温补贴", "住房补贴", "夜班补贴", "带薪年假"]
SHIFTS = ["day"] * 5 + ["two_shift"] * 3 + ["three_shift", "flexible", "part_time", "home_piecework"]
TOWNSHIP_CODES = ["360781100000", "360781101000", "360781102000", "360781103000", "360781104000",
                  "360781105000", "360781106000", "360781107000", "360781201000", "360781400000"]

# queries
Q1 = ["工", "厂", "班", "吃", "车", "员", "包", "电", "服", "住"]
Q2 = ["普工", "司机", "保洁", "电子", "缝纫", "叉车", "包装", "厨师", "质检", "计件"]
Q3 = ["装配工", "缝纫工", "操作工", "服务员", "质检员", "包装工", "电子厂", "长白班", "两班倒", "保洁员"]
QM = ["电子厂 两班倒 包吃住", "普工 长白班", "叉车司机 五险一金", "缝纫工 计件 包住", "服务员 包吃",
      "保洁 象湖镇", "装配工 班车", "厨师 瑞金", "质检员 无需经验", "流水线 宝妈"]
#: Latin letters read as pinyin or initials (zpg -> 装配工, baojie -> 保洁; issue 14)
QL = ["zpg", "baojie", "pg", "siji", "fengren", "cbb", "zhuangpei", "chache", "bj", "zhiyjian"]
SORT_QUERIES = Q1[:3] + Q2[:4] + QM[:3]
QUERY_SETS = [("1 char", Q1), ("2 chars", Q2), ("3 chars", Q3), ("multi-word", QM), ("pinyin", QL)]
AC_SETS = [
    ("zh 1 char", ["普", "装", "缝", "叉", "保", "电", "厨", "服", "质", "急"]),
    ("zh 2 chars", ["装配", "缝纫", "叉车", "电子", "保洁", "服务", "质检", "包装", "长白", "急招"]),
    ("zh 3 chars", ["装配工", "电子厂", "叉车司", "服务员", "急招普", "长白班", "瑞金市", "高薪招", "缝纫工", "包装工"]),
    ("pinyin", ["zhuang", "pugong", "fengren", "chache", "baojie", "dianzi", "fuwuyuan", "zhijian", "ji", "chu"]),
    ("initials", ["zpg", "cbb", "pg", "frg", "ccsj", "bjy", "dzc", "fwy", "zjy", "bzg"]),
]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


# -------------------------------------------------------------------------------------------- child process


def child(args) -> dict:
    """Runs in a child process configured for one database; returns the results as a dict."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hongniang.catalog.models import Occupation
    from hongniang.employers.models import Enterprise
    from hongniang.geo.models import Region
    from hongniang.jobs.models import JobPosting
    from hongniang.search import engine, indexing
    from hongniang.testing.factories import valid_credit_code
    from hongniang.zh import segment

    vendor = connection.vendor
    out: dict = {"vendor": vendor, "n": args.n, "timeout": args.timeout}
    log = lambda *a: print(f"[{vendor}]", *a, file=sys.stderr, flush=True)  # noqa: E731

    if args.reuse:
        return child_reused(args, out, log)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_classifications", "--wet-run", verbosity=0, stdout=open(os.devnull, "w"))
    call_command("load_regions", "--county", "360781", "--wet-run", verbosity=0, stdout=open(os.devnull, "w"))
    log(f"migrated + reference data in {time.perf_counter() - t0:.1f}s")

    # ---- data
    rnd = random.Random(20240607)
    label_to_code = {}
    for line in (ROOT / "hongniang" / "data" / "common_occupations.csv").read_text("utf-8").splitlines()[1:]:
        code, _, label = line.partition(",")
        label_to_code[label.strip()] = code.strip()
    occ_ids = set(Occupation.objects.values_list("code", flat=True))
    townships = {r.code: r for r in Region.objects.filter(code__in=TOWNSHIP_CODES)}
    villages: dict[str, list[str]] = {c: [c] for c in townships}
    for code, parent in Region.objects.filter(parent_id__in=list(townships)).values_list("code", "parent_id"):
        villages[parent].append(code)
    # a posting's point is its village's (jobs.services fills it in so when the form gives none)
    points = dict((c, (la, lo)) for c, la, lo in Region.objects.filter(code__in=[v for vs in villages.values()
                                                                                for v in vs])
                  .values_list("code", "lat", "lon"))
    ents = []
    names = set()
    for i in range(args.enterprises):
        while True:
            name = (rnd.choice(ENT_PLACES) + rnd.choice(ENT_BRANDS) + rnd.choice(ENT_INDUSTRY)
                    + rnd.choice(ENT_FORM))
            if name not in names:
                names.add(name)
                break
        ents.append(Enterprise(name=name, credit_code=valid_credit_code(i + 1),
                               region_id=rnd.choice(TOWNSHIP_CODES), verification_status="verified"))
    Enterprise.objects.bulk_create(ents, batch_size=1000)
    ent_ids = list(Enterprise.objects.values_list("pk", flat=True))
    bases = [b for b in TITLE_BASES for _ in range(b[2])]
    tcodes = list(townships)
    now = datetime(2024, 6, 1, 12, 0).astimezone()
    t0 = time.perf_counter()
    batch = []
    made = 0
    for _i in range(args.n):
        base, label, _ = rnd.choice(bases)
        title = (rnd.choice(TITLE_PREFIX) + base + rnd.choice(TITLE_SUFFIX))[:60]
        occ = label_to_code.get(label) if label else None
        if occ not in occ_ids:
            occ = None
        lo = rnd.randrange(2800, 6500, 100)
        hi = lo + rnd.randrange(0, 3000, 100)
        tw = rnd.choice(tcodes[:4] * 3 + tcodes)  # a few busy townships
        desc = "，".join(rnd.sample(DESC_PHRASES, rnd.randint(1, 3))) + "。"
        board = rnd.random() < 0.5
        batch.append(JobPosting(
            enterprise_id=rnd.choice(ent_ids), title=title, occupation_id=occ, headcount=rnd.randint(1, 50),
            pay_type="monthly", pay_min=lo, pay_max=hi, monthly_min=lo, monthly_max=hi,
            shift=rnd.choice(SHIFTS), board=board, lodging=board and rnd.random() < 0.7,
            shuttle=rnd.random() < 0.3, social_insurance=rnd.random() < 0.4,
            other_benefits=rnd.choice(OTHER_BENEFITS), region_id=(village := rnd.choice(villages[tw])),
            township_id=tw, lat=points[village][0], lon=points[village][1],
            description=desc, status="published" if rnd.random() < 0.9 else "closed",
            published_at=(pub := now - timedelta(minutes=rnd.randrange(0, 60 * 24 * 365))),
            valid_from=pub.date(), valid_until=pub.date() + timedelta(days=60),
        ))
        if len(batch) >= 5000:
            JobPosting.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    if batch:
        JobPosting.objects.bulk_create(batch)
    out["gen_s"] = time.perf_counter() - t0
    log(f"{args.n} postings bulk-created in {out['gen_s']:.1f}s")

    # ---- index (the real reindex_all; document_text captured for the recall check)
    def db_size() -> dict:
        with connection.cursor() as cur:
            if vendor == "sqlite":
                cur.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
                rows = dict(cur.fetchall())
                entry = sum(v for k, v in rows.items() if k == "search_postingsearchentry"
                            or k.startswith("sqlite_autoindex_search_postingsearchentry"))
                fts = sum(v for k, v in rows.items() if k.startswith("search_fts"))
                return {"entry_table": entry, "fulltext_index": fts, "total_db": sum(rows.values())}
            cur.execute("SELECT pg_total_relation_size('search_postingsearchentry'), "
                        "pg_relation_size('search_entry_tsv_gin'), "
                        "pg_database_size(current_database())")
            total, gin, dbs = cur.fetchone()
            return {"entry_table": total - gin, "fulltext_index": gin, "total_db": dbs}

    if vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = db_size()
    docs: dict[int, str] = {}
    tok_time = [0.0]
    real_doc, real_index_text = indexing.document_text, segment.index_text

    def doc_capture(p):
        text = real_doc(p)
        docs[p.pk] = text
        return text

    def timed_index_text(text):
        t = time.perf_counter()
        r = real_index_text(text)
        tok_time[0] += time.perf_counter() - t
        return r

    indexing.document_text, segment.index_text = doc_capture, timed_index_text
    gc.collect()
    t0 = time.perf_counter()
    indexed = engine.reindex_all()
    out["index_s"] = time.perf_counter() - t0
    indexing.document_text, segment.index_text = real_doc, real_index_text
    out["tokenize_s"] = tok_time[0]
    if vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE search_postingsearchentry")
            cur.execute("ANALYZE jobs_jobposting")
    size = db_size()
    out["index_size"] = size
    out["size_before"] = size_before
    with connection.cursor() as cur:
        cur.execute("SELECT AVG(LENGTH(tokens)) FROM search_postingsearchentry")
        out["avg_tokens_chars"] = float(cur.fetchone()[0])
    out["avg_doc_chars"] = statistics.fmean(len(t) for t in docs.values())
    log(f"indexed {indexed} in {out['index_s']:.1f}s (tokenize {out['tokenize_s']:.1f}s); size {size}")

    # ---- pg_trgm baseline over the same document text
    if vendor == "postgresql":
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cur.execute("CREATE TABLE bench_doc (posting_id bigint PRIMARY KEY, doc text NOT NULL)")
            ids = sorted(docs)
            for i in range(0, len(ids), 5000):
                chunk = ids[i:i + 5000]
                cur.executemany("INSERT INTO bench_doc VALUES (%s, %s)", [(k, docs[k]) for k in chunk])
            cur.execute("CREATE INDEX bench_doc_trgm ON bench_doc USING GIN (doc gin_trgm_ops)")
            cur.execute("VACUUM ANALYZE bench_doc")
            cur.execute("SELECT pg_relation_size('bench_doc_trgm'), pg_total_relation_size('bench_doc')")
            gi, tot = cur.fetchone()
        out["trgm"] = {"build_s": time.perf_counter() - t0, "gin": gi, "table_total": tot}
        log(f"pg_trgm index built in {out['trgm']['build_s']:.1f}s, {gi / 1e6:.1f} MB")

    return measure(args, out, log, docs)


def child_reused(args, out: dict, log) -> dict:
    """--reuse: a database kept by an earlier --keep run, queried as it is (no data, no index); the documents of
    the recall check are rebuilt from the postings by engine.document_text."""
    from hongniang.jobs.models import JobPosting
    from hongniang.search import engine

    out["reused"] = True
    docs: dict[int, str] = {}
    if "recall" not in args.skip:
        t0 = time.perf_counter()
        qs = JobPosting.objects.select_related("occupation", "enterprise", "township", "region").order_by("pk")
        for p in qs.iterator(chunk_size=5000):
            docs[p.pk] = engine.document_text(p)
        log(f"{len(docs)} documents rebuilt in {time.perf_counter() - t0:.1f}s")
    out["n"] = JobPosting.objects.count()
    return measure(args, out, log, docs)


def measure(args, out: dict, log, docs: dict) -> dict:
    """The query cells, sorted searches, recall and autocomplete (see the module's docstring)."""
    from django.db import connection, reset_queries
    from django.db.models import Q
    from django.db.models.expressions import RawSQL
    from django.test.utils import CaptureQueriesContext

    from hongniang.jobs.models import JobPosting
    from hongniang.search import engine, query, suggest
    from hongniang.search.engine import ParsedQuery, RankedResults, filter_matching, parse_query
    from hongniang.search.selectors import filter_postings, search_postings
    from hongniang.zh import segment

    vendor = connection.vendor

    # ---- queries
    engine.occupation_expansions()  # warm the 5-minute cache
    t0 = time.perf_counter()
    query.reader()  # the pinyin reader over the autocomplete vocabulary: built once per process, then in the
    log(f"query reader built in {time.perf_counter() - t0:.1f}s")  # background when the autocompleter is rebuilt
    segment.get_tokenizer()
    filters = {"township": TOWNSHIP_CODES[0], "shift": "two_shift", "pay_min": "5000"}

    def run_fts(params, base, q):
        """The real path of the list page and GET /api/v1/jobs?q=: filter tokens in the full-text index."""
        r, _ = search_postings({**params, "q": q})
        page = r[0:20]
        return len(page), r.count()

    def run_ids(params, base, q):
        """The search alone: the page's ids in relevance order and the count, without loading the postings."""
        r, _ = search_postings({**params, "q": q})
        return len(r.ids(0, 20)), r.count()

    def run_exists(params, base, q):
        """Baseline: the same ranking, the filters checked per match by a correlated EXISTS on the posting table
        (how the engine applied filters before filter tokens, commit fbaa64d)."""
        r = RankedResults(base, parse_query(q))
        page = r[0:20]
        return len(page), r.count()

    class Timeout(Exception):
        pass

    def guarded(fn, params, base, q):
        """fn(params, base, q) with a statement timeout of args.timeout seconds; raises Timeout."""
        if vendor == "sqlite":
            connection.ensure_connection()
            deadline = time.perf_counter() + args.timeout
            connection.connection.set_progress_handler(lambda: 1 if time.perf_counter() > deadline else 0, 10000)
            try:
                return fn(params, base, q)
            except Exception as exc:
                if "interrupted" in str(exc):
                    raise Timeout from exc
                raise
            finally:
                connection.connection.set_progress_handler(None, 0)
        with connection.cursor() as cur:
            cur.execute(f"SET statement_timeout = {int(args.timeout * 1000)}")
        try:
            return fn(params, base, q)
        except Exception as exc:
            if "statement timeout" in str(exc):
                raise Timeout from exc
            raise

    def like_qs(base, q):
        qs = base
        for w in q.split():
            qs = qs.filter(Q(title__icontains=w) | Q(description__icontains=w) | Q(enterprise__name__icontains=w))
        return qs

    def run_like(params, base, q):
        qs = like_qs(base, q)
        return len(list(qs[0:20])), qs.count()

    def trgm_qs(base, q):
        words = q.split()
        sql = "SELECT posting_id FROM bench_doc WHERE " + " AND ".join(["doc ILIKE %s"] * len(words))
        return base.filter(pk__in=RawSQL(sql, ["%" + w.replace("%", r"\%").replace("_", r"\_") + "%"
                                              for w in words]))

    def run_trgm(params, base, q):
        qs = trgm_qs(base, q)
        return len(list(qs[0:20])), qs.count()

    methods = [("fts", run_fts), ("ids", run_ids), ("exists", run_exists), ("like", run_like)] + ([("trgm", run_trgm)] if vendor == "postgresql" and not args.reuse else [])
    methods = [(m, fn) for m, fn in methods if m in args.methods or m in ("fts", "ids")]
    # what is loaded by now (Django, the dictionary, the pinyin reader, the occupation expansions) lives as long as
    # the process: frozen out of the garbage collector's way, as the server's workers freeze theirs after start-up
    # (gunicorn.conf.py post_worker_init), so its collections scan only what the queries make
    gc.collect()
    if not args.no_gc_freeze:
        gc.freeze()
    out["gc_frozen"] = not args.no_gc_freeze
    log("heap " + ("frozen (gc.freeze) as the server's workers do" if out["gc_frozen"] else "not frozen")
        + " before the cells")
    qres = []
    for fname, params in (("none", {}), ("township+shift+pay_min", filters)):
        base = filter_postings(params)
        for cat, queries in QUERY_SETS:
            row = {"filters": fname, "cat": cat}
            for mname, fn in methods:
                times: list[float] = []
                hits = []
                timeouts = 0
                start = time.perf_counter()
                i = 0
                warm = set()
                while i < args.reps and (time.perf_counter() - start < args.budget or i < args.min_reps):
                    if time.perf_counter() - start > 3 * args.budget:
                        break
                    q = queries[i % len(queries)]
                    if q not in warm:  # warm-up run (untimed) unless the query is slow anyway
                        warm.add(q)
                        t = time.perf_counter()
                        try:
                            guarded(fn, params, base, q)
                        except Timeout:
                            pass
                    t = time.perf_counter()
                    try:
                        _, n = guarded(fn, params, base, q)
                        times.append((time.perf_counter() - t) * 1000)
                    except Timeout:
                        times.append(args.timeout * 1000)
                        timeouts += 1
                        n = None
                    if i < len(queries) and n is not None:
                        hits.append(n)
                    i += 1
                row[mname] = {"p50": pct(times, 50), "p99": pct(times, 99), "max": max(times), "n": len(times),
                              "mean_hits": statistics.fmean(hits) if hits else float("nan"), "timeouts": timeouts}
                reset_queries()
            log(f"{fname:>22} {cat:<10} " + "  ".join(
                f"{m}: p50 {row[m]['p50']:.1f} p99 {row[m]['p99']:.1f} (n={row[m]['n']})" for m, _ in methods))
            qres.append(row)
    out["queries"] = qres

    # per-query breakdown for the real path (p50 of 5 runs each) — shows which queries miss the target
    per_q = []
    for fname, params in (("none", {}), ("township+shift+pay_min", filters)):
        base = filter_postings(params)
        for _cat, queries in QUERY_SETS:
            for q in queries:
                ts = []
                for _ in range(args.per_query_reps):
                    t = time.perf_counter()
                    _, n = run_fts(params, base, q)
                    ts.append((time.perf_counter() - t) * 1000)
                per_q.append({"filters": fname, "q": q, "ms": statistics.median(ts), "hits": n})
    out["per_query"] = per_q

    # ---- sorted searches (sort=newest / pay / distance with a query): the list page's Paginator (page 1 and the
    # count) through search_postings, next to the path before SortedResults (filter_postings with q: the posting
    # table semi-joined to every full-text match, counted whole) in the same run
    from django.core.paginator import Paginator

    sort_queries = SORT_QUERIES

    def run_sorted(params, base, q):
        r, _ = search_postings({**params, "q": q})
        page = Paginator(r, 20).get_page(1)
        return len(page.object_list), page.paginator.count

    def run_sorted_before(params, base, q):
        page = Paginator(filter_postings({**params, "q": q}), 20).get_page(1)
        return len(page.object_list), page.paginator.count

    sres = []
    for sort in ("newest", "pay", "distance") if "sorts" not in args.skip else ():
        for fname, params in (("none", {}), ("township+shift+pay_min", filters)):
            params = {**params, "sort": sort, "lat": "25.89", "lon": "116.03"}
            row = {"sort": sort, "filters": fname}
            for mname, fn in (("sorted", run_sorted), ("before", run_sorted_before)):
                times = []
                start = time.perf_counter()
                for q in sort_queries:  # warm-up
                    try:
                        guarded(fn, params, None, q)
                    except Timeout:
                        pass
                i = 0
                while i < args.reps and (time.perf_counter() - start < 2 * args.budget or i < len(sort_queries)):
                    t = time.perf_counter()
                    try:
                        guarded(fn, params, None, sort_queries[i % len(sort_queries)])
                        times.append((time.perf_counter() - t) * 1000)
                    except Timeout:
                        times.append(args.timeout * 1000)
                    i += 1
                row[mname] = {"p50": pct(times, 50), "p99": pct(times, 99), "n": len(times)}
                reset_queries()
            log(f"sort={sort:<8} {fname:>22}  " + "  ".join(
                f"{m}: p50 {row[m]['p50']:.1f} p99 {row[m]['p99']:.1f} (n={row[m]['n']})" for m in ("sorted", "before")))
            sres.append(row)
    out["sorts"] = sres

    # ---- recall vs substring scan on single-term queries
    all_qs = JobPosting.objects.all()
    rec = []
    for term in Q1 + Q2 + Q3 if "recall" not in args.skip else ():
        truth = {pk for pk, text in docs.items() if term in text}
        parsed = parse_query(term)
        found = set(filter_matching(all_qs, parsed).values_list("pk", flat=True))
        literal = set(filter_matching(all_qs, ParsedQuery(term, [{term}])).values_list("pk", flat=True))
        rec.append({
            "term": term, "substring": len(truth), "found": len(found), "groups": [sorted(g) for g in parsed.groups],
            "recall": 100 * len(found & truth) / len(truth) if truth else 100.0,
            "precision": 100 * len(found & truth) / len(found) if found else 100.0,
            "literal_found": len(literal),
            "literal_recall": 100 * len(literal & truth) / len(truth) if truth else 100.0,
            "literal_precision": 100 * len(literal & truth) / len(literal) if literal else 100.0,
        })
    out["recall"] = rec
    log("recall done")

    # ---- autocomplete
    if "autocomplete" in args.skip:
        args.ac_reps = 0
    t0 = time.perf_counter()
    vocab = suggest.build_vocabulary()
    out["ac_vocab_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ac = suggest.autocompleter(force=True)
    out["ac_build_s"] = time.perf_counter() - t0
    out["ac_vocab_size"] = len(vocab)
    acres = []
    for cat, prefixes in AC_SETS:
        if not args.ac_reps:
            continue
        for p in prefixes:
            suggest.suggest(p)
        times = []
        cpu = []
        empties = 0
        for i in range(args.ac_reps):
            p = prefixes[i % len(prefixes)]
            c = time.thread_time()
            t = time.perf_counter()
            r = suggest.suggest(p)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
            empties += not r
        acres.append({"cat": cat, "p50": pct(times, 50), "p99": pct(times, 99), "max": max(times), "n": len(times),
                      "cpu_p50": pct(cpu, 50), "cpu_p99": pct(cpu, 99),
                      "example": f"{prefixes[0]} → {'、'.join(ac.suggest(prefixes[0], 3))}", "empty": empties})
    out["autocomplete"] = acres
    log("autocomplete done")

    # ---- query plans for the slowest case
    if args.explain:
        plans = {}
        for fname, params in (("none", {}), ("township+shift+pay_min", filters)):
            base = filter_postings(params)
            for q in ("工", "电子厂 两班倒 包吃住"):
                with CaptureQueriesContext(connection) as cap:
                    try:
                        guarded(run_fts, params, base, q)
                    except Timeout:
                        pass
                sqls = [c["sql"] for c in cap.captured_queries
                        if not c["sql"].startswith("SET ") and "jobs_jobposting\".\"id\" IN (" not in c["sql"]]
                for k, sql in enumerate(sqls):
                    label = f"statement {k + 1}"
                    with connection.cursor() as cur:
                        if vendor == "sqlite":
                            cur.execute("EXPLAIN QUERY PLAN " + sql)
                            plan = "\n".join(f"{r[0]:>3} {r[1]:>3} {r[3]}" for r in cur.fetchall())
                        else:
                            cur.execute("SET statement_timeout = 0")
                            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                            plan = "\n".join(r[0] for r in cur.fetchall())
                    plans[f"{fname} | {q} | {label}"] = {"sql": sql, "plan": plan}
        out["plans"] = plans

    connection.close()
    return out


# ------------------------------------------------------------------------------------------------- parent


def run_db(db: str, args) -> dict:
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "hongniang.settings", "DEBUG": "0", "SECRET_KEY": "bench-search-speed",
                "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")})
    tmp = tempfile.mkdtemp(prefix="hn_bench_search_")
    env["HONGNIANG_VAR_DIR"] = tmp
    if db == "sqlite":
        sqlite_file = args.sqlite_file if args.reuse else f"{tmp}/bench.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    elif args.reuse:
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
        env["CONN_MAX_AGE"] = "0"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
        env["CONN_MAX_AGE"] = "0"
    result_file = Path(tmp) / "result.json"
    cmd = [sys.executable, __file__, "--child", str(result_file), "--n", str(args.n), "--reps", str(args.reps),
           "--min-reps", str(args.min_reps), "--budget", str(args.budget), "--ac-reps", str(args.ac_reps),
           "--timeout", str(args.timeout),
           "--enterprises", str(args.enterprises), "--per-query-reps", str(args.per_query_reps)]
    if args.explain:
        cmd.append("--explain")
    if args.reuse:
        cmd += ["--reuse", "--sqlite-file", args.sqlite_file or ""]
    if args.no_gc_freeze:
        cmd.append("--no-gc-freeze")
    cmd += ["--methods", ",".join(args.methods), "--skip", ",".join(args.skip)]
    try:
        subprocess.run(cmd, env=env, check=True)
        return json.loads(result_file.read_text())
    finally:
        if db == "postgres" and not args.keep and not args.reuse:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if args.keep and not args.reuse:
            print(f"kept {tmp}" + (f" (SQLite: {tmp}/bench.sqlite3; --reuse --sqlite-file it)" if db == "sqlite"
                                   else f" and database {PG_DB} (--reuse with BENCH_PG_DB={PG_DB})"),
                  file=sys.stderr)
        elif args.reuse:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def mb(b: float) -> str:
    return f"{b / 1e6:.1f} MB"


def report(results: list[dict]) -> str:
    lines = []
    p = lines.append
    for r in results:
        v, n = r["vendor"], r["n"]
        p(f"## {v}, n = {n:,} postings")
        p("")
        if r.get("reused"):
            p("reused database (--reuse): no data made, no index built; "
              + ("heap frozen before the cells (gc.freeze, as the server's workers)" if r.get("gc_frozen")
                 else "heap not frozen"))
        else:
            p("heap frozen before the cells (gc.freeze, as the server's workers)" if r.get("gc_frozen", False)
              else "heap not frozen before the cells")
        s = r.get("index_size")
        p("" if s is None else f"index: reindex_all {r['index_s']:.1f} s ({r['index_s'] / n * 1e3:.2f} ms/posting; jieba tokenize "
          f"{r['tokenize_s']:.1f} s of it); entry table {mb(s['entry_table'])}, full-text index "
          f"{mb(s['fulltext_index'])} (whole DB {mb(r['size_before']['total_db'])} → {mb(s['total_db'])}); "
          f"avg document {r['avg_doc_chars']:.0f} chars → {r['avg_tokens_chars']:.0f} chars of tokens")
        if "trgm" in r:
            t = r["trgm"]
            p(f"pg_trgm baseline: bench_doc table + GIN(doc gin_trgm_ops) built in {t['build_s']:.1f} s, "
              f"GIN {mb(t['gin'])}, table+index {mb(t['table_total'])}")
        p("")
        has_trgm = "trgm" in r["queries"][0]

        def cell(x):
            if x is None:
                return "–"
            t = f" ({x['timeouts']} timed out)" if x.get("timeouts") else ""
            return f"{x['p50']:.1f} / {x['p99']:.1f} (n={x['n']}{t})"

        hdr = ("| filters | query | hits | page p50 / p99 | search only p50 / p99 | EXISTS p50 / p99 | LIKE p50 / p99 "
               "| LIKE÷page p50 | EXISTS÷page p50 |")
        sep = "|---|---|---:|---:|---:|---:|---:|---:|---:|"
        if has_trgm:
            hdr += " trgm p50 / p99 | trgm÷search p50 |"
            sep += "---:|---:|"
        hdr += " p99 ≤ 10 ms: page / search |"
        sep += ":-:|"
        p(hdr)
        p(sep)
        for q in r["queries"]:
            f, x, lk = q["fts"], q.get("exists"), q.get("like")
            hits = x["mean_hits"] if x and x["mean_hits"] == x["mean_hits"] else f["mean_hits"]

            def ratio(b, f=f):
                return "–" if b is None else f"{b['p50'] / f['p50']:.2f}×"

            line = (f"| {q['filters']} | {q['cat']} | {hits:.0f} | {cell(f)} | {cell(q['ids'])} | {cell(x)} | {cell(lk)} | "
                    f"{ratio(lk)} | {ratio(x)} |")
            if has_trgm:
                t = q["trgm"]
                line += f" {cell(t)} | {t['p50'] / f['p50']:.2f}× |"
            line += " " + " / ".join("met" if c["p99"] <= 10 else "**not met**" for c in (f, q["ids"])) + " |"
            p(line)
        p("")
        p("page = search.selectors.search_postings(...)[0:20] + count(): the search and the 20 postings loaded "
          "through the ORM (what the list page and GET /api/v1/jobs?q= do); search only = the same without "
          "loading the postings (ids of the page + count); EXISTS = the same ranking with every match checked "
          "against the filtered posting queryset by a correlated EXISTS (no filter tokens); LIKE = icontains scan; ratios > 1 mean the search is faster "
          "than the baseline; a timed-out run counts as the timeout.")
        p("")
        if r.get("sorts"):
            p("sorted searches (sort=newest / pay / distance with a query; page 1 + count through Django's Paginator, "
              f"queries {', '.join(SORT_QUERIES)}), p50 / p99 ms — before = filter_postings with q, counted whole:")
            p("")
            p("| sort | filters | sorted | before | before ÷ sorted (p50) |")
            p("|---|---|---:|---:|---:|")
            for x in r["sorts"]:
                p(f"| {x['sort']} | {x['filters']} | {cell(x['sorted'])} | {cell(x['before'])} | "
                  f"{x['before']['p50'] / x['sorted']['p50']:.1f}× |")
            p("")
        p("search per query (median of a few runs, ms; hits = count): ")
        p("")
        for fname in ("none", "township+shift+pay_min"):
            items = [x for x in r["per_query"] if x["filters"] == fname]
            p(f"- {fname}: " + ", ".join(f"{x['q']} {x['ms']:.1f} ({x['hits']})" for x in items))
        p("")
        p("| term | substring hits | found (expanded) | recall | precision | found (literal) | recall | precision |")
        p("|---|---:|---:|---:|---:|---:|---:|---:|")
        for x in r["recall"]:
            p(f"| {x['term']} | {x['substring']} | {x['found']} | {x['recall']:.2f} % | {x['precision']:.2f} % | "
              f"{x['literal_found']} | {x['literal_recall']:.2f} % | {x['literal_precision']:.2f} % |")
        exp = [f"{x['term']}→{'/'.join(a for g in x['groups'] for a in g)}" for x in r["recall"] if
               any(len(g) > 1 for g in x["groups"])]
        p("")
        p("expanded = parse_query (synonyms + occupation groups); literal = ParsedQuery(term, [{term}]). "
          "Expansions: " + "; ".join(exp))
        p("")
        p(f"autocomplete: vocabulary {r['ac_vocab_size']:,} terms, build_vocabulary {r['ac_vocab_s'] * 1e3:.0f} ms, "
          f"vocabulary + Autocompleter {r['ac_build_s'] * 1e3:.0f} ms")
        p("")
        p("| prefixes | p50 ms | p99 ms | max ms | CPU p50 / p99 ms | n | empty | example | p99 ≤ 5 ms |")
        p("|---|---:|---:|---:|---:|---:|---:|---|:-:|")
        for a in r["autocomplete"]:
            p(f"| {a['cat']} | {a['p50']:.3f} | {a['p99']:.3f} | {a['max']:.3f} | {a['cpu_p50']:.3f} / "
              f"{a['cpu_p99']:.3f} | {a['n']} | {a['empty']} | "
              f"{a['example']} | {'met' if a['p99'] <= 5 else '**not met**'} |")
        p("")
        if r.get("plans"):
            for k, v in r["plans"].items():
                p(f"plan [{k}]:")
                p("```")
                p(v["sql"][:600])
                p("--")
                p(v["plan"])
                p("```")
            p("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--quick", action="store_true", help="n=5000 and fewer repetitions (smoke test)")
    ap.add_argument("--reps", type=int, default=200, help="query executions per cell (at most)")
    ap.add_argument("--min-reps", type=int, default=30, help="query executions per cell (at least)")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per cell before stopping early")
    ap.add_argument("--ac-reps", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=5.0, help="statement timeout (s); a timed-out run counts as this")
    ap.add_argument("--per-query-reps", type=int, default=3)
    ap.add_argument("--enterprises", type=int, default=300)
    ap.add_argument("--explain", action="store_true", help="print query plans of the slowest queries")
    ap.add_argument("--keep", action="store_true", help="keep the SQLite file / PostgreSQL database (debugging)")
    ap.add_argument("--reuse", action="store_true",
                    help="query a database kept by an earlier --keep run (PostgreSQL: $BENCH_PG_DB; SQLite: "
                         "--sqlite-file) as it is: no data, no index; nothing is dropped")
    ap.add_argument("--sqlite-file", help="with --reuse: the kept SQLite file (printed by --keep)")
    ap.add_argument("--methods", default="fts,ids,exists,like,trgm",
                    help="query cells' columns (page and search only always)")
    ap.add_argument("--skip", default="", help="comma-separated: sorts, recall, autocomplete")
    ap.add_argument("--no-gc-freeze", action="store_true",
                    help="leave the loaded heap to the garbage collector (the server's workers freeze it)")
    ap.add_argument("--json", help="also write the raw results here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.methods = [m for m in args.methods.split(",") if m]
    args.skip = [m for m in args.skip.split(",") if m]
    if args.reuse and args.db in ("sqlite", "both") and not args.child and not args.sqlite_file:
        ap.error("--reuse with SQLite needs --sqlite-file")
    if args.quick:
        if args.n == 100_000:
            args.n = 5000
        args.reps, args.min_reps, args.budget, args.ac_reps, args.per_query_reps = 50, 10, 3.0, 50, 1
        args.timeout = min(args.timeout, 2.0)
    if args.child:
        sys.path.insert(0, str(ROOT))
        res = child(args)
        Path(args.child).write_text(json.dumps(res, ensure_ascii=False))
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = datetime.now()
    results = []
    for db in dbs:
        try:
            results.append(run_db(db, args))
        except subprocess.CalledProcessError as exc:
            print(f"{db}: benchmark failed ({exc})", file=sys.stderr)
            continue
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
        print(report(results[-1:]), file=sys.stderr, flush=True)
    print(f"# search_speed — {started:%Y-%m-%d %H:%M}, n={args.n}, reps≤{args.reps}/cell, budget {args.budget}s/cell, "
          f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average at end "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
