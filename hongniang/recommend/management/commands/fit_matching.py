"""Fit the county's calibration of the matching weights from what happened on the platform (offline).

    python manage.py fit_matching                 # prints the fitted weights and the replay; changes nothing
    python manage.py fit_matching --wet-run       # saves it as the active calibration (used by the next index)
    python manage.py fit_matching --wet-run --force   # ... even when the replay says it finds fewer hires

``--wet-run`` refuses (exit status 1, nothing saved) when the replay has enough later hires (MIN_TEST_HIRES) and the
calibrated weights find clearly fewer of them in the top 10 than the hand-set ones (below MAX_RECALL_LOSS of the
hand-set recall): a calibration fitted on a county's biased or thin history must not silently make every list worse.

Events: impressions and views (recommend), applications and the employers' decisions (applications), "不感兴趣"
call outcomes and follow-ups (outreach). Learned only from the soft score's parts (hongniang.matching.learn):
never from gender, ethnicity, origin or age. The replay trains on events before the last ``--test-days`` and
reports how often the later hires were in the person's top 10 of the postings open then, with the hand-set and
with the fitted weights.

A view of a recommended posting whose places were all taken at that moment (offers and hires at least its headcount,
from the applications' transitions: ``places_taken``) adds a ``full`` event; ``--correction exposure+open`` leaves
those no's out of the person's side (hongniang.matching.learn).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hongniang.jobs.models import JobPosting
from hongniang.matching import JobIndex, recommend_jobs
from hongniang.matching.learn import (
    CORRECTION,
    CORRECTIONS,
    Event,
    calibrated_config,
    fit_calibration,
    recall_at,
)
from hongniang.seekers.models import Seeker

from ... import outcomes, state
from ...adapters import JOB_FIELDS, SEEKER_FIELDS, job_from_row, seeker_from_row
from ...config import base_config
from ...models import MatchCalibration
from ...state import TAKING


def _records(seeker_ids, posting_ids):
    seekers = {r["id"]: seeker_from_row(r) for r in Seeker.objects.filter(pk__in=seeker_ids).values(*SEEKER_FIELDS)}
    rows = {r["id"]: r for r in JobPosting.objects.filter(pk__in=posting_ids).values(*JOB_FIELDS, "valid_until")}
    jobs = {pid: job_from_row(r) for pid, r in rows.items() if r.get("published_at")}
    return seekers, jobs, rows


def places_taken(posting_ids) -> dict:
    """Posting id -> (times, running count of places taken): when an application took one of the posting's places
    (an offer or a hire: 录用 / 待上岗) or gave it back (declined, no-show, closed...), from the applications'
    transitions (ApplicationEvent, read through the ORM relations, never imported: recommend sits below
    applications). One query for all the postings. An application with no recorded transition (a bulk import) is
    not counted."""
    moves = defaultdict(list)
    qs = JobPosting.objects.filter(Q(applications__events__to_status__in=TAKING)
                                   | Q(applications__events__from_status__in=TAKING), pk__in=posting_ids)
    for pid, at, src, dst in qs.values_list("id", "applications__events__at", "applications__events__from_status",
                                            "applications__events__to_status").order_by():
        step = (dst in TAKING) - (src in TAKING)  # offered -> hired keeps the place
        if step:
            moves[pid].append((at, step))
    out = {}
    for pid, m in moves.items():
        m.sort(key=lambda x: x[0])
        run, times, counts = 0, [], []
        for at, step in m:
            run += step
            times.append(at)
            counts.append(run)
        out[pid] = (times, counts)
    return out


def looks_at_full(raw, rows) -> list:
    """A ``full`` event for each view (``viewed`` outcome) of a posting whose places taken at that moment were at
    least its headcount (``rows``: posting id -> row with ``headcount``): the person could not have had the job, so
    not applying says nothing about its features."""
    views = [x for x in raw if x.kind == "viewed" and x.posting_id in rows]
    taken = places_taken({x.posting_id for x in views})
    out = []
    for x in views:
        if x.posting_id not in taken:
            continue
        times, counts = taken[x.posting_id]
        k = bisect.bisect_right(times, x.at)
        if k and counts[k - 1] >= max(1, int(rows[x.posting_id].get("headcount") or 1)):
            out.append(Event(x.seeker_id, x.posting_id, "full", timezone.localtime(x.at).date()))
    return out


MIN_TEST_HIRES = 30  # fewer later hires than this say too little either way
MAX_RECALL_LOSS = 0.95  # refuse below 95 % of the hand-set weights' recall


def replay_verdict(figures: dict, top: int = 10) -> str:
    """Why the replay advises against activating this calibration, or "" when it does not."""
    hand, cal = figures.get(f"recall_at_{top}_hand_set"), figures.get(f"recall_at_{top}_calibrated")
    if hand is None or cal is None or figures.get("test_hires", 0) < MIN_TEST_HIRES:
        return ""
    if cal < hand * MAX_RECALL_LOSS:
        return (f"the calibrated weights find {cal:.1%} of the {figures['test_hires']} later hires in the top {top}, "
                f"the hand-set ones {hand:.1%}")
    return ""


def replay(events, seekers, jobs, rows, cutoff: dt.date, base, calibrated, top: int = 10) -> dict:
    """Recall of hires on or after ``cutoff`` in the top ``top`` of the postings open on the hire's day."""
    hires = [(e.seeker_id, e.job_id, e.at) for e in events if e.kind == "hired" and e.at >= cutoff
             and e.seeker_id in seekers and e.job_id in jobs]
    out = {"test_hires": len(hires)}
    for name, cfg in (("hand_set", base), ("calibrated", calibrated)):
        lists = {}
        for sid, _jid, day in hires:
            open_then = [j for pid, j in jobs.items() if j.posted_on and j.posted_on <= day
                         and (rows[pid].get("valid_until") or day) >= day]
            got = recommend_jobs(seekers[sid], JobIndex(open_then, config=cfg), top=top, capacity_aware=False, today=day)
            lists[sid] = [m.job_id for m in got]
        out[f"recall_at_{top}_{name}"] = round(recall_at(lists, [(s, j) for s, j, _ in hires], top), 4)
    return out


class Command(BaseCommand):
    help = "Fit the county's matching weights from outcomes (prints; --wet-run saves and activates)."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="save the calibration and use it from now on")
        parser.add_argument("--days", type=int, default=365, help="learn from this many days of events")
        parser.add_argument("--test-days", type=int, default=60, help="the replay's test period (the last days)")
        parser.add_argument("--min-examples", type=int, default=200)
        parser.add_argument("--county", default=getattr(settings, "DEFAULT_COUNTY_CODE", ""))
        parser.add_argument("--correction", choices=CORRECTIONS, default=CORRECTION,
                            help="how the person's side is fitted (hongniang.matching.learn.fit_calibration)")
        parser.add_argument("--force", action="store_true",
                            help="with --wet-run: activate even when the replay finds fewer hires than the hand-set weights")

    def handle(self, *args, **o):
        now = timezone.now()
        since = now - dt.timedelta(days=o["days"])
        raw = list(outcomes.collect(since=since))
        events = [Event(x.seeker_id, x.posting_id, x.kind, timezone.localtime(x.at).date()) for x in raw]
        seekers, jobs, rows = _records({e.seeker_id for e in events}, {e.job_id for e in events})
        full = looks_at_full(raw, rows)
        events += full
        cutoff = timezone.localdate() - dt.timedelta(days=o["test_days"])
        base = base_config()
        train = [e for e in events if e.at < cutoff]
        fit = {"base": base, "county": o["county"], "min_examples": o["min_examples"], "correction": o["correction"]}
        held = fit_calibration(train, seekers, jobs, **fit)
        figures = {"events": len(events), "sources": outcomes.sources(), "replay_cutoff": cutoff.isoformat(),
                   **replay(events, seekers, jobs, rows, cutoff, base, calibrated_config(base, held)),
                   "replay_examples": held.examples}
        cal = fit_calibration(events, seekers, jobs, **fit)
        self.stdout.write(f"events: {len(events)} from {', '.join(outcomes.sources())} ({len(full)} views of full "
                          f"postings); correction {o['correction']}; examples: {cal.examples}")
        self.stdout.write("weights: " + ", ".join(f"{k} {getattr(base, k):.2f} -> {v:.2f}" for k, v in cal.weights.items()))
        self.stdout.write("replay: " + ", ".join(f"{k} {v}" for k, v in figures.items() if k.startswith(("recall", "test"))))
        verdict = replay_verdict(figures)
        if verdict:
            self.stdout.write(f"warning: {verdict}")
        if not o["wet_run"]:
            self.stdout.write("dry run: nothing saved (add --wet-run to save and activate this calibration)")
            return
        if verdict and not o["force"]:
            raise CommandError(f"not activated: {verdict}; the hand-set weights stay (--force to activate anyway)")
        with transaction.atomic():
            MatchCalibration.objects.filter(active=True).update(active=False)
            row = MatchCalibration.objects.create(county=o["county"], weights=cal.weights, examples=cal.examples, figures=figures)
        state.reset()  # the next use builds the index with the new weights
        self.stdout.write(f"saved and activated calibration {row.pk}")
