"""Demo history for the placement dashboard: what the engine recommended to a sample of demo seekers over the
last 120 days (recommend.models.Impression rows), so recommendation -> view -> application -> hire has figures.

The lists are the engine's own (``recommend.selectors.engine_matches``, the path ``recommendations_for`` takes),
computed at load time over the demo's postings; a list "shown" on a day keeps only the postings published by then
(ranks 1..10 after that, the engine's scores). The older half of the window is shown as the plain engine would
rank (label ``plain/…``), the newer half capacity-aware (``capacity/…``), the labels ``config.engine_label``
gives, so the dashboard's by-engine table has a before and an after. Nothing about the outcome is invented:

- the sample is mostly seekers with applications in the window (made by themselves: fair and live-session
  applications have their own history); an application whose pair the engine's hard rules allow gets the
  posting shown before it (from 20 minutes to 4 days), at the place its engine score puts it in that day's
  list, and viewed between shown and applied; pairs the hard rules exclude get no impression (the person found
  that posting elsewhere);
- other shown postings are opened with a chance that falls with the rank (the same for both engines);
- applications and hires are the demo's own (backdated by ``dashboards``, which must run first): the dashboard
  counts them from the application rows.

Reproducible from the seed (and the day). delete() removes the impressions of demo seekers."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.matching import explain_match
from hongniang.recommend import selectors, state
from hongniang.recommend.adapters import JOB_FIELDS, SEEKER_FIELDS, job_from_row, seeker_from_model
from hongniang.recommend.config import engine_label
from hongniang.recommend.models import Impression, Surface
from hongniang.seekers.models import Seeker

NAME = "placements"
SEED_OFFSET = 7103
WINDOW_DAYS = 120
#: seekers sampled at scale 1 (two thirds with applications in the window), at least 200 (a small demo: all its
#: applicants), at most SAMPLE_MAX at any scale: one engine list costs 2-3 ms per seeker and engine
SAMPLE = 1000
SAMPLE_MAX = 3000
DEPTH = 30  # the engine's list is asked this deep, then cut to what was published on the day, then to 10
SHOWN = 10


def exists() -> bool:
    return Impression.objects.filter(seeker__is_demo=True).exists()


def delete() -> int:
    return Impression.objects.filter(seeker__is_demo=True).delete()[0]


def _view_chance(rank: int) -> float:
    return 0.5 * 0.8 ** (rank - 1)


def generate(*, seed: int, scale: float, out=print) -> dict:
    r = random.Random(seed + SEED_OFFSET)
    now = timezone.now()
    start = now - dt.timedelta(days=WINDOW_DAYS)
    switch = start + dt.timedelta(days=WINDOW_DAYS / 2)
    labels = {False: engine_label(capacity_aware=False), True: engine_label(capacity_aware=True)}

    postings = {row["id"]: row for row in JobPosting.objects.filter(is_demo=True).values(*JOB_FIELDS, "status")}
    if not postings:
        return {"impressions": 0}
    by_seeker: dict[int, list] = defaultdict(list)
    for sid, pid, at in (Application.objects.filter(seeker__is_demo=True, source_id__isnull=True,
                                                    created_at__gt=start + dt.timedelta(hours=1), created_at__lt=now)
                         .order_by("seeker_id", "created_at", "pk").values_list("seeker_id", "posting_id", "created_at")):
        if pid in postings:
            by_seeker[sid].append((pid, at))
    n = min(SAMPLE_MAX, max(200, round(SAMPLE * scale)))
    applicants = sorted(by_seeker)
    chosen = r.sample(applicants, min(len(applicants), n * 2 // 3))
    others = sorted(set(Seeker.objects.filter(is_demo=True, is_active=True).values_list("pk", flat=True))
                    - set(applicants))
    chosen += r.sample(others, min(len(others), n - len(chosen)))
    seekers = Seeker.objects.filter(pk__in=chosen).only(*SEEKER_FIELDS).in_bulk()

    # the process's matching index, built afresh over the rows just loaded; prices estimated here, not in a
    # background thread (the same seed must give the same lists)
    state.reset()
    index = state.job_index()
    state.seeker_index()
    state.reprice()
    today = timezone.localdate()

    rows: dict[tuple[int, int], Impression] = {}
    lists = 0
    for sid in sorted(chosen):
        seeker = seekers.get(sid)
        if seeker is None:
            continue
        record = seeker_from_model(seeker)
        visits = []  # (time, posting applied to afterwards or None, when applied)
        for pid, applied in by_seeker.get(sid, ()):
            published = postings[pid]["published_at"]
            earliest = max(start, published + dt.timedelta(hours=1)) if published else start
            shown = applied - dt.timedelta(minutes=r.randint(20, 4 * 24 * 60))
            if shown < earliest:
                shown = earliest
            if shown > applied - dt.timedelta(minutes=10):
                continue
            visits.append((shown, pid, applied))
        for _ in range(r.choice((1, 1, 2, 3)) if sid not in by_seeker else r.choice((0, 1))):
            visits.append((start + dt.timedelta(seconds=r.randint(0, WINDOW_DAYS * 86400 - 3600)), None, None))
        visits.sort(key=lambda v: (v[0], v[1] or 0))
        cache: dict[bool, list] = {}
        for shown, pid, applied in visits:
            capacity = shown >= switch
            if capacity not in cache:
                cache[capacity] = [(m.job_id, m.score) for m in
                                   selectors.engine_matches(seeker, top=DEPTH, capacity_aware=capacity)
                                   if postings.get(m.job_id, {}).get("status") == PostingStatus.PUBLISHED]
                lists += 1
            day_list = [(j, sc) for j, sc in cache[capacity]
                        if postings[j]["published_at"] and postings[j]["published_at"] <= shown - dt.timedelta(hours=1)]
            if pid is not None:
                m = explain_match(record, job_from_row(postings[pid]), config=index.config, today=today)
                if m is None:  # the hard rules exclude the pair: not a recommendation
                    continue
                day_list = [(j, sc) for j, sc in day_list if j != pid][:SHOWN]
                at = min(sum(1 for _, sc in day_list if sc > m.score), SHOWN - 1)
                day_list = (day_list[:at] + [(pid, m.score)] + day_list[at:])[:SHOWN]
            for rank, (j, sc) in enumerate(day_list[:SHOWN], 1):
                imp = rows.get((sid, j))
                if imp is not None:  # shown again on a later visit
                    imp.last_shown_at = shown
                    imp.times_shown += 1
                else:
                    imp = rows[sid, j] = Impression(
                        seeker_id=sid, posting_id=j, surface=Surface.FOR_YOU, engine=labels[capacity], rank=rank,
                        score=round(sc, 3), first_shown_at=shown, last_shown_at=shown)
                if imp.viewed_at is not None:
                    continue
                if j == pid:
                    imp.viewed_at = imp.first_shown_at + (applied - imp.first_shown_at) * r.uniform(0.05, 0.95)
                elif r.random() < _view_chance(rank):
                    imp.viewed_at = min(shown + dt.timedelta(minutes=r.expovariate(1 / 40)), now)
    Impression.objects.bulk_create(list(rows.values()), batch_size=2000)
    state.reset()  # the next use reads the rows afresh (the caller may still roll this load back)
    return {"placement_seekers": len(seekers), "engine_lists": lists, "impressions": len(rows),
            "impressions_viewed": sum(1 for i in rows.values() if i.viewed_at)}
