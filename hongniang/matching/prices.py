"""Capacity-aware allocation: the price of each job, from a model of how people use their lists.

The lists are an assignment problem with uncertain acceptance on both sides: a person looks at their list
top-down and may stop early; a look ends in a hire with some chance (the person wants the job *and* the employer
wants the person), and only while the job has open positions. ``estimate_prices`` finds, for every job, the chance
``q`` that a hire-worthy applicant still finds an open position, consistent with the lists that these chances
produce (a damped fixed point, prices ``-log q`` with no low ceiling):

1. every (sampled) person's candidates: their best ``alloc_candidates x top`` jobs under the tiers (work close to
   what they named first), with the soft score;
2. the chance that a look ends in a hire, ``p = (score / 100) ** alloc_gamma`` (x ``alloc_far_weight`` for far
   work) — the only calibration the method needs; a county's fitted calibration can replace it (learn.py);
3. repeat ``price_rounds`` times: each person's list is their ``top`` candidates by ``p x q``; the chance they
   reach rank ``k`` is the product over earlier ranks of ``alloc_continue x (1 - p q)``; a job's demand ``D`` is
   the expected number of hire-worthy applicants that reach it (scaled up from the sample); with ``N ~ Poisson(D)``
   and ``h`` positions, a hire-worthy applicant finds a position open with chance ``E[min(N, h)] / D``; the price
   moves part of the way (``price_damping``) to ``-log`` of that.

Ranking by ``p x q`` is ranking by ``score x q ** (1 / alloc_gamma)``: the index keeps ``price = -log(q) /
alloc_gamma`` per job, and the capacity-aware score is ``score x exp(-price) x tier``, which the exact searches
bound and prune like the plain score.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from .blocks import SeekerBatch, _score_block
from .core import CLOSE
from .index import JobIndex, SeekerIndex
from .reference import _today
from .types import Seeker


def crowded_price(cfg) -> float:
    """A job priced above this is "报名人多": a hire-worthy applicant finds it open with a chance below 3/4."""
    return math.log(4.0 / 3.0) / cfg.alloc_gamma


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


# --------------------------------------------------------------------------- Poisson helpers (numpy only)


def _erfc(x: np.ndarray) -> np.ndarray:
    """Complementary error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * z)
    y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * np.exp(-z * z)
    return np.where(x >= 0, y, 2.0 - y)


def poisson_below(h: np.ndarray, d: np.ndarray) -> np.ndarray:
    """P(N < h) for N ~ Poisson(d), elementwise: the exact sum up to h = 60, Wilson-Hilferty above."""
    h = np.asarray(h, dtype=np.float64)
    d = np.maximum(np.asarray(d, dtype=np.float64), 1e-12)
    out = np.zeros(h.shape)
    small = h <= 60
    if small.any():
        hs, ds = h[small], d[small]
        term = np.exp(-ds)
        acc = np.zeros(ds.shape)
        for k in range(int(hs.max())):
            acc += np.where(hs > k, term, 0.0)
            term = term * ds / (k + 1)
        out[small] = acc
    big = ~small
    if big.any():
        a, x = h[big], d[big]  # P(N <= a - 1) = P(Gamma(a) > x)
        z = ((x / a) ** (1.0 / 3.0) - (1.0 - 1.0 / (9.0 * a))) / np.sqrt(1.0 / (9.0 * a))
        out[big] = 0.5 * _erfc(z / math.sqrt(2.0))
    return np.clip(out, 0.0, 1.0)


def open_chance(h: np.ndarray, d: np.ndarray) -> np.ndarray:
    """E[min(N, h)] / E[N] for N ~ Poisson(d): the chance that a hire-worthy applicant finds an open position
    (1 when nobody comes)."""
    h = np.asarray(h, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    # E[min(N, h)] = d P(N <= h - 2) + h P(N >= h)
    mean_min = d * poisson_below(h - 1, d) + h * (1.0 - poisson_below(h, d))
    return np.where(d > 1e-9, np.minimum(1.0, mean_min / np.maximum(d, 1e-9)), 1.0)


# --------------------------------------------------------------------------- the allocation

_CAND: dict = {}


def _candidates(index: JobIndex, sb: SeekerBatch, blocks, k: int, today: dt.date):
    """Each person's best ``k`` jobs under the tiers and no prices: (rows, slots, soft score, far) flattened in
    (row, rank) order."""
    cfg = index.config
    has = sb.has_occupations()
    R, S, SC, F = [], [], [], []
    for b in blocks:
        ptr, slots, key, _chord, _far, occ_e = _score_block(index, sb, b, k, today, capacity_aware=True)
        if not slots.size:
            continue
        cnt = np.diff(ptr)
        far = np.repeat(has[sb.cols["profile"][b]], cnt) & ((occ_e < CLOSE) | (index.store.cols["occ"].take(slots) < 0))
        R.append(np.repeat(b, cnt))
        S.append(slots)
        SC.append(np.where(far, key / np.float32(cfg.far_tier), key) if cfg.far_tier != 1.0 else key)
        F.append(far)
    if not R:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0), np.zeros(0, bool)
    return np.concatenate(R), np.concatenate(S), np.concatenate(SC).astype(np.float64), np.concatenate(F)


def _candidates_task(blocks):
    g = _CAND
    return _candidates(g["index"], g["sb"], blocks, g["k"], g["today"])


def _allocate(cfg, rows, slots, score, far, head, top: int, scale: float, rounds: int) -> tuple[np.ndarray, dict]:
    """The damped fixed point of the open chances ``q`` (see the module text). Returns (price per slot, figures)."""
    n_slots = head.size
    if not rows.size:
        return np.zeros(n_slots), {"iterations": 0}
    # a matrix of candidates: one row per person (padded), best first
    uniq, r = np.unique(rows, return_inverse=True)
    order = np.lexsort((-score, r))
    r, s, sc, fa = r[order], slots[order], score[order], far[order]
    first = np.searchsorted(r, np.arange(uniq.size + 1))
    width = int(np.max(np.diff(first)))
    col = np.arange(r.size) - first[r]
    n = uniq.size
    M_slot = np.zeros((n, width), np.int64)
    M_p = np.zeros((n, width))
    M_close = np.zeros((n, width), bool)
    M_ok = np.zeros((n, width), bool)
    M_slot[r, col] = s
    p = (np.clip(sc, 0.0, 100.0) / 100.0) ** cfg.alloc_gamma
    p = np.where(fa, p * cfg.alloc_far_weight, p)
    M_p[r, col] = np.minimum(p, 0.95)
    M_close[r, col] = ~fa
    M_ok[r, col] = True
    k = min(top, width)
    price = np.zeros(n_slots)
    cont = cfg.alloc_continue
    lo_q = math.exp(-cfg.max_price * cfg.alloc_gamma)
    rows_n = np.arange(n)[:, None]
    change = 0.0
    done = n_acc = 0
    acc = np.zeros(n_slots)
    for _t in range(rounds):
        done += 1
        q = np.exp(-price)
        qm = q[M_slot]
        key = np.where(M_ok, M_p * qm + np.where(M_close, 2.0, 0.0), -1.0)  # close work first (p q <= 1)
        if k < width:
            part = np.argpartition(-key, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(width), (n, width))
        kp = key[rows_n, part]
        o = np.argsort(-kp, axis=1, kind="stable")
        sel = part[rows_n, o]
        ok = M_ok[rows_n, sel]
        ps = M_p[rows_n, sel]
        win = ps * qm[rows_n, sel]
        # chance of reaching rank k: the product of cont x (1 - p q) over the earlier ranks
        reach = np.ones(ps.shape)
        if k > 1:
            reach[:, 1:] = np.cumprod(cont * (1.0 - win[:, :-1]), axis=1)
        w = np.where(ok, reach * ps, 0.0)
        demand = np.bincount(M_slot[rows_n, sel].ravel(), weights=w.ravel(), minlength=n_slots) * scale
        target = -np.log(np.maximum(open_chance(head, demand), lo_q))
        eta = cfg.price_damping / (1.0 + 0.2 * _t)  # a decreasing step: the prices settle where people are indifferent
        new = (1.0 - eta) * price + eta * target
        change = float(np.max(np.abs(new - price))) if n_slots else 0.0
        price = new
        if done > rounds // 2:  # the average of the later iterates (people with equal options make the plain
            acc += price  # iteration swing between two jobs; the average settles where they are indifferent)
            n_acc += 1
        if change < 1e-4:
            break
    if n_acc:
        price = acc / n_acc
    return price, {"iterations": done, "last_change": round(change, 6), "people": int(n), "pairs": int(rows.size)}


def estimate_prices(
    index: JobIndex,
    seekers,
    *,
    top: int = 10,
    today: dt.date | None = None,
    rounds: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    workers: int = 1,
    population: float | None = None,
) -> dict:
    """Set every job's capacity price from the allocation (see the module text) for lists of ``top``.

    Above ``demand_sample`` seekers, whole place-blocks are sampled (every seeker has the same chance, blocks stay
    dense) and demand is scaled up. ``population``: how many people the demand stands for — the people expected to
    look while the jobs are open, of whom ``seekers`` are a sample (default: ``seekers`` themselves). ``workers``
    > 1 finds the candidates in that many forked processes."""
    cfg = index.config
    today = _today(today)
    rounds = cfg.price_rounds if rounds is None else rounds
    sb = _as_batch(index, seekers)
    n = len(sb)
    cap = sample if sample is not None else cfg.demand_sample
    if n > cap:
        blocks = sb.blocks()
        pick = np.random.default_rng(seed).permutation(len(blocks))
        sizes = np.array([len(blocks[i]) for i in pick])
        kk = int(np.searchsorted(np.cumsum(sizes), cap)) + 1
        blocks = [blocks[i] for i in pick[:kk]]
        n_rows = int(sum(len(b) for b in blocks))
    else:
        blocks = sb.blocks()
        n_rows = n
    scale = (n if population is None else max(0.0, float(population))) / max(1, n_rows)
    st = index.store
    st.cols["price"][:] = 0.0
    index.prices_changed()
    k = max(top, int(math.ceil(cfg.alloc_candidates * top)))
    if workers > 1 and len(blocks) > 1:
        import multiprocessing as mp

        _CAND.update(index=index, sb=sb, k=k, today=today)
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_candidates_task, [blocks[i::workers * 4] for i in range(workers * 4)])
        finally:
            _CAND.clear()
        parts = [p for p in parts if p[0].size]
        cand = tuple(np.concatenate([p[i] for p in parts]) for i in range(4)) if parts else _candidates(index, sb, [], k, today)
    else:
        cand = _candidates(index, sb, blocks, k, today)
    alive = st.alive[: st.n]
    head = np.maximum(1, st.cols["headcount"][: st.n]).astype(np.float64)
    price, figures = _allocate(cfg, *cand, head, top, scale, rounds)
    price = np.where(alive, np.minimum(price / cfg.alloc_gamma, cfg.max_price), 0.0)
    st.cols["price"][: st.n] = price
    index.prices_changed()
    index.prices_estimated = True
    live = price[alive]
    return {
        "seekers_sampled": n_rows,
        **figures,
        "jobs_crowded": int((live > crowded_price(cfg)).sum()),
        "mean_price": round(float(live.mean()), 4) if live.size else 0.0,
    }


def soft_scores(index: JobIndex, slots: np.ndarray, key: np.ndarray, occ_e: np.ndarray, has_occ, capacity_aware: bool) -> np.ndarray:
    """The soft score (0-100) of ranked results: the ranking key without the capacity price and the tier."""
    if not capacity_aware or not slots.size:
        return key
    cfg = index.config
    div = index.penalty().take(slots).astype(np.float64)
    if cfg.far_tier != 1.0:
        far = np.asarray(has_occ, dtype=bool) & ((occ_e < CLOSE) | (index.store.cols["occ"].take(slots) < 0))
        div = np.where(far, div * np.float64(np.float32(cfg.far_tier)), div)
    return key / div
