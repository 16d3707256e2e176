"""Offline replay of learning from outcomes: train on earlier months, test on later ones.

A platform history is simulated on the market of bench/matching_sim.py: for six months, people active that month
see the engine's list (hand-set weights) and also find a few jobs by themselves (search); they view, apply, the
employer hires or turns them down (the simulation's hidden tastes), staff follow up after a hire. Months 1-4 train
a county calibration (hongniang.matching.learn) and the co-application signal; months 5-6 are the test, where
people find jobs by search only (so the test hires do not favour any ranking). Reported: recall of those hires in
each person's top 10 (the jobs open that month) with the hand-set weights, the calibrated weights, and the
calibrated weights with "people who applied to this also applied to" (from the events before the test month:
what the platform knows on that day; people's own applications of that month excepted).

    .venv/bin/python bench/matching_replay.py [--behaviours base,near,pay] [--seeds 2] [--scale 0.25]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
from matching_sim import BEHAVIOURS, SHAPES, TODAY, Decisions, make_market  # noqa: E402

from hongniang.matching import JobIndex, MatchConfig, recommend_jobs  # noqa: E402
from hongniang.matching.learn import (  # noqa: E402
    CoApplications,
    Event,
    calibrated_config,
    fit_calibration,
    recall_at,
    rerank,
)

MONTHS = 6
TRAIN = 4


def last_year_calibration(shape: str, behaviour: str, seed: int, scale: float, county: str = "360781"):
    """A county calibration fitted on the whole six-month history of *another* market of the same shape and
    behaviour (seed + 100: last year's people, so no individual's hidden taste is known to the fit), as the
    platform's ``fit_matching`` would fit it from every event. Returns the ``Calibration``."""
    b = BEHAVIOURS[behaviour]
    other = seed + 100
    m = make_market(SHAPES[shape], other, scale, b)
    events, _hires, _month_of, by_id = history(m, b, other)
    return fit_calibration(events, {s.seeker_id: s for s in m.seekers}, by_id, county=county)


def history(m, b, seed: int):
    """Events of six months, and the test hires (months 5-6, found by search)."""
    rng = np.random.default_rng(seed + 500)
    dec = Decisions(m, b)
    # each job is open in one month and the next
    month_of = {j.job_id: int(rng.integers(0, MONTHS)) for j in m.jobs}
    left = {j.job_id: j.headcount for j in m.jobs}
    placed: set = set()
    events: list[Event] = []
    test_hires: list[tuple] = []
    cfg = MatchConfig()
    by_id = {j.job_id: j for j in m.jobs}
    for month in range(MONTHS):
        day = TODAY + dt.timedelta(days=30 * month)
        open_jobs = [j for j in m.jobs if month_of[j.job_id] in (month, month - 1) and left[j.job_id] > 0]
        if not open_jobs:
            continue
        jobs_m = [dataclasses.replace(j, posted_on=day - dt.timedelta(days=int(rng.integers(0, 20)))) for j in open_jobs]
        idx = JobIndex(jobs_m, config=cfg)
        active = [i for i in rng.permutation(len(m.seekers))[: len(m.seekers) // 3].tolist() if m.seekers[i].seeker_id not in placed]
        for i in active:
            s = m.seekers[i]
            seen: list = []
            if month < TRAIN:
                lst = [x.job_id for x in recommend_jobs(s, idx, top=10, capacity_aware=False, today=day)]
                events += [Event(s.seeker_id, jid, "shown", day) for jid in lst]
                for k, jid in enumerate(lst):
                    if k > 0 and m.draws[i, (k + 7 * month) % 64] > m.patience_u[i]:
                        break
                    seen.append(jid)
            # search: three jobs within 30 km in the person's occupation area (or anything, if they named none)
            mine = [j.job_id for j in open_jobs if not s.occupations or any(o[:4] == (j.occupation_code or "")[:4] for o in s.occupations)]
            if mine:
                seen += [mine[k] for k in rng.choice(len(mine), min(3, len(mine)), replace=False)]
            for jid in dict.fromkeys(seen):
                events.append(Event(s.seeker_id, jid, "viewed", day))
                if left[jid] <= 0 or dec.seeker_u(i, jid) <= 0:
                    continue
                events.append(Event(s.seeker_id, jid, "applied", day))
                if dec.employer_v(i, jid) > 0:
                    left[jid] -= 1
                    placed.add(s.seeker_id)
                    events.append(Event(s.seeker_id, jid, "hired", day))
                    stays = dec.seeker_u(i, jid) + rng.normal(0, 0.5) > 0
                    events.append(Event(s.seeker_id, jid, "retained" if stays else "left", day + dt.timedelta(days=30)))
                    if month >= TRAIN:
                        test_hires.append((s.seeker_id, jid, month))
                    break
                events.append(Event(s.seeker_id, jid, "rejected", day))
    return events, test_hires, month_of, by_id


def lists_for(m, hires, month_of, by_id, cfg, events=None):
    """Each test hire's person's top 10 of the jobs open in the hire's month. With ``events``, the longer list is
    re-ordered by "people who applied to this also applied to", from the events before that month only."""
    out = {}
    seekers = {s.seeker_id: s for s in m.seekers}
    for month in range(TRAIN, MONTHS):
        day = TODAY + dt.timedelta(days=30 * month)
        jobs_m = [by_id[j] for j in by_id if month_of[j] in (month, month - 1)]
        idx = JobIndex(jobs_m, config=cfg)
        co = hist = None
        if events is not None:
            before = [e for e in events if e.at < day]
            co = CoApplications(before)
            hist = {}
            for e in before:
                if e.kind == "applied":
                    hist.setdefault(e.seeker_id, []).append(e.job_id)
        for sid, _jid, mo in hires:
            if mo != month:
                continue
            got = recommend_jobs(seekers[sid], idx, top=40 if co else 10, capacity_aware=False, today=day)
            if co:
                got = rerank(got, hist.get(sid, ()), co, 10)
            out[sid] = [x.job_id for x in got]
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--behaviours", default="base,near,pay")
    p.add_argument("--seeds", type=int, default=2)
    p.add_argument("--scale", type=float, default=0.25)
    a = p.parse_args()
    print(f"scale {a.scale}; {a.seeds} seeds; months 1-{TRAIN} train, {TRAIN + 1}-{MONTHS} test; load average {os.getloadavg()[0]:.1f}")
    for bh in a.behaviours.split(","):
        b = BEHAVIOURS[bh]
        res = {"hand-set": [], "calibrated": [], "calibrated + co-applications": []}
        for seed in range(a.seeds):
            m = make_market(SHAPES["balanced"], seed, a.scale, b)
            events, hires, month_of, by_id = history(m, b, seed)
            day0 = TODAY + dt.timedelta(days=30 * TRAIN)
            train = [e for e in events if e.at < day0]
            seekers = {s.seeker_id: s for s in m.seekers}
            cal = fit_calibration(train, seekers, by_id, county="360781")
            cfg = calibrated_config(MatchConfig(), cal)
            pairs = [(s, j) for s, j, _ in hires]
            res["hand-set"].append(recall_at(lists_for(m, hires, month_of, by_id, MatchConfig()), pairs))
            res["calibrated"].append(recall_at(lists_for(m, hires, month_of, by_id, cfg), pairs))
            res["calibrated + co-applications"].append(recall_at(lists_for(m, hires, month_of, by_id, cfg, events), pairs))
            if seed == 0:
                print(f"\n== {bh}: {len(train)} training events, {len(hires)} test hires; examples {cal.examples}")
                print("   fitted weights: " + ", ".join(f"{k} {v:.2f}" for k, v in cal.weights.items()))
        for k, v in res.items():
            print(f"   recall of test hires in the top 10, {k:30s} {np.mean(v):6.1%} (seeds: {', '.join(f'{x:.1%}' for x in v)})")


if __name__ == "__main__":
    main()
