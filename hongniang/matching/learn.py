"""Learning from outcomes, without discrimination: a county's calibration of the soft score's weights, fitted
offline from what happened on the platform, and "people who applied to this also applied to" signals.

What is learned from: the parts of the soft score of a (person, job) pair (docs/matching.md): on the person's
side occupation closeness, pay against the expectation, distance, shift, benefits, freshness; on the employer's
side occupation closeness (experience), nearness, affordability, availability. Nothing else: the records the
engine sees (``Seeker``, ``Job``) carry no gender, ethnicity or place of origin, and age enters only through the
posting's stated legal range (a hard rule, never a weight). So a calibration cannot rank people by them.

Events (plain records, extracted by the platform): ``shown`` (a recommendation), ``viewed``, ``applied``,
``not_interested`` (a staff call), ``rejected`` (the employer said no), ``hired``, ``retained`` / ``left`` (the
follow-up), ``full`` (a view of a posting whose places were all taken then). Two logistic models (numpy, Newton
steps with a small ridge):

* the person's side: applied or hired (1) against opened-and-not-applied or not interested (0), on the person's
  side parts (a job only shown is not an example: the person may never have read that far down the list),
  compared within the channel that brought the job to the person (``channel_of``: a recommendation list, a staff
  call, anything else such as search), each with an intercept of its own; a channel without both a yes and a no
  (search: the platform records applications, not the results left) is no example (``within_channels``); with
  ``correction="exposure+open"`` a no at a posting whose places were all taken when the person looked (a ``full``
  event) is no example either;
* the employer's side: hired (1, more weight when the follow-up says the person stayed, less when they left)
  against rejected (0), on the employer's side parts.

Their positive coefficients, scaled to the hand-set weights' total per side and blended with the hand-set weights
by the side's number of examples (``shrink``: n x fitted + 8,000 x hand-set, over n + 8,000), become the calibrated
weights (``calibrated_config``). ``replay`` trains on earlier events and reports, on later hires, how often the hired job
was in the person's top 10.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .config import MatchConfig
from .core import (
    NEUTRAL_AFFORD,
    NEUTRAL_DIST,
    NEUTRAL_OCC,
    NEUTRAL_PAY,
    NEUTRAL_SHIFT,
    RELOCATED_DIST,
    RELOCATED_NEAR,
    haversine_km,
)
from .explain import wage_mid
from .types import NON_FULL_TIME, Job, Seeker

SEEKER_PARTS = ("w_occupation", "w_pay", "w_distance", "w_shift", "w_benefits", "w_fresh")
EMPLOYER_PARTS = ("e_occupation", "e_near", "e_afford", "e_available")
#: ``full``: the person looked at the posting when its places were all taken (offers and hires at least its
#: headcount; recorded with the look, by the platform's ``fit_matching`` from the applications' transitions)
KINDS = ("shown", "viewed", "applied", "not_interested", "rejected", "hired", "retained", "left", "full")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened between a person and a posting."""

    seeker_id: object
    job_id: object
    kind: str
    at: dt.date

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")


def _closeness(desired: Sequence[str], code: str | None, cfg: MatchConfig) -> tuple[float, float]:
    """(person's side with the position decay, employer's side) occupation closeness, as in the engine."""
    if not desired or not code:
        return NEUTRAL_OCC, NEUTRAL_OCC
    jp = code.split("-")
    s = e = 0.0
    for k, d in enumerate(desired[: cfg.max_desired]):
        dp = d.split("-")
        t = 0.0
        for level, tier in zip((4, 3, 2, 1), cfg.occupation_tiers, strict=True):
            if len(dp) >= level and len(jp) >= level and dp[:level] == jp[:level]:
                t = tier
                break
        s = max(s, t * cfg.desire_decay[min(k, len(cfg.desire_decay) - 1)])
        e = max(e, t)
    return s, e


def pair_parts(seeker: Seeker, job: Job, cfg: MatchConfig, today: dt.date) -> np.ndarray:
    """The ten parts of the soft score (each in [0, 1]): the person's side (occupation, pay, distance, shift,
    benefits, freshness) then the employer's side (occupation, nearness, affordability, availability)."""
    occ_s, occ_e = _closeness(seeker.occupations, job.occupation_code, cfg)
    expected = seeker.expected_wage or cfg.default_expected_wage
    mid = wage_mid(job)
    full = job.shift not in NON_FULL_TIME
    if mid is None:
        pay = NEUTRAL_PAY
    elif full and mid < cfg.minimum_wage_monthly:
        pay = 0.0
    else:
        pay = min(1.0, max(0.0, 0.5 + 1.25 * (mid / expected - 1.0)))
    reach = seeker.max_commute_km if seeker.max_commute_km is not None else cfg.default_max_commute_km
    if "shuttle" in job.benefits:
        reach += cfg.shuttle_extra_km
    if seeker.lat is None or job.lat is None:
        dist = near = NEUTRAL_DIST
    else:
        d = haversine_km(seeker.lat, seeker.lon, job.lat, job.lon)
        if d > reach and seeker.relocate and "lodging" in job.benefits:
            dist, near = RELOCATED_DIST, RELOCATED_NEAR
        else:
            dist = max(0.0, 1.0 - d / reach) if reach > 0 else 0.0
            near = max(0.0, 1.0 - d / cfg.e_near_km)
    best = max((cfg.shift_desirability.get(s, NEUTRAL_SHIFT) for s in seeker.shifts), default=1.0)
    shift = min(1.0, cfg.shift_desirability.get(job.shift, NEUTRAL_SHIFT) / best) if job.shift else NEUTRAL_SHIFT
    benefits = sum(cfg.benefit_values.get(b, 0.0) for b in job.benefits)
    fresh = math.exp(-max(0, (today - job.posted_on).days) / cfg.freshness_days) if job.posted_on else 0.3
    wmax = job.wage_max if job.wage_max is not None else job.wage_min
    afford = NEUTRAL_AFFORD if not wmax else min(1.0, max(0.0, 1.0 - 2.0 * (expected - wmax) / wmax))
    soon = {((today.month - 1 + k) % 12) + 1 for k in range(1 + cfg.unavailable_horizon_months, 4 + cfg.unavailable_horizon_months)}
    avail = 0.5 if full and soon & set(seeker.unavailable_months) else 1.0
    return np.array([occ_s, pay, dist, shift, benefits, fresh, occ_e, near, afford, avail])


def fit_logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, ridge: float = 1.0, iters: int = 25,
                 free: int = 0) -> np.ndarray:
    """Weighted logistic regression with an intercept (first coefficient), Newton steps, L2 penalty ``ridge``
    on the slopes except the last ``free`` columns (e.g. indicators of a channel: intercepts of their own).
    Returns the coefficients (intercept, slopes...)."""
    n, k = X.shape
    A = np.hstack([np.ones((n, 1)), X])
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    beta = np.zeros(k + 1)
    pen = np.full(k + 1, ridge)
    pen[0] = 0.0
    if free:
        pen[-free:] = 0.0
    for _ in range(iters):
        z = np.clip(A @ beta, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        g = A.T @ (w * (y - p)) - pen * beta
        H = (A * (w * p * (1 - p))[:, None]).T @ A + np.diag(pen + 1e-9)
        step = np.linalg.solve(H, g)
        beta += step
        if np.max(np.abs(step)) < 1e-7:
            break
    return beta


@dataclass
class Calibration:
    """Fitted weights of the soft score for one county (``weights``: MatchConfig field -> value)."""

    county: str = ""
    weights: dict = field(default_factory=dict)
    examples: dict = field(default_factory=dict)  # how many examples each side was fitted on
    coefficients: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def _to_weights(beta: np.ndarray, names: Sequence[str], base: MatchConfig) -> dict:
    """Positive slopes scaled to the hand-set weights' total of that side (a part that does not help gets a
    small floor, so no part is switched off by a noisy fit)."""
    total = sum(getattr(base, n) for n in names)
    b = np.maximum(beta[1:], 0.0)
    if b.sum() <= 1e-9:
        return {n: getattr(base, n) for n in names}
    b = np.maximum(b / b.sum(), 0.02)
    b = b / b.sum() * total
    return {n: round(float(v), 4) for n, v in zip(names, b, strict=True)}


#: how many examples the hand-set weights count for in ``shrink`` (chosen once, on the market simulation's base
#: behaviour over its five shapes, from 0 / 8,000 / 25,000; docs/matching.md, "Shrinkage toward the hand-set weights")
PRIOR_EXAMPLES = 8000


def shrink(fitted: dict, names: Sequence[str], base: MatchConfig, n: int, prior_examples: float) -> dict:
    """Empirical-Bayes blend of one side's fitted weights with the hand-set ones: (n x fitted + k x hand-set) /
    (n + k), ``n`` the side's examples, ``k`` = ``prior_examples`` (what the hand-set weights are worth, in
    examples). Few examples: close to the hand-set weights; many: the data. Both sum to the side's total."""
    if prior_examples <= 0:
        return fitted
    a = n / (n + prior_examples)
    return {m: round(a * fitted[m] + (1 - a) * getattr(base, m), 4) for m in names}


#: how the person's side is fitted: "exposure" (the default since 2026-12-06) compares applications with judged
#: no's only within the channel that brought the job to the person (``channel_of``), "none" pools them all (before),
#: "exposure+open" as "exposure" but a no at a posting that was full when the person looked (a ``full`` event) is
#: no example: it says nothing about the person's taste for the job's features (``open_only``)
CORRECTIONS = ("exposure", "none", "exposure+open")
CORRECTION = "exposure"


def channel_of(kinds: set) -> str:
    """How a job came before the person, as far as a pair's events tell: ``list`` (recommended to them: a
    ``shown`` impression, the only exposure the platform records with its no's), ``call`` (staff called about it
    and heard 不感兴趣; calls record no yes), ``other`` (found some other way: search, a fair, a poster — the
    platform records the application, never the postings looked at and left)."""
    if "shown" in kinds:
        return "list"
    if "not_interested" in kinds:
        return "call"
    return "other"


def within_channels(X: np.ndarray, y: np.ndarray, channels: Sequence[str]) -> tuple[np.ndarray, np.ndarray, int, dict]:
    """The person's examples for a fit conditional on exposure: only channels with both a yes and a no are kept,
    and each kept channel but the first gets an indicator column (left unpenalized: an intercept of its own), so
    only how a person's yes differ from their no *within* a channel teaches the weights. Without it, applications
    found by search anywhere in the county (no recorded no's) weigh against the no's of recommendation lists (all
    within reach): nearness looks like a reason *not* to apply. Returns (X with the indicators, y, number of
    indicator columns, {channel: {"yes": n, "no": n}} before dropping)."""
    counts: dict = {}
    for c, v in zip(channels, y, strict=True):
        counts.setdefault(c, {"yes": 0, "no": 0})["yes" if v else "no"] += 1
    kept = [c for c in sorted(counts) if counts[c]["yes"] and counts[c]["no"]]
    ch = np.asarray(channels, dtype=object)
    mask = np.isin(ch, kept) if kept else np.zeros(len(y), dtype=bool)
    X, y, ch = X[mask], y[mask], ch[mask]
    dummies = [(ch == c).astype(np.float64)[:, None] for c in kept[1:]]
    return (np.hstack([X, *dummies]) if dummies else X), y, len(dummies), counts


def fit_calibration(events: Iterable[Event], seekers: dict, jobs: dict, *, base: MatchConfig | None = None,
                    county: str = "", min_examples: int = 200, prior_examples: float = PRIOR_EXAMPLES,
                    correction: str = CORRECTION) -> Calibration:
    """Fit both sides from events (``seekers`` / ``jobs``: id -> record). A side with fewer than
    ``min_examples`` examples keeps the hand-set weights; a side's fit is blended with the hand-set weights by its
    number of examples (``shrink``; ``prior_examples=0``: the fit alone, as before 2026-12-06). ``correction``:
    "exposure" fits the person's side within each channel (``within_channels``), "none" on all examples pooled
    (as before 2026-12-06), "exposure+open" within each channel without the no's at full postings."""
    if correction not in CORRECTIONS:
        raise ValueError(f"unknown correction {correction!r}")
    base = base or MatchConfig()
    by_pair: dict = defaultdict(set)
    when: dict = {}
    for ev in events:
        key = (ev.seeker_id, ev.job_id)
        if ev.seeker_id in seekers and ev.job_id in jobs:
            by_pair[key].add(ev.kind)
            when[key] = min(when.get(key, ev.at), ev.at)
    Xs, ys, cs, Xe, ye, we = [], [], [], [], [], []
    open_only, dropped_full = correction == "exposure+open", 0
    for (sid, jid), kinds in by_pair.items():
        parts = pair_parts(seekers[sid], jobs[jid], base, when[(sid, jid)])
        applied = bool(kinds & {"applied", "hired", "rejected", "retained", "left"})
        if applied:
            Xs.append(parts[:6])
            ys.append(1.0)
            cs.append(channel_of(kinds))
        elif open_only and "full" in kinds and kinds & {"not_interested", "viewed"}:
            dropped_full += 1  # the person may have liked it: its places were taken when they looked
        elif kinds & {"not_interested", "viewed"}:
            # a "no" only where the person judged the job (opened it, or told staff 不感兴趣): items shown below where
            # they stopped reading were never judged, and counting them taught the fit that nearness does not matter
            # (they are all within reach; docs/matching.md, calibrated placements)
            Xs.append(parts[:6])
            ys.append(0.0)
            cs.append(channel_of(kinds))
        if "hired" in kinds or "rejected" in kinds:
            Xe.append(parts[6:])
            ye.append(1.0 if "hired" in kinds else 0.0)
            we.append(1.5 if "retained" in kinds else (0.5 if "left" in kinds else 1.0))
    X, y, free = np.array(Xs).reshape(len(Xs), 6), np.array(ys), 0
    examples: dict = {}
    if correction in ("exposure", "exposure+open"):
        X, y, free, examples["seeker_side_by_channel"] = within_channels(X, y, cs)
    if open_only:
        examples["seeker_side_no_at_full_left_out"] = dropped_full
    cal = Calibration(county=county, examples={"seeker_side": len(y), "employer_side": len(ye), **examples})
    weights = {n: getattr(base, n) for n in SEEKER_PARTS + EMPLOYER_PARTS}
    if len(y) >= min_examples and 0 < y.sum() < len(y):
        beta = fit_logistic(X, y, free=free)
        cal.coefficients["seeker_side"] = [round(float(x), 4) for x in beta]
        beta = beta[: len(beta) - free]  # the channels' own intercepts are not weights
        weights.update(shrink(_to_weights(beta, SEEKER_PARTS, base), SEEKER_PARTS, base, len(y), prior_examples))
    if len(ye) >= min_examples and 0 < sum(ye) < len(ye):
        beta = fit_logistic(np.array(Xe), np.array(ye), np.array(we))
        cal.coefficients["employer_side"] = [round(float(x), 4) for x in beta]
        weights.update(shrink(_to_weights(beta, EMPLOYER_PARTS, base), EMPLOYER_PARTS, base, len(ye), prior_examples))
    cal.weights = weights
    return cal


def calibrated_config(base: MatchConfig, calibration: Calibration | dict | None) -> MatchConfig:
    """``base`` with a calibration's weights (unknown keys are ignored; only the soft score's weights change)."""
    if not calibration:
        return base
    w = calibration.weights if isinstance(calibration, Calibration) else calibration.get("weights", calibration)
    known = {k: float(v) for k, v in (w or {}).items() if k in SEEKER_PARTS + EMPLOYER_PARTS}
    return dataclasses.replace(base, **known)


#: the events that show a person's interest in a posting strong enough to teach "also applied to"
APPLIED = ("applied", "hired", "rejected")
#: the events that make up a person's history for ``rerank`` (their applications; with ``HISTORY_OPENED`` also the
#: postings they opened)
HISTORY = APPLIED
HISTORY_OPENED = APPLIED + ("viewed",)


def history_of(events: Iterable[Event], kinds: Iterable[str] = HISTORY) -> dict:
    """Each person's history (seeker_id -> [job_id, ...] in the order first seen, no repeats) from events."""
    want = set(kinds)
    out: dict = {}
    for ev in events:
        if ev.kind in want:
            lst = out.setdefault(ev.seeker_id, [])
            if ev.job_id not in lst:
                lst.append(ev.job_id)
    return out


class CoApplications:
    """"People who applied to this also applied to", counted over *keys* of postings.

    ``key(job_id)`` says what a posting is, for this purpose (``None``: unknown, ignored). The default is the
    posting itself (as before 2026-12-06): a posting's co-applications are then gone when it closes, and a new
    posting starts with none. A key that outlives postings — the employer and the occupation code (``某厂的缝纫工``),
    or the occupation code alone — carries "people who applied to 某厂's 缝纫工 jobs also applied to X's 普工" over to
    their new postings. ``kinds``: the events that count as applying.

    For two keys a, b: ``together[a][b]`` is the number of people who applied to a posting of a and to another
    posting of b (a posting is never counted with itself, so with the default key a == b never occurs: two
    postings of the same employer and occupation count as "also applied to" that same key); ``count[a]`` the
    number who applied to a posting of a. Only who applied where is used: no attribute of the person.
    """

    def __init__(self, events: Iterable[Event], key: Callable | None = None, *, kinds: Iterable[str] = APPLIED,
                 min_people: int = 1) -> None:
        self.key = key if key is not None else _same
        self.min_people = min_people
        want = set(kinds)
        by_person: dict = defaultdict(dict)  # person -> key -> set of postings
        for ev in events:
            if ev.kind in want:
                k = self.key(ev.job_id)
                if k is not None:
                    by_person[ev.seeker_id].setdefault(k, set()).add(ev.job_id)
        self.together: dict = defaultdict(Counter)
        self.count: Counter = Counter()
        for keys in by_person.values():
            for a, ja in keys.items():
                self.count[a] += 1
                for b in keys:
                    if a != b or len(ja) > 1:
                        self.together[a][b] += 1

    def _history(self, history: Iterable) -> dict:
        """history key -> the history's postings of that key (keys seen by fewer than ``min_people`` left out)."""
        out: dict = {}
        for h in history:
            k = self.key(h)
            if k is not None and self.count.get(k, 0) >= self.min_people:
                out.setdefault(k, set()).add(h)
        return out

    def _affinity(self, hist: dict, job_id) -> float:
        k = self.key(job_id)
        if k is None:
            return 0.0
        best = 0.0
        for h, postings in hist.items():
            if h == k and postings <= {job_id}:
                continue  # the posting itself is no evidence for itself
            share = self.together[h].get(k, 0) / self.count[h]
            best = max(best, share)
        return best

    def affinity(self, history: Iterable, job_id) -> float:
        """How strongly a job goes with the jobs of a person's history: the largest share, over the history's keys,
        of the people who applied to that key who also applied to the job's key (0-1)."""
        return self._affinity(self._history(history), job_id)


def _same(job_id):
    return job_id


def rerank(matches: list, history: Iterable, co: CoApplications | None, top: int, strength: float = 0.3) -> list:
    """Re-order a longer list (``Match`` records, best first) by score x (1 + strength x affinity) and keep
    ``top``. Work the person's history (earlier applications, opened postings) points to moves up; nothing else
    changes: only the given matches are re-ordered, none is added."""
    hist = co._history(history) if co else {}
    if not hist:
        return matches[:top]
    keyed = [(-(m.score * (1.0 + strength * co._affinity(hist, m.job_id))), k, m) for k, m in enumerate(matches)]
    keyed.sort(key=lambda x: (x[0], x[1]))
    return [m for _, _, m in keyed[:top]]


def recall_at(lists: dict, hires: Sequence[tuple], k: int = 10) -> float:
    """Share of (seeker_id, job_id) hires whose job is in the seeker's first ``k``."""
    if not hires:
        return 0.0
    hit = sum(1 for sid, jid in hires if jid in lists.get(sid, [])[:k])
    return hit / len(hires)
