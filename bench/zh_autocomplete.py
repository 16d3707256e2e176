"""Benchmark: Autocompleter.suggest on a 100k-entry vocabulary vs a naive linear scan.

Run: .venv/bin/python bench/zh_autocomplete.py [N]

Vocabulary: seeded realistic titles / enterprise names (place + job word + suffix), weights ~ open postings.
Queries: what people type while typing — Chinese prefixes (1-4 chars), full pinyin prefixes, initials.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time

from hongniang.zh.autocomplete import Autocompleter
from hongniang.zh.pinyin import PinyinMatcher, pinyin_keys
from hongniang.zh.tests.corpus import JOBS, PLACES, TOWNS

PREFIX = [
    "瑞金",
    "赣州",
    "红都",
    "绿源",
    "华宇",
    "金龙",
    "鑫达",
    "宏发",
    "恒通",
    "兴旺",
    "长胜",
    "福瑞",
    "宝利",
    "众鑫",
    "天成",
]
SUFFIX = ["有限公司", "招聘", "急招", "长白班", "包吃住", "日结", "计件", "", "", ""]


def vocabulary(n: int, seed: int = 1) -> dict[str, float]:
    rng = random.Random(seed)
    vocab: dict[str, float] = {}
    while len(vocab) < n:
        parts = [
            rng.choice(PREFIX + TOWNS),
            rng.choice(PLACES) if rng.random() < 0.5 else "",
            rng.choice(JOBS),
            rng.choice(SUFFIX),
        ]
        term = "".join(parts) + (str(rng.randint(1, 999)) if rng.random() < 0.5 else "")
        vocab[term] = rng.paretovariate(1.2)
    return vocab


def queries(vocab: dict[str, float], k: int, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    terms = list(vocab)
    out = []
    for _ in range(k):
        t = rng.choice(terms)
        full, init = pinyin_keys(t)
        r = rng.random()
        if r < 0.4:
            out.append(t[: rng.randint(1, 4)])
        elif r < 0.7:
            out.append(full[: rng.randint(1, 10)])
        else:
            out.append(init[: rng.randint(1, 4)])
    return out


def naive_suggest(items, prefix: str, limit: int = 10) -> list[str]:
    hits = [
        (w, t)
        for t, w, full, init in items
        if t.startswith(prefix) or full.startswith(prefix) or init.startswith(prefix)
    ]
    hits.sort(key=lambda x: (-x[0], len(x[1]), x[1]))
    return [t for _, t in hits[:limit]]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    vocab = vocabulary(n)
    t0 = time.perf_counter()
    keys = {t: pinyin_keys(t) for t in vocab}
    t1 = time.perf_counter()
    ac = Autocompleter(vocab, keys=keys)
    t2 = time.perf_counter()
    print(
        f"vocabulary: {len(vocab)} terms; pinyin keys for all terms: {t1 - t0:.2f} s; "
        f"build Autocompleter from keys: {t2 - t1:.2f} s"
    )
    gc.collect()
    gc.freeze()  # long-lived index: keep it out of the GC's way, as a server process would after start-up
    print(
        f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock tails grow with load)"
    )
    qs = queries(vocab, 2000)
    lat, cpu = [], []
    for q in qs:
        c = time.thread_time()
        t = time.perf_counter()
        ac.suggest(q)
        lat.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.thread_time() - c) * 1e3)
    items = [(t, w, *pinyin_keys(t)) for t, w in vocab.items()]
    nlat = []
    mismatches = 0
    for q in qs[:200]:
        t = time.perf_counter()
        expect = naive_suggest(items, q)
        nlat.append((time.perf_counter() - t) * 1e3)
        if ac.suggest(q) != expect:
            mismatches += 1
    print(
        f"suggest (wall): p50 {pct(lat, 50):.3f} ms, p99 {pct(lat, 99):.3f} ms, max {max(lat):.3f} ms over {len(qs)} queries"
    )
    print(f"suggest (CPU) : p50 {pct(cpu, 50):.3f} ms, p99 {pct(cpu, 99):.3f} ms, max {max(cpu):.3f} ms")
    print(f"naive scan    : p50 {pct(nlat, 50):.2f} ms, p99 {pct(nlat, 99):.2f} ms over 200 queries")
    print(
        f"speed-up at p50: {pct(nlat, 50) / pct(lat, 50):.0f}x; results differing from the naive scan: {mismatches}/200 "
        "(ties in weight may order differently)"
    )
    print(
        f"target p99 <= 5 ms: wall {'met' if pct(lat, 99) <= 5 else 'NOT met'}, CPU {'met' if pct(cpu, 99) <= 5 else 'NOT met'}"
    )
    # infix (word-boundary) matching for Chinese input
    t0 = time.perf_counter()
    aci = Autocompleter(vocab, keys=keys, infix=True)
    print(f"Autocompleter(infix=True) build: {time.perf_counter() - t0:.2f} s")
    zq = [q for q in qs if not q.isascii()] + [j for j in JOBS]
    il = []
    for q in zq:
        c = time.thread_time()
        aci.suggest(q)
        il.append((time.thread_time() - c) * 1e3)
    print(
        f"suggest with infix, Chinese input (CPU): p50 {pct(il, 50):.3f} ms, p99 {pct(il, 99):.3f} ms over {len(zq)} queries"
    )
    # pinyin matcher (fuzzy) on the same vocabulary, for reference
    t0 = time.perf_counter()
    pm = PinyinMatcher(vocab, weights=vocab)
    print(f"PinyinMatcher build: {time.perf_counter() - t0:.2f} s")
    rng = random.Random(3)
    fl = []
    for q in qs[:300]:
        if not q.isascii():
            continue
        if len(q) > 4 and rng.random() < 0.5:  # a typo: drop one letter
            i = rng.randrange(len(q))
            q = q[:i] + q[i + 1 :]
        t = time.thread_time()
        pm.lookup(q)
        fl.append((time.thread_time() - t) * 1e3)
    print(
        f"PinyinMatcher.lookup (with near misses, CPU): p50 {pct(fl, 50):.2f} ms, p99 {pct(fl, 99):.2f} ms over {len(fl)} queries"
    )
    print(f"mean query latency, suggest: {statistics.mean(lat):.3f} ms")


if __name__ == "__main__":
    main()
