"""The matching engine: seeker -> jobs, job -> candidates, batch, and the capacity-aware mode."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from .config import MatchConfig
from .core import (
    EARTH_R,
    NO_DATE,
    cert_ok_jobs,
    chord_of_km,
    job_view,
    pair_rules,
    pair_scores,
    pair_soft,
    seeker_columns,
    seeker_view,
    top_k_rows,
    unit_vector,
    upper_bound_far,
)
from .explain import SEP, benefit_texts, job_reasons, seeker_reasons, wage_mid, wage_text
from .index import JobIndex, SeekerIndex
from .types import NON_FULL_TIME, SHIFT_ZH, Job, Match, Seeker

CROWDED_PRICE = 0.15  # a job whose capacity penalty exceeds this is marked "报名人多"


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def chord_to_km(chord):
    return 2.0 * EARTH_R * np.arcsin(np.minimum(1.0, np.asarray(chord) / 2.0))


# --------------------------------------------------------------------------- a reference implementation


def violations(seeker: Seeker, job: Job, config: MatchConfig | None = None, today: dt.date | None = None) -> list[str]:
    """The hard rules a (seeker, job) pair breaks, in plain Python (the documented reference).

    R1 certificate: the job requires a certificate the seeker does not hold.
    R2 age: the seeker's age (today's year - birth year) is outside [age_min, age_max].
    R3 shift: the seeker listed acceptable shifts and the job's shift is not among them.
    R4 commute: the distance exceeds the seeker's maximum commute (default when unknown), plus
       ``shuttle_extra_km`` if the job runs a shuttle bus - unless the seeker will relocate and the job gives lodging.
    R5 unavailable: the job is full-time (any shift but part_time / home_piecework; unknown counts as full-time)
       and the seeker is unavailable in the current month (or the next ``unavailable_horizon_months``).
    Unknown values never exclude (except R5's unknown shift, and a missing certificate).
    """
    from .core import haversine_km

    cfg = config or MatchConfig()
    today = _today(today)
    out = []
    if set(job.certificates) - set(seeker.certificates):
        out.append("certificate")
    if seeker.birth_year is not None:
        age = today.year - seeker.birth_year
        if (job.age_min is not None and age < job.age_min) or (job.age_max is not None and age > job.age_max):
            out.append("age")
    if seeker.shifts and job.shift is not None and job.shift not in seeker.shifts:
        out.append("shift")
    if seeker.lat is not None and job.lat is not None:
        d = haversine_km(seeker.lat, seeker.lon, job.lat, job.lon)
        reach = seeker.max_commute_km if seeker.max_commute_km is not None else cfg.default_max_commute_km
        if "shuttle" in job.benefits:
            reach += cfg.shuttle_extra_km
        if d > reach and not (seeker.relocate and "lodging" in job.benefits):
            out.append("commute")
    months = {((today.month - 1 + k) % 12) + 1 for k in range(1 + cfg.unavailable_horizon_months)}
    if job.shift not in NON_FULL_TIME and months & set(seeker.unavailable_months):
        out.append("unavailable")
    return out


# --------------------------------------------------------------------------- encoded seekers for a JobIndex


class SeekerBatch:
    """Seekers encoded against one JobIndex's vocabularies (columns, occupation profiles, certificate masks)."""

    def __init__(self, index: JobIndex) -> None:
        self.index = index
        self.ids: list = []
        self._parts: list[dict] = []
        self.profiles: list[tuple] = []
        self._profile_of: dict[tuple, int] = {}
        self.cols: dict[str, np.ndarray] = {}

    def extend(self, seekers: Sequence[Seeker]) -> None:
        cfg, enc = self.index.config, self.index.enc
        cols = seeker_columns(list(seekers), cfg)
        cols["lat"] = np.array([s.lat if s.lat is not None else np.nan for s in seekers], dtype=np.float64)
        cols["lon"] = np.array([s.lon if s.lon is not None else np.nan for s in seekers], dtype=np.float64)
        prof = np.empty(len(seekers), dtype=np.int32)
        cert = np.zeros((len(seekers), enc.words), dtype=np.uint64)
        for i, s in enumerate(seekers):
            key = s.occupations[: cfg.max_desired]
            p = self._profile_of.get(key)
            if p is None:
                p = self._profile_of[key] = len(self.profiles)
                self.profiles.append(key)
            prof[i] = p
            if s.certificates:
                cert[i] = enc.cert_mask(s.certificates, grow=False)[0]
        cols["profile"] = prof
        cols["known_wage"] = np.array([s.expected_wage is not None for s in seekers], dtype=bool)
        cols["cert"] = cert
        self.ids.extend(s.seeker_id for s in seekers)
        self._parts.append(cols)
        self.cols = {}

    def finish(self) -> SeekerBatch:
        if self._parts:
            if self.cols:
                self._parts.insert(0, self.cols)
            self.cols = {k: np.concatenate([p[k] for p in self._parts]) for k in self._parts[0]}
            self._parts = []
        return self

    def __len__(self) -> int:
        return len(self.ids)

    def blocks(self, block: int = 256, cell_km: float = 5.0, rows: np.ndarray | None = None) -> list[np.ndarray]:
        """Rows grouped by (relocate, grid cell), in blocks of at most ``block``."""
        c = self.cols
        rows = np.arange(len(self.ids)) if rows is None else rows
        lat, lon = c["lat"][rows], c["lon"][rows]
        unknown = np.isnan(lat)
        dl = cell_km / 111.2
        cy = np.where(unknown, -(10**6), np.floor(np.nan_to_num(lat) / dl)).astype(np.int64)
        cx = np.where(unknown, -(10**6), np.floor(np.nan_to_num(lon) / (dl / math.cos(math.radians(25.9))))).astype(np.int64)
        key = (c["relocate"][rows].astype(np.int64) << 62) + ((cy + 2**20) << 30) + (cx + 2**20)
        order = np.argsort(key, kind="stable")
        sk = key[order]
        cuts = np.flatnonzero(np.diff(sk)) + 1
        out = []
        for g in np.split(order, cuts):
            for i in range(0, len(g), block):
                out.append(rows[g[i : i + block]])
        return out


RULE_COLS = ("x", "y", "z", "ben", "shift_bit", "age_min", "age_max", "full_time")
SOFT_COLS = ("x", "y", "z", "wage_mid", "wage_max", "shift_bit", "full_time", "ben", "age_min", "age_max",
             "desir", "benscore", "posted", "price", "occ")


def _eval_slots(index: JobIndex, slots, Sv, smask, s_sims, e_sims, today, capacity_aware):
    """Rules on cheap columns first, then the soft score on the jobs some row may take."""
    from types import SimpleNamespace

    cfg = index.config
    st = index.store.cols
    Jr = SimpleNamespace(**{k: st[k][slots] for k in RULE_COLS})
    needs = st["needs_cert"][slots]
    cert_ok = None
    if needs.any():
        jmask = st["cert"][slots]
        sm = smask
        if sm.shape[1] < jmask.shape[1]:
            sm = np.concatenate([sm, np.zeros((sm.shape[0], jmask.shape[1] - sm.shape[1]), np.uint64)], axis=1)
        cert_ok = cert_ok_jobs(sm[:, : jmask.shape[1]], jmask, needs)
    ok, chord, far = pair_rules(Sv, Jr, cert_ok)
    keep = ok.any(axis=0)
    if not keep.all():
        slots, ok, chord, far = slots[keep], ok[:, keep], chord[:, keep], far[:, keep]
    J = {k: st[k][slots] for k in SOFT_COLS}
    Jv = job_view(J, cfg, today)
    occ_idx = np.where(J["occ"] < 0, len(index.enc.occ), J["occ"])
    s_mat = s_sims[:, occ_idx]
    e_mat = e_sims[:, occ_idx]
    score = pair_soft(Sv, Jv, ok, chord, far, s_mat, e_mat, cfg, capacity_aware)
    return slots, score, chord, far, e_mat


def _score_block(index: JobIndex, sb: SeekerBatch, rows: np.ndarray, top: int, today: dt.date, capacity_aware: bool):
    """Score one block of seekers against their candidate jobs; returns per-row top selections.

    Phase 1: jobs in the grid around the block. Phase 2 (relocating seekers): lodging jobs beyond reach,
    only in occupations whose best possible score could still enter a row's top-k (exact pruning).
    """
    cfg = index.config
    c = sb.cols
    B = len(rows)
    lat, lon = c["lat"][rows], c["lon"][rows]
    reach = c["reach"][rows]
    unknown = bool(np.isnan(lat).any())
    reloc = bool(c["relocate"][rows].any()) and not unknown
    if unknown:
        slots = index.candidates(None, None, None, None, 0.0, True)
    else:
        slots = index.candidates(lat.min(), lat.max(), lon.min(), lon.max(), float(reach.max()), False)
        if slots.size:
            # tighter circle around the block: jobs farther than (largest reach + shuttle + block radius) fail R4
            cx, cy, cz = (c["x"][rows].mean(), c["y"][rows].mean(), c["z"][rows].mean())
            nrm = math.sqrt(cx * cx + cy * cy + cz * cz)
            cx, cy, cz = cx / nrm, cy / nrm, cz / nrm
            rad = float(np.max(np.sqrt((c["x"][rows] - cx) ** 2 + (c["y"][rows] - cy) ** 2 + (c["z"][rows] - cz) ** 2)))
            rad_km = 2 * EARTH_R * math.asin(min(1.0, rad / 2))
            lim = float(chord_of_km(float(reach.max()) + index.max_shuttle_extra + rad_km + 1e-6))
            st = index.store.cols
            ch = np.sqrt((st["x"][slots] - cx) ** 2 + (st["y"][slots] - cy) ** 2 + (st["z"][slots] - cz) ** 2)
            slots = slots[~(ch > lim)]
    sub = {k: c[k][rows] for k in ("x", "y", "z", "reach", "relocate", "birth_year", "expected", "shifts", "shift_best", "unav")}
    Sv = seeker_view(sub, cfg, today, shape=(B, 1))
    enc = index.enc
    prof = c["profile"][rows]
    up, inv = np.unique(prof, return_inverse=True)
    sims = [enc.occupation_similarity(sb.profiles[p], cfg) for p in up]
    s_sims = np.stack([s for s, _ in sims])[inv]
    e_sims = np.stack([e for _, e in sims])[inv]
    smask = c["cert"][rows]
    res = _eval_slots(index, slots, Sv, smask, s_sims, e_sims, today, capacity_aware)
    sel = top_k_rows(res[1], top, res[0])
    if reloc:
        # threshold for each row: its k-th best so far (-inf when fewer than k)
        thr = np.array([res[1][b, sel[b][-1]] if len(sel[b]) >= top else -np.inf for b in range(B)], dtype=np.float64)
        thr = np.where(c["relocate"][rows], thr, np.inf)  # rows that do not relocate need nothing more
        ub = upper_bound_far(s_sims.astype(np.float64), e_sims.astype(np.float64), cfg)  # (B, V+1)
        need = np.flatnonzero((ub >= thr[:, None]).any(axis=0))
        V = len(enc.occ)
        parts = [index.lodging_by_occ.array(-1 if o == V else int(o)) for o in need]
        parts = [p for p in parts if p.size]
        if parts:
            far_slots = np.concatenate(parts)
            if res[0].size:
                far_slots = far_slots[~np.isin(far_slots, res[0])]
            if far_slots.size:
                r2 = _eval_slots(index, far_slots, Sv, smask, s_sims, e_sims, today, capacity_aware)
                res = tuple(np.concatenate([a, b], axis=-1) for a, b in zip(res, r2, strict=True))
                sel = top_k_rows(res[1], top, res[0])
    slots, score, chord, far, e_mat = res
    return slots, sel, score, chord, far, e_mat


def _job_parts(index: JobIndex, slot: int):
    t = index.text_cache.get(slot)
    if t is None:
        job = index.jobs[slot]
        mid = wage_mid(job)
        below = job.shift not in NON_FULL_TIME and mid is not None and mid < index.config.minimum_wage_monthly
        tail = ([SHIFT_ZH[job.shift]] if job.shift else []) + benefit_texts(job.benefits)
        t = index.text_cache[slot] = (wage_text(job), mid, below, SEP.join(tail), job.posted_on.toordinal() if job.posted_on else None)
    return t


def fast_job_reasons(index, slot, d_km, far, expected, occ_e, today_ord, crowded) -> str:
    """Same text as explain.job_reasons, from cached per-job parts (used in batch)."""
    wt, mid, below, tail, posted = _job_parts(index, slot)
    parts = []
    if d_km is not None:
        parts.append(f"距家 {d_km:.1f} 公里，可住宿舍" if far else f"距家 {d_km:.1f} 公里")
    if wt:
        if below:
            wt += "，低于最低工资"
        elif expected:
            r = mid / expected
            wt += "，高于期望" if r >= 1.1 else ("，符合期望" if r >= 0.95 else "，低于期望")
        parts.append(wt)
    if tail:
        parts.append(tail)
    if occ_e is not None:
        if occ_e >= 0.999:
            parts.append("意向工种")
        elif occ_e >= 0.599:
            parts.append("相近工种")
        elif occ_e >= 0.299:
            parts.append("同类工种")
    if posted is not None and 0 <= today_ord - posted <= 3:
        parts.append("新发布")
    if crowded:
        parts.append("报名人多")
    return SEP.join(parts)


def _block_matches(index, sb, rows, res, today, with_reasons=True):
    """Turn one scored block into (seeker_row, [(slot, score, distance_km, reasons)])."""
    slots, sel, score, chord, far, e_mat = res
    c = sb.cols
    price = index.store.cols["price"]
    tord = today.toordinal()
    for b, r in enumerate(rows):
        idx = sel[b]
        out = []
        if idx.size:
            dk = chord_to_km(chord[b, idx])
            for j, col in enumerate(idx):
                slot = int(slots[col])
                d = float(dk[j])
                d = None if math.isnan(d) else d
                reasons = ""
                if with_reasons:
                    exp = float(c["expected"][r]) if c["known_wage"][r] else None
                    occ = float(e_mat[b, col]) if sb.profiles[c["profile"][r]] else None
                    reasons = fast_job_reasons(index, slot, d, bool(far[b, col]), exp, occ, tord, price[slot] > CROWDED_PRICE)
                out.append((slot, float(score[b, col]), d, reasons))
        yield r, out


# --------------------------------------------------------------------------- public API


def recommend_jobs(
    seeker: Seeker, index: JobIndex, top: int = 20, capacity_aware: bool = True, today: dt.date | None = None
) -> list[Match]:
    """The best ``top`` open jobs for one seeker, best first. Hard rules are never broken.

    capacity_aware=True multiplies each score by the job's congestion penalty exp(-price) (see
    ``estimate_prices``); with no prices estimated it equals the plain ranking.
    """
    today = _today(today)
    sb = SeekerBatch(index)
    sb.extend([seeker])
    sb.finish()
    rows = np.array([0])
    res = _score_block(index, sb, rows, top, today, capacity_aware)
    out = []
    for _, lst in _block_matches(index, sb, rows, res, today):
        for slot, sc, d, reasons in lst:
            out.append(Match(index.jobs[slot].job_id, seeker.seeker_id, round(sc, 3), reasons, None if d is None else round(d, 3)))
    return out


def explain_match(seeker: Seeker, job: Job, config: MatchConfig | None = None, today: dt.date | None = None) -> Match | None:
    """Score and explain one pair (None if a hard rule excludes it; see ``violations`` for which)."""
    idx = JobIndex([job], config=config)
    res = recommend_jobs(seeker, idx, top=1, capacity_aware=False, today=today)
    return res[0] if res else None


def rank_candidates(job: Job, seeker_index: SeekerIndex, top: int = 50, today: dt.date | None = None) -> list[Match]:
    """The best ``top`` seekers for one job (an outreach / call list), best first. Hard rules are never broken."""
    today = _today(today)
    cfg = seeker_index.config
    enc = seeker_index.enc
    extra = cfg.shuttle_extra_km if "shuttle" in job.benefits else 0.0
    slots = seeker_index.candidates(job, extra)
    mask, all_known = enc.cert_mask(job.certificates, grow=False)
    if not all_known or slots.size == 0:
        return []
    S = seeker_index.gather(slots)
    # job as a one-row JobIndex-style column set (its own vocabulary is not needed: occupation is compared below)
    from .core import Encoder, job_row

    row, _ = job_row(job, Encoder(), cfg)
    J = {k: np.array([v]) for k, v in row.items()}
    Jv = job_view(J, cfg, today)
    Sv = seeker_view(S, cfg, today)
    # occupation closeness: compare the job's prefixes with each desired occupation of each seeker
    jp = enc.prefix_ids(job.occupation_code, grow=False, missing=-3)
    occ = S["occ"]  # (C, K, 4)
    t1, t2, t3, t4 = cfg.occupation_tiers
    tier = np.where(
        occ[:, :, 3] == jp[3], t1, np.where(occ[:, :, 2] == jp[2], t2, np.where(occ[:, :, 1] == jp[1], t3, np.where(occ[:, :, 0] == jp[0], t4, 0.0)))
    ).astype(np.float32)
    K = occ.shape[1]
    decay = np.array([cfg.desire_decay[min(k, len(cfg.desire_decay) - 1)] for k in range(K)], dtype=np.float32)
    occ_s = (tier * decay).max(axis=1)
    occ_e = tier.max(axis=1)
    none = S["n_occ"] == 0
    if job.occupation_code is None:
        none = np.ones_like(none)
    from .core import NEUTRAL_OCC

    occ_s = np.where(none, NEUTRAL_OCC, occ_s)
    occ_e = np.where(none, NEUTRAL_OCC, occ_e)
    cert_ok = None
    if mask.any():
        sm = S["cert"]
        w = min(sm.shape[1], mask.shape[0])
        cert_ok = ~((mask[None, :w] & ~sm[:, :w]) != 0).any(axis=1)
    score, chord, far = pair_scores(Sv, Jv, occ_s, occ_e, cert_ok, cfg, today, capacity_aware=False)
    sel = top_k_rows(score[None, :], top, slots)[0]
    out = []
    dk = chord_to_km(chord[sel]) if sel.size else []
    for j, col in enumerate(sel):
        s = seeker_index.seekers[int(slots[col])]
        d = float(dk[j])
        d = None if math.isnan(d) else d
        rank = int(np.argmax(tier[col] * decay)) if not none[col] else None
        reasons = seeker_reasons(
            s, job, distance_km=d, relocated=bool(far[col]), occupation_rank=rank, occupation_closeness=float(occ_e[col]), today=today
        )
        out.append(Match(job.job_id, s.seeker_id, round(float(score[col]), 3), reasons, None if d is None else round(d, 3)))
    return out


def _as_batch(index: JobIndex, seekers) -> SeekerBatch:
    if isinstance(seekers, SeekerBatch):
        return seekers.finish()
    sb = SeekerBatch(index)
    if isinstance(seekers, SeekerIndex):
        seekers = [s for s in seekers.seekers if s is not None]
    chunk: list[Seeker] = []
    for s in seekers:
        chunk.append(s)
        if len(chunk) >= 50_000:
            sb.extend(chunk)
            chunk = []
    if chunk:
        sb.extend(chunk)
    return sb.finish()


def estimate_prices(
    index: JobIndex,
    seekers,
    *,
    top: int = 10,
    today: dt.date | None = None,
    rounds: int | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> dict:
    """Set every job's congestion price from simulated demand (the capacity-aware mode).

    Each round, every (sampled) seeker gets a top-``top`` list under the current prices; a seeker's unit of
    demand is spread over the list with weights decaying by ``demand_rank_decay`` per rank; a job whose
    demand exceeds its headcount gets a higher price, an under-demanded one a lower price
    (price += step * log(demand / headcount), kept in [0, max_price]). This is a dual (price) method for the
    assignment problem: prices make crowded jobs less attractive so lists spread over open positions.
    """
    cfg = index.config
    today = _today(today)
    rounds = cfg.price_rounds if rounds is None else rounds
    sb = _as_batch(index, seekers)
    n = len(sb)
    cap = sample if sample is not None else cfg.demand_sample
    rows = np.arange(n)
    if n > cap:
        rows = np.sort(np.random.default_rng(seed).choice(n, cap, replace=False))
    scale = n / max(1, len(rows))
    st = index.store
    st.cols["price"][:] = 0.0
    alive = st.alive[: st.n]
    head = np.maximum(1, st.cols["headcount"][: st.n]).astype(np.float64)
    w = cfg.demand_rank_decay ** np.arange(top)
    w = w / w.sum()
    blocks = sb.blocks(rows=rows)
    demand = np.zeros(st.n)
    price = np.zeros(st.n)
    acc = np.zeros(st.n)
    for t in range(rounds):
        st.cols["price"][: st.n] = price
        demand = np.zeros(st.n)
        for b in blocks:
            res = _score_block(index, sb, b, top, today, capacity_aware=True)
            slots, sel = res[0], res[1]
            for idx in sel:
                if idx.size:
                    np.add.at(demand, slots[idx], w[: idx.size] / w[: idx.size].sum())
        demand *= scale
        # congestion relative to the market as a whole: in a tight market every job is over-demanded,
        # and only the jobs more crowded than the average should be pushed down
        tight = max(1.0, demand[alive].sum() / head[alive].sum()) if alive.any() else 1.0
        ratio = np.maximum(demand / (head * tight), 0.05)
        price = np.clip(price + cfg.price_step / math.sqrt(t + 1) * np.log(ratio), 0.0, cfg.max_price)
        price = np.where(alive, price, 0.0)
        acc += price
    # the average of the iterates (damps the oscillation of a plain price update)
    st.cols["price"][: st.n] = np.where(alive, acc / max(1, rounds), 0.0)
    index.prices_estimated = True
    over = alive & (demand > head)
    return {
        "seekers_sampled": int(len(rows)),
        "rounds": rounds,
        "jobs_over_demanded": int(over.sum()),
        "mean_price": float(st.cols["price"][: st.n][alive].mean()) if alive.any() else 0.0,
    }


def batch_recommend(
    seekers: Iterable[Seeker] | SeekerBatch,
    index: JobIndex,
    top: int = 20,
    capacity_aware: bool = True,
    today: dt.date | None = None,
    estimate: bool = True,
) -> Iterator[tuple[object, list[Match]]]:
    """Recommendations for many seekers: yields (seeker_id, matches). Seekers come grouped by place
    (not in input order). With capacity_aware and ``estimate``, prices are estimated from these seekers first
    unless the index already has them."""
    today = _today(today)
    sb = _as_batch(index, seekers)
    if capacity_aware and estimate and not index.prices_estimated:
        estimate_prices(index, sb, today=today)
    for rows in sb.blocks():
        res = _score_block(index, sb, rows, top, today, capacity_aware)
        for r, lst in _block_matches(index, sb, rows, res, today):
            sid = sb.ids[r]
            yield sid, [Match(index.jobs[s].job_id, sid, round(sc, 3), rs, None if d is None else round(d, 3)) for s, sc, d, rs in lst]


__all__ = [
    "recommend_jobs",
    "rank_candidates",
    "batch_recommend",
    "estimate_prices",
    "explain_match",
    "violations",
    "job_reasons",
    "SeekerBatch",
    "NO_DATE",
    "unit_vector",
]
