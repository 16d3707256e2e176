"""``hongniang match``: recommendations (or candidate lists) from CSV files, without a database.

    .venv/bin/hongniang match --jobs JOBS.csv --seekers SEEKERS.csv --top 10 --out RECS.csv
    .venv/bin/hongniang match --jobs JOBS.csv --seekers SEEKERS.csv --top 50 --direction candidates --out CANDS.csv
    .venv/bin/hongniang match --jobs JOBS.csv --seekers SEEKERS.csv --calibration WEIGHTS.json --out RECS.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import json
import math
import os
import shutil
import stat
import sys
import time

import numpy as np

from .blocks import SeekerBatch, _score_block
from .candidates import rank_candidates
from .config import MatchConfig
from .csvio import parse_job, parse_seeker, read_rows, read_seeker_records
from .index import JobIndex, SeekerIndex
from .learn import EMPLOYER_PARTS, SEEKER_PARTS, calibrated_config
from .prices import estimate_prices, soft_scores
from .reasons import _block_texts
from .reference import chord_to_km

_G: dict = {}
_CSV_SPECIAL = frozenset(',"\r\n')


def csv_field(v) -> str:
    """One CSV field as csv.writer writes it (QUOTE_MINIMAL)."""
    t = str(v)
    if _CSV_SPECIAL.isdisjoint(t):
        return t
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([t])
    return buf.getvalue()[:-1]


def _lines(index, sb, blocks, top, today, cap) -> tuple[list[str], int, int]:
    """Output lines of ``blocks`` (reason texts never contain CSV special characters; ids are quoted as needed)."""
    out: list[str] = []
    n_rows = n_empty = 0
    jid = _G.get("jid")
    if jid is None or len(jid) != len(index.jobs):
        jid = _G["jid"] = [None if j is None else csv_field(j.job_id) for j in index.jobs]
    ids = sb.ids
    for rows in blocks:
        res = _score_block(index, sb, rows, top, today, cap)
        ptr, slots, score, chord = res[:4]
        texts = _block_texts(index, sb, rows, res, today, chord_to_km(chord))
        has = np.repeat(sb.has_occupations()[sb.cols["profile"][rows]], np.diff(ptr))
        sl, sc = slots.tolist(), soft_scores(index, slots, score, res[5], has, cap).tolist()
        ptrl = ptr.tolist()
        for b, r in enumerate(rows.tolist()):
            lo, hi = ptrl[b], ptrl[b + 1]
            if hi == lo:
                n_empty += 1
                continue
            sid = csv_field(ids[r])
            out += [f"{sid},{k},{jid[sl[j]]},{sc[j]:.2f},{texts[j]}\n" for k, j in enumerate(range(lo, hi), 1)]
        n_rows += len(sl)
    return out, n_rows, n_empty


def _append(path: str, dst) -> None:
    """Append a part file to the (binary) output: in the kernel when the output is a regular file
    (os.copy_file_range), else by copying."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        try:
            regular = hasattr(os, "copy_file_range") and stat.S_ISREG(os.fstat(dst.fileno()).st_mode)
        except (OSError, ValueError):
            regular = False
        if regular:
            dst.flush()
            left = size
            try:
                while left > 0:
                    n = os.copy_file_range(f.fileno(), dst.fileno(), left)
                    if n <= 0:
                        break
                    left -= n
            except OSError:
                pass
            if left == 0:
                return
            f.seek(size - left)
        shutil.copyfileobj(f, dst, 1 << 20)


def _work(task) -> tuple[str | None, int, int]:
    """One task of blocks in a worker: its lines go to a part file next to the output (or back as text)."""
    i, blocks = task
    index, sb, top, today, cap = _G["index"], _G["sb"], _G["top"], _G["today"], _G["cap"]
    lines, n_rows, n_empty = _lines(index, sb, blocks, top, today, cap)
    part = _G.get("parts")
    if part is None:
        return "".join(lines), n_rows, n_empty
    path = f"{part}.{i:05d}"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(lines))
    return path, n_rows, n_empty


def _malloc_tuning() -> None:
    """glibc only: keep freed memory for reuse (large numpy temporaries of the block kernel are otherwise mapped
    and unmapped each time, which page-faults in the kernel: half the batch's system time)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: the largest allowed; bigger blocks still use mmap
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD
        libc.mallopt(-2, 16 << 20)  # M_TOP_PAD
    except (OSError, AttributeError):
        pass


def read_calibration(path: str) -> dict:
    """A county's calibration of the soft score's weights from a JSON file: the object the platform stores
    (``MatchCalibration.weights``, e.g. ``{"w_occupation": 0.28, "w_distance": 0.34, ...}``) or one with those
    weights under ``"weights"`` (``learn.Calibration.as_dict()``). Weights not given keep their hand-set values.
    Raises ValueError (with the reason) for anything else: not JSON, an unknown weight, a negative or non-number
    value, no weight at all, or a side whose weights are all zero."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text ({e})") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not valid JSON ({e})") from None
    if isinstance(data, dict) and "weights" in data:
        data = data["weights"]
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the calibration must be a JSON object of weights")
    known = SEEKER_PARTS + EMPLOYER_PARTS
    unknown = sorted(k for k in data if k not in known)
    if unknown:
        raise ValueError(f"{path}: unknown weight(s) {', '.join(map(repr, unknown))} (known: {', '.join(known)})")
    if not data:
        raise ValueError(f"{path}: no weights")
    for k, v in data.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise ValueError(f"{path}: weight {k!r} must be a number >= 0, not {v!r}")
    cfg = calibrated_config(MatchConfig(), data)
    for side, names in (("person's", SEEKER_PARTS), ("employer's", EMPLOYER_PARTS)):
        if sum(getattr(cfg, n) for n in names) <= 0:
            raise ValueError(f"{path}: the {side} side's weights are all zero")
    return {k: float(v) for k, v in data.items()}


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
    p.add_argument("--calibration", default=None, metavar="FILE.json",
                   help="the soft score's weights fitted from outcomes (JSON, as fit_matching stores them); default: hand-set")
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

    cfg = MatchConfig()
    if a.calibration:
        try:
            cfg = calibrated_config(cfg, read_calibration(a.calibration))
        except (OSError, ValueError) as e:
            print(f"错误 / error: --calibration {e}", file=sys.stderr)
            return 2
        log(f"calibrated weights from {a.calibration}")
    try:
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
        _malloc_tuning()
        index = JobIndex(jobs, config=cfg)
        del jobs
        sb = SeekerBatch(index)
        chunk = []
        for s in read_seeker_records(a.seekers, reporter("seekers", a.seekers)):
            chunk.append(s)
            if len(chunk) >= 50_000:
                sb.extend(chunk)
                chunk = []
        if chunk:
            sb.extend(chunk)
        sb.finish()
        log(f"{len(index)} jobs, {len(sb)} seekers read ({bad['jobs']} + {bad['seekers']} bad rows)")
        # the index and the seekers live until the end: keep the garbage collector from traversing them (and,
        # in the forked workers, from touching their pages)
        gc.collect()
        gc.freeze()
        cap = not a.plain
        if cap and len(sb) and len(index):
            st = estimate_prices(index, sb, today=today, workers=a.workers)
            log(f"capacity prices estimated: {st}")
        w.writerow(["seeker_id", "rank", "job_id", "score", "reasons"])
        blocks = sb.blocks() if len(index) else []
        # tasks of about 16k seekers; with workers, each task's lines go to a part file next to the output
        # (appended in order by this process), so the text never crosses a pipe
        tasks, cur, size = [], [], 0
        for b in blocks:
            cur.append(b)
            size += len(b)
            if size >= 16_000:
                tasks.append(cur)
                cur, size = [], 0
        if cur:
            tasks.append(cur)
        _G.update(index=index, sb=sb, top=a.top, today=today, cap=cap)
        n_rows = n_empty = 0
        if a.workers > 1 and len(tasks) > 1:
            import multiprocessing as mp
            import tempfile

            tmpdir = tempfile.mkdtemp(prefix=".match-", dir=os.path.dirname(os.path.abspath(a.out)) if a.out != "-" else None)
            _G["parts"] = os.path.join(tmpdir, "part")
            out.flush()
            dst = out.buffer
            try:
                with mp.get_context("fork").Pool(a.workers) as pool:
                    for path, nr, ne in pool.imap(_work, enumerate(tasks)):
                        _append(path, dst)
                        os.unlink(path)
                        n_rows += nr
                        n_empty += ne
                dst.flush()
            finally:
                shutil.rmtree(tmpdir, ignore_errors=True)
        else:
            for t in tasks:
                lines, nr, ne = _lines(index, sb, t, a.top, today, cap)
                out.write("".join(lines))
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
