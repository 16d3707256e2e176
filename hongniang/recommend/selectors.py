"""Recommendations for people, candidates for jobs, call lists for staff — engine results joined back to rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from hongniang.core import roles
from hongniang.jobs.models import JobPosting
from hongniang.matching import Match, rank_candidates, recommend_jobs
from hongniang.matching.explain import OTHER_WORK, SEP
from hongniang.seekers.models import Seeker

from . import state
from .adapters import job_from_posting, seeker_from_model


@dataclass
class PostingMatch:
    posting: object
    score: float
    reasons: str
    distance_km: float | None

    @property
    def other(self) -> bool:
        """Far from every occupation the person named: shown at the end, under "其他可以考虑的工作"."""
        return OTHER_WORK in self.reasons

    @property
    def reasons_text(self) -> str:
        """The reasons without the "其他可以考虑的工作" label (the list shows it as a heading)."""
        return self.reasons.replace(SEP + OTHER_WORK, "").replace(OTHER_WORK, "")


@dataclass
class SeekerMatch:
    seeker: object
    score: float
    reasons: str
    distance_km: float | None
    full: bool  # may the viewer see this person's name and phone in full?
    applied: bool

    @property
    def age(self) -> int | None:
        year = self.seeker.birth_year
        return timezone.localdate().year - year if year else None


def engine_matches(seeker, top: int = 10, capacity_aware: bool = True) -> list[Match]:
    """The engine's list for this seeker (posting ids, scores, reasons), best first, from the process's index:
    the rows are not read (``recommendations_for`` joins them; the demo's placement history reads them in bulk)."""
    return recommend_jobs(seeker_from_model(seeker), state.job_index(), top=top, capacity_aware=capacity_aware,
                          today=timezone.localdate())


def recommendations_for(seeker, top: int = 10, capacity_aware: bool = True) -> list[PostingMatch]:
    """The open postings this seeker would take, best first, with reasons (capacity-aware by default)."""
    matches = engine_matches(seeker, top=top, capacity_aware=capacity_aware)
    postings = JobPosting.objects.select_related("enterprise", "township").in_bulk([m.job_id for m in matches])
    return [PostingMatch(postings[m.job_id], m.score, m.reasons, m.distance_km) for m in matches
            if m.job_id in postings and postings[m.job_id].is_open]


def _seeker_matches(posting, matches: list[Match], viewer, *, limit: int) -> list[SeekerMatch]:
    ids = [m.seeker_id for m in matches]
    seekers = Seeker.objects.select_related("home_region__parent", "service_point").in_bulk(ids)
    # a withdrawn application is no consent any more: that person is a masked candidate again
    applied = set(posting.applications.filter(seeker_id__in=ids).exclude(status="withdrawn")
                  .values_list("seeker_id", flat=True))
    points = set(roles.service_point_ids(viewer))
    bureau = roles.is_bureau(viewer)
    out = []
    for m in matches:
        s = seekers.get(m.seeker_id)
        if s is None:
            continue
        full = bureau or s.pk in applied or (s.service_point_id in points)
        out.append(SeekerMatch(s, m.score, m.reasons, m.distance_km, full, s.pk in applied))
        if len(out) >= limit:
            break
    return out


def candidates_for(posting, viewer, top: int = 30) -> list[SeekerMatch]:
    """Ranked candidates for a posting. Personal data is masked unless the seeker applied to it (and has not
    withdrawn), or the viewer is staff of the seeker's point or the bureau."""
    matches = rank_candidates(job_from_posting(posting), state.seeker_index(), top=top,
                              today=timezone.localdate())
    return _seeker_matches(posting, matches, viewer, limit=top)


def call_list_for(posting, viewer, service_point_ids: list[int], top: int = 30) -> list[SeekerMatch]:
    """Best-matching seekers of the given points for a posting, for staff to phone."""
    wanted = set(Seeker.objects.filter(service_point_id__in=service_point_ids, is_active=True)
                 .values_list("pk", flat=True))
    if not wanted:
        return []
    pool = rank_candidates(job_from_posting(posting), state.seeker_index(), top=max(top * 20, 2000),
                           today=timezone.localdate())
    return _seeker_matches(posting, [m for m in pool if m.seeker_id in wanted], viewer, limit=top)
