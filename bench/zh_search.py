"""Benchmark: search tokenisation — recall vs a substring scan, index size, speed, and SQLite FTS5 query time.

Run: .venv/bin/python bench/zh_search.py [N_DOCS]

Compares, on seeded generated postings:
  - jieba search-mode words only, vs jieba words + CJK unigrams + bigrams (what tokenize_for_index stores);
  - SQLite FTS5 over those tokens (unicode61 tokenizer on the space-joined tokens) vs FTS5 trigram on raw text.
Recall is measured against `query in text` (substring scan) for single-term queries.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import time

from hongniang.zh._text import CJK_RUN_RE, normalize
from hongniang.zh.segment import fts5_match, matches, tokenize_for_index, tokenize_query
from hongniang.zh.synonyms import expand_query
from hongniang.zh.tests.corpus import JOBS, corpus


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    docs = corpus(n, seed=99)
    norm = [normalize(d) for d in docs]
    tokenize_for_index("预热")
    t0 = time.perf_counter()
    full = [tokenize_for_index(d) for d in docs]
    t1 = time.perf_counter()
    words = [tokenize_for_index(d, ngrams=False) for d in docs]
    print(
        f"docs: {n} (mean {statistics.mean(map(len, docs)):.0f} chars); tokenize_for_index: "
        f"{n / (t1 - t0):.0f} docs/s"
    )
    print(
        f"tokens per doc: jieba words {statistics.mean(map(len, words)):.1f}; "
        f"+ unigrams/bigrams {statistics.mean(map(len, full)):.1f}"
    )
    fs, ws = [set(x) for x in full], [set(x) for x in words]
    rng = random.Random(1)
    chars, bigrams = set(), set()
    for d in norm[:300]:
        for run in CJK_RUN_RE.findall(d):
            chars.update(run)
            bigrams.update(run[i : i + 2] for i in range(len(run) - 1))
    sets = {
        "1 character": rng.sample(sorted(chars), 40),
        "2 characters": rng.sample(sorted(bigrams), 60),
        "job words (2-5 chars)": JOBS
        + ["长白班", "包吃住", "五险一金", "两班倒", "日结", "计件", "电子厂普工"],
    }
    sub = min(n, 5000)
    print(f"\nrecall / precision vs substring scan (first {sub} docs, single-term queries):")
    for label, qs in sets.items():
        tw = tf = found_w = found_f = 0
        for q in qs:
            groups = [[t] for t in tokenize_query(q)]
            truth = {i for i in range(sub) if normalize(q) in norm[i]}
            fw = {i for i in range(sub) if matches(ws[i], groups)}
            ff = {i for i in range(sub) if matches(fs[i], groups)}
            tw += len(truth & fw)
            tf += len(truth & ff)
            found_w += len(fw)
            found_f += len(ff)
        total = sum(sum(1 for i in range(sub) if normalize(q) in norm[i]) for q in qs)
        print(
            f"  {label:22s}: jieba only recall {tw / max(total, 1):.3f}; with n-grams recall "
            f"{tf / max(total, 1):.3f}, precision {tf / max(found_f, 1):.3f}  ({len(qs)} queries, {total} hits)"
        )

    # SQLite FTS5
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(tokens, tokenize='unicode61')")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')")
    db.executemany(
        "INSERT INTO p(rowid, tokens) VALUES (?, ?)", ((i, " ".join(f)) for i, f in enumerate(full))
    )
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", ((i, d) for i, d in enumerate(norm)))
    qs = ["普工", "叉车工", "长白班 包吃住", "保洁", "司机", "电子厂 普工", "日结", "工", "两班倒 五险一金"]
    print(f"\nSQLite FTS5, {n} docs (query: tokens / trigram rows; tokens ms p50):")
    for q in qs:
        groups = expand_query(tokenize_query(q))
        expr = fts5_match(groups)
        lat = []
        for _ in range(20):
            s = time.perf_counter()
            rows = db.execute("SELECT count(*) FROM p WHERE p MATCH ?", (expr,)).fetchone()[0]
            lat.append((time.perf_counter() - s) * 1e3)
        plain = db.execute(
            "SELECT count(*) FROM p WHERE p MATCH ?", (fts5_match([[t] for t in tokenize_query(q)]),)
        ).fetchone()[0]
        tri_expr = " AND ".join('"' + w + '"' for w in q.split())
        try:
            tri = db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (tri_expr,)).fetchone()[0]
        except sqlite3.OperationalError as exc:
            tri = f"error: {exc}"
        truth = sum(1 for d in norm if all(w in d for w in q.split()))
        print(
            f"  {q:12s} substring {truth:6d} | tokens {plain:6d} (+synonyms {rows:6d}) | trigram {tri!s:6} | "
            f"{pct(lat, 50):.2f} ms"
        )


if __name__ == "__main__":
    main()
