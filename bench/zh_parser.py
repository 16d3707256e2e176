"""Benchmark: posting parser throughput (ads per second) vs a naive baseline, on seeded generated ads.

Run: .venv/bin/python bench/zh_parser.py [N]

The naive baseline is the approach people reach for first: segment the ad with jieba, look every token up in
the same keyword tables (job words, places, benefits, shifts) and take the first number after a pay word with one
regex. It extracts fewer fields and gets ranges/Chinese numerals wrong; it is here to put the throughput in context.
"""

from __future__ import annotations

import re
import statistics
import sys
import time

from hongniang.zh.posting import _default_places, _occupation_keywords, parse_posting
from hongniang.zh.segment import get_tokenizer
from hongniang.zh.tests.corpus import corpus


def naive_parse(text: str) -> dict:
    tk = get_tokenizer()
    words = tk.lcut(text)
    jobs = {k: c for k, c, _, _ in _occupation_keywords()}
    places = {p: town for p, town, _, _ in _default_places()}
    out: dict = {"title": None, "occupation_code": None, "township": None, "benefits": [], "shift": None}
    for w in words:
        if out["title"] is None and w in jobs:
            out["title"], out["occupation_code"] = w, jobs[w]
        if out["township"] is None and w in places:
            out["township"] = places[w]
        if w in ("包吃住", "包吃", "包住", "班车", "五险一金", "社保"):
            out["benefits"].append(w)
        if w in ("长白班", "两班倒", "三班倒", "兼职"):
            out["shift"] = w
    m = re.search(r"(?:月薪|工资|时薪|日结|月入)\D{0,3}(\d+)", text)
    out["pay_min"] = int(m.group(1)) if m else None
    m = re.search(r"1[3-9]\d{9}", text)
    out["phone"] = m.group() if m else None
    return out


def rate(fn, ads, repeat=3) -> float:
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a in ads:
            fn(a)
        best.append(len(ads) / (time.perf_counter() - t0))
    return max(best), statistics.median(best)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    ads = corpus(n, seed=2024)
    t0 = time.perf_counter()
    parse_posting(ads[0])  # load tables
    get_tokenizer()  # jieba load (for the baseline), not timed below
    print(f"warm-up (tables + jieba dictionary): {time.perf_counter() - t0:.2f} s")
    print(f"ads: {n} generated (seed 2024), mean length {statistics.mean(map(len, ads)):.0f} characters")
    best, med = rate(parse_posting, ads)
    nbest, nmed = rate(naive_parse, ads)
    print(f"parse_posting  : {best:8.0f} ads/s (best of 3; median {med:.0f}); {1e3 / best:.3f} ms per ad")
    print(f"naive baseline : {nbest:8.0f} ads/s (best of 3; median {nmed:.0f}); {1e3 / nbest:.3f} ms per ad")
    print(
        f"ratio parse_posting / naive: {best / nbest:.2f}x  (target >= 500 ads/s: {'met' if best >= 500 else 'NOT met'})"
    )
    # what the extra time buys: field accuracy on the hand-labelled test ads (fields both parsers produce)
    from hongniang.zh.tests.ads_data import ADS

    fields = ["title", "township", "phone", "pay_min"]
    for name, fn in (
        ("parse_posting", lambda x: parse_posting(x).to_dict()),
        ("naive baseline", naive_parse),
    ):
        ok = total = 0
        for ad in ADS:
            got = fn(ad["text"])
            for f in fields:
                if f in ad["expect"]:
                    total += 1
                    ok += got.get(f) == ad["expect"][f]
        print(f"{name:15s}: {ok}/{total} labelled fields right ({', '.join(fields)}) on {len(ADS)} test ads")


if __name__ == "__main__":
    main()
