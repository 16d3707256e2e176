"""Single-site ranking and maximum coverage (K sites that together reach the most distinct people).

The exact answer is an integer program over coverage classes solved by HiGHS (``scipy.optimize.milp``):

    max  sum_c w_c y_c   s.t.  y_c <= sum_{j reaches c} x_j,  sum_j x_j = K,  x binary,  0 <= y <= 1

(with capacities: an assignment z_cj of class c's people to site j, sum_j z_cj <= w_c, sum_c z_cj <= cap_j x_j,
z_cj <= w_c x_j). Existing sites are fixed open and do not count in K; the people they already reach are not
counted again. The greedy answer (pick the site adding the most, repeat) is computed beside it for comparison:
a (1 - 1/e) approximation, and not always optimal (tests have a geography where it is not).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .model import Coverage, QueryError, gettext_noop


@dataclass
class CoverResult:
    method: str  # "greedy" | "exact" | "single"
    chosen: list[int]  # site indices, in the order chosen (greedy order within an exact set)
    covered_new: list[float]  # objective added by each chosen site, in order
    covered_total: float  # objective of fixed + chosen sites (people, or full-time equivalents)
    people: int  # distinct people in reach of fixed + chosen sites
    said_yes: int  # of whom said yes to a call or a sign-up
    fixed_total: float = 0.0  # objective of the fixed sites alone
    optimal: bool | None = None  # exact: proven optimal
    bound: float | None = None  # exact: the best upper bound HiGHS proved
    seconds: float = 0.0
    note: str = ""
    per_site_people: list[int] = field(default_factory=list)
    #: exact, uncapacitated: how the model was cut down before the integer program (rounds of LP + fixing)
    reduction: dict = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        return max(0.0, self.bound - self.covered_total)


def _capacitated(cov: Coverage) -> bool:
    return any(s.capacity is not None for s in cov.sites)


def _fixed(cov: Coverage) -> list[int]:
    return [j for j, s in enumerate(cov.sites) if s.fixed]


def class_pairs(cov: Coverage, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position in cls, site) for every site of every class in cls."""
    lens = cov.class_ptr[cls + 1] - cov.class_ptr[cls]
    total = int(lens.sum())
    row = np.repeat(np.arange(len(cls)), lens)
    offs = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    return row, cov.class_sites[np.repeat(cov.class_ptr[cls], lens) + offs].astype(np.int64)


def _touched(cov: Coverage, sites) -> np.ndarray:
    t = np.zeros(cov.n_classes, dtype=bool)
    for j in sites:
        t[cov.classes_of(int(j))] = True
    return t


def evaluate(cov: Coverage, chosen) -> float:
    """Objective of a set of sites (fixed sites included by the caller): the weight of the people it reaches,
    or with capacities the most people the sites can take (a transportation problem solved exactly)."""
    chosen = sorted({int(j) for j in chosen})
    if not chosen:
        return 0.0
    if not _capacitated(cov):
        return float(cov.class_weight[_touched(cov, chosen)].sum())
    return _assign_lp(cov, chosen)


def _assign_lp(cov: Coverage, chosen: list[int]) -> float:
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    pairs_c, pairs_j = [], []
    for j in chosen:
        cs = cov.classes_of(j)
        pairs_c.append(cs)
        pairs_j.append(np.full(len(cs), j))
    pc = np.concatenate(pairs_c).astype(np.int64)
    pj = np.concatenate(pairs_j).astype(np.int64)
    if not len(pc):
        return 0.0
    m = len(pc)
    cls, cinv = np.unique(pc, return_inverse=True)
    sj, sinv = np.unique(pj, return_inverse=True)
    caps = np.array([cov.sites[j].capacity if cov.sites[j].capacity is not None else math.inf for j in sj])
    rows = np.r_[cinv, len(cls) + sinv]
    a = csr_array((np.ones(2 * m), (rows, np.r_[np.arange(m), np.arange(m)])), shape=(len(cls) + len(sj), m))
    b = np.r_[cov.class_weight[cls], np.where(np.isfinite(caps), caps, cov.class_weight.sum() + 1)]
    res = linprog(-np.ones(m), A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    if res.status != 0:
        raise RuntimeError(f"assignment LP failed: {res.message}")
    return float(-res.fun)


def rank_single(cov: Coverage) -> list[int]:
    """Site indices, most people in reach first (the objective: people, or full-time equivalents), ties by
    site_id. Fixed sites are ranked too (the caller may drop them)."""
    value = cov.site_weight
    if _capacitated(cov):
        caps = np.array([s.capacity if s.capacity is not None else math.inf for s in cov.sites])
        value = np.minimum(value, caps)
    return list(np.lexsort((cov.tie_order, -value)))


def _result(cov: Coverage, method: str, chosen: list[int], t0: float, **kw) -> CoverResult:
    fixed = _fixed(cov)
    order, new = order_chosen(cov, chosen)
    total = evaluate(cov, fixed + order)
    touched = _touched(cov, fixed + order)
    return CoverResult(method=method, chosen=order, covered_new=new, covered_total=total,
                       people=int(cov.class_count[touched].sum()), said_yes=int(cov.class_said[touched].sum()),
                       fixed_total=evaluate(cov, fixed), seconds=time.perf_counter() - t0,
                       per_site_people=[int(cov.site_people[j]) for j in order], **kw)


def order_chosen(cov: Coverage, chosen) -> tuple[list[int], list[float]]:
    """Order a set of sites as greedy would pick them (most added first, ties by site_id), with what each adds
    beyond the fixed sites and those before it."""
    fixed = _fixed(cov)
    left = [int(j) for j in chosen]
    order: list[int] = []
    new: list[float] = []
    base = evaluate(cov, fixed)
    while left:
        best = None
        for j in left:
            v = evaluate(cov, fixed + order + [j])
            key = (-v, int(cov.tie_order[j]))
            if best is None or key < best[0]:
                best = (key, j, v)
        _, j, v = best
        order.append(j)
        new.append(v - base)
        base = v
        left.remove(j)
    return order, new


def _check_k(cov: Coverage, k: int) -> list[int]:
    free = [j for j, s in enumerate(cov.sites) if not s.fixed]
    if k < 1:
        raise QueryError(gettext_noop("选址个数至少为 1"))
    if k > len(free):
        raise QueryError(gettext_noop("选址个数 %(k)s 大于候选地点数 %(n)s"), k=k, n=len(free))
    return free


def greedy_cover(cov: Coverage, k: int) -> CoverResult:
    """The greedy answer: repeatedly the site that adds the most (ties by site_id)."""
    t0 = time.perf_counter()
    free = _check_k(cov, k)
    fixed = _fixed(cov)
    if _capacitated(cov):
        chosen = _greedy_capacitated(cov, k, free, fixed)
    else:
        covered = _touched(cov, fixed)
        w_left = np.where(covered, 0.0, cov.class_weight)
        pair_site = np.repeat(np.arange(len(cov.sites)), np.diff(cov.site_ptr))
        gain = np.bincount(pair_site, weights=w_left[cov.site_classes], minlength=len(cov.sites))
        allowed = np.zeros(len(cov.sites), dtype=bool)
        allowed[free] = True
        chosen = []
        got = 0.0
        bound = math.inf  # Nemhauser-Wolsey: OPT <= f(S_i) + the k largest gains over S_i, for every greedy prefix
        for step in range(k + 1):
            g = np.where(allowed, gain, -np.inf)
            top = np.partition(g, len(g) - k)[len(g) - k:] if len(g) > k else g
            bound = min(bound, got + float(top[np.isfinite(top)].clip(min=0).sum()))
            if step == k:
                break
            best = g.max()
            tied = np.flatnonzero(g == best)
            j = int(tied[np.argmin(cov.tie_order[tied])])
            chosen.append(j)
            allowed[j] = False
            got += float(best)
            cs = cov.classes_of(j)
            cs = cs[w_left[cs] > 0]
            if len(cs):
                row, idx = class_pairs(cov, cs)
                gain -= np.bincount(idx, weights=w_left[cs][row], minlength=len(cov.sites))
                w_left[cs] = 0.0
        res = _result(cov, "greedy", chosen, t0)
        res.bound = res.fixed_total + bound
        return res
    return _result(cov, "greedy", chosen, t0)


def _greedy_capacitated(cov: Coverage, k: int, free: list[int], fixed: list[int]) -> list[int]:
    """Greedy with capacities: a site's gain is min(capacity, people it reaches who are not yet taken); the site
    then takes people from its classes, those with the fewest other sites first."""
    left = cov.class_weight.copy()
    n_sites_of = np.diff(cov.class_ptr)

    def take(j: int) -> None:
        cap = cov.sites[j].capacity
        cap = math.inf if cap is None else cap
        cs = cov.classes_of(j)
        for c in cs[np.argsort(n_sites_of[cs], kind="stable")]:
            if cap <= 0:
                break
            t = min(cap, left[c])
            left[c] -= t
            cap -= t

    for j in fixed:
        take(j)
    chosen: list[int] = []
    allowed = set(free)
    for _ in range(k):
        best = None
        for j in allowed:
            reach = float(left[cov.classes_of(j)].sum())
            cap = cov.sites[j].capacity
            g = reach if cap is None else min(cap, reach)
            key = (-g, int(cov.tie_order[j]))
            if best is None or key < best[0]:
                best = (key, j)
        j = best[1]
        chosen.append(j)
        allowed.discard(j)
        take(j)
    return chosen


#: HiGHS presolve cannot be stopped by the time limit; above this many nonzeros it is left out
PRESOLVE_MAX_NNZ = 300_000
#: above this many (class, site) pairs the dominance check (a sparse A·Aᵀ) costs more than it saves
DOMINANCE_MAX_PAIRS = 3_000_000
#: above this many nonzeros the integer program is not attempted (memory, and no proof in minutes): greedy + bound.
#: The default suits a web worker (the pages); the command, a batch job, passes ``BATCH_MAX_NNZ``.
EXACT_MAX_NNZ = 8_000_000
#: the command's ceiling: 500 candidates of the densest area at a million seekers are 11.3M nonzeros (2.3 GB)
BATCH_MAX_NNZ = 20_000_000


def undominated(cov: Coverage, cands: list[int], pre: np.ndarray) -> list[int]:
    """Candidates not dominated by another: j is dominated by i when every class j reaches (and the fixed sites do
    not) is reached by i too, and i reaches more (or as many, and comes first by site_id). Some optimal answer
    never needs a dominated site (swap it for its dominator), so the integer program can leave them out."""
    from scipy.sparse import csr_array

    if len(cands) < 2 or int(sum(cov.site_ptr[j + 1] - cov.site_ptr[j] for j in cands)) > DOMINANCE_MAX_PAIRS:
        return cands
    rows, cols = [], []
    for n, j in enumerate(cands):
        cs = cov.classes_of(j)
        cs = cs[~pre[cs]]
        rows.append(np.full(len(cs), n))
        cols.append(cs)
    r, c = np.concatenate(rows), np.concatenate(cols)
    a = csr_array((np.ones(len(r), dtype=np.int32), (r, c)), shape=(len(cands), cov.n_classes))
    size = np.bincount(r, minlength=len(cands))
    o = (a @ a.T).tocoo()
    i, j, v = o.row, o.col, o.data
    t = cov.tie_order[np.asarray(cands)]
    dom = (i != j) & (v == size[j]) & ((size[i] > size[j]) | ((size[i] == size[j]) & (t[i] < t[j])))
    out = np.ones(len(cands), dtype=bool)
    out[j[dom]] = False
    return [cands[n] for n in np.flatnonzero(out)]


def _too_big(cov: Coverage, greedy: CoverResult, nnz: int, t0: float) -> CoverResult:
    res = _result(cov, "exact", greedy.chosen, t0, optimal=False, bound=greedy.bound)
    res.note = f"模型太大（{nnz:,} 个非零元），未求精确解：给出贪心解和上界"
    return res


def exact_cover(cov: Coverage, k: int, *, time_limit: float = 60.0, greedy: CoverResult | None = None,
                max_nnz: int | None = None) -> CoverResult:
    """The exact maximum coverage by an integer program (HiGHS). ``optimal`` says whether HiGHS proved it; when the
    time limit stops it first, the better of its best set and the greedy set is returned with the proven bound.
    A model above ``max_nnz`` nonzeros (default ``EXACT_MAX_NNZ``) is not attempted: greedy with its bound."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    t0 = time.perf_counter()
    free = _check_k(cov, k)
    fixed = _fixed(cov)
    greedy = greedy or greedy_cover(cov, k)
    cap = _capacitated(cov)
    pre = _touched(cov, fixed) if not cap else np.zeros(cov.n_classes, dtype=bool)
    # candidate sites that reach someone not already reached by the fixed sites
    useful = [j for j in free if (~pre[cov.classes_of(j)]).any() and cov.class_weight[cov.classes_of(j)].sum() > 0]
    if not cap:
        useful = undominated(cov, useful, pre)
    if len(useful) <= k:
        rest = sorted((j for j in free if j not in useful), key=lambda j: cov.tie_order[j])
        chosen = useful + rest[: k - len(useful)]
        res = _result(cov, "exact", chosen, t0, optimal=True, note="有用的候选地点不多于选址个数：全部选中")
        res.bound = res.covered_total
        return res
    xi = {j: n for n, j in enumerate(useful)}
    nx = len(useful)
    if not cap:
        return _exact_uncapacitated(cov, k, useful, pre, greedy, time_limit, t0, max_nnz)
    # assignment formulation: fixed sites are variables fixed at 1
    allj = useful + fixed
    for j in fixed:
        xi[j] = len(xi)
    nx = len(allj)
    pc, pj = [], []
    for j in allj:
        cs = cov.classes_of(j)
        pc.append(cs)
        pj.append(np.full(len(cs), xi[j]))
    pc = np.concatenate(pc).astype(np.int64)
    pj = np.concatenate(pj).astype(np.int64)
    m = len(pc)
    cls, cinv = np.unique(pc, return_inverse=True)
    z = nx + np.arange(m)
    w = cov.class_weight
    big = float(w.sum()) + 1.0
    caps = np.array([cov.sites[j].capacity if cov.sites[j].capacity is not None else big for j in allj])
    r0 = len(cls)  # rows: classes, then sites, then pairs
    rows = np.r_[cinv, r0 + pj, r0 + np.arange(nx), r0 + nx + np.arange(m), r0 + nx + np.arange(m)]
    cols = np.r_[z, z, np.arange(nx), z, pj]
    vals = np.r_[np.ones(m), np.ones(m), -caps, np.ones(m), -w[pc]]
    a = csr_array((vals, (rows, cols)), shape=(r0 + nx + m, nx + m))
    ub = np.r_[w[cls], np.zeros(nx), np.zeros(m)]
    card = np.r_[np.ones(len(useful)), np.zeros(len(fixed)), np.zeros(m)].reshape(1, -1)
    cons = [LinearConstraint(a, -np.inf, ub), LinearConstraint(csr_array(card), k, k)]
    c_obj = np.r_[np.zeros(nx), -np.ones(m)]
    integrality = np.r_[np.ones(nx), np.zeros(m)]
    lo = np.r_[np.zeros(len(useful)), np.ones(len(fixed)), np.zeros(m)]
    bounds = Bounds(lo, np.r_[np.ones(nx), w[pc]])
    base = 0.0
    nnz = a.nnz
    if nnz > (max_nnz or EXACT_MAX_NNZ):
        return _too_big(cov, greedy, nnz, t0)
    sol = milp(c_obj, constraints=cons, integrality=integrality, bounds=bounds,
               options={"time_limit": float(time_limit), "mip_rel_gap": 0.0, "presolve": nnz <= PRESOLVE_MAX_NNZ})
    bound = greedy.bound
    if getattr(sol, "mip_dual_bound", None) is not None and np.isfinite(sol.mip_dual_bound):
        hb = base - float(sol.mip_dual_bound)
        bound = hb if bound is None else min(bound, hb)
    optimal = sol.status == 0
    if sol.x is not None:
        chosen = [useful[n] for n in np.flatnonzero(sol.x[: len(useful)] > 0.5)]
        if len(chosen) < k:
            rest = sorted((j for j in free if j not in chosen), key=lambda j: cov.tie_order[j])
            chosen += rest[: k - len(chosen)]
        res = _result(cov, "exact", chosen, t0, optimal=optimal, bound=bound)
    else:
        res = None
    if res is None or res.covered_total < greedy.covered_total - 1e-9:
        res = _result(cov, "exact", greedy.chosen, t0, optimal=False, bound=bound)
        res.note = "时间用完：给出贪心解"
    if optimal:
        res.bound = res.covered_total if bound is None else max(bound, res.covered_total)
    elif not res.note:
        res.note = f"求解器：{sol.message}"
    return res


# --------------------------------------------------------------------------- uncapacitated: bounds, fixing, MIP

#: rounds of "solve the LP relaxation, fix the sites its duals rule out" before the integer program
FIX_ROUNDS = 6
#: the LP relaxation's method: the interior point method is several times faster than dual simplex on the dense
#: models of a crowded area (bench/README.md)
LP_METHOD = "highs-ipm"


@dataclass
class _Model:
    """Maximum coverage over some candidate sites: x_n for site ``sites[n]``; ``a[n]``, the weight only that site
    reaches; classes reached by two or more of the sites (classes reached by the same sites merged), weight ``w``,
    pairs (``row`` class, ``col`` site) sorted by class; ``base``: the weight already reached (fixed sites and
    sites forced open)."""

    sites: np.ndarray
    a: np.ndarray
    w: np.ndarray
    row: np.ndarray
    col: np.ndarray
    base: float

    @property
    def nnz(self) -> int:
        return len(self.w) + len(self.row)

    def value(self, xs) -> float:
        xs = np.asarray(list(xs), dtype=np.int64)
        if not len(xs):
            return 0.0
        hit = np.zeros(len(self.sites), dtype=bool)
        hit[xs] = True
        touched = np.zeros(len(self.w), dtype=bool)
        touched[self.row[hit[self.col]]] = True
        return float(self.a[xs].sum() + self.w[touched].sum())


def _model(cov: Coverage, sites: np.ndarray, covered: np.ndarray) -> _Model:
    """The model over ``sites`` (cov indices) for the classes not yet ``covered``."""
    sites = np.asarray(sites, dtype=np.int64)
    nx = len(sites)
    base = float(cov.class_weight[covered].sum())
    cls = np.flatnonzero(~covered & (cov.class_weight > 0))
    xmap = np.full(len(cov.sites), -1, dtype=np.int64)
    xmap[sites] = np.arange(nx)
    row, site = class_pairs(cov, cls)
    xm = xmap[site]
    ok = xm >= 0
    row, xm = row[ok], xm[ok]  # still sorted by row
    if not len(row):
        return _Model(sites, np.zeros(nx), np.zeros(0), row, xm, base)
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    ends = np.r_[starts[1:], len(row)]
    # classes reached by the same of these sites are one class now: two 64-bit sums of random keys + the count
    rng = np.random.default_rng(20261204)
    h1 = rng.integers(0, np.iinfo(np.uint64).max, size=nx, dtype=np.uint64, endpoint=True)
    h2 = rng.integers(0, np.iinfo(np.uint64).max, size=nx, dtype=np.uint64, endpoint=True)
    key = np.column_stack([np.add.reduceat(h1[xm], starts, dtype=np.uint64),
                           np.add.reduceat(h2[xm], starts, dtype=np.uint64), (ends - starts).astype(np.uint64)])
    _, first, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
    w = np.bincount(inv.reshape(-1), weights=cov.class_weight[cls[row[starts]]], minlength=len(first))
    n_of = ends[first] - starts[first]
    single = n_of == 1
    a = np.bincount(xm[starts[first[single]]], weights=w[single], minlength=nx)
    multi = first[~single]
    w = w[~single]
    lens = ends[multi] - starts[multi]
    r = np.repeat(np.arange(len(multi)), lens)
    offs = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
    col = xm[np.repeat(starts[multi], lens) + offs]
    return _Model(sites, a, w, r, col, base)


def _step(w: np.ndarray) -> float:
    """The objective moves in steps of 1 when every weight is whole, of 0.5 with halves (hours), else 0."""
    for step in (1.0, 0.5):
        if np.all(np.abs(w / step - np.round(w / step)) < 1e-9):
            return step
    return 0.0


def _swap_search(m: _Model, start: list[int], kk: int, deadline: float) -> list[int]:
    """Local search from ``start`` (model indices, completed greedily to kk sites): swap one chosen site for
    another while that adds weight."""
    nx = len(m.sites)
    cnt = np.zeros(len(m.w), dtype=np.int64)
    order = np.argsort(m.col, kind="stable")
    ptr = np.zeros(nx + 1, dtype=np.int64)
    np.cumsum(np.bincount(m.col, minlength=nx), out=ptr[1:])
    cls_of = m.row[order]

    def gains(cnt_) -> np.ndarray:
        free_w = np.where(cnt_ == 0, m.w, 0.0)
        return m.a + np.bincount(m.col, weights=free_w[m.row], minlength=nx)

    s = list(dict.fromkeys(start))
    for i in s:
        cnt[cls_of[ptr[i]:ptr[i + 1]]] += 1
    while len(s) < kk:
        g = gains(cnt)
        g[s] = -np.inf
        j = int(np.argmax(g))
        s.append(j)
        cnt[cls_of[ptr[j]:ptr[j + 1]]] += 1
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for i in list(s):
            c2 = cnt.copy()
            c2[cls_of[ptr[i]:ptr[i + 1]]] -= 1
            g = gains(c2)
            gi = g[i]
            g[s] = -np.inf
            j = int(np.argmax(g))
            if g[j] > gi + 1e-9:
                s[s.index(i)] = j
                c2[cls_of[ptr[j]:ptr[j + 1]]] += 1
                cnt = c2
                improved = True
                break
    return s


def _lp(m: _Model, kk: int, time_limit: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The LP relaxation: its site values x and the duals u_c >= 0 of the rows y_c <= sum_j x_j (clipped to
    [0, w_c], which only lowers the bound); None when it did not finish in time."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    nx, ny = len(m.sites), len(m.w)
    a = csr_array((np.r_[np.ones(ny), -np.ones(len(m.row))],
                   (np.r_[np.arange(ny), m.row], np.r_[nx + np.arange(ny), m.col])), shape=(ny, nx + ny))
    res = linprog(-np.r_[m.a, m.w], A_ub=a, b_ub=np.zeros(ny),
                  A_eq=csr_array(np.r_[np.ones(nx), np.zeros(ny)].reshape(1, -1)), b_eq=[kk], bounds=(0, 1),
                  method=LP_METHOD, options={"time_limit": max(1.0, float(time_limit)), "presolve": False})
    if res.status != 0 or res.ineqlin is None or res.x is None:
        return None
    return res.x[:nx], np.clip(-np.asarray(res.ineqlin.marginals, dtype=np.float64), 0.0, m.w)


def lagrange_bounds(m: _Model, kk: int, u: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """For any u >= 0 (one per class), relaxing y_c <= sum_j x_j with u gives an upper bound of every choice of kk
    sites: sum_c max(0, w_c - u_c) + the kk largest p_j, p_j = a_j + sum of u over the classes j reaches (the
    cardinality constraint is kept, so the inner problem is just the kk largest). Returns that bound (plus base),
    the bound of the choices that include each site, and of those that leave out each site."""
    nx = len(m.sites)
    p = m.a + np.bincount(m.col, weights=u[m.row], minlength=nx)
    c = float(np.clip(m.w - u, 0.0, None).sum()) + m.base
    o = np.argsort(-p, kind="stable")
    top = float(p[o[:kk]].sum())
    bound = c + top
    pk = p[o[kk - 1]]
    with_j = np.where(p >= pk, bound, bound - (pk - p))
    with_j[o[:kk]] = bound
    without_j = np.full(nx, bound)
    nxt = p[o[kk]] if nx > kk else -np.inf
    without_j[o[:kk]] = bound - p[o[:kk]] + nxt
    return bound, with_j, without_j


def _exact_uncapacitated(cov: Coverage, k: int, useful: list[int], pre: np.ndarray, greedy: CoverResult,
                         time_limit: float, t0: float, max_nnz: int | None = None) -> CoverResult:
    """LP relaxation, reduced-cost fixing against the best known answer, then the integer program on what is left.

    Every bound used to fix a site comes from ``lagrange_bounds`` (valid for any duals, so HiGHS's tolerances
    cannot make a fixing wrong): a site is left out when every choice including it is worth less than the best
    known answer plus one step of the objective, forced in when every choice leaving it out is. What is left has
    far fewer sites, so classes merge again and the integer program is small."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    deadline = t0 + float(time_limit)
    m = _model(cov, np.asarray(useful), pre)
    if m.nnz > (max_nnz or EXACT_MAX_NNZ):
        return _too_big(cov, greedy, m.nnz, t0)
    step = _step(np.r_[m.a, m.w])
    # the best known answer: greedy, improved by swaps
    xmap = {int(j): n for n, j in enumerate(m.sites)}
    s = _swap_search(m, [xmap[j] for j in greedy.chosen if j in xmap], k, deadline)
    best_set = [int(m.sites[n]) for n in s]
    best = m.base + m.value(s)
    if best < greedy.covered_total - 1e-9:
        best, best_set = greedy.covered_total, list(greedy.chosen)
    bound = greedy.bound if greedy.bound is not None else math.inf
    tol = 1e-7 * max(1.0, abs(best))
    target = best + step - tol  # a strictly better answer is worth at least this
    forced: list[int] = []
    covered = pre.copy()
    kk = k
    sites = np.asarray(useful, dtype=np.int64)
    stats = []
    solved = False  # nothing strictly better than best can exist
    for _ in range(FIX_ROUNDS):
        if kk == 0 or len(m.sites) <= kk or time.perf_counter() > deadline:
            break
        lp = _lp(m, kk, deadline - time.perf_counter())
        if lp is None:
            break
        x, u = lp
        # the LP's kk largest sites are a candidate answer (in a crowded area the LP is often integral)
        top = np.argsort(-x, kind="stable")[:kk]
        v = m.base + m.value(top)
        if v > best + 1e-9:
            best, best_set = v, forced + [int(m.sites[n]) for n in top]
            tol = 1e-7 * max(1.0, abs(best))
            target = best + step - tol
        lb, with_j, without_j = lagrange_bounds(m, kk, u)
        stats.append((len(m.sites), lb))
        bound = min(bound, max(best, lb))
        if lb < target:
            solved = True
            break
        out = with_j < target
        inn = without_j < target
        if not out.any() and not inn.any():
            break
        new_forced = [int(j) for j in m.sites[inn]]
        forced += new_forced
        kk -= len(new_forced)
        sites = m.sites[~out & ~inn]
        if new_forced:
            covered = covered | _touched(cov, new_forced)
        m = _model(cov, sites, covered)
    chosen = None
    optimal = solved
    note = ""
    if not solved:
        if kk == 0 or len(m.sites) <= kk:
            # at most one choice is left: all of what remains
            cand = forced + [int(j) for j in m.sites[:kk]] if len(m.sites) >= kk else None
            if cand is not None and evaluate(cov, _fixed(cov) + cand) > best + 1e-9:
                chosen = cand
            optimal = True
        else:
            nx, ny = len(m.sites), len(m.w)
            a = csr_array((np.r_[np.ones(ny), -np.ones(len(m.row))],
                           (np.r_[np.arange(ny), m.row], np.r_[nx + np.arange(ny), m.col])), shape=(ny, nx + ny))
            cons = [LinearConstraint(a, -np.inf, 0.0),
                    LinearConstraint(csr_array(np.r_[np.ones(nx), np.zeros(ny)].reshape(1, -1)), kk, kk)]
            left = max(1.0, deadline - time.perf_counter())
            sol = milp(-np.r_[m.a, m.w], constraints=cons, integrality=np.r_[np.ones(nx), np.zeros(ny)],
                       bounds=Bounds(0, 1),
                       options={"time_limit": left, "mip_rel_gap": 0.0, "presolve": m.nnz <= PRESOLVE_MAX_NNZ})
            if getattr(sol, "mip_dual_bound", None) is not None and np.isfinite(sol.mip_dual_bound):
                bound = min(bound, max(best, m.base - float(sol.mip_dual_bound)))
            optimal = sol.status == 0
            if sol.x is not None:
                cand = forced + [int(m.sites[n]) for n in np.flatnonzero(sol.x[:nx] > 0.5)]
                if len(cand) == k and evaluate(cov, _fixed(cov) + cand) > best + 1e-9:
                    chosen = cand
            if not optimal:
                note = f"求解器：{sol.message}"
    res = _result(cov, "exact", chosen if chosen is not None else best_set, t0, optimal=optimal)
    res.bound = res.covered_total if optimal else max(res.covered_total, bound)
    res.reduction = {"candidates": len(useful), "rounds": [{"sites": n, "lp_bound": b} for n, b in stats],
                     "sites_left": len(m.sites), "forced_in": len(forced), "incumbent": best,
                     "greedy": greedy.covered_total}
    if note:
        res.note = note
    if not optimal and chosen is None and best_set == list(greedy.chosen):
        res.note = "时间用完：给出贪心解" + (f"（{note}）" if note else "")
    return res
