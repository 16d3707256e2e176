"""因人设厂 at prefecture scale: 1,000,000 seekers and every town and village centre of Ganzhou (4,202 sites).

    nice .venv/bin/python bench/siting_scale.py                  # 1M seekers, the CLI end to end + phases
    .venv/bin/python bench/siting_scale.py --seekers 100000      # quicker

Seekers are synthetic and seeded: homes around the Ganzhou village and town centres (towns weigh 5x, 1.5 km
Gaussian jitter, so nearly every home is a distinct point), the occupation / shift / age / commute mix of the
Ruijin demo. Two queries: A = everybody (radius 10 km, day shift, age 18-55), B = sewing and cutting (minor group
6-05-01, radius 15 km). For each: the phases in one process (rules, coverage classes, single-site ranking, greedy
and the exact integer program for K = 5 over all 4,202 candidates and over the 500 best), time and peak memory
(ru_maxrss of the process, and of the CLI child); beside them, the naive single-site ranking (every site against
every eligible person, numpy) on a sample of sites, extrapolated, with its counts checked against the classes.
Prints `uptime` first: the machine is shared.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from hongniang.matching.core import chord_of_km  # noqa: E402
from hongniang.matching.csvio import SEEKER_FIELDS, read_seeker_records  # noqa: E402
from hongniang.sitelib import (  # noqa: E402
    Query,
    Site,
    build_coverage,
    build_population,
    exact_cover,
    greedy_cover,
    rank_single,
)
from hongniang.sitelib.model import unit_vectors  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SITES = os.path.join(HERE, "..", "hongniang", "data", "ganzhou_sites.csv")
TODAY = dt.date(2026, 3, 10)
OCCUPATIONS = ["6-05-01-03", "6-05-01-02", "6-25-04-01", "6-28-01-01", "4-09-08-01", "4-03-02-01", "6-18-01-01",
               "4-02-01-01", "6-29-01-05", "5-01-02-01", "4-01-02-01", "6-31-01-03", "4-07-06-01", "6-09-03-01"]
OCC_W = np.array([10, 4, 12, 8, 8, 6, 5, 6, 6, 5, 4, 3, 3, 3], dtype=float)
SHIFTS = ["day", "two_shift", "three_shift", "flexible", "part_time", "home_piecework"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_sites() -> list[Site]:
    with open(SITES, encoding="utf-8") as fh:
        return [Site(site_id=r["site_id"], name=r["name"], lat=float(r["lat"]), lon=float(r["lon"]))
                for r in csv.DictReader(fh)]


def write_seekers(path: str, n: int, sites: list[Site], seed: int) -> None:
    rng = np.random.default_rng(seed)
    lat0 = np.array([s.lat for s in sites])
    lon0 = np.array([s.lon for s in sites])
    w = np.array([5.0 if s.site_id.endswith("000") else 1.0 for s in sites])
    home = rng.choice(len(sites), size=n, p=w / w.sum())
    lat = lat0[home] + rng.normal(0, 1.5 / 111.2, n)
    lon = lon0[home] + rng.normal(0, 1.5 / 100.0, n)
    by = rng.integers(1961, 2007, n)
    k = rng.choice([1, 2, 3], size=n, p=[0.4, 0.35, 0.25])
    occ = rng.choice(len(OCCUPATIONS), size=(n, 3), p=OCC_W / OCC_W.sum())
    commute = rng.choice([3, 5, 10, 15, 20, 30, 50], size=n, p=[0.05, 0.15, 0.25, 0.2, 0.15, 0.1, 0.1])
    reloc = rng.random(n) < 0.12
    seasonal = rng.random(n) < 0.3
    extra = rng.random((n, 5)) < np.array([0.5, 0.15, 0.3, 0.2, 0.1])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(SEEKER_FIELDS) + "\n")
        for i in range(n):
            occs = ";".join(dict.fromkeys(OCCUPATIONS[o] for o in occ[i, : k[i]]))
            sh = ";".join(["day"] + [SHIFTS[j + 1] for j in range(5) if extra[i, j]])
            months = "4;5;9;10" if seasonal[i] else ""
            fh.write(f"s{i},{lat[i]:.6f},{lon[i]:.6f},{by[i]},{occs},,,{sh},{commute[i]},{int(reloc[i])},{months}\n")


def naive_counts(pop, sites: list[Site], sample: np.ndarray) -> tuple[np.ndarray, float]:
    """Every sampled site against every eligible person: the plain way."""
    t = time.perf_counter()
    u = unit_vectors(pop.lat, pop.lon)
    lim = chord_of_km(pop.reach_km)
    anywhere = np.isinf(pop.reach_km)
    out = np.zeros(len(sample), dtype=np.int64)
    for n, j in enumerate(sample):
        s = unit_vectors([sites[j].lat], [sites[j].lon])[0]
        d = np.sqrt(((u - s) ** 2).sum(axis=1))
        out[n] = int((anywhere | (d <= lim * (1 + 1e-12))).sum())
    return out, time.perf_counter() - t


def run_query(label: str, query: Query, seekers_csv: str, sites: list[Site], k: int, time_limit: float,
              naive_sample: int) -> None:
    print(f"\n== query {label}: radius {query.radius_km:g} km, occupations {query.occupations or 'any'}, "
          f"shift {query.shift or 'any'}, age {query.age_min}-{query.age_max}")
    t0 = time.perf_counter()
    pop = build_population(read_seeker_records(seekers_csv, lambda line, reason: None), query)
    t1 = time.perf_counter()
    print(f"read + rules: {t1 - t0:6.1f} s  {pop.n_read} read, {len(pop)} eligible "
          f"(excluded {pop.excluded})  peak {peak_mb():.0f} MB")
    cov = build_coverage(pop, sites)
    t2 = time.perf_counter()
    print(f"coverage classes: {t2 - t1:6.1f} s  {cov.n_classes} classes, "
          f"{len(cov.site_classes)} (class, site) pairs  peak {peak_mb():.0f} MB")
    order = rank_single(cov)
    t3 = time.perf_counter()
    best = order[0]
    print(f"single-site ranking: {t3 - t2:6.3f} s after the classes (build + rank {t3 - t1:.1f} s); best "
          f"{sites[best].name} {cov.site_people[best]} people")
    rng = np.random.default_rng(7)
    sample = np.r_[order[:5], rng.choice(len(sites), size=max(0, naive_sample - 5), replace=False)]
    counts, secs = naive_counts(pop, sites, sample)
    assert (counts == cov.site_people[sample]).all(), "naive counts differ from the coverage classes"
    print(f"naive ranking (every site x every person): {secs:.1f} s for {len(sample)} sites -> "
          f"~{secs / len(sample) * len(sites):.0f} s for all {len(sites)} (counts equal: yes)")
    g = greedy_cover(cov, k)
    t4 = time.perf_counter()
    print(f"greedy K={k}: {t4 - t3:6.2f} s  {g.covered_total:.0f} people  peak {peak_mb():.0f} MB")
    e = exact_cover(cov, k, time_limit=time_limit, greedy=g)
    t5 = time.perf_counter()
    gap = f", bound {e.bound:.0f}" if e.bound is not None else ""
    print(f"exact  K={k}: {t5 - t4:6.2f} s  {e.covered_total:.0f} people, proven optimal: {e.optimal}{gap} "
          f"(greedy {e.covered_total - g.covered_total:+.0f}; {e.note or 'HiGHS'})  peak {peak_mb():.0f} MB")
    top = [sites[j] for j in order[:500]]
    cov500 = build_coverage(pop, top)
    t6 = time.perf_counter()
    g5 = greedy_cover(cov500, k)
    e5 = exact_cover(cov500, k, time_limit=time_limit, greedy=g5)
    t7 = time.perf_counter()
    print(f"500 best candidates: classes {t6 - t5:.1f} s ({cov500.n_classes}); greedy {g5.seconds:.2f} s "
          f"{g5.covered_total:.0f}; exact {t7 - t6 - g5.seconds:.2f} s {e5.covered_total:.0f} proven optimal: "
          f"{e5.optimal} (bound {e5.bound}; {e5.note or 'HiGHS'})  peak {peak_mb():.0f} MB")
    print(f"   reduction: {e5.reduction}")


def run_cli(seekers_csv: str, k: int, args: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.csv")
        cand = os.path.join(tmp, "sites.csv")
        with open(SITES, encoding="utf-8") as src, open(cand, "w", encoding="utf-8") as dst:
            for line in src:
                dst.write(",".join(line.split(",")[:4]) + "\n")
        cmd = [os.path.join(os.path.dirname(sys.executable), "hongniang"), "site", "--seekers", seekers_csv,
               "--candidates", cand, "--need", "500", "--today", TODAY.isoformat(), "--out", out, *args]
        if k > 1:
            cmd += ["--sites", str(k)]
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        secs = time.perf_counter() - t
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = sum(1 for _ in open(out, encoding="utf-8")) - 1 if p.returncode == 0 else 0
        print(f"CLI {'K=' + str(k) if k > 1 else 'ranking'} {' '.join(args)}: exit {p.returncode}, {secs:.1f} s, "
              f"{rows} rows, peak of children so far {child:.0f} MB")
        for line in p.stderr.strip().splitlines()[-4:]:
            print("   ", line)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seekers", type=int, default=1_000_000)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--naive-sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--no-cli", action="store_true")
    a = ap.parse_args()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    sites = read_sites()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "seekers.csv")
        t = time.perf_counter()
        write_seekers(path, a.seekers, sites, a.seed)
        print(f"{a.seekers} synthetic seekers written in {time.perf_counter() - t:.1f} s "
              f"({os.path.getsize(path) / 1e6:.0f} MB); {len(sites)} candidate sites")
        queries = [("A", Query(radius_km=10, shift="day", age_min=18, age_max=55, today=TODAY)),
                   ("B", Query(radius_km=15, occupations=("6-05-01-03",), today=TODAY))]
        if not a.no_cli:
            run_cli(path, 1, ["--radius", "10", "--shift", "day", "--age-min", "18", "--age-max", "55"])
            run_cli(path, a.k, ["--radius", "10", "--shift", "day", "--age-min", "18", "--age-max", "55",
                                "--time-limit", str(a.time_limit)])
        for label, q in queries:
            run_query(label, q, path, sites, a.k, a.time_limit, a.naive_sample)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
