"""A two-sided labour-market simulation of Ruijin, to judge how many people a recommender places.

The model (docs/matching.md, "The market simulation"):

* Places: Ruijin's 18 townships (real seats), seekers in villages around them (sigma 4 km), jobs mostly in the
  county seat and the development zone, some in the townships. Occupations: the 85 common codes of
  ``hongniang/data/common_occupations.csv``; seekers and jobs follow *different* popularity (the county's
  mismatch: more people want cleaning, security or driving work than there are such jobs).
* Seekers see their list of 10 top-down and may stop early (after each look they go on with a personal
  probability, mean ``patience``). A seeker applies to a job when a hidden utility is positive: occupation
  (named first > named later > same minor group > same medium group > anything else), pay against a hidden true
  expectation, distance against reach, shift, board and lodging, a per-pair taste the recommender cannot see,
  minus a personal reservation level.
* The employer says yes when its own hidden evaluation is positive: experience (the occupation named), expected
  pay against the wage range, a per-pair taste and a per-employer pickiness (hidden too).
* Positions run out. Seekers arrive over ``rounds`` rounds. ``sequential``: each arriving seeker browses and is
  hired at once (first come, first served). ``rounds``: each round every active seeker looks at the next few
  items and applies to all acceptable ones; at the end of the round each employer takes the best of its
  applicants up to its open positions; a seeker with several offers takes the one they like best; the others
  go on next round.

Every random draw (tastes, patience, arrival order) is common to all methods for a seed, so methods are compared
on the same people and employers. Nothing here is used by the engine.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math
import os
import zlib
from dataclasses import dataclass, field

import numpy as np

from hongniang.matching import Job, Seeker

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "hongniang", "data")
TODAY = dt.date(2025, 4, 15)

# (township short name, lat, lon, population weight, job weight); the two without coordinates placed by hand
_MISSING = {"冈面": (26.03, 116.20), "瑞金经开区": (25.865, 116.055)}


def townships() -> list[tuple[str, float, float]]:
    out = []
    with open(os.path.join(DATA, "regions_360781.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["kind"] != "township":
                continue
            if r["lat"]:
                out.append((r["short_name"], float(r["lat"]), float(r["lon"])))
            else:
                out.append((r["short_name"], *_MISSING[r["short_name"]]))
    return out


def occupation_codes() -> list[tuple[str, str]]:
    with open(os.path.join(DATA, "common_occupations.csv"), encoding="utf-8") as f:
        return [(r["code"], r["common_label"]) for r in csv.DictReader(f)]


# rough monthly pay by the first digits of the code (CNY), and which work is full of jobs / of people
_BASE_WAGE = {"6-31-05": 4000, "6-05": 4300, "6-04": 4000, "6-25": 4300, "6-24": 4200, "6-14": 4500, "6-18": 5500,
              "6-20": 5500, "6-31": 5000, "6-06": 5000, "6-29": 6000, "6-30": 6500, "6-02": 3800, "6-01": 3500,
              "4-02-02": 6500, "4-02": 4200, "4-10-08": 5500, "4-03": 3800, "4-01": 3500, "4-07": 3200, "4-09": 2600,
              "4-10": 4000, "4-14": 4000, "4-12": 4800, "5-": 3000}


def base_wage(code: str) -> float:
    best = 3500
    for k in sorted(_BASE_WAGE, key=len):
        if code.startswith(k):
            best = _BASE_WAGE[k]
    return float(best)


@dataclass(frozen=True)
class Shape:
    """A market's size and form."""

    name: str
    seekers: int = 20_000
    postings: int = 3_000
    positions: int = 19_000
    big_employer: float = 0.0  # share of positions held by one employer in the development zone
    remote: str | None = None  # a township far from the seat with many people and few jobs
    remote_people: float = 0.0
    remote_jobs: float = 0.0


SHAPES = {
    "balanced": Shape("balanced"),
    "tight": Shape("tight", seekers=20_000, postings=1_500, positions=8_000),
    "slack": Shape("slack", seekers=10_000, postings=3_000, positions=19_000),
    "big_employer": Shape("big_employer", seekers=20_000, postings=2_400, positions=19_000, big_employer=0.35),
    "remote": Shape("remote", remote="拔英", remote_people=0.18, remote_jobs=0.01),
}


@dataclass(frozen=True)
class Behaviour:
    """How people and employers decide (hidden from the recommender)."""

    name: str = "base"
    # seeker utility
    occ_named: tuple = (1.0, 0.85, 0.7)  # the 1st, 2nd, 3rd occupation named
    occ_minor: float = 0.35
    occ_medium: float = -0.4
    occ_other: float = -1.6
    occ_none: float = 0.3  # the person named nothing
    beta_pay: float = 2.5  # x log(mid pay / true expectation)
    beta_dist: float = 1.0  # x distance / reach
    night_shift: float = -0.35  # three shifts (two shifts: half), unless the person listed it
    lodging_far: float = 0.25  # board + lodging for someone more than 15 km away
    taste_sd: float = 0.5  # per (person, job)
    reservation: tuple = (0.35, 0.35)  # mean, sd
    expectation_sd: float = 0.12  # true expectation = stated x lognormal
    employer_appeal_sd: float = 0.0  # per employer: a reputation people know and the platform does not (0: none)
    # employer evaluation
    e_named: float = 1.0
    e_minor: float = 0.6
    e_medium: float = 0.0
    e_other: float = -1.0
    e_none: float = 0.2
    e_pay: float = 1.5  # x max(0, expected / wage_max - 1)
    e_age: float = 0.5  # hidden: prefers people under 45 (the engine must not use it)
    e_taste_sd: float = 0.5
    pickiness: tuple = (0.1, 0.35)  # mean, sd per employer
    # browsing and time
    patience: float = 0.75  # mean probability of looking at the next item
    mode: str = "sequential"  # or "rounds"
    rounds: int = 4
    per_round: int = 3  # items looked at per round ("rounds" mode)


BEHAVIOURS = {
    "base": Behaviour(),
    # held out: never used to choose the engine's settings
    "strict": Behaviour("strict", occ_minor=0.1, occ_medium=-1.5, occ_other=-3.0, patience=0.6),
    "lenient": Behaviour("lenient", occ_minor=0.6, occ_medium=0.1, occ_other=-0.7, patience=0.85),
    "picky": Behaviour("picky", pickiness=(0.6, 0.4), e_other=-2.0, e_medium=-0.6),
    "pay": Behaviour("pay", beta_pay=5.0, beta_dist=0.5),
    "near": Behaviour("near", beta_dist=2.5, beta_pay=1.2),
    "rounds": Behaviour("rounds", mode="rounds", patience=0.8),
    "noisy": Behaviour("noisy", taste_sd=1.0, e_taste_sd=0.9, reservation=(0.5, 0.5)),
    "impatient": Behaviour("impatient", patience=0.45),
    "clear": Behaviour("clear", taste_sd=0.2, reservation=(0.35, 0.15), e_taste_sd=0.2, pickiness=(0.1, 0.15)),
}


@dataclass
class Market:
    shape: Shape
    seed: int
    jobs: list[Job]
    seekers: list[Seeker]
    employer: np.ndarray  # per job: employer number
    township_of_seeker: list[str]
    # hidden
    true_expected: np.ndarray
    reservation: np.ndarray
    patience_u: np.ndarray  # per seeker: their continuation probability
    hidden_age_ok: np.ndarray  # per seeker: under 45
    pickiness: np.ndarray  # per employer
    arrival: np.ndarray  # per seeker: round
    order: np.ndarray  # arrival order (within rounds: random)
    draws: np.ndarray  # per seeker x 10: uniforms for browsing
    extra: dict = field(default_factory=dict)


def make_market(shape: Shape, seed: int, scale: float = 1.0, behaviour: Behaviour | None = None) -> Market:
    """A market of this shape (deterministic for the seed). ``scale`` shrinks it (quick runs)."""
    b = behaviour or Behaviour()
    r = np.random.default_rng(seed * 7919 + zlib.crc32(shape.name.encode()) % 1000)
    towns = townships()
    names = [t[0] for t in towns]
    tlat = np.array([t[1] for t in towns])
    tlon = np.array([t[2] for t in towns])
    n_s = max(50, int(shape.seekers * scale))
    n_j = max(10, int(shape.postings * scale))
    n_pos = max(n_j, int(shape.positions * scale))
    occ = occupation_codes()
    codes = [c for c, _ in occ]
    V = len(codes)
    # people: more in the seat, the rest by township
    pop = np.array([3.0 if n in ("象湖", "沙洲坝") else 1.0 for n in names])
    pop[names.index("瑞金经开区")] = 0.3
    jobw = np.array([6.0 if n in ("象湖", "沙洲坝") else (8.0 if n == "瑞金经开区" else 0.5) for n in names])
    if shape.remote:
        k = names.index(shape.remote)
        pop = pop / pop.sum() * (1 - shape.remote_people)
        pop[k] = shape.remote_people
        jobw = jobw / jobw.sum() * (1 - shape.remote_jobs)
        jobw[k] = shape.remote_jobs
    pop, jobw = pop / pop.sum(), jobw / jobw.sum()
    # occupation popularity: jobs (factories) vs people (services and driving as well)
    factory = np.array([2.5 if c.startswith("6-") else 0.6 for c in codes])
    factory[codes.index("6-31-05-00")] = 12.0  # 普工
    people = np.array([1.0 if c.startswith("6-") else 1.6 for c in codes])
    people[codes.index("6-31-05-00")] = 10.0
    for c in ("4-09-08-01", "4-07-05-01", "4-02-02-01", "4-02-05-01", "5-01-02-01"):
        people[codes.index(c)] = 5.0
    zipf_j = r.permutation(1.0 / np.arange(1, V + 1) ** 0.6)
    zipf_p = r.permutation(1.0 / np.arange(1, V + 1) ** 0.6)
    pj = factory * zipf_j
    pp = people * zipf_p
    pj, pp = pj / pj.sum(), pp / pp.sum()
    pp = 0.75 * pj + 0.25 * pp  # people mostly want the work there is, a quarter something else

    # ---- jobs
    big = shape.big_employer > 0
    n_big = 10 if big else 0
    t = r.choice(len(towns), n_j, p=jobw)
    jl = tlat[t] + r.normal(0, 2.0 / 111.2, n_j)
    jo = tlon[t] + r.normal(0, 2.0 / 100.0, n_j)
    occ_j = r.choice(V, n_j, p=pj)
    head = np.ceil(r.lognormal(0.8, 1.0, n_j)).astype(int)
    head = np.maximum(1, np.round(head * (n_pos * (1 - shape.big_employer)) / head[n_big:].sum())).astype(int)
    n_emp = max(5, n_j // 4)
    employer = r.integers(1, n_emp, n_j)
    if big:
        k = names.index("瑞金经开区")
        jl[:n_big] = tlat[k] + r.normal(0, 0.3 / 111.2, n_big)
        jo[:n_big] = tlon[k] + r.normal(0, 0.3 / 100.0, n_big)
        big_occ = [codes.index(c) for c in ("6-25-04-07", "6-25-04-08", "6-31-05-00", "6-25-01-13", "6-31-03-05")]
        occ_j[:n_big] = [big_occ[i % len(big_occ)] for i in range(n_big)]
        head[:n_big] = np.maximum(1, np.round(np.full(n_big, n_pos * shape.big_employer / n_big))).astype(int)
        employer[:n_big] = 0
    shifts = ["day", "two_shift", "three_shift", "flexible", "part_time", "home_piecework"]
    jobs = []
    for i in range(n_j):
        code = codes[occ_j[i]]
        bw = base_wage(code) * r.uniform(0.8, 1.25)
        sh = shifts[r.choice(6, p=[0.5, 0.2, 0.08, 0.1, 0.08, 0.04])] if i >= n_big else "two_shift"
        wmin = int(round(bw, -2))
        wmax = wmin + int(r.choice([0, 500, 1000, 1500, 2000]))
        if sh in ("part_time", "home_piecework"):
            wmin, wmax = wmin // 2, wmax // 2
        if r.random() < 0.03:
            wmin = wmax = None
        ben = {x for x, p in (("board", 0.5), ("lodging", 0.3), ("shuttle", 0.15), ("social_insurance", 0.5)) if r.random() < p}
        if i < n_big:
            ben |= {"board", "lodging", "shuttle", "social_insurance"}
        aged = r.random() < 0.6
        jobs.append(Job(
            job_id=f"j{i}", occupation_code=code, lat=float(jl[i]), lon=float(jo[i]), wage_min=wmin, wage_max=wmax,
            shift=sh, headcount=int(head[i]), age_min=18 if aged else None,
            age_max=int(r.choice([40, 45, 50, 55])) if aged else None,
            certificates=("电工证",) if code == "6-31-01-03" and r.random() < 0.7 else (("驾驶证B2",) if code.startswith("4-02-02") else ()),
            benefits=frozenset(ben), posted_on=TODAY - dt.timedelta(days=int(r.integers(0, 45))),
        ))

    # ---- seekers
    t = r.choice(len(towns), n_s, p=pop)
    sl = tlat[t] + r.normal(0, 4.0 / 111.2, n_s)
    so = tlon[t] + r.normal(0, 4.0 / 100.0, n_s)
    seekers, tname = [], []
    true_exp = np.zeros(n_s)
    age_ok = np.zeros(n_s, bool)
    for i in range(n_s):
        desired: list[str] = []
        if r.random() > 0.06:  # 6 % name nothing
            first = codes[r.choice(V, p=pp)]
            desired.append(first)
            for _ in range(int(r.choice([0, 1, 2], p=[0.45, 0.35, 0.2]))):
                if r.random() < 0.5:
                    same = [c for c in codes if c[:7] == first[:7] and c != first] or [c for c in codes if c[:4] == first[:4] and c != first]
                    if same:
                        desired.append(same[int(r.integers(len(same)))])
                        continue
                desired.append(codes[r.choice(V, p=pp)])
            desired = list(dict.fromkeys(desired))
        ref = base_wage(desired[0]) if desired else 3500.0
        exp = float(np.clip(round(ref * r.normal(1.0, 0.15), -2), 1800, 12000))
        true_exp[i] = exp * math.exp(r.normal(0, b.expectation_sd))
        age = int(np.clip(r.normal(42, 11), 18, 64))
        age_ok[i] = age < 45
        shifts_ok = frozenset()
        if r.random() < 0.55:
            shifts_ok = frozenset({"day"} | {s for s in shifts if r.random() < 0.4})
        reloc = bool(r.random() < 0.1)
        seekers.append(Seeker(
            seeker_id=f"s{i}", lat=float(sl[i]), lon=float(so[i]), birth_year=TODAY.year - age, occupations=tuple(desired),
            certificates=(("电工证",) if r.random() < 0.05 else ()) + (("驾驶证B2",) if desired and desired[0].startswith("4-02-02") and r.random() < 0.8 else ()),
            expected_wage=None if r.random() < 0.15 else int(exp),
            shifts=shifts_ok, max_commute_km=None if r.random() < 0.2 else float(r.choice([5, 10, 15, 20, 30], p=[0.15, 0.3, 0.25, 0.2, 0.1])),
            relocate=reloc, unavailable_months=frozenset({4, 5}) if r.random() < 0.08 else frozenset(),
        ))
        tname.append(names[t[i]])
    rr = np.random.default_rng(seed * 104729 + 17)  # behaviour draws, independent of the market's layout
    reservation = rr.normal(b.reservation[0], b.reservation[1], n_s)
    a = 4.0
    pat = rr.beta(a * b.patience / (1 - b.patience), a, n_s) if b.patience < 1 else np.ones(n_s)
    pick = rr.normal(b.pickiness[0], b.pickiness[1], n_emp + 1)
    arrival = rr.integers(0, b.rounds, n_s)
    order = np.lexsort((rr.random(n_s), arrival))
    draws = rr.random((n_s, 64))
    return Market(shape, seed, jobs, seekers, employer, tname, true_exp, reservation, pat, age_ok, pick, arrival, order, draws)


# --------------------------------------------------------------------------- decisions


def _normal(key: str) -> float:
    """A standard normal draw that depends only on the key (a hidden per-pair taste, the same for every method)."""
    u = (zlib.crc32(key.encode()) + 0.5) / 2**32
    return _INV(u)


_INV = __import__("statistics").NormalDist().inv_cdf


def _closeness(named: tuple, code: str | None) -> tuple[int, int]:
    """(level, position): level 0 named, 1 same minor group, 2 same medium group, 3 other; -1 nothing named."""
    if not named:
        return -1, 0
    if not code:
        return 3, 0
    best = (3, 0)
    for k, d in enumerate(named):
        if d == code:
            return 0, k
        if d[:7] == code[:7]:
            lv = 1
        elif d[:4] == code[:4]:
            lv = 2
        else:
            continue
        best = min(best, (lv, k))
    return best


class Decisions:
    """Hidden utilities of one market under one behaviour (cached per pair)."""

    def __init__(self, m: Market, b: Behaviour) -> None:
        self.m, self.b = m, b
        self.jobs = {j.job_id: (k, j) for k, j in enumerate(m.jobs)}
        self.sidx = {s.seeker_id: k for k, s in enumerate(m.seekers)}

    def dist(self, s: Seeker, j: Job) -> float:
        if s.lat is None or j.lat is None:
            return 10.0
        p1, p2 = math.radians(s.lat), math.radians(j.lat)
        a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(j.lon - s.lon) / 2) ** 2
        return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))

    def seeker_u(self, i: int, jid) -> float:
        b, m = self.b, self.m
        s = m.seekers[i]
        _k, j = self.jobs[jid]
        lv, pos = _closeness(s.occupations, j.occupation_code)
        if lv == -1:
            u = b.occ_none
        elif lv == 0:
            u = b.occ_named[min(pos, len(b.occ_named) - 1)]
        else:
            u = (b.occ_minor, b.occ_medium, b.occ_other)[lv - 1]
        w = [x for x in (j.wage_min, j.wage_max) if x is not None]
        mid = sum(w) / len(w) if w else 0.9 * m.true_expected[i]
        if j.shift in ("part_time", "home_piecework"):
            mid *= 2.0  # part-time pay is for part of the time
        u += b.beta_pay * math.log(max(mid, 1.0) / m.true_expected[i])
        d = self.dist(s, j)
        reach = s.max_commute_km or 20.0
        far = d > reach + (10.0 if "shuttle" in j.benefits else 0.0)
        if far:
            u -= b.beta_dist * 0.6  # moving into the dormitory
        else:
            u -= b.beta_dist * d / (reach + (10.0 if "shuttle" in j.benefits else 0.0))
        if j.shift in ("three_shift", "two_shift") and j.shift not in s.shifts:
            u += b.night_shift * (1.0 if j.shift == "three_shift" else 0.5)
        if d > 15 and {"board", "lodging"} <= j.benefits:
            u += b.lodging_far
        u += b.taste_sd * _normal(f"{m.seed}|s|{s.seeker_id}|{jid}")
        if b.employer_appeal_sd:
            u += b.employer_appeal_sd * _normal(f"{m.seed}|appeal|{m.employer[_k]}")
        return u - m.reservation[i]

    def employer_v(self, i: int, jid) -> float:
        b, m = self.b, self.m
        s = m.seekers[i]
        k, j = self.jobs[jid]
        lv, _pos = _closeness(s.occupations, j.occupation_code)
        v = b.e_none if lv == -1 else (b.e_named, b.e_minor, b.e_medium, b.e_other)[lv]
        exp = s.expected_wage or m.true_expected[i]
        if j.wage_max:
            v -= b.e_pay * max(0.0, exp / (j.wage_max * (2.0 if j.shift in ("part_time", "home_piecework") else 1.0)) - 1.0)
        v += b.e_age * (1.0 if m.hidden_age_ok[i] else 0.0) - b.e_age * 0.5
        v += b.e_taste_sd * _normal(f"{m.seed}|e|{s.seeker_id}|{jid}")
        return v - m.pickiness[m.employer[k]]


def simulate(m: Market, lists: dict, b: Behaviour, refresh=None) -> dict:
    """Play the market with these lists (seeker_id -> [job_id, ...] best first). Returns the figures.

    ``refresh(round, seeker_rows, left, placed)``, sequential mode only: lists are made at the start of each arrival round
    for the people arriving in it, knowing the positions still open (``left``: job_id -> open positions), as the
    platform's 为你推荐 is when they arrive; ``lists`` is filled in place with them."""
    dec = Decisions(m, b)
    left = {j.job_id: j.headcount for j in m.jobs}
    placed = np.zeros(len(m.seekers), bool)
    looks = applications = 0
    if refresh is not None and b.mode != "sequential":
        raise ValueError("refresh needs the sequential mode")
    if b.mode == "sequential":
        rnd = -1
        for i in m.order.tolist():
            if refresh is not None and m.arrival[i] != rnd:
                rnd = int(m.arrival[i])
                lists.update(refresh(rnd, np.flatnonzero(m.arrival == rnd), dict(left), placed.copy()))
            lst = lists.get(m.seekers[i].seeker_id) or []
            c = m.patience_u[i]
            for k, jid in enumerate(lst):
                if k > 0 and m.draws[i, k] > c:
                    break
                looks += 1
                if left[jid] <= 0:
                    continue  # 已招满
                if dec.seeker_u(i, jid) <= 0:
                    continue
                applications += 1
                if dec.employer_v(i, jid) > 0:
                    left[jid] -= 1
                    placed[i] = True
                    break
    else:
        pos = np.zeros(len(m.seekers), int)  # next list position
        gone = np.zeros(len(m.seekers), bool)  # stopped browsing
        for rnd in range(b.rounds + 4):
            apps: dict = {}
            for i in m.order.tolist():
                if placed[i] or gone[i] or m.arrival[i] > rnd:
                    continue
                lst = lists.get(m.seekers[i].seeker_id) or []
                c = m.patience_u[i]
                for _ in range(b.per_round):
                    k = pos[i]
                    if k >= len(lst):
                        gone[i] = True
                        break
                    if k > 0 and m.draws[i, k] > c:
                        gone[i] = True
                        break
                    pos[i] += 1
                    looks += 1
                    jid = lst[k]
                    if left[jid] > 0 and dec.seeker_u(i, jid) > 0:
                        applications += 1
                        apps.setdefault(jid, []).append(i)
            offers: dict = {}
            for jid, people in apps.items():
                scored = sorted(((dec.employer_v(i, jid), i) for i in people), reverse=True)
                for v, i in scored[: left[jid]]:
                    if v > 0:
                        offers.setdefault(i, []).append(jid)
            # a person with several offers takes the best; positions are taken in a random order of people
            for i in sorted(offers, key=lambda x: m.draws[x, 63]):
                best = max((jid for jid in offers[i] if left[jid] > 0), key=lambda jid: dec.seeker_u(i, jid), default=None)
                if best is not None:
                    left[best] -= 1
                    placed[i] = True
    n = int(placed.sum())
    positions = sum(j.headcount for j in m.jobs)
    return {"placed": n, "fill_rate": n / positions, "share_placed": n / len(m.seekers), "looks": looks,
            "applications": applications, "positions": positions, "seekers": len(m.seekers)}


def far_share(m: Market, lists: dict) -> float:
    """Share of recommended slots in an occupation the seeker did not name and not in the same minor group."""
    jobs = {j.job_id: j for j in m.jobs}
    n = far = 0
    for s in m.seekers:
        for jid in lists.get(s.seeker_id, []):
            n += 1
            if s.occupations and _closeness(s.occupations, jobs[jid].occupation_code)[0] >= 2:
                far += 1
    return far / max(1, n)


def write_csv(m: Market, folder: str) -> tuple[str, str]:
    """The market as the batch command's input files."""
    jp, sp = os.path.join(folder, "jobs.csv"), os.path.join(folder, "seekers.csv")
    with open(jp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["job_id", "occupation_code", "lat", "lon", "wage_min", "wage_max", "shift", "headcount", "age_min",
                    "age_max", "certificates", "benefits", "posted_on"])
        for j in m.jobs:
            w.writerow([j.job_id, j.occupation_code or "", repr(j.lat), repr(j.lon), "" if j.wage_min is None else j.wage_min,
                        "" if j.wage_max is None else j.wage_max, j.shift or "", j.headcount, "" if j.age_min is None else j.age_min,
                        "" if j.age_max is None else j.age_max, ";".join(j.certificates), ";".join(sorted(j.benefits)),
                        j.posted_on.isoformat() if j.posted_on else ""])
    with open(sp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["seeker_id", "lat", "lon", "birth_year", "occupations", "certificates", "expected_wage", "shifts",
                    "max_commute_km", "relocate", "unavailable_months"])
        for s in m.seekers:
            w.writerow([s.seeker_id, repr(s.lat), repr(s.lon), s.birth_year or "", ";".join(s.occupations),
                        ";".join(s.certificates), "" if s.expected_wage is None else s.expected_wage, ";".join(sorted(s.shifts)),
                        "" if s.max_commute_km is None else s.max_commute_km, int(s.relocate),
                        ";".join(str(x) for x in sorted(s.unavailable_months))])
    return jp, sp


def read_lists(path: str) -> dict:
    out: dict = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["seeker_id"], []).append(row["job_id"])
    return out


def with_behaviour(b: Behaviour, **kw) -> Behaviour:
    return dataclasses.replace(b, **kw)


# --------------------------------------------------------------------------- the perfect-knowledge ceiling


def acceptable(m: Market, b: Behaviour, seeker_rows: np.ndarray, jobs: list) -> np.ndarray:
    """For pairs (seeker row, ``Job``), whether both sides would say yes (``Decisions.seeker_u > 0`` and
    ``Decisions.employer_v > 0``), vectorised: the same formulas, for the ceiling."""
    from scipy.special import ndtri

    rows = np.asarray(seeker_rows, dtype=np.int64)
    n = rows.size
    if not n:
        return np.zeros(0, bool)
    S, J = m.seekers, jobs
    emp_of = {j.job_id: m.employer[k] for k, j in enumerate(m.jobs)}
    cache: dict = {}
    lvpos = np.empty((n, 2), np.int64)
    for k, (i, j) in enumerate(zip(rows.tolist(), J, strict=True)):
        key = (S[i].occupations, j.occupation_code)
        v = cache.get(key)
        if v is None:
            v = cache[key] = _closeness(*key)
        lvpos[k] = v
    lv, pos = lvpos[:, 0], lvpos[:, 1]
    occ_u = np.where(lv == -1, b.occ_none, np.where(lv == 0, np.array(b.occ_named)[np.minimum(pos, len(b.occ_named) - 1)],
                     np.array((0.0, b.occ_minor, b.occ_medium, b.occ_other))[np.clip(lv, 0, 3)]))
    te = m.true_expected[rows]
    part = np.array([j.shift in ("part_time", "home_piecework") for j in J])
    w = [[x for x in (j.wage_min, j.wage_max) if x is not None] for j in J]
    mid = np.array([sum(x) / len(x) if x else np.nan for x in w])
    mid = np.where(np.isnan(mid), 0.9 * te, mid)
    mid = np.where(part, mid * 2.0, mid)
    u = occ_u + b.beta_pay * np.log(np.maximum(mid, 1.0) / te)
    slat = np.array([S[i].lat for i in rows.tolist()], float)
    slon = np.array([S[i].lon for i in rows.tolist()], float)
    jlat = np.array([j.lat for j in J], float)
    jlon = np.array([j.lon for j in J], float)
    p1, p2 = np.radians(slat), np.radians(jlat)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(jlon - slon) / 2) ** 2
    d = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    shuttle = np.array(["shuttle" in j.benefits for j in J])
    reach = np.array([S[i].max_commute_km or 20.0 for i in rows.tolist()]) + np.where(shuttle, 10.0, 0.0)
    u -= np.where(d > reach, b.beta_dist * 0.6, b.beta_dist * d / reach)
    sh = [(j.shift, S[i].shifts) for i, j in zip(rows.tolist(), J, strict=True)]
    u += np.array([b.night_shift * (1.0 if x == "three_shift" else 0.5) if x in ("three_shift", "two_shift") and x not in ok else 0.0
                   for x, ok in sh])
    u += np.where((d > 15) & np.array([{"board", "lodging"} <= j.benefits for j in J]), b.lodging_far, 0.0)
    sid = [S[i].seeker_id for i in rows.tolist()]

    def taste(side):
        return ndtri((np.array([zlib.crc32(f"{m.seed}|{side}|{s}|{j.job_id}".encode()) for s, j in zip(sid, J, strict=True)],
                              np.float64) + 0.5) / 2**32)

    u += b.taste_sd * taste("s") - m.reservation[rows]
    if b.employer_appeal_sd:
        u += b.employer_appeal_sd * np.array([_normal(f"{m.seed}|appeal|{emp_of[j.job_id]}") for j in J])
    v = np.where(lv == -1, b.e_none, np.array((b.e_named, b.e_minor, b.e_medium, b.e_other))[np.clip(lv, 0, 3)])
    exp = np.array([S[i].expected_wage or m.true_expected[i] for i in rows.tolist()], float)
    wmax = np.array([j.wage_max or np.nan for j in J], float)
    pen = b.e_pay * np.maximum(0.0, exp / (wmax * np.where(part, 2.0, 1.0)) - 1.0)
    v -= np.where(np.isnan(wmax), 0.0, pen)
    v += b.e_age * m.hidden_age_ok[rows] - b.e_age * 0.5
    v += b.e_taste_sd * taste("e") - m.pickiness[np.array([emp_of[j.job_id] for j in J])]
    return (u > 0) & (v > 0)


def ceiling(m: Market, b: Behaviour, seeker_rows: np.ndarray, jobs: list) -> tuple[int, int]:
    """The most placements any lists could give with perfect knowledge: a maximum flow from people to positions
    over the feasible pairs that both sides would accept (people browse only their first item). Returns (over
    every such pair, over close pairs only: the occupation named or its minor group, or the person named none)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    ok = acceptable(m, b, seeker_rows, jobs)
    col = {j.job_id: k for k, j in enumerate(m.jobs)}
    rows = np.asarray(seeker_rows)
    close = np.array([_closeness(m.seekers[i].occupations, j.occupation_code)[0] <= 1 for i, j in zip(rows.tolist(), jobs, strict=True)],
                     bool) if len(jobs) else np.zeros(0, bool)
    n, nj = len(m.seekers), len(m.jobs)
    sink = n + nj + 1
    out = []
    for sel in (ok, ok & close):
        rr = rows[sel]
        jj = np.array([col[j.job_id] for j, o in zip(jobs, sel, strict=True) if o], np.int64)
        src = np.concatenate([np.zeros(n, np.int64), rr + 1, n + 1 + np.arange(nj)])
        dst = np.concatenate([1 + np.arange(n), n + 1 + jj, np.full(nj, sink)])
        cap = np.concatenate([np.ones(n), np.ones(rr.size), [j.headcount for j in m.jobs]]).astype(np.int32)
        g = csr_matrix((cap, (src, dst)), shape=(sink + 1, sink + 1))
        g.sum_duplicates()
        out.append(int(maximum_flow(g, 0, sink).flow_value))
    return out[0], out[1]
