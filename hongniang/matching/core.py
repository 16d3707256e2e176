"""Encoding of jobs and seekers into numpy columns, the hard rules and the soft score.

Everything here works on *columns*: a block of seekers against a block of jobs, shaped so that numpy
broadcasting gives one value per (seeker, job) pair. The same code serves a single query
(one seeker x candidate jobs), job -> candidates (candidate seekers x one job) and batch blocks.
"""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import numpy as np

from .config import MatchConfig
from .types import BENEFITS, NON_FULL_TIME, SHIFTS, Job, Seeker

EARTH_R = 6371.0088  # mean Earth radius, km
SHIFT_BIT = {s: 1 << i for i, s in enumerate(SHIFTS)}
BENEFIT_BIT = {b: 1 << i for i, b in enumerate(BENEFITS)}
LODGING = BENEFIT_BIT["lodging"]
SHUTTLE = BENEFIT_BIT["shuttle"]
NEUTRAL_OCC = 0.4  # occupation closeness when one side is unknown
NEUTRAL_PAY = 0.3
NEUTRAL_DIST = 0.3
RELOCATED_DIST = 0.1  # seeker-side distance score of a far job taken by moving into its lodging
RELOCATED_NEAR = 0.5  # employer-side: a person living in the dormitory is close enough
NEUTRAL_FRESH = 0.3
NEUTRAL_SHIFT = 0.5
NEUTRAL_AFFORD = 0.6


CLOSE = 0.599  # employer-side occupation closeness of "close" work: the same occupation or the same minor group


def tier_table(e_sims: np.ndarray, has_occ, cfg: MatchConfig) -> np.ndarray:
    """Capacity-aware score multiplier by (seeker, occupation row): 1 for close work (or for a person who named no
    occupation), ``far_tier`` for everything else, including jobs without an occupation (the last column)."""
    has = np.asarray(has_occ, dtype=bool)
    far = e_sims < np.float32(CLOSE)
    far[..., -1] = True
    far &= has[..., None] if has.ndim else has
    return np.where(far, np.float32(cfg.far_tier), np.float32(1.0)).astype(np.float32)


def unit_vector(lat: float | None, lon: float | None) -> tuple[float, float, float]:
    if lat is None or lon is None:
        return (math.nan, math.nan, math.nan)
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R * math.asin(min(1.0, math.sqrt(a)))


def chord_of_km(km):
    """Straight-line (chord) length on the unit sphere of a great-circle distance; exact, monotone."""
    return 2.0 * np.sin(np.minimum(np.asarray(km, dtype=np.float64), math.pi * EARTH_R) / (2.0 * EARTH_R))


def occupation_levels(code: str | None) -> tuple[str, ...]:
    """'6-05-01-03' -> ('6', '6-05', '6-05-01', '6-05-01-03') (major, medium, minor, occupation)."""
    if not code:
        return ()
    parts = code.strip().split("-")
    return tuple("-".join(parts[: i + 1]) for i in range(min(4, len(parts))))


def month_mask(months) -> int:
    m = 0
    for x in months:
        m |= 1 << (int(x) - 1)
    return m


def months_ahead_mask(today: dt.date, first: int, count: int) -> int:
    """Bit mask of the months today.month+first ... today.month+first+count-1 (wrapping)."""
    m = 0
    for k in range(first, first + count):
        m |= 1 << ((today.month - 1 + k) % 12)
    return m


class Encoder:
    """Vocabularies shared by an index and the queries against it.

    Occupation prefixes and certificates are interned to integers; certificates become bit masks of
    ``words`` 64-bit words. ``grow=False`` look-ups never add entries (a seeker's certificate that no job
    asks for is irrelevant; a job's certificate that no seeker holds is held by nobody).
    """

    def __init__(self) -> None:
        self.prefix: dict[str, int] = {}
        self.cert: dict[str, int] = {}
        # job-occupation vocabulary (used by JobIndex): code -> row of `occ_levels`
        self.occ: dict[str, int] = {}
        self.occ_levels = np.full((0, 4), -1, dtype=np.int32)
        self._sim_cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._tier_cache: dict = {}  # desired code -> closeness tier of every vocabulary occupation

    @property
    def words(self) -> int:
        return max(1, (len(self.cert) + 63) // 64)

    def prefix_ids(self, code: str | None, grow: bool, missing: int) -> list[int]:
        ids = [missing] * 4
        for i, p in enumerate(occupation_levels(code)):
            if p in self.prefix:
                ids[i] = self.prefix[p]
            elif grow:
                ids[i] = self.prefix[p] = len(self.prefix)
        return ids

    def occ_index(self, code: str | None) -> int:
        """Row of a job occupation in the vocabulary (grows); -1 when unknown."""
        if not code:
            return -1
        i = self.occ.get(code)
        if i is None:
            i = self.occ[code] = len(self.occ)
            row = np.array([self.prefix_ids(code, grow=True, missing=-1)], dtype=np.int32)
            self.occ_levels = np.vstack([self.occ_levels, row])
            self._sim_cache.clear()
        return i

    def cert_mask(self, certs, grow: bool) -> tuple[np.ndarray, bool]:
        """(mask words, all_known). With grow=False unknown certificates are reported via all_known."""
        known = True
        bits = []
        for c in certs:
            c = c.strip()
            if not c:
                continue
            b = self.cert.get(c)
            if b is None:
                if grow:
                    b = self.cert[c] = len(self.cert)
                else:
                    known = False
                    continue
            bits.append(b)
        mask = np.zeros(self.words, dtype=np.uint64)
        for b in bits:
            mask[b // 64] |= np.uint64(1 << (b % 64))
        return mask, known

    def occupation_similarity(self, desired: tuple[str, ...], cfg: MatchConfig) -> tuple[np.ndarray, np.ndarray]:
        """Closeness of every vocabulary occupation to a desired list.

        Returns (seeker_side, employer_side), each of length V+1; the last entry is for jobs with an unknown
        occupation. Seeker side decays with the position in the list; employer side does not.
        """
        key = desired[: cfg.max_desired]
        hit = self._sim_cache.get(key)
        if hit is not None and hit[0].shape[0] == len(self.occ) + 1:
            return hit
        V = len(self.occ)
        s = np.zeros(V + 1, dtype=np.float32)
        e = np.zeros(V + 1, dtype=np.float32)
        if not key:
            s[:] = NEUTRAL_OCC
            e[:] = NEUTRAL_OCC
        else:
            tiers = self._tier_cache
            if tiers.get(None) != (V, cfg.occupation_tiers):
                tiers.clear()
                tiers[None] = (V, cfg.occupation_tiers)
            for k, code in enumerate(key):
                t = tiers.get(code)
                if t is None:
                    lv = self.occ_levels
                    t1, t2, t3, t4 = cfg.occupation_tiers
                    d = self.prefix_ids(code, grow=False, missing=-2)
                    t = tiers[code] = np.where(
                        lv[:, 3] == d[3], t1, np.where(lv[:, 2] == d[2], t2, np.where(lv[:, 1] == d[1], t3, np.where(lv[:, 0] == d[0], t4, 0.0)))
                    ).astype(np.float32)
                decay = cfg.desire_decay[min(k, len(cfg.desire_decay) - 1)]
                np.maximum(s[:V], t * decay, out=s[:V])
                np.maximum(e[:V], t, out=e[:V])
            s[V] = NEUTRAL_OCC
            e[V] = NEUTRAL_OCC
        if len(self._sim_cache) > 20000:
            self._sim_cache.clear()
        self._sim_cache[key] = (s, e)
        return s, e


# --------------------------------------------------------------------------- job and seeker rows

JOB_COLUMNS = {
    "x": np.float64, "y": np.float64, "z": np.float64,
    "occ": np.int32, "wage_mid": np.float32, "wage_max": np.float32,
    "shift_bit": np.uint8, "full_time": np.bool_, "ben": np.uint8,
    "age_min": np.float32, "age_max": np.float32, "posted": np.int32,
    "desir": np.float32, "benscore": np.float32, "headcount": np.int32, "price": np.float32,
    "needs_cert": np.bool_,
    # derived, seeker-independent (so a query needs fewer operations per pair)
    "lodging": np.bool_, "shuttle": np.bool_, "shift_code": np.int8, "below_min": np.bool_,
    "pay_mid": np.float32, "pay_lo": np.float32, "half": np.float32, "inv_wmax": np.float32, "afford_lo": np.float32,
    # packed for the single-seeker kernel (one gather instead of one per column): the unit vector; the float32
    # columns JF_* below; a small code indexing the per-seeker rule tables (JCODE_*); the per-job bound's pay and
    # 1/wage_max with unknown values at their best (+inf pay; 0, so affordability 1)
    "xyz": (np.float64, 3), "jf": (np.float32, 8), "jcode": np.uint8, "pay_b": np.float32, "invw_b": np.float32,
    # the mid wage as a double (NaN: no wage given), for the reason texts' pay class
    "mid64": np.float64,
}
JF_PAY_MID, JF_PAY_LO, JF_HALF, JF_INV_WMAX, JF_AFFORD_LO, JF_AGE_MIN, JF_AGE_MAX = range(7)
JCODE_SHUTTLE, JCODE_LODGING, JCODE_CERT = 8, 16, 32  # bits above the shift code (0-6)
JCODE_DEAD = 7  # no shift has code 7: every per-seeker table excludes it (a removed job in a cached layout)
NO_DATE = np.iinfo(np.int32).min
JCODES = np.arange(64)  # every job code (shift code 0-7 + shuttle, lodging, needs a certificate)
#: by shift code (0 unknown, 1.. = SHIFTS, 7 = JCODE_DEAD): full-time work (an unknown shift counts as full-time)
FULL_TIME_CODE = np.array([c == 0 or c == 7 or SHIFTS[c - 1] not in NON_FULL_TIME for c in range(8)])


def job_row(job: Job, enc: Encoder, cfg: MatchConfig) -> tuple[dict, np.ndarray]:
    """Scalars of one job for the JobIndex columns, and its certificate mask (vocabulary grows)."""
    x, y, z = unit_vector(job.lat, job.lon)
    wages = [w for w in (job.wage_min, job.wage_max) if w is not None]
    ben = 0
    for b in job.benefits:
        ben |= BENEFIT_BIT[b]
    mask, _ = enc.cert_mask(job.certificates, grow=True)
    row = {
        "x": x, "y": y, "z": z,
        "occ": enc.occ_index(job.occupation_code),
        "wage_mid": sum(wages) / len(wages) if wages else math.nan,
        "wage_max": job.wage_max if job.wage_max is not None else (job.wage_min if job.wage_min is not None else math.nan),
        "shift_bit": SHIFT_BIT.get(job.shift, 0) if job.shift else 0,
        "full_time": job.shift not in NON_FULL_TIME,
        "ben": ben,
        "age_min": job.age_min if job.age_min is not None else -math.inf,
        "age_max": job.age_max if job.age_max is not None else math.inf,
        "posted": job.posted_on.toordinal() if job.posted_on else NO_DATE,
        "desir": cfg.shift_desirability.get(job.shift, NEUTRAL_SHIFT) if job.shift else NEUTRAL_SHIFT,
        "benscore": sum(cfg.benefit_values.get(b, 0.0) for b in job.benefits),
        "headcount": job.headcount,
        "price": 0.0,
        "needs_cert": bool(mask.any()),
        "lodging": "lodging" in job.benefits,
        "shuttle": "shuttle" in job.benefits,
        "shift_code": SHIFTS.index(job.shift) + 1 if job.shift else 0,
    }
    row["below_min"] = bool(row["full_time"] and row["wage_mid"] < cfg.minimum_wage_monthly)
    # pay part of the kernel: clip(1.25 * mid / expected - 0.75) with -inf (-> 0) below the minimum wage and
    # NaN (-> the floor NEUTRAL_PAY) when unknown; below the minimum the seeker side is halved
    row["pay_mid"] = -math.inf if row["below_min"] else row["wage_mid"]
    row["pay_lo"] = NEUTRAL_PAY if math.isnan(row["wage_mid"]) else 0.0
    row["half"] = 0.5 if row["below_min"] else 1.0
    wm = float(np.float32(row["wage_max"]))
    row["inv_wmax"] = math.nan if math.isnan(wm) else math.inf if wm == 0 else 1.0 / wm
    row["afford_lo"] = NEUTRAL_AFFORD if math.isnan(row["wage_max"]) else 0.0
    row["xyz"] = (x, y, z)
    row["jf"] = (row["pay_mid"], row["pay_lo"], row["half"], row["inv_wmax"], row["afford_lo"], row["age_min"], row["age_max"], 0.0)
    sc = row["shift_code"]
    row["jcode"] = sc | (JCODE_SHUTTLE if row["shuttle"] else 0) | (JCODE_LODGING if row["lodging"] else 0) | (JCODE_CERT if row["needs_cert"] else 0)
    row["pay_b"] = math.inf if math.isnan(row["wage_mid"]) else row["pay_mid"]
    row["invw_b"] = 0.0 if math.isnan(row["inv_wmax"]) else row["inv_wmax"]
    row["mid64"] = row["wage_mid"]
    return row, mask


SEEKER_COLUMNS = {
    "x": np.float64, "y": np.float64, "z": np.float64,
    "reach": np.float64, "relocate": np.bool_, "birth_year": np.float32,
    "expected": np.float32, "shifts": np.uint8, "shift_best": np.float32, "unav": np.uint16,
}


def seeker_row(s: Seeker, cfg: MatchConfig) -> dict:
    x, y, z = unit_vector(s.lat, s.lon)
    shifts = 0
    for sh in s.shifts:
        shifts |= SHIFT_BIT[sh]
    best = max((cfg.shift_desirability.get(sh, NEUTRAL_SHIFT) for sh in s.shifts), default=1.0)
    return {
        "x": x, "y": y, "z": z,
        "reach": float(s.max_commute_km) if s.max_commute_km is not None else cfg.default_max_commute_km,
        "relocate": bool(s.relocate),
        "birth_year": s.birth_year if s.birth_year is not None else math.nan,
        "expected": s.expected_wage if s.expected_wage is not None else cfg.default_expected_wage,
        "shifts": shifts,
        "shift_best": best,
        "unav": month_mask(s.unavailable_months),
    }


def seeker_columns(seekers: list[Seeker], cfg: MatchConfig) -> dict[str, np.ndarray]:
    rows = [seeker_row(s, cfg) for s in seekers]
    return {k: np.array([r[k] for r in rows], dtype=t) if rows else np.zeros(0, dtype=t) for k, t in SEEKER_COLUMNS.items()}


# --------------------------------------------------------------------------- the rules and the score


# --------------------------------------------------------------------------- the pair kernel of the engine


_SHIFT_CACHE: dict = {}


def shift_tables_one(shifts: int, shift_best: float, cfg: MatchConfig):
    key = (shifts, float(shift_best), id(cfg))
    hit = _SHIFT_CACHE.get(key)
    if hit is None:
        if len(_SHIFT_CACHE) > 4096:
            _SHIFT_CACHE.clear()
        hit = _SHIFT_CACHE[key] = shift_tables(shifts, shift_best, cfg)
    return hit


def shift_tables(shifts, shift_best, cfg: MatchConfig):
    """Per seeker, by job shift code (0 unknown, 1.. = SHIFTS): R3 acceptance and the weighted shift score
    (``w_shift`` x score)."""
    shifts = np.atleast_1d(np.asarray(shifts))
    best = np.atleast_1d(np.asarray(shift_best, dtype=np.float32))
    ok = np.ones((shifts.size, len(SHIFTS) + 1), dtype=bool)
    sc = np.empty((shifts.size, len(SHIFTS) + 1), dtype=np.float32)
    sc[:, 0] = NEUTRAL_SHIFT
    for i, sh in enumerate(SHIFTS):
        ok[:, i + 1] = (shifts == 0) | ((shifts & SHIFT_BIT[sh]) != 0)
        sc[:, i + 1] = np.minimum(np.float32(1.0), np.float32(cfg.shift_desirability.get(sh, NEUTRAL_SHIFT)) / best)
    sc *= np.float32(cfg.w_shift)
    return ok, sc


def kernel_rules(S, st, slots, rows, cert_ok, one: bool):
    """Hard rules of pairs (job ``slots`` x seeker ``rows``). ``S``: seeker fields, numpy scalars when
    ``one`` (a single seeker), else per-seeker arrays indexed by ``rows``. Returns (ok, chord, far, shuttle)."""
    with np.errstate(invalid="ignore"):
        # 1-D gathers and in-place operations: much cheaper than a (n, 3) gather and broadcast
        chord = None
        for k in ("x", "y", "z"):
            a = st[k][slots]
            a -= S.__dict__[k] if one else S.__dict__[k][rows]
            a *= a
            if chord is None:
                chord = a
            else:
                chord += a
        np.sqrt(chord, out=chord)
        shuttle = st["shuttle"][slots]
        if one:
            lim = np.where(shuttle, S.chord_reach_shuttle, S.chord_reach)
        else:
            lim = np.where(shuttle, S.chord_reach_shuttle[rows], S.chord_reach[rows])
        beyond = chord > lim  # NaN -> False: unknown distance passes the rule
        if one and not S.relocate:
            far = None
            ok = ~beyond
        else:
            far = beyond & st["lodging"][slots]
            if not one:
                far &= S.relocate[rows]
            ok = ~beyond | far  # R4 commute (relocation into lodging allowed)
        if one:
            if S.shifts:
                ok &= S.shift_ok[0][st["shift_code"][slots]]  # R3 shift
            if S.age == S.age:  # R2 age (unknown age passes)
                ok &= st["age_min"][slots] <= S.age
                ok &= st["age_max"][slots] >= S.age
            if S.unav_now:  # R5 unavailable months
                ok &= ~st["full_time"][slots]
        else:
            ok &= S.shift_ok[rows, st["shift_code"][slots]]
            age = S.age[rows]
            ok &= ~(age < st["age_min"][slots]) & ~(age > st["age_max"][slots])
            ok &= ~(S.unav_now[rows] & st["full_time"][slots])
        if cert_ok is not None:
            ok &= cert_ok  # R1 certificates
    return ok, chord, far, shuttle


def kernel_soft(S, st, slots, rows, chord, far, shuttle, occ_s, occ_e, jconst, penalty, cfg: MatchConfig, one: bool, maybe_nan: bool):
    """The soft score (0-100) of eligible pairs, in few numpy operations (see docs/matching.md for the formula;
    ``S`` holds the per-seeker constants of ``seeker_consts``; ``occ_s``/``occ_e`` are already weighted).
    Monotone in the job's pay (every step is monotone under rounding)."""
    f32 = np.float32
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if one:
            shift = S.shift_score[0][st["shift_code"][slots]]
            inv_r = np.where(shuttle, S.inv_reach_shuttle, S.inv_reach)
            c_pay, e2 = S.c_pay, S.e2
        else:
            shift = S.shift_score[rows, st["shift_code"][slots]]
            inv_r = np.where(shuttle, S.inv_reach_shuttle[rows], S.inv_reach[rows])
            c_pay, e2 = S.c_pay[rows], S.e2[rows]
        d = (EARTH_R * chord).astype(f32)
        dist = f32(1.0) - d * inv_r
        np.maximum(dist, f32(0.0), out=dist)
        near = f32(1.0) - d * f32(1.0 / cfg.e_near_km)
        np.maximum(near, f32(0.0), out=near)
        if far is not None:
            dist = np.where(far, f32(RELOCATED_DIST), dist)
            near = np.where(far, f32(RELOCATED_NEAR), near)
        if maybe_nan:
            nan_d = np.isnan(d)
            dist = np.where(nan_d, f32(NEUTRAL_DIST), dist)
            near = np.where(nan_d, f32(NEUTRAL_DIST), near)
        pay = st["pay_mid"][slots] * c_pay
        pay -= f32(0.75)
        pay = np.fmin(np.fmax(pay, st["pay_lo"][slots]), f32(1.0))
        side_s = occ_s + shift
        side_s += jconst[slots]
        side_s += f32(cfg.w_pay) * pay
        side_s += f32(cfg.w_distance) * dist
        side_s *= st["half"][slots]  # full-time pay below the legal minimum
        afford = f32(3.0) - e2 * st["inv_wmax"][slots]
        afford = np.fmin(np.fmax(afford, st["afford_lo"][slots]), f32(1.0))
        side_e = occ_e + f32(cfg.e_near) * near
        side_e += f32(cfg.e_afford) * afford
        if one:
            side_e += np.where(st["full_time"][slots], f32(cfg.e_available * 0.5), f32(cfg.e_available)) if S.busy_soon else f32(cfg.e_available)
        else:
            side_e += np.where(S.busy_soon[rows] & st["full_time"][slots], f32(cfg.e_available * 0.5), f32(cfg.e_available))
        score = np.reciprocal(side_s)
        score += np.reciprocal(side_e)
        score = f32(200.0) / score
        if penalty is not None:
            score *= penalty[slots]
        return score


def seeker_consts(S, cfg: MatchConfig):
    """Per-seeker constants of ``kernel_soft`` (scalars or arrays; float32 like the job columns)."""
    f32 = np.float32
    S.inv_reach = (f32(1.0) / np.asarray(S.reach, dtype=f32)).astype(f32)
    S.inv_reach_shuttle = (f32(1.0) / (np.asarray(S.reach + cfg.shuttle_extra_km, dtype=f32))).astype(f32)
    exp = np.asarray(S.expected, dtype=f32)
    S.c_pay = (f32(1.25) / exp).astype(f32)
    S.e2 = (f32(2.0) * exp).astype(f32)
    return S


def pair_rules(S, J, cert_ok):
    """Hard rules for broadcastable seeker columns ``S`` x job columns ``J``.

    Returns (ok, chord, far): ok is False where a rule excludes the pair; chord is the unit-sphere chord
    (distance = 2R asin(chord/2), NaN when a location is unknown); far marks pairs beyond reach that are
    allowed because the seeker relocates into the job's lodging.
    """
    with np.errstate(invalid="ignore"):
        dx = S.x - J.x
        chord2 = dx * dx
        dy = S.y - J.y
        chord2 += dy * dy
        dz = S.z - J.z
        chord2 += dz * dz
        chord = np.sqrt(chord2)
        shuttle = (J.ben & SHUTTLE) != 0
        lim = np.where(shuttle, S.chord_reach_shuttle, S.chord_reach)
        beyond = chord > lim  # NaN -> False: unknown distance passes the rule
        far = beyond & (S.relocate & ((J.ben & LODGING) != 0))
        ok = ~beyond | far  # R4 commute (relocation into lodging allowed)
        ok &= (S.shifts == 0) | (J.shift_bit == 0) | ((S.shifts & J.shift_bit) != 0)  # R3 shift
        ok &= ~(S.age < J.age_min) & ~(S.age > J.age_max)  # R2 age (unknown age passes)
        ok &= ~(S.unav_now & J.full_time)  # R5 unavailable months
        if cert_ok is not None:
            ok &= cert_ok  # R1 certificates
    return ok, chord, far


def upper_bound_far(s_occ, e_occ, cfg: MatchConfig):
    """Highest possible score of a far (relocation) pair given the occupation closeness on both sides."""
    side_s = cfg.w_occupation * s_occ + cfg.w_pay + cfg.w_distance * RELOCATED_DIST + cfg.w_shift + cfg.w_benefits + cfg.w_fresh
    side_e = cfg.e_occupation * e_occ + cfg.e_near * RELOCATED_NEAR + cfg.e_afford + cfg.e_available
    return 200.0 / (1.0 / side_s + 1.0 / side_e) * 1.0001 + 1e-4


def pair_soft(S, J, ok, chord, far, occ_s, occ_e, cfg: MatchConfig, capacity_aware: bool):
    """The soft score (0-100) of pairs; -inf where ``ok`` is False."""
    with np.errstate(invalid="ignore", divide="ignore"):
        shuttle = (J.ben & SHUTTLE) != 0
        # ---- seeker-side fit (the job for the person)
        d = (EARTH_R * chord).astype(np.float32)
        reach_eff = (S.reach + cfg.shuttle_extra_km * shuttle).astype(np.float32)
        dist = np.clip(1.0 - d / reach_eff, 0.0, 1.0)
        dist = np.where(far, RELOCATED_DIST, dist)
        dist = np.where(np.isnan(d), NEUTRAL_DIST, dist)
        r = J.wage_mid / S.expected
        pay = np.clip(0.5 + 1.25 * (r - 1.0), 0.0, 1.0)
        pay = np.where(J.below_min, 0.0, pay)
        pay = np.where(np.isnan(J.wage_mid), NEUTRAL_PAY, pay)
        shift = np.where(J.shift_bit == 0, NEUTRAL_SHIFT, np.minimum(1.0, J.desir / S.shift_best))
        side_s = (
            cfg.w_occupation * occ_s
            + cfg.w_pay * pay
            + cfg.w_distance * dist
            + cfg.w_shift * shift
            + (cfg.w_benefits * J.benscore + cfg.w_fresh * J.fresh)
        )
        side_s = np.where(J.below_min, 0.5 * side_s, side_s)  # full-time pay below the legal minimum
        # ---- employer-side fit (the person for the job)
        near = np.clip(1.0 - d / cfg.e_near_km, 0.0, 1.0)
        near = np.where(far, RELOCATED_NEAR, near)
        near = np.where(np.isnan(d), NEUTRAL_DIST, near)
        afford = np.clip(1.0 - 2.0 * (S.expected - J.wage_max) / J.wage_max, 0.0, 1.0)
        afford = np.where(np.isnan(J.wage_max), NEUTRAL_AFFORD, afford)
        avail = np.where(S.busy_soon & J.full_time, 0.5, 1.0)
        side_e = cfg.e_occupation * occ_e + cfg.e_near * near + cfg.e_afford * afford + cfg.e_available * avail
        # ---- reciprocal: harmonic mean, written as 2/(1/a+1/b) so it is monotone under rounding
        score = 200.0 / (1.0 / side_s + 1.0 / side_e)
        if capacity_aware:
            score = score * J.penalty
        return np.where(ok, score, -np.inf).astype(np.float32)


def pair_scores(S, J, occ_s, occ_e, cert_ok, cfg: MatchConfig, today: dt.date, capacity_aware: bool):
    """Rules and score in one call: returns (score with -inf for excluded pairs, chord, far)."""
    ok, chord, far = pair_rules(S, J, cert_ok)
    return pair_soft(S, J, ok, chord, far, occ_s, occ_e, cfg, capacity_aware), chord, far


def seeker_view(cols: dict[str, np.ndarray], cfg: MatchConfig, today: dt.date, shape=None) -> SimpleNamespace:
    """Derived seeker columns for ``today`` (age, unavailable now, busy soon, reach as chords)."""
    now = months_ahead_mask(today, 0, 1 + cfg.unavailable_horizon_months)
    soon = months_ahead_mask(today, 1 + cfg.unavailable_horizon_months, 3)
    v = SimpleNamespace()
    for k in ("x", "y", "z", "reach", "relocate", "expected", "shifts", "shift_best"):
        v.__dict__[k] = cols[k]
    v.age = (today.year - cols["birth_year"]).astype(np.float32)
    v.unav_now = (cols["unav"] & now) != 0
    v.busy_soon = (cols["unav"] & soon) != 0
    v.chord_reach = chord_of_km(cols["reach"])
    v.chord_reach_shuttle = chord_of_km(cols["reach"] + cfg.shuttle_extra_km)
    v.expected = cols["expected"]
    if shape is not None:
        for k, a in list(v.__dict__.items()):
            v.__dict__[k] = np.asarray(a).reshape(shape)
    return v


def job_view(cols: dict[str, np.ndarray], cfg: MatchConfig, today: dt.date, shape=None) -> SimpleNamespace:
    """Derived job columns for ``today`` (freshness, below-minimum-wage flag, capacity penalty)."""
    v = SimpleNamespace()
    for k in ("x", "y", "z", "wage_mid", "wage_max", "shift_bit", "full_time", "ben", "age_min", "age_max", "desir", "benscore"):
        v.__dict__[k] = cols[k]
    posted = cols["posted"]
    age_days = np.maximum(0, today.toordinal() - posted.astype(np.int64)).astype(np.float32)
    v.fresh = np.where(posted == NO_DATE, NEUTRAL_FRESH, np.exp(-age_days / cfg.freshness_days)).astype(np.float32)
    with np.errstate(invalid="ignore"):
        v.below_min = cols["full_time"] & (cols["wage_mid"] < cfg.minimum_wage_monthly)
    v.penalty = np.exp(-cols["price"]).astype(np.float32)
    if shape is not None:
        for k, a in list(v.__dict__.items()):
            v.__dict__[k] = np.asarray(a).reshape(shape)
    return v


def cert_ok_jobs(seeker_masks: np.ndarray, job_masks: np.ndarray, needs: np.ndarray):
    """seeker_masks (B, W) x job_masks (C, W) -> (B, C) bool, or None when no candidate job needs any."""
    if not needs.any():
        return None
    B, C = seeker_masks.shape[0], job_masks.shape[0]
    ok = np.ones((B, C), dtype=bool)
    idx = np.flatnonzero(needs)
    sub = job_masks[idx]  # (c, W)
    miss = (sub[None, :, :] & ~seeker_masks[:, None, :]) != 0
    ok[:, idx] = ~miss.any(axis=2)
    return ok


def top_k_rows(score: np.ndarray, k: int, tiebreak: np.ndarray) -> list[np.ndarray]:
    """Per row, the column indices of the k best scores (higher first; ties by smaller tiebreak);
    -inf (excluded) never selected. Deterministic."""
    B, C = score.shape
    out = []
    if C == 0 or k <= 0:
        return [np.zeros(0, dtype=np.int64) for _ in range(B)]
    kk = min(k, C)
    part = np.argpartition(-score, kk - 1, axis=1)[:, :kk]
    rows = np.arange(B)[:, None]
    sel = score[rows, part]
    thr = sel.min(axis=1)
    n_at_least = (score >= thr[:, None]).sum(axis=1)
    for b in range(B):
        if n_at_least[b] > kk or thr[b] == -np.inf:
            idx = np.flatnonzero(score[b] >= thr[b]) if thr[b] != -np.inf else np.flatnonzero(score[b] > -np.inf)
        else:
            idx = part[b]
        s = score[b, idx]
        order = np.lexsort((tiebreak[idx], -s))
        out.append(idx[order][:kk])
    return out
