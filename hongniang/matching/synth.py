"""A synthetic labour market for tests and benchmarks (deterministic for a seed).

Places: ``n_towns`` county seats in a box (default: about Jiangxi province, 4 x 4 degrees around
25-29 N, 114-118 E); town sizes follow Zipf. Jobs cluster around seats (industrial parks, sigma 4 km),
seekers spread into villages (sigma 12 km). Occupation codes follow the national classification shape
"major-medium-minor-occupation" (5 x 4 x 3 x 4 = 240 occupations) with Zipf popularity.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from .blocks import SeekerBatch, _score_block
from .index import JobIndex
from .prices import estimate_prices
from .reference import chord_to_km
from .types import Job, Seeker

CERTS = ["电工证", "焊工证", "叉车证", "健康证", "育婴员证", "养老护理员证", "厨师证", "驾驶证B2", "保安员证", "电焊证", "挖掘机证", "会计证"]
BUSY = [(4, 5), (9, 10), (4, 5, 9, 10)]
SHIFT_P = {"day": 0.45, "two_shift": 0.2, "three_shift": 0.1, "flexible": 0.1, "part_time": 0.1, "home_piecework": 0.05}


def occupations() -> list[str]:
    return [f"{ma}-{me:02d}-{mi:02d}-{oc:02d}" for ma in (2, 3, 4, 5, 6) for me in range(1, 5) for mi in range(1, 4) for oc in range(1, 5)]


class Market:
    def __init__(self, seed: int = 0, n_towns: int = 100, box=(25.0, 29.0, 114.0, 118.0), today=dt.date(2025, 3, 1)):
        self.rng = np.random.default_rng(seed)
        self.today = today
        r = self.rng
        self.town_lat = r.uniform(box[0], box[1], n_towns)
        self.town_lon = r.uniform(box[2], box[3], n_towns)
        w = 1.0 / np.arange(1, n_towns + 1)
        self.town_w = w / w.sum()
        self.occ = occupations()
        pop = 1.0 / np.arange(1, len(self.occ) + 1) ** 0.8
        perm = r.permutation(len(self.occ))
        self.occ_p = (pop / pop.sum())[perm]
        self.occ_wage = r.uniform(2800, 5800, len(self.occ))

    def _places(self, n, sigma_km):
        r = self.rng
        t = r.choice(len(self.town_w), n, p=self.town_w)
        lat = self.town_lat[t] + r.normal(0, sigma_km / 111.2, n)
        lon = self.town_lon[t] + r.normal(0, sigma_km / (111.2 * math.cos(math.radians(27))), n)
        return lat, lon

    def jobs(self, n: int, prefix: str = "j") -> list[Job]:
        r = self.rng
        lat, lon = self._places(n, 4.0)
        occ = r.choice(len(self.occ), n, p=self.occ_p)
        shifts = r.choice(list(SHIFT_P), n, p=list(SHIFT_P.values()))
        head = np.minimum(50, 1 + r.geometric(0.3, n) - 1 + r.integers(0, 2, n))
        out = []
        for i in range(n):
            wmin = int(round(self.occ_wage[occ[i]] * r.uniform(0.85, 1.15), -2))
            wmax = wmin + int(r.choice([0, 500, 1000, 1500, 2000]))
            if r.random() < 0.03:
                wmin = wmax = None
            elif r.random() < 0.02:
                wmin, wmax = 1400, 1500
            if shifts[i] in ("part_time", "home_piecework") and wmin is not None:
                wmin, wmax = wmin // 2, wmax // 2
            age = r.random() < 0.6
            ben = frozenset(b for b, p in (("board", 0.5), ("lodging", 0.25), ("shuttle", 0.2), ("social_insurance", 0.5)) if r.random() < p)
            out.append(Job(
                job_id=f"{prefix}{i}", occupation_code=self.occ[occ[i]], lat=float(lat[i]), lon=float(lon[i]),
                wage_min=wmin, wage_max=wmax, shift=str(shifts[i]), headcount=int(head[i]),
                age_min=18 if age else None, age_max=int(r.choice([40, 45, 50, 55])) if age else None,
                certificates=(CERTS[r.integers(len(CERTS))],) if r.random() < 0.08 else (),
                benefits=ben, posted_on=self.today - dt.timedelta(days=int(r.integers(0, 60))),
            ))
        return out

    def seekers(self, n: int, prefix: str = "s") -> list[Seeker]:
        r = self.rng
        lat, lon = self._places(n, 12.0)
        out = []
        occ = self.occ
        for i in range(n):
            first = r.choice(len(occ), p=self.occ_p)
            desired = [occ[first]]
            for _ in range(int(r.integers(0, 3))):
                if r.random() < 0.5:  # something in the same minor group
                    desired.append(occ[first][:-2] + f"{int(r.integers(1, 5)):02d}")
                else:
                    desired.append(occ[r.choice(len(occ), p=self.occ_p)])
            desired = list(dict.fromkeys(desired))
            shifts = frozenset()
            if r.random() < 0.6:
                shifts = frozenset({"day"} | {s for s in SHIFT_P if r.random() < 0.35})
            out.append(Seeker(
                seeker_id=f"{prefix}{i}", lat=float(lat[i]), lon=float(lon[i]),
                birth_year=int(self.today.year - r.integers(18, 61)), occupations=tuple(desired),
                certificates=tuple(CERTS[k] for k in r.choice(len(CERTS), int(r.integers(1, 3)), replace=False)) if r.random() < 0.12 else (),
                expected_wage=None if r.random() < 0.15 else int(round(np.clip(r.normal(4000, 900), 2000, 9000), -2)),
                shifts=shifts, max_commute_km=None if r.random() < 0.15 else float(r.choice([5, 10, 15, 20, 30])),
                relocate=bool(r.random() < 0.12),
                unavailable_months=frozenset(BUSY[int(r.integers(3))]) if r.random() < 0.2 else frozenset(),
            ))
        return out


# --------------------------------------------------------------------------- a market simulation

def _closeness(desired: tuple, code: str | None) -> float:
    if not desired or not code:
        return 0.5
    best = 0.0
    for k, d in enumerate(desired):
        if d == code:
            t = 1.0
        elif d.rsplit("-", 1)[0] == code.rsplit("-", 1)[0]:
            t = 0.6
        elif d.split("-")[:2] == code.split("-")[:2]:
            t = 0.3
        else:
            t = 0.0
        best = max(best, t * (1.0 - 0.1 * k))
    return best


def would_take(s: Seeker, j: Job, d_km: float | None) -> float | None:
    """The seeker's own (hidden) utility of a job, or None if they would not take it at all:
    the occupation must be at least in the same medium group as a wanted one, and pay at least 90% of the
    expectation. A per-pair taste term (deterministic) models what the engine cannot see."""
    import zlib

    c = _closeness(s.occupations, j.occupation_code)
    if c < 0.27:
        return None
    w = [x for x in (j.wage_min, j.wage_max) if x is not None]
    mid = sum(w) / len(w) if w else None
    exp = s.expected_wage or 3000
    if mid is not None and mid < 0.9 * exp:
        return None
    taste = (zlib.crc32(f"{s.seeker_id}|{j.job_id}".encode()) % 1000) / 1000.0 - 0.5
    return 2.0 * c + (mid / exp if mid else 0.9) - (d_km or 10.0) / 30.0 + 0.4 * taste


def recommendation_lists(jobs, seekers, today, mode: str, top: int) -> dict:
    """seeker_id -> [job_id] lists by one method: plain | capacity (the engine) or a baseline
    (nearest | newest | highest_pay: every eligible job, sorted by that key alone)."""
    idx = JobIndex(jobs)
    sb = SeekerBatch(idx)
    sb.extend(seekers)
    sb.finish()
    if mode == "capacity":
        estimate_prices(idx, sb, top=top, today=today)
    k = top if mode in ("plain", "capacity") else 10**9
    out = {}
    st = idx.store.cols
    for rows in sb.blocks():
        ptr, slots, _score, chord, _far, _e = _score_block(idx, sb, rows, k, today, mode == "capacity")
        for b, r in enumerate(rows):
            pick = np.arange(ptr[b], ptr[b + 1])
            if mode == "nearest":
                pick = pick[np.argsort(np.nan_to_num(chord[pick], nan=9.0), kind="stable")]
            elif mode == "newest":
                pick = pick[np.argsort(-st["posted"][slots[pick]], kind="stable")]
            elif mode == "highest_pay":
                pick = pick[np.argsort(-np.nan_to_num(st["wage_mid"][slots[pick]], nan=0.0), kind="stable")]
            pick = pick[:top]
            out[sb.ids[r]] = [(idx.jobs[int(slots[p])].job_id, float(chord_to_km(chord[p]))) for p in pick]
    return out


def simulate(jobs, seekers, today, mode: str = "capacity", top: int = 10, seed: int = 0) -> dict:
    """Seekers arrive in random order; each takes the job they like best (``would_take``) among their list
    that still has an opening; jobs fill to headcount in arrival order. Returns placements and fill rate."""
    lists = recommendation_lists(jobs, seekers, today, mode, top)
    by_id = {j.job_id: j for j in jobs}
    left = {j.job_id: j.headcount for j in jobs}
    order = np.random.default_rng(seed).permutation(len(seekers))
    placed = 0
    for i in order:
        s = seekers[i]
        best, best_u = None, None
        for jid, d in lists.get(s.seeker_id, []):
            if left[jid] <= 0:
                continue
            u = would_take(s, by_id[jid], None if d != d else d)
            if u is not None and (best_u is None or u > best_u):
                best, best_u = jid, u
        if best is not None:
            left[best] -= 1
            placed += 1
    positions = sum(j.headcount for j in jobs)
    return {"mode": mode, "seekers": len(seekers), "positions": positions, "placed": placed,
            "fill_rate": placed / positions if positions else 0.0, "placed_share": placed / len(seekers) if seekers else 0.0}
