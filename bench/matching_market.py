"""Placements of the batch command's lists on a simulated two-sided market (bench/matching_sim.py), against
baselines, over seeds, market shapes and behaviours.

    .venv/bin/python bench/matching_market.py                       # balanced market, base behaviour, 3 seeds
    .venv/bin/python bench/matching_market.py --shapes all --behaviours all --seeds 3 --scale 0.5
    .venv/bin/python bench/matching_market.py --quick               # 1/4 size, 2 seeds
    .venv/bin/python bench/matching_market.py --quick --calibrated  # + the default mode with a fitted calibration
    .venv/bin/python bench/matching_market.py --quick --calibrated --prior-examples 8000,0  # + calibrated@0: unshrunk
    .venv/bin/python bench/matching_market.py --quick --calibrated --corrections exposure,none  # + calibrated:none (pooled fit)
    .venv/bin/python bench/matching_market.py --quick --calibrated --history-views shown  # history recorded as the platform does

Methods: the batch command (``hongniang match``, default mode and ``--plain``) on CSV files of the market, and
baselines computed here from the jobs that pass the hard rules: nearest, newest, highest pay, random among the
jobs of an occupation the person named or its minor group, and a greedy that goes through people in a random
order and divides each job's plain score by 1 + (times already recommended / headcount). The hard rules of every
list are checked (``violations``).

The ``ceiling`` row is the most placements any lists could give in that market: a maximum flow from people to
positions over the pairs that pass the hard rules and that both sides would accept (their hidden tastes known);
``ceiling_close`` the same over close work only (the occupation named or its minor group, or anything for a
person who named none): lists that put far work last (docs/matching.md, occupation fit) are bounded by about that.
Where the best baseline already reaches most of it, no method can beat that baseline by much.

``--calibrated`` adds the method ``calibrated``: the batch command's default mode with ``--calibration``, the
weights fitted (hongniang.matching.learn) on six months of simulated platform history (bench/matching_replay.py)
of another market of the same shape and behaviour (seed + 100: last year's people, none of the evaluated market's
hidden tastes).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
from matching_replay import VIEWS as HISTORY_VIEWS  # noqa: E402
from matching_replay import last_year_calibration  # noqa: E402
from matching_sim import (  # noqa: E402
    BEHAVIOURS,
    SHAPES,
    TODAY,
    Market,
    ceiling,
    far_share,
    make_market,
    read_lists,
    simulate,
    write_csv,
)

from hongniang.matching import JobIndex, MatchConfig, violations  # noqa: E402
from hongniang.matching.blocks import SeekerBatch, _score_block  # noqa: E402
from hongniang.matching.cli import main as match_main  # noqa: E402
from hongniang.matching.learn import CORRECTION, CORRECTIONS, PRIOR_EXAMPLES  # noqa: E402

BASELINES = ("nearest", "newest", "highest_pay", "random_occupation", "greedy")


def baseline_lists(m: Market, top: int = 10, seed: int = 0) -> dict[str, dict]:
    """Every baseline's lists (seeker_id -> [job_id]) from the jobs that pass the hard rules."""
    idx = JobIndex(m.jobs)
    sb = SeekerBatch(idx)
    sb.extend(m.seekers)
    sb.finish()
    st = idx.store.cols
    rng = np.random.default_rng(seed + 99)
    out = {k: {} for k in BASELINES}
    cand = {}  # greedy: each person's best 50 by the plain score
    feasible_rows, feasible_slots = [], []  # every pair that passes the hard rules (for the ceiling)
    jid = [j.job_id if j is not None else None for j in idx.jobs]
    lv = idx.enc.occ_levels  # job occupation rows -> prefix ids
    for rows in sb.blocks():
        ptr, slots, score, chord, _far, _e = _score_block(idx, sb, rows, 10**6, TODAY, False)
        for b, r in enumerate(rows.tolist()):
            s = m.seekers[r]
            sl = slots[ptr[b]: ptr[b + 1]]
            if not sl.size:
                continue
            feasible_rows.append(np.full(sl.size, r))
            feasible_slots.append(sl)
            ch = np.nan_to_num(chord[ptr[b]: ptr[b + 1]], nan=9.0)
            sc = score[ptr[b]: ptr[b + 1]]
            noise = rng.random(sl.size)
            out["nearest"][s.seeker_id] = [jid[x] for x in sl[np.lexsort((noise, ch))][:top]]
            out["newest"][s.seeker_id] = [jid[x] for x in sl[np.lexsort((noise, -st["posted"][sl]))][:top]]
            out["highest_pay"][s.seeker_id] = [jid[x] for x in sl[np.lexsort((noise, -np.nan_to_num(st["wage_mid"][sl], nan=0)))][:top]]
            if s.occupations:
                minors = {idx.enc.prefix.get(c.rsplit("-", 1)[0], -9) for c in s.occupations}
                occ = st["occ"][sl]
                ok = np.isin(np.where(occ >= 0, lv[np.maximum(occ, 0), 2], -7), list(minors))
                pool = sl[ok]
            else:
                pool = sl
            out["random_occupation"][s.seeker_id] = [jid[x] for x in rng.permutation(pool)[:top]]
            o = np.argsort(-sc, kind="stable")[:50]
            cand[s.seeker_id] = (sl[o], sc[o])
    # greedy: people in a random order; a job's plain score divided by 1 + recommended so far / headcount
    count = np.zeros(idx.store.n)
    head = np.maximum(1, st["headcount"][: idx.store.n]).astype(float)
    for i in rng.permutation(len(m.seekers)).tolist():
        sid = m.seekers[i].seeker_id
        if sid not in cand:
            continue
        sl, sc = cand[sid]
        adj = sc / (1.0 + count[sl] / head[sl])
        pick = sl[np.argsort(-adj, kind="stable")[:top]]
        count[pick] += 1
        out["greedy"][sid] = [jid[x] for x in pick]
    fr = np.concatenate(feasible_rows) if feasible_rows else np.zeros(0, np.int64)
    fs = np.concatenate(feasible_slots) if feasible_slots else np.zeros(0, np.int64)
    out["_feasible"] = (fr, [idx.jobs[x] for x in fs.tolist()])
    return out


def engine_lists(m: Market, top: int, plain: bool, folder: str, weights: dict | None = None) -> tuple[dict, float]:
    """The batch command's lists (``weights``: a calibration, passed as a JSON file to ``--calibration``)."""
    jp, sp = os.path.join(folder, "jobs.csv"), os.path.join(folder, "seekers.csv")
    if not os.path.exists(jp):
        write_csv(m, folder)
    out = os.path.join(folder, "plain.csv" if plain else "default.csv" if weights is None else "calibrated.csv")
    args = ["--jobs", jp, "--seekers", sp, "--top", str(top), "--out", out, "--today", TODAY.isoformat(), "--quiet", "--workers", "1"]
    if weights is not None:
        cp = os.path.join(folder, "calibration.json")
        with open(cp, "w", encoding="utf-8") as f:
            json.dump(weights, f)
        args += ["--calibration", cp]
    t = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        rc = match_main(args + (["--plain"] if plain else []))
    assert rc == 0
    return read_lists(out), time.perf_counter() - t


def check_rules(m: Market, lists: dict) -> int:
    jobs = {j.job_id: j for j in m.jobs}
    bad = 0
    for s in m.seekers:
        for jid in lists.get(s.seeker_id, []):
            if violations(s, jobs[jid], today=TODAY):
                bad += 1
    return bad


REFRESH_BASELINES = ("random_occupation", "greedy")


def open_market(m: Market, rows: np.ndarray, left: dict, keep_headcount: bool = False) -> Market:
    """The market as the platform sees it at the start of a round: these people, the jobs with a position still
    open, each with its open positions (``keep_headcount``: the posting's original headcount, as an index that
    only drops filled postings would have)."""
    jobs = [j if keep_headcount else dataclasses.replace(j, headcount=left[j.job_id]) for j in m.jobs if left[j.job_id] > 0]
    return dataclasses.replace(m, jobs=jobs, seekers=[m.seekers[i] for i in rows.tolist()])


def run_refreshed(m: Market, b, seed: int, top: int, methods: list[str], refresh: str, calibration=None,
                  original_headcount: bool = False) -> dict:
    """Every method's lists re-made at the start of each arrival round from the jobs with a position still open,
    for the people ``refresh`` names (see --refresh); ``original_headcount``: each job keeps its posted headcount
    instead of its open positions."""
    res = {}
    for name in list(REFRESH_BASELINES) + methods:
        lists: dict = {}

        def make(rnd, rows, left, placed, name=name):
            if refresh == "ahead":  # everyone yet to browse: this round's people and the later arrivals
                rows = np.flatnonzero(m.arrival >= rnd)
            elif refresh == "active":  # the platform's registered people not yet hired (earlier and this round's)
                rows = np.flatnonzero((m.arrival <= rnd) & ~placed)
            elif refresh == "active-all":  # ... hired or not
                rows = np.flatnonzero(m.arrival <= rnd)
            sub = open_market(m, rows, left, keep_headcount=original_headcount)
            if refresh == "forecast":  # this round's people stand for every round still to come: copies of them
                extra = [dataclasses.replace(s, seeker_id=f"{s.seeker_id}#{k}") for k in range(1, b.rounds - rnd)
                         for s in sub.seekers]
                sub = dataclasses.replace(sub, seekers=sub.seekers + extra)
            if name in BASELINES:
                return baseline_lists(sub, top, seed * 10 + rnd)[name]
            with tempfile.TemporaryDirectory() as d:
                w = calibration.weights if name == "calibrated" else None
                return engine_lists(sub, top, name == "plain", d, w)[0]

        r = simulate(m, lists, b, refresh=make)
        r["far_share"] = far_share(m, lists)
        r["violations"] = check_rules(m, lists) if name in ("default", "plain", "calibrated") else None
        res[name] = r
    return res


def run(shape: str, behaviour: str, seed: int, scale: float, top: int, methods: list[str], extra=None,
        with_ceiling: bool = True, refresh: str | None = None, original_headcount: bool = False) -> dict:
    b = BEHAVIOURS[behaviour]
    m = make_market(SHAPES[shape], seed, scale, b)
    if refresh:
        res = {}
        if with_ceiling:
            fr, fj = baseline_lists(m, top, seed)["_feasible"]
            full, close = ceiling(m, b, fr, fj)
            res["ceiling"], res["ceiling_close"] = {"placed": full}, {"placed": close}
        cal = (last_year_calibration(shape, behaviour, seed, scale, prior_examples=PRIORS[0], correction=CORRS[0],
                                     views=VIEWS[0])
               if "calibrated" in methods else None)
        if cal is not None:
            res["_calibration"] = cal
        res.update(run_refreshed(m, b, seed, top, methods, refresh, cal, original_headcount))
        return res
    res = {}
    lists = baseline_lists(m, top, seed)
    feasible = lists.pop("_feasible")
    if with_ceiling:
        full, close = ceiling(m, b, *feasible)
        res["ceiling"] = {"placed": full}
        res["ceiling_close"] = {"placed": close}
    with tempfile.TemporaryDirectory() as d:
        for mode in methods:
            if mode in ("default", "plain"):
                lists[mode], _t = engine_lists(m, top, mode == "plain", d)
            elif mode.startswith("calibrated"):
                k, corr = calibration_of(mode)
                cal = last_year_calibration(shape, behaviour, seed, scale, prior_examples=k, correction=corr, views=VIEWS[0])
                if mode == "calibrated":
                    res["_calibration"] = cal
                lists[mode], _t = engine_lists(m, top, False, d, cal.weights)
    if extra:
        for name, fn in extra.items():
            lists[name] = fn(m, top)
    for name, ls in lists.items():
        r = simulate(m, ls, b)
        r["far_share"] = far_share(m, ls)
        r["violations"] = check_rules(m, ls) if name in ("default", "plain") or name.startswith("calibrated") else None
        res[name] = r
    return res


#: --prior-examples: the first value is method ``calibrated``, the others ``calibrated@K``
PRIORS = [float(PRIOR_EXAMPLES)]
#: --corrections: the first is method ``calibrated`` (and ``calibrated@K``), the others ``calibrated:C``
CORRS = [CORRECTION]
#: --history-views
VIEWS = ["all"]


def calibration_of(method: str) -> tuple[float, str]:
    """(shrinkage strength k, correction) of a method ``calibrated``, ``calibrated@K`` or ``calibrated:C``."""
    name, _, corr = method.partition(":")
    return float(name.partition("@")[2] or PRIORS[0]), corr or CORRS[0]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--shapes", default="balanced", help="comma-separated, or all: " + ",".join(SHAPES))
    p.add_argument("--behaviours", default="base", help="comma-separated, or all: " + ",".join(BEHAVIOURS))
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--scale", type=float, default=1.0, help="market size factor (1 = 20,000 seekers)")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--quick", action="store_true", help="--scale 0.25 --seeds 2")
    p.add_argument("--no-ceiling", action="store_true", help="skip the perfect-knowledge ceiling (a maximum flow)")
    p.add_argument("--calibrated", action="store_true",
                   help="add the default mode with weights fitted on a simulated history of another market (seed + 100)")
    p.add_argument("--refresh", choices=("cohort", "ahead", "active", "active-all", "forecast"),
                   help="re-make every method's lists at the start of each arrival round (sequential behaviours) from "
                        "the jobs with positions still open, made for: cohort = the people arriving in the round; "
                        "ahead = everyone yet to browse (this round and later arrivals); active = everyone arrived so "
                        "far and not hired; active-all = everyone arrived so far (as the platform's registered people); "
                        "forecast = the round's people, counted once for every round still to come. "
                        "Baselines: random_occupation and greedy")
    p.add_argument("--original-headcount", action="store_true",
                   help="with --refresh: each job keeps its posted headcount, not its open positions")
    p.add_argument("--prior-examples", default=str(PRIOR_EXAMPLES),
                   help="with --calibrated: comma-separated shrinkage strengths k toward the hand-set weights "
                        "(learn.shrink; the first is method calibrated, the others calibrated@K)")
    p.add_argument("--corrections", default=CORRECTION,
                   help="with --calibrated: comma-separated, of " + ", ".join(CORRECTIONS) + " (learn.fit_calibration's "
                        "correction of the person's side): the first is method calibrated, the others calibrated:C")
    p.add_argument("--history-views", choices=HISTORY_VIEWS, default="all",
                   help="with --calibrated: which looks leave a viewed event in the simulated history: all (as "
                        "before 2026-12-06) or only those at recommended postings (shown; as the platform records them)")
    a = p.parse_args()
    PRIORS[:] = [float(x) for x in a.prior_examples.split(",")]
    CORRS[:] = a.corrections.split(",")
    VIEWS[:] = [a.history_views]
    if any(c not in CORRECTIONS for c in CORRS):
        p.error(f"--corrections: one of {', '.join(CORRECTIONS)}")
    if a.refresh and (len(PRIORS) > 1 or len(CORRS) > 1):
        p.error("--refresh takes one --prior-examples value and one --corrections value")
    if a.quick:
        a.scale, a.seeds = 0.25, 2
    shapes = list(SHAPES) if a.shapes == "all" else a.shapes.split(",")
    behs = list(BEHAVIOURS) if a.behaviours == "all" else a.behaviours.split(",")
    methods = ["plain", "default"] + (["calibrated"] + [f"calibrated@{x:g}" for x in PRIORS[1:]]
                                      + [f"calibrated:{c}" for c in CORRS[1:]] if a.calibrated else [])
    print(("" if not a.refresh else f"lists re-made each arrival round ({a.refresh}"
           + (", original headcounts" if a.original_headcount else ", open positions") + "); ")
          + f"lists of {a.top}; scale {a.scale}; seeds 0-{a.seeds - 1}; "
          + (f"calibration: corrections {', '.join(CORRS)}, history views {VIEWS[0]}; " if a.calibrated else "")
          + f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    summary = []
    for sh in shapes:
        for bh in behs:
            per = {}
            t0 = time.perf_counter()
            for seed in range(a.seeds):
                res = run(sh, bh, seed, a.scale, a.top, methods, with_ceiling=not a.no_ceiling, refresh=a.refresh,
                          original_headcount=a.original_headcount)
                for k, r in res.items():
                    per.setdefault(k, []).append(r)
            cals = per.pop("_calibration", [])
            first = per["default"][0]
            print(f"\n== {sh} / {bh}: {first['seekers']} seekers, {first['positions']} positions ({time.perf_counter() - t0:.0f} s)")
            if cals:
                print("  calibrated weights (mean over seeds; hand-set in brackets): " + ", ".join(
                    f"{k} {np.mean([c.weights[k] for c in cals]):.2f} ({getattr(MatchConfig(), k):.2f})" for k in cals[0].weights))
            best_base = max([k for k in BASELINES if k in per], key=lambda k: np.mean([r["placed"] for r in per[k]]))
            bb = np.array([r["placed"] for r in per[best_base]], float)
            ceil = np.array([r["placed"] for r in per["ceiling"]], float) if "ceiling" in per else None
            for k, rs in per.items():
                pl = np.array([r["placed"] for r in rs], float)
                ratio = pl / bb
                sd = pl.std(ddof=1) if len(pl) > 1 else 0
                if k.startswith("ceiling"):
                    what = "close work only" if k == "ceiling_close" else "any work"
                    print(f"  {k:18s} placed {pl.mean():8.0f} ± {sd:5.0f}  (perfect knowledge of both sides' tastes, a maximum flow, {what})"
                          f"  vs best baseline {ratio.mean():5.2f}x (min {ratio.min():.2f})")
                    continue
                v = rs[0]["violations"]
                print(f"  {k:18s} placed {pl.mean():8.0f} ± {sd:5.0f}  fill {np.mean([r['fill_rate'] for r in rs]):6.1%}"
                      f"  share placed {np.mean([r['share_placed'] for r in rs]):6.1%}  far {np.mean([r['far_share'] for r in rs]):5.1%}"
                      f"  vs best baseline {ratio.mean():5.2f}x (min {ratio.min():.2f})"
                      + ("" if ceil is None else f"  of ceiling {np.mean(pl / ceil):5.1%}")
                      + ("" if v is None else f"  rule violations {sum(r['violations'] for r in rs)}"))
            d = np.array([r["placed"] for r in per["default"]], float) / bb
            cal = []
            for cn in [k for k in per if k.startswith("calibrated")]:
                dp = np.array([r["placed"] for r in per["default"]], float)
                cp = np.array([r["placed"] for r in per[cn]], float)
                cal.append((cn, dp.mean(), cp.mean(), float(np.mean(cp / bb)), float(np.mean(cp / dp - 1)),
                            float(np.min(cp / dp - 1)), float(np.max(cp / dp - 1))))
            summary.append((sh, bh, best_base, d.mean(), d.min(), None if ceil is None else float(np.mean(ceil / bb)), cal))
    print(f"\nsummary: default mode vs the best baseline (mean, min over seeds); load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for sh, bh, bbn, mean, mn, cb, _cal in summary:
        print(f"  {sh:13s} {bh:10s} best baseline {bbn:18s} {mean:5.2f}x  (min {mn:.2f}x)"
              + ("" if cb is None else f"  ceiling {cb:5.2f}x"))
    if any(x[-1] for x in summary):
        print("\ncalibrated vs default mode (placed, mean over seeds; change: mean, min, max over seeds)")
        print(f"  {'shape':13s} {'behaviour':10s} {'method':16s} {'default':>8s} {'calibr.':>8s} {'change':>7s} {'min':>7s} {'max':>7s}  vs best baseline")
        for sh, bh, _bbn, mean, _mn, _cb, cals in summary:
            for cn, dm, cm, cr, ch, lo, hi in cals:
                print(f"  {sh:13s} {bh:10s} {cn:16s} {dm:8.0f} {cm:8.0f} {ch:+7.1%} {lo:+7.1%} {hi:+7.1%}  {mean:5.2f}x -> {cr:5.2f}x")

if __name__ == "__main__":
    main()
