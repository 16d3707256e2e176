"""Market simulation: placements and fill rate of the engine (plain top-k, capacity-aware) against
baselines (nearest first, newest first, highest pay first).

Seekers arrive in random order and take the job they like best (hidden utility, see
hongniang.matching.synth.would_take) among their list that still has an opening; jobs fill to headcount.

    .venv/bin/python bench/matching_market.py [--quick] [--top 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from hongniang.matching.synth import Market, simulate  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--seeds", type=int, default=3)
    a = p.parse_args()
    n_jobs, n_seekers = (300, 3000) if a.quick else (1500, 15000)
    print(f"market: {n_jobs} jobs, {n_seekers} seekers, 4 towns (a county), lists of {a.top}, {a.seeds} seeds")
    tot = {}
    for seed in range(a.seeds):
        m = Market(seed=seed, n_towns=4, box=(25.5, 26.2, 115.7, 116.4))
        jobs, people = m.jobs(n_jobs), m.seekers(n_seekers)
        for mode in ("nearest", "newest", "highest_pay", "plain", "capacity"):
            t = time.perf_counter()
            r = simulate(jobs, people, m.today, mode=mode, top=a.top, seed=seed)
            tot.setdefault(mode, []).append(r)
            print(f"  seed {seed} {mode:12s} placed {r['placed']:6d} of {r['seekers']} seekers, fill rate {r['fill_rate']:.1%} "
                  f"of {r['positions']} positions ({time.perf_counter() - t:.1f}s)")
    print("mean over seeds:")
    base = sum(r["placed"] for r in tot["plain"]) / a.seeds
    for mode, rs in tot.items():
        placed = sum(r["placed"] for r in rs) / a.seeds
        fill = sum(r["fill_rate"] for r in rs) / a.seeds
        print(f"  {mode:12s} placed {placed:8.0f}  fill rate {fill:6.1%}  vs plain top-k {placed / base - 1:+.1%}")


if __name__ == "__main__":
    main()
