"""Capacity-aware prices: demand simulated over the seekers' lists, a damped dual (price) update per job."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from .blocks import SeekerBatch, _score_block
from .index import JobIndex, SeekerIndex
from .reference import _today
from .types import Seeker


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


_DEMAND: dict = {}


def _demand(index, sb, blocks, top, today, w) -> np.ndarray:
    """Demand per job slot of the seekers in ``blocks`` under the index's current prices."""
    n = index.store.n
    demand = np.zeros(n)
    for b in blocks:
        ptr, slots = _score_block(index, sb, b, top, today, capacity_aware=True)[:2]
        if slots.size:
            cnt = np.diff(ptr)
            rank = np.arange(slots.size) - np.repeat(ptr[:-1], cnt)
            norm = np.cumsum(w)[np.maximum(cnt, 1) - 1]
            demand += np.bincount(slots, weights=w[rank] / np.repeat(norm, cnt), minlength=n)
    return demand


def _demand_task(args) -> np.ndarray:
    price, blocks = args
    g = _DEMAND
    index = g["index"]
    index.store.cols["price"][: price.size] = price
    index.prices_changed()
    return _demand(index, g["sb"], blocks, g["top"], g["today"], g["w"])


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
) -> dict:
    """Set every job's congestion price from simulated demand (the capacity-aware mode).

    Each round, every (sampled: whole place-blocks, at most ``demand_sample``) seeker gets a top-``top`` list under the current prices; a seeker's unit of
    demand is spread over the list with weights decaying by ``demand_rank_decay`` per rank; a job whose
    demand exceeds its headcount gets a higher price, an under-demanded one a lower price
    (price += step * log(demand / headcount), kept in [0, max_price]). This is a dual (price) method for the
    assignment problem: prices make crowded jobs less attractive so lists spread over open positions.
    ``workers`` > 1 computes each round's demand in that many forked processes (the same prices up to float rounding).
    """
    cfg = index.config
    today = _today(today)
    rounds = cfg.price_rounds if rounds is None else rounds
    sb = _as_batch(index, seekers)
    n = len(sb)
    cap = sample if sample is not None else cfg.demand_sample
    if n > cap:
        # cluster sample: whole place-blocks in random order until ``cap`` seekers (every seeker has the same
        # chance to be in it, and the blocks stay dense, which is what makes a block cheap to score)
        blocks = sb.blocks()
        pick = np.random.default_rng(seed).permutation(len(blocks))
        sizes = np.array([len(blocks[i]) for i in pick])
        k = int(np.searchsorted(np.cumsum(sizes), cap)) + 1
        blocks = [blocks[i] for i in pick[:k]]
        rows = np.concatenate(blocks)
    else:
        rows = np.arange(n)
        blocks = sb.blocks(rows=rows)
    scale = n / max(1, len(rows))
    st = index.store
    st.cols["price"][:] = 0.0
    index.prices_changed()
    alive = st.alive[: st.n]
    head = np.maximum(1, st.cols["headcount"][: st.n]).astype(np.float64)
    w = cfg.demand_rank_decay ** np.arange(top)
    w = w / w.sum()
    demand = np.zeros(st.n)
    price = np.zeros(st.n)
    acc = np.zeros(st.n)
    pool = None
    if workers > 1 and len(blocks) > 1:
        import multiprocessing as mp

        _DEMAND.update(index=index, sb=sb, top=top, today=today, w=w)
        pool = mp.get_context("fork").Pool(workers)
    try:
        for t in range(rounds):
            st.cols["price"][: st.n] = price
            index.prices_changed()
            if pool is None:
                demand = _demand(index, sb, blocks, top, today, w)
            else:
                parts = [blocks[i::workers * 4] for i in range(workers * 4)]
                demand = sum(pool.map(_demand_task, [(price, p) for p in parts]))
            demand *= scale
        # congestion relative to the market as a whole: in a tight market every job is over-demanded,
        # and only the jobs more crowded than the average should be pushed down
            tight = max(1.0, demand[alive].sum() / head[alive].sum()) if alive.any() else 1.0
            ratio = np.maximum(demand / (head * tight), 0.05)
            price = np.clip(price + cfg.price_step / math.sqrt(t + 1) * np.log(ratio), 0.0, cfg.max_price)
            price = np.where(alive, price, 0.0)
            acc += price
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            _DEMAND.clear()
    # the average of the iterates (damps the oscillation of a plain price update)
    st.cols["price"][: st.n] = np.where(alive, acc / max(1, rounds), 0.0)
    index.prices_changed()
    index.prices_estimated = True
    over = alive & (demand > head)
    return {
        "seekers_sampled": int(len(rows)),
        "rounds": rounds,
        "jobs_over_demanded": int(over.sum()),
        "mean_price": float(st.cols["price"][: st.n][alive].mean()) if alive.any() else 0.0,
    }
