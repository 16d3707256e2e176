"""Offline replay of learning from outcomes: train on earlier months, test on later ones.

A platform history is simulated on the market of bench/matching_sim.py: for six months, people active that month
see the engine's list (hand-set weights) and also find a few jobs by themselves (search); they view, apply, the
employer hires or turns them down (the simulation's hidden tastes), staff follow up after a hire. Months 1-4 train
a county calibration (hongniang.matching.learn) and the co-application signal; months 5-6 are the test, where
people find jobs by search only (so the test hires do not favour any ranking). Reported: recall of those hires in
each person's top 10 (the jobs open that month) with the hand-set weights, the calibrated weights, and the
calibrated weights with "people who applied to this also applied to" (from the events before the test month:
what the platform knows on that day; people's own applications of that month excepted), keyed by the posting (as
before 2026-12-06), by the employer and occupation code, or by the occupation code, with the person's history of
applications only or of applications and opened postings. ``--appeal SD``: employers also differ in an appeal
people know and the engine does not (a per-employer term in the person's utility; not one of the behaviours).

    .venv/bin/python bench/matching_replay.py [--behaviours base,near,pay] [--seeds 2] [--scale 0.25] [--appeal 0.5] [--strength 0.3]
        [--corrections exposure,none] [--views all|shown]

``--corrections``: how the person's side is fitted (``learn.fit_calibration``): ``exposure`` within the channel
that brought the job to the person (the default), ``none`` pooled (before 2026-12-06); ``--views shown``: the
history records only the looks the platform records (at recommended postings).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
from matching_sim import BEHAVIOURS, SHAPES, TODAY, Decisions, make_market, with_behaviour  # noqa: E402

from hongniang.matching import JobIndex, MatchConfig, recommend_jobs  # noqa: E402
from hongniang.matching.learn import (  # noqa: E402
    CORRECTION,
    CORRECTIONS,
    HISTORY,
    HISTORY_OPENED,
    PRIOR_EXAMPLES,
    CoApplications,
    Event,
    calibrated_config,
    fit_calibration,
    history_of,
    recall_at,
    rerank,
)

MONTHS = 6
TRAIN = 4


@functools.lru_cache(maxsize=1)
def _last_year(shape: str, behaviour: str, seed: int, scale: float, views: str = "all"):
    b = BEHAVIOURS[behaviour]
    other = seed + 100
    m = make_market(SHAPES[shape], other, scale, b)
    events, _hires, _month_of, by_id = history(m, b, other, views=views)
    return events, {s.seeker_id: s for s in m.seekers}, by_id


def last_year_calibration(shape: str, behaviour: str, seed: int, scale: float, county: str = "360781",
                          prior_examples: float = PRIOR_EXAMPLES, correction: str = CORRECTION, views: str = "all"):
    """A county calibration fitted on the whole six-month history of *another* market of the same shape and
    behaviour (seed + 100: last year's people, so no individual's hidden taste is known to the fit), as the
    platform's ``fit_matching`` would fit it from every event (``prior_examples``: shrinkage toward the hand-set
    weights, ``learn.shrink``; ``correction``: ``learn.fit_calibration``'s; ``views``: see ``history``). Returns the
    ``Calibration``."""
    events, seekers, by_id = _last_year(shape, behaviour, seed, scale, views)
    return fit_calibration(events, seekers, by_id, county=county, prior_examples=prior_examples, correction=correction)


#: ``history(views=...)``: which looks at a posting leave a ``viewed`` event
VIEWS = ("all", "shown")


def history(m, b, seed: int, views: str = "all"):
    """Events of six months, and the test hires (months 5-6, found by search). ``views``: ``all`` records every
    look (a list item or a search result; as before 2026-12-06), ``shown`` only looks at postings recommended to
    that person (as the platform records them: an impression's ``viewed_at``; a posting found by search and left
    leaves no trace, one applied to leaves its application). A recorded look at a posting whose places were all
    taken also leaves a ``full`` event (``learn.fit_calibration(correction="exposure+open")`` uses it)."""
    if views not in VIEWS:
        raise ValueError(f"unknown views {views!r}")
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
    shown_to: dict = {}  # seeker -> postings recommended to them so far (impressions)
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
                shown_to.setdefault(s.seeker_id, set()).update(lst)
                for k, jid in enumerate(lst):
                    if k > 0 and m.draws[i, (k + 7 * month) % 64] > m.patience_u[i]:
                        break
                    seen.append(jid)
            # search: three jobs within 30 km in the person's occupation area (or anything, if they named none)
            mine = [j.job_id for j in open_jobs if not s.occupations or any(o[:4] == (j.occupation_code or "")[:4] for o in s.occupations)]
            if mine:
                seen += [mine[k] for k in rng.choice(len(mine), min(3, len(mine)), replace=False)]
            for jid in dict.fromkeys(seen):
                if views == "all" or jid in shown_to.get(s.seeker_id, ()):
                    events.append(Event(s.seeker_id, jid, "viewed", day))
                    if left[jid] <= 0:  # its places were all taken when they looked (fit_matching: from the offers)
                        events.append(Event(s.seeker_id, jid, "full", day))
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


def long_lists(m, hires, month_of, by_id, cfg, top=10):
    """Each test hire's person's ``top`` matches (``Match`` records) among the jobs open in the hire's month:
    (sid, month) -> list."""
    out = {}
    seekers = {s.seeker_id: s for s in m.seekers}
    for month in range(TRAIN, MONTHS):
        day = TODAY + dt.timedelta(days=30 * month)
        jobs_m = [by_id[j] for j in by_id if month_of[j] in (month, month - 1)]
        idx = JobIndex(jobs_m, config=cfg)
        for sid, _jid, mo in hires:
            if mo == month:
                out[(sid, month)] = recommend_jobs(seekers[sid], idx, top=top, capacity_aware=False, today=day)
    return out


def lists_for(m, hires, month_of, by_id, cfg, events=None, key=None, history_kinds=HISTORY, long=None, strength=0.3):
    """Each test hire's person's top 10 of the jobs open in the hire's month. With ``events``, the longer list
    (40) is re-ordered by "people who applied to this also applied to" keyed by ``key`` (default: the posting),
    from the events before that month only, with the person's history of ``history_kinds`` before that month."""
    if long is None:
        long = long_lists(m, hires, month_of, by_id, cfg, top=40 if events is not None else 10)
    out = {}
    for month in range(TRAIN, MONTHS):
        day = TODAY + dt.timedelta(days=30 * month)
        co = hist = None
        if events is not None:
            before = [e for e in events if e.at < day]
            co = CoApplications(before, key)
            hist = history_of(before, history_kinds)
        for sid, _jid, mo in hires:
            if mo != month:
                continue
            got = long[(sid, month)]
            got = rerank(got, hist.get(sid, ()), co, 10, strength=strength) if co else got[:10]
            out[sid] = [x.job_id for x in got]
    return out


def keys_of(m):
    """Posting id -> (employer, occupation code) and -> occupation code, for the keys that outlive a posting."""
    emp = {j.job_id: (int(m.employer[k]), j.occupation_code) for k, j in enumerate(m.jobs)}
    occ = {j.job_id: j.occupation_code for j in m.jobs}
    return emp.get, occ.get


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--behaviours", default="base,near,pay")
    p.add_argument("--seeds", type=int, default=2)
    p.add_argument("--scale", type=float, default=0.25)
    p.add_argument("--strength", type=float, default=0.3, help="rerank's strength (score x (1 + strength x affinity))")
    p.add_argument("--appeal", type=float, default=0.0,
                   help="employers differ in an appeal people know and the engine does not (sd, in utility units)")
    p.add_argument("--corrections", default=CORRECTION,
                   help="comma-separated, of " + ", ".join(CORRECTIONS) + " (learn.fit_calibration's correction): the "
                        "first is method calibrated (and the co-application rows'), the others calibrated (correction X)")
    p.add_argument("--views", choices=VIEWS, default="all",
                   help="which looks leave a viewed event in the history: all (as before), or only those at postings "
                        "recommended to the person (shown; as the platform records them)")
    a = p.parse_args()
    corrections = a.corrections.split(",")
    if any(c not in CORRECTIONS for c in corrections):
        p.error(f"--corrections: one of {', '.join(CORRECTIONS)}")
    print(f"appeal {a.appeal}; " * bool(a.appeal) + f"strength {a.strength}; scale {a.scale}; {a.seeds} seeds; months 1-{TRAIN} train, {TRAIN + 1}-{MONTHS} test; "
          f"views {a.views}; corrections {', '.join(corrections)}; load average {os.getloadavg()[0]:.1f}")
    for bh in a.behaviours.split(","):
        b = with_behaviour(BEHAVIOURS[bh], employer_appeal_sd=a.appeal) if a.appeal else BEHAVIOURS[bh]
        res: dict = {k: [] for k in METHODS}
        res.update({f"calibrated (correction {c})": [] for c in corrections[1:]})
        with_history: dict = {"applied": [], "applied or opened": []}
        for seed in range(a.seeds):
            m = make_market(SHAPES["balanced"], seed, a.scale, b)
            events, hires, month_of, by_id = history(m, b, seed, views=a.views)
            day0 = TODAY + dt.timedelta(days=30 * TRAIN)
            train = [e for e in events if e.at < day0]
            seekers = {s.seeker_id: s for s in m.seekers}
            cal = fit_calibration(train, seekers, by_id, county="360781", correction=corrections[0])
            cfg = calibrated_config(MatchConfig(), cal)
            pairs = [(s, j) for s, j, _ in hires]
            emp_occ, occ = keys_of(m)
            long = long_lists(m, hires, month_of, by_id, cfg, top=40)
            res["hand-set"].append(recall_at(lists_for(m, hires, month_of, by_id, MatchConfig()), pairs))
            res["calibrated"].append(recall_at(lists_for(m, hires, month_of, by_id, cfg, long=long), pairs))
            others = {}
            for c in corrections[1:]:
                others[c] = fit_calibration(train, seekers, by_id, county="360781", correction=c)
                got = lists_for(m, hires, month_of, by_id, calibrated_config(MatchConfig(), others[c]))
                res[f"calibrated (correction {c})"].append(recall_at(got, pairs))
            for name, (key, kinds) in METHODS.items():
                if name in ("hand-set", "calibrated"):
                    continue
                got = lists_for(m, hires, month_of, by_id, cfg, events, {"posting": None, "employer+occupation": emp_occ,
                                "occupation": occ}[key], kinds, long=long, strength=a.strength)
                res[name].append(recall_at(got, pairs))
            for label, kinds in (("applied", HISTORY), ("applied or opened", HISTORY_OPENED)):
                n = 0
                for sid, _jid, mo in hires:
                    day = TODAY + dt.timedelta(days=30 * mo)
                    n += any(e.seeker_id == sid and e.kind in kinds and e.at < day for e in events)
                with_history[label].append(n / max(1, len(hires)))
            if seed == 0:
                print(f"\n== {bh}: {len(train)} training events, {len(hires)} test hires; examples {cal.examples}")
                print("   fitted weights: " + ", ".join(f"{k} {v:.2f}" for k, v in cal.weights.items()))
                for c, o in others.items():
                    print(f"   fitted weights (correction {c}): " + ", ".join(f"{k} {v:.2f}" for k, v in o.weights.items()))
        for k, v in with_history.items():
            print(f"   test hires of people with an earlier event ({k}): {np.mean(v):.0%}")
        for k, v in res.items():
            print(f"   recall of test hires in the top 10, {k:58s} {np.mean(v):6.1%} (seeds: {', '.join(f'{x:.1%}' for x in v)})")


#: the methods compared: name -> (co-application key, history kinds); the first two re-order nothing
METHODS = {
    "hand-set": (None, None),
    "calibrated": (None, None),
    "calibrated + co-applications (posting; applied)": ("posting", HISTORY),
    "calibrated + co-applications (posting; applied or opened)": ("posting", HISTORY_OPENED),
    "calibrated + co-applications (employer+occupation; applied)": ("employer+occupation", HISTORY),
    "calibrated + co-applications (employer+occupation; applied or opened)": ("employer+occupation", HISTORY_OPENED),
    "calibrated + co-applications (occupation; applied)": ("occupation", HISTORY),
    "calibrated + co-applications (occupation; applied or opened)": ("occupation", HISTORY_OPENED),
}


if __name__ == "__main__":
    main()
