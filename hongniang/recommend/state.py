"""In-memory matching indexes for this process, kept current incrementally.

The first use builds a JobIndex of published postings and a SeekerIndex of active seekers. Afterwards each
use (at most every REFRESH_SECONDS) reads only the rows changed since the last look (`updated_at` above the
watermark) and upserts or removes them: no full rebuild, and every process of a multi-process server
catches up within seconds. Services also call `posting_changed` / `seeker_changed` for immediate effect
in the process that made the change. Congestion prices (the capacity-aware mode) are re-estimated every
PRICE_SECONDS, against each posting's open positions, counting the people expected to look while the postings
are open (`price_demand`)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.db import DatabaseError, connections
from django.db.models import Count, Q
from django.utils import timezone

from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.matching import JobIndex, SeekerIndex, estimate_prices
from hongniang.seekers.models import Seeker

from . import outcomes
from .adapters import JOB_FIELDS, SEEKER_FIELDS, job_from_row, seeker_from_row
from .config import engine_label, match_config

log = logging.getLogger(__name__)

REFRESH_SECONDS = 5.0
PRICE_SECONDS = 600.0
#: re-estimate congestion prices in a background thread (off in tests, for deterministic rankings)
BACKGROUND_PRICES = True
PRICE_SAMPLE = 5000
#: the window in which the people who look for work are counted (their number per day is the demand's rate)
LOOKER_DAYS = 30
#: outcome events that show a person looking for work (recommend.outcomes.KINDS)
LOOKING = ("shown", "viewed", "applied", "not_interested", "left")
#: below this many recent lookers the prices count every active seeker (a new or quiet county)
MIN_LOOKERS = 50


class _State:
    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        self.jobs: JobIndex | None = None
        self.seekers: SeekerIndex | None = None
        self.job_mark = None
        self.seeker_mark = None
        self.job_checked = 0.0
        self.seeker_checked = 0.0
        self.priced_at = -1e9
        self.pricing = False
        self.engine = None  # how lists are made (the calibration used by the index), for impressions
        self.price_population = None  # how many people the last prices counted


_state = _State()


def reset() -> None:
    """Forget the indexes (tests; after a bulk load)."""
    with _state.lock:
        _state.reset()


#: the application statuses that hold one of a posting's positions: an offer the person is to take up (录用, 待上岗)
#: and a hire (applications.ApplicationStatus.OFFERED / HIRED; read through the ORM relation, never imported:
#: recommend sits below applications)
TAKING = ("offered", "hired")


def _job_rows(qs):
    """Posting rows with ``taken``: the offers and hires on each, so the index holds the positions still open. An
    application that takes or gives back a place touches its posting's ``updated_at`` (applications.services), so
    every process re-reads the row."""
    return qs.annotate(taken=Count("applications", filter=Q(applications__status__in=TAKING))).values(
        *JOB_FIELDS, "status", "updated_at", "taken")


def job_index() -> JobIndex:
    now = time.monotonic()
    with _state.lock:
        if _state.jobs is None:
            index = JobIndex(config=match_config())
            _state.engine = engine_label()
            mark = None
            for row in _job_rows(JobPosting.objects.filter(status=PostingStatus.PUBLISHED)).iterator(chunk_size=5000):
                index.upsert(job_from_row(row))
                mark = row["updated_at"] if mark is None or row["updated_at"] > mark else mark
            _state.jobs, _state.job_mark, _state.job_checked = index, mark or timezone.now(), now
        elif now - _state.job_checked > REFRESH_SECONDS:
            for row in _job_rows(JobPosting.objects.filter(updated_at__gt=_state.job_mark)):
                _apply_job_row(row)
                _state.job_mark = max(_state.job_mark, row["updated_at"])
            _state.job_checked = now
        if (BACKGROUND_PRICES and not _state.pricing and _state.seekers is not None
                and now - _state.priced_at > PRICE_SECONDS and len(_state.jobs)):
            _state.pricing = True
            threading.Thread(target=_reprice_in_background, name="matching-prices", daemon=True).start()
        return _state.jobs


def engine() -> str:
    """The label of how this process makes lists (stored with impressions)."""
    if _state.engine is None:
        _state.engine = engine_label()
    return _state.engine


def price_demand() -> tuple[frozenset | None, float | None]:
    """Whom the congestion prices count, and how many people they stand for: the people who looked for work in
    the last LOOKER_DAYS days (registered, or an outcome event of a LOOKING kind: shown or opened recommendations,
    applied, told staff on a call they were not interested, left a job at a follow-up), scaled from that window to
    the time the published postings have left (their mean remaining validity) — the people expected to look while
    today's postings are open, not everyone who ever registered (docs/matching.md, "Lists re-made as positions
    fill"). ``(None, None)`` — every active seeker, as before — when fewer than MIN_LOOKERS looked."""
    now = timezone.now()
    cutoff = now - dt.timedelta(days=LOOKER_DAYS)
    active = Seeker.objects.filter(is_active=True)
    ids = set(active.filter(created_at__gte=cutoff).values_list("id", flat=True))
    ids |= {o.seeker_id for o in outcomes.collect(since=cutoff, kinds=LOOKING)}
    if len(ids) < MIN_LOOKERS:
        return None, None
    today = timezone.localdate()
    days = [max(1, (v - today).days + 1) for v in JobPosting.objects.filter(
        status=PostingStatus.PUBLISHED, valid_until__isnull=False).values_list("valid_until", flat=True)]
    left = sum(days) / len(days) if days else LOOKER_DAYS
    return frozenset(ids), len(ids) * left / LOOKER_DAYS


def _reprice_in_background() -> None:
    try:
        reprice()
    finally:
        connections.close_all()  # this thread's own connections


def reprice(plan: tuple | None = None) -> None:
    """Estimate congestion prices (the capacity-aware mode) from the in-memory seekers, counting the demand
    ``plan`` = ``price_demand()`` names (read here when not given; every active seeker if that read fails).
    Runs beside requests in a thread of its own; takes seconds for a county; queries meanwhile use the
    previous prices."""
    try:
        jobs, seekers = _state.jobs, _state.seekers
        if jobs is None or seekers is None:
            return
        if plan is None:
            try:
                plan = price_demand()
            except DatabaseError:
                log.warning("matching prices: could not read who looked for work; counting every active seeker",
                            exc_info=True)
                plan = (None, None)
        ids, population = plan
        live = [s for s in seekers.seekers if s is not None]
        pool = [s for s in live if s.seeker_id in ids] if ids is not None else []
        if pool:  # people no longer active (closed accounts) do not look any more
            population = population * len(pool) / len(ids)
        else:
            pool, population = live, None
        if pool:
            estimate_prices(jobs, pool, sample=min(len(pool), PRICE_SAMPLE), seed=1, population=population)
        _state.priced_at = time.monotonic()
        _state.price_population = len(pool) if population is None else population
    finally:
        _state.pricing = False


def warm_up() -> None:
    """Build both indexes and estimate prices (called in the background when a server worker starts)."""
    seeker_index()
    job_index()
    if not _state.pricing:
        _state.pricing = True
        reprice()


def _apply_job_row(row) -> None:
    if row["status"] == PostingStatus.PUBLISHED:
        _state.jobs.upsert(job_from_row(row))
    elif row["id"] in _state.jobs:
        _state.jobs.remove(row["id"])


def seeker_index() -> SeekerIndex:
    now = time.monotonic()
    with _state.lock:
        if _state.seekers is None:
            index = SeekerIndex(config=match_config())
            mark = None
            for row in Seeker.objects.filter(is_active=True).values(*SEEKER_FIELDS, "updated_at").iterator(
                chunk_size=5000
            ):
                index.upsert(seeker_from_row(row))
                mark = row["updated_at"] if mark is None or row["updated_at"] > mark else mark
            _state.seekers, _state.seeker_mark, _state.seeker_checked = index, mark or timezone.now(), now
        elif now - _state.seeker_checked > REFRESH_SECONDS:
            for row in Seeker.objects.filter(updated_at__gt=_state.seeker_mark).values(
                *SEEKER_FIELDS, "is_active", "updated_at"
            ):
                _apply_seeker_row(row)
                _state.seeker_mark = max(_state.seeker_mark, row["updated_at"])
            _state.seeker_checked = now
        return _state.seekers


def _apply_seeker_row(row) -> None:
    if row.get("is_active", True):
        _state.seekers.upsert(seeker_from_row(row))
    elif row["id"] in _state.seekers.slot_of:
        _state.seekers.remove(row["id"])


def posting_changed(posting) -> None:
    """Call after a posting is created, edited or changes status (immediate in this process)."""
    with _state.lock:
        if _state.jobs is not None:
            row = {f: getattr(posting, f) for f in JOB_FIELDS}
            row["status"] = posting.status
            if posting.status == PostingStatus.PUBLISHED and posting.pk:
                row["taken"] = posting.applications.filter(status__in=TAKING).count()
            _apply_job_row(row)


def seeker_changed(seeker) -> None:
    with _state.lock:
        if _state.seekers is not None:
            row = {f: getattr(seeker, f) for f in SEEKER_FIELDS}
            row["is_active"] = seeker.is_active
            _apply_seeker_row(row)
