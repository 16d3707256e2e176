"""``hongniang match``: recommendations (or candidate lists) from CSV files, without a database.

    .venv/bin/hongniang match --jobs JOBS.csv --seekers SEEKERS.csv --top 10 --out RECS.csv
    .venv/bin/hongniang match --jobs JOBS.csv --seekers SEEKERS.csv --top 50 --direction candidates --out CANDS.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import sys
import time

from .config import MatchConfig
from .csvio import parse_job, parse_seeker, read_rows
from .engine import SeekerBatch, _block_matches, _score_block, estimate_prices, rank_candidates
from .index import JobIndex, SeekerIndex

_G: dict = {}


def _work(blocks) -> tuple[str, int, int]:
    index, sb, top, today, cap = _G["index"], _G["sb"], _G["top"], _G["today"], _G["cap"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    n_rows = n_empty = 0
    jobs = index.jobs
    for rows in blocks:
        res = _score_block(index, sb, rows, top, today, cap)
        for r, lst in _block_matches(index, sb, rows, res, today):
            sid = sb.ids[r]
            if not lst:
                n_empty += 1
            for k, (slot, sc, _d, reasons) in enumerate(lst, 1):
                w.writerow((sid, k, jobs[slot].job_id, f"{sc:.2f}", reasons))
                n_rows += 1
    return buf.getvalue(), n_rows, n_empty


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="hongniang match", description="岗位推荐 / job matching on CSV files (see docs/matching.md)")
    p.add_argument("--jobs", required=True, help="jobs CSV (UTF-8, header)")
    p.add_argument("--seekers", required=True, help="seekers CSV (UTF-8, header)")
    p.add_argument("--top", type=int, default=10, help="results per seeker (or per job)")
    p.add_argument("--out", default="-", help="output CSV (default: stdout)")
    p.add_argument("--direction", choices=["recommendations", "candidates"], default="recommendations",
                   help="recommendations: jobs per seeker; candidates: seekers per job")
    p.add_argument("--plain", action="store_true", help="plain top-k (no capacity-aware spreading)")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help="date for age/freshness/months (YYYY-MM-DD)")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="processes for the seeker batch")
    p.add_argument("--quiet", action="store_true", help="no progress figures on stderr")
    a = p.parse_args(argv)
    if a.top < 1:
        p.error("--top must be at least 1")
    today = a.today or dt.date.today()
    t0 = time.perf_counter()
    bad = {"jobs": 0, "seekers": 0}

    def reporter(kind, path):
        def report(line, reason):
            bad[kind] += 1
            print(f"{path}:{line}: 跳过 / skipped: {reason}", file=sys.stderr)
        return report

    def log(msg):
        if not a.quiet:
            print(f"[{time.perf_counter() - t0:7.1f}s] {msg}", file=sys.stderr)

    try:
        cfg = MatchConfig()
        jobs = list(read_rows(a.jobs, parse_job, "job_id", reporter("jobs", a.jobs)))
        out = sys.stdout if a.out == "-" else open(a.out, "w", newline="", encoding="utf-8")
    except OSError as e:
        print(f"错误 / error: {e}", file=sys.stderr)
        return 2
    try:
        w = csv.writer(out, lineterminator="\n")
        if a.direction == "candidates":
            si = SeekerIndex(read_rows(a.seekers, parse_seeker, "seeker_id", reporter("seekers", a.seekers)), config=cfg)
            log(f"{len(jobs)} jobs, {len(si)} seekers read ({bad['jobs']} + {bad['seekers']} bad rows)")
            w.writerow(["job_id", "rank", "seeker_id", "score", "reasons"])
            n = 0
            for job in jobs:
                for k, m in enumerate(rank_candidates(job, si, top=a.top, today=today), 1):
                    w.writerow((m.job_id, k, m.seeker_id, f"{m.score:.2f}", m.reasons))
                    n += 1
            log(f"wrote {n} rows")
            return 0
        index = JobIndex(jobs, config=cfg)
        del jobs
        sb = SeekerBatch(index)
        chunk = []
        for s in read_rows(a.seekers, parse_seeker, "seeker_id", reporter("seekers", a.seekers)):
            chunk.append(s)
            if len(chunk) >= 50_000:
                sb.extend(chunk)
                chunk = []
        if chunk:
            sb.extend(chunk)
        sb.finish()
        log(f"{len(index)} jobs, {len(sb)} seekers read ({bad['jobs']} + {bad['seekers']} bad rows)")
        cap = not a.plain
        if cap and len(sb) and len(index):
            st = estimate_prices(index, sb, today=today, workers=a.workers)
            log(f"capacity prices estimated: {st}")
        w.writerow(["seeker_id", "rank", "job_id", "score", "reasons"])
        blocks = sb.blocks() if len(index) else []
        tasks = [blocks[i : i + 16] for i in range(0, len(blocks), 16)]
        _G.update(index=index, sb=sb, top=a.top, today=today, cap=cap)
        n_rows = n_empty = 0
        if a.workers > 1 and len(tasks) > 1:
            import multiprocessing as mp

            with mp.get_context("fork").Pool(a.workers) as pool:
                for text, nr, ne in pool.imap(_work, tasks):
                    out.write(text)
                    n_rows += nr
                    n_empty += ne
        else:
            for t in tasks:
                text, nr, ne = _work(t)
                out.write(text)
                n_rows += nr
                n_empty += ne
        if not len(index):
            n_empty = len(sb)
        log(f"wrote {n_rows} rows; {n_empty} seekers without any eligible job")
        return 0
    finally:
        if out is not sys.stdout:
            out.close()
        _G.clear()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
