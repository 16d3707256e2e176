"""Who is within reach of which site: the population that passes the hard rules, and its coverage classes.

A seeker is within reach of a site when the great-circle distance is at most the smaller of the query's radius and
the seeker's own maximum commute (matching's default when unknown), and the seeker passes the hard rules of
matching (age in range, shift accepted, not unavailable this month for full-time work: ``violations`` of
``hongniang.matching`` on a job at the site) plus the occupation rule (a wanted occupation with the same code as one
asked for, inside a group asked for, or in the same minor group). With a lodging offer, people who would relocate
count at every site. A person without a home location cannot be placed and counts nowhere (unless relocating into
lodging).

People are aggregated twice: first into *points* (same home, same reach), then into *coverage classes* (the same
set of sites reaches them), so a million seekers become a few thousand classes for the integer program.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from array import array
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from hongniang.matching import SHIFTS, Job, MatchConfig, Seeker, violations
from hongniang.matching.core import chord_of_km, occupation_levels
from hongniang.matching.csvio import SHIFT_ALIASES
from hongniang.matching.types import NON_FULL_TIME, SHIFT_ZH

OCCUPATION_CODE = re.compile(r"^\d(-\d{2}){0,3}$")
FULL_TIME_HOURS = 8.0
PART_TIME_HOURS = 4.0  # a 妈妈岗 / part-time or home piecework person: half a full-time worker
#: (key, lowest age, highest age, label)
AGE_BANDS = (("16-25", 16, 25, "16–25岁"), ("26-35", 26, 35, "26–35岁"), ("36-45", 36, 45, "36–45岁"),
             ("46-55", 46, 55, "46–55岁"), ("56+", 56, 200, "56岁以上"))
AVAILABILITY = {"full_time": "全职", "part_time": "只做兼职/居家", "seasonal": "农忙（近三个月不能全职）"}
SEASONAL_HORIZON_MONTHS = 3
_SHIFT_BIT = {s: 1 << i for i, s in enumerate(SHIFTS)}


def gettext_noop(message: str) -> str:
    """Marks a message for Django's makemessages (which knows this name) without importing Django: the site's
    pages translate ``QueryError.template`` with the request's language."""
    return message


class QueryError(ValueError):
    """A query or a site list that cannot be answered; the message is Chinese for people. ``template`` is the
    message with ``%(name)s`` placeholders (the msgid of Django's catalogue) and ``params`` fills them."""

    def __init__(self, template: str, **params) -> None:
        self.template, self.params = template, params
        super().__init__(template % params if params else template)


def _shift_code(shift: str | None) -> str | None:
    if shift is None or shift == "":
        return None
    s = SHIFT_ALIASES.get(shift, shift)
    if s not in SHIFTS:
        raise QueryError(gettext_noop("未知班次：%(shift)s（可用：%(known)s）"), shift=shift, known="、".join(SHIFTS))
    return s


@dataclass(frozen=True)
class Query:
    """What the enterprise needs. ``occupations`` are codes or groups of 中华人民共和国职业分类大典 (2022)."""

    radius_km: float
    occupations: tuple[str, ...] = ()
    shift: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    lodging: bool = False
    today: dt.date | None = None
    weight_hours: bool = False  # count a part-time-only person as half a full-time worker

    def __post_init__(self) -> None:
        try:
            r = float(self.radius_km)
        except (TypeError, ValueError):
            raise QueryError(gettext_noop("通勤半径必须是数字")) from None
        if not math.isfinite(r) or r <= 0:
            raise QueryError(gettext_noop("通勤半径必须大于 0 公里"))
        if r > 500:
            raise QueryError(gettext_noop("通勤半径不能超过 500 公里"))
        object.__setattr__(self, "radius_km", r)
        object.__setattr__(self, "shift", _shift_code(self.shift))
        occ = tuple(dict.fromkeys(c.strip() for c in self.occupations if c and c.strip()))
        bad = [c for c in occ if not OCCUPATION_CODE.match(c)]
        if bad:
            raise QueryError(gettext_noop("职业代码格式不对：%(codes)s（例如 6-05-01-03）"), codes="、".join(bad))
        object.__setattr__(self, "occupations", occ)
        for message, v in ((gettext_noop("最小年龄必须在 14 到 100 之间"), self.age_min),
                           (gettext_noop("最大年龄必须在 14 到 100 之间"), self.age_max)):
            if v is not None and not 14 <= int(v) <= 100:
                raise QueryError(message)
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise QueryError(gettext_noop("最小年龄不能大于最大年龄"))

    @property
    def day(self) -> dt.date:
        return self.today or dt.date.today()

    @property
    def full_time(self) -> bool:
        return self.shift not in NON_FULL_TIME


@dataclass(frozen=True)
class Site:
    """A candidate (or existing) site. ``capacity``: the most people it can take (None: no limit);
    ``fixed``: an existing plant or workshop kept while new sites are chosen."""

    site_id: str
    name: str
    lat: float
    lon: float
    capacity: float | None = None
    fixed: bool = False

    def __post_init__(self) -> None:
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise QueryError(gettext_noop("站点 %(site)s 的坐标超出范围"), site=self.site_id)
        if self.capacity is not None and not self.capacity >= 0:
            raise QueryError(gettext_noop("站点 %(site)s 的容量不能为负"), site=self.site_id)


def occupation_matches(wanted: Sequence[str], asked: Sequence[str]) -> str | None:
    """The first wanted occupation that satisfies the query (None if none does): the same code, inside a group
    asked for, or in the same minor group as an occupation asked for. No occupations asked: the first wanted
    one (or "" for a person who wanted none)."""
    if not asked:
        return wanted[0] if wanted else ""
    asked_lv = [occupation_levels(q) for q in asked]
    for c in wanted:
        lv = occupation_levels(c)
        if not lv:
            continue
        for q, ql in zip(asked, asked_lv, strict=True):
            if q in lv or (len(ql) >= 3 and len(lv) >= 3 and lv[2] == ql[2]):
                return c
    return None


def hours_weight(shifts: Iterable[str]) -> float:
    """1 for a person who can work a full-time shift (or did not say), 0.5 for part-time / home piecework only."""
    s = set(shifts)
    if not s or s - NON_FULL_TIME:
        return 1.0
    return PART_TIME_HOURS / FULL_TIME_HOURS


def availability_of(shifts: Iterable[str], unavailable_months: Iterable[int], today: dt.date) -> str:
    """part_time (only part-time / home piecework), seasonal (unavailable for full-time work in one of the next
    three months, this one included) or full_time."""
    s = set(shifts)
    if s and not (s - NON_FULL_TIME):
        return "part_time"
    soon = {((today.month - 1 + k) % 12) + 1 for k in range(SEASONAL_HORIZON_MONTHS)}
    if soon & set(unavailable_months):
        return "seasonal"
    return "full_time"


def age_band(birth_year: int | None, today: dt.date) -> str:
    if not birth_year:
        return "unknown"
    age = today.year - int(birth_year)
    for key, lo, hi, _label in AGE_BANDS:
        if lo <= age <= hi:
            return key
    return "unknown"


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 3) points on the unit sphere; the chord between two of them is ``chord_of_km`` of their great-circle
    distance (matching's distance)."""
    la, lo = np.radians(np.asarray(lat, dtype=np.float64)), np.radians(np.asarray(lon, dtype=np.float64))
    c = np.cos(la)
    return np.column_stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)])


@dataclass
class Population:
    """The people who pass the query's rules, as columns (one row per person)."""

    query: Query
    lat: np.ndarray
    lon: np.ndarray
    reach_km: np.ndarray  # inf: counts at every site (relocating into lodging)
    weight: np.ndarray  # 1, or hours / 8 when the query weights by hours
    said_yes: np.ndarray  # bool
    birth_year: np.ndarray  # 0 unknown
    occ: np.ndarray  # index into occ_codes of the matching wanted occupation (-1: none stated)
    shifts: np.ndarray  # bit mask of accepted shifts (0: any)
    occ_codes: list[str]
    ids: list | None = None
    n_read: int = 0
    excluded: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lat)


def build_population(seekers: Iterable, query: Query, *, config: MatchConfig | None = None,
                     said_yes: Container | Callable | None = None, keep_ids: bool = False) -> Population:
    """Filter seekers (matching ``Seeker`` records or anything with the same attributes, such as the CSV reader's
    ``SeekerRecord``) by the query's rules. ``said_yes``: ids of people who said yes to a call or a sign-up."""
    cfg = config or MatchConfig()
    today = query.day
    job = Job(job_id="site", shift=query.shift, age_min=query.age_min, age_max=query.age_max)
    rules: dict[tuple, str | None] = {}
    occ_cache: dict[tuple, int] = {}
    occ_codes: list[str] = []
    occ_index: dict[str, int] = {}
    excluded = {"occupation": 0, "age": 0, "shift": 0, "unavailable": 0, "location": 0}
    lat, lon, reach, weight = array("d"), array("d"), array("d"), array("f")
    said, years, occs, shifts = array("b"), array("h"), array("i"), array("B")
    ids = [] if keep_ids else None
    said_test = said_yes if callable(said_yes) else (said_yes.__contains__ if said_yes is not None else None)
    default_reach = cfg.default_max_commute_km
    n = 0
    for s in seekers:
        n += 1
        key = (s.birth_year, s.shifts, s.unavailable_months)
        broken = rules.get(key, 0)
        if broken == 0:
            v = violations(Seeker(seeker_id=0, birth_year=s.birth_year, shifts=frozenset(s.shifts),
                                  unavailable_months=frozenset(s.unavailable_months)), job, cfg, today)
            broken = rules[key] = v[0] if v else None
        if broken is not None:
            excluded[broken] = excluded.get(broken, 0) + 1
            continue
        okey = s.occupations
        oi = occ_cache.get(okey)
        if oi is None:
            code = occupation_matches(okey, query.occupations)
            if code is None:
                oi = -2
            elif code == "":
                oi = -1
            else:
                oi = occ_index.get(code)
                if oi is None:
                    oi = occ_index[code] = len(occ_codes)
                    occ_codes.append(code)
            occ_cache[okey] = oi
        if oi == -2:
            excluded["occupation"] += 1
            continue
        anywhere = query.lodging and s.relocate
        if s.lat is None and not anywhere:
            excluded["location"] += 1
            continue
        lat.append(math.nan if s.lat is None else s.lat)
        lon.append(math.nan if s.lon is None else s.lon)
        mc = s.max_commute_km if s.max_commute_km is not None else default_reach
        reach.append(math.inf if anywhere else min(query.radius_km, mc))
        weight.append(hours_weight(s.shifts) if query.weight_hours else 1.0)
        said.append(1 if said_test is not None and said_test(s.seeker_id) else 0)
        years.append(s.birth_year or 0)
        occs.append(oi)
        m = 0
        for x in s.shifts:
            m |= _SHIFT_BIT[x]
        shifts.append(m)
        if ids is not None:
            ids.append(s.seeker_id)
    return Population(
        query=query, lat=np.frombuffer(lat, dtype=np.float64), lon=np.frombuffer(lon, dtype=np.float64),
        reach_km=np.frombuffer(reach, dtype=np.float64), weight=np.frombuffer(weight, dtype=np.float32),
        said_yes=np.frombuffer(said, dtype=np.int8).astype(bool), birth_year=np.frombuffer(years, dtype=np.int16),
        occ=np.frombuffer(occs, dtype=np.int32), shifts=np.frombuffer(shifts, dtype=np.uint8), occ_codes=occ_codes,
        ids=ids, n_read=n, excluded={k: v for k, v in excluded.items() if v})


# --------------------------------------------------------------------------- coverage classes


@dataclass
class Coverage:
    """Sites and the coverage classes of a population.

    Class c holds ``class_count[c]`` people (objective weight ``class_weight[c]``, ``class_said[c]`` said yes) who
    are reached by exactly the sites ``class_sites[class_ptr[c]:class_ptr[c+1]]``; ``site_classes`` is the
    transpose. ``seeker_class[i]`` is person i's class (-1: no site reaches them)."""

    pop: Population
    sites: list[Site]
    class_weight: np.ndarray
    class_count: np.ndarray
    class_said: np.ndarray
    class_ptr: np.ndarray
    class_sites: np.ndarray
    site_ptr: np.ndarray
    site_classes: np.ndarray
    seeker_class: np.ndarray
    site_people: np.ndarray  # people in reach of each site alone
    site_weight: np.ndarray
    site_said: np.ndarray
    tie_order: np.ndarray  # rank of each site by site_id (numeric ids numerically): ties go to the lower rank

    @property
    def n_classes(self) -> int:
        return len(self.class_weight)

    def classes_of(self, j: int) -> np.ndarray:
        return self.site_classes[self.site_ptr[j]:self.site_ptr[j + 1]]

    def sites_of(self, c: int) -> np.ndarray:
        return self.class_sites[self.class_ptr[c]:self.class_ptr[c + 1]]

    def people_mask(self, chosen: Iterable[int]) -> np.ndarray:
        """Which people of the population are in reach of at least one of the chosen sites."""
        touched = np.zeros(self.n_classes + 1, dtype=bool)
        for j in chosen:
            touched[self.classes_of(int(j))] = True
        return touched[self.seeker_class]  # index -1 hits the spare last slot (False)


def site_sort_key(site_id: str):
    """Numeric ids sort numerically, others as text, numbers first."""
    s = str(site_id)
    return (0, int(s), s) if s.isdigit() else (1, 0, s)


def _csr(rows: np.ndarray, cols: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((cols, rows))
    ptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=ptr[1:])
    return ptr, cols[order].astype(np.int32)


def build_coverage(pop: Population, sites: Sequence[Site], *, chunk: int = 1 << 16) -> Coverage:
    """Who each site reaches, aggregated into coverage classes (people reached by the same set of sites)."""
    from scipy.spatial import cKDTree

    sites = list(sites)
    n_sites = len(sites)
    seen_ids = set()
    for s in sites:
        if s.site_id in seen_ids:
            raise QueryError(gettext_noop("站点编号重复：%(site)s"), site=s.site_id)
        seen_ids.add(s.site_id)
    order = sorted(range(n_sites), key=lambda j: site_sort_key(sites[j].site_id))
    tie_order = np.empty(n_sites, dtype=np.int64)
    tie_order[order] = np.arange(n_sites)
    rng = np.random.default_rng(20260118)
    h1 = rng.integers(0, np.iinfo(np.uint64).max, size=n_sites, dtype=np.uint64, endpoint=True)
    h2 = rng.integers(0, np.iinfo(np.uint64).max, size=n_sites, dtype=np.uint64, endpoint=True)
    n = len(pop)
    seeker_class = np.full(n, -1, dtype=np.int64)
    site_people = np.zeros(n_sites, dtype=np.int64)
    site_weight = np.zeros(n_sites, dtype=np.float64)
    site_said = np.zeros(n_sites, dtype=np.int64)
    keys: dict[tuple[int, int, int], int] = {}
    cls_sites: list[np.ndarray] = []
    cls_w: list[float] = []
    cls_n: list[int] = []
    cls_s: list[int] = []

    def class_id(k1: int, k2: int, cnt: int, members: np.ndarray) -> int:
        key = (k1, k2, cnt)
        c = keys.get(key)
        if c is None:
            c = keys[key] = len(cls_sites)
            cls_sites.append(members)
            cls_w.append(0.0)
            cls_n.append(0)
            cls_s.append(0)
        return c

    w64 = pop.weight.astype(np.float64)
    said64 = pop.said_yes.astype(np.int64)
    anywhere = np.isinf(pop.reach_km)
    if n_sites and anywhere.any():
        everyone = np.arange(n_sites, dtype=np.int32)
        c = class_id(int(np.add.reduce(h1, dtype=np.uint64)), int(np.add.reduce(h2, dtype=np.uint64)), n_sites,
                     everyone)
        idx = np.flatnonzero(anywhere)
        seeker_class[idx] = c
        cls_w[c] += float(w64[idx].sum())
        cls_n[c] += len(idx)
        cls_s[c] += int(said64[idx].sum())
        site_people += len(idx)
        site_weight += float(w64[idx].sum())
        site_said += int(said64[idx].sum())
    local = np.flatnonzero(~anywhere & ~np.isnan(pop.lat))
    if n_sites and len(local):
        pts, inv = np.unique(np.column_stack([pop.reach_km[local], pop.lat[local], pop.lon[local]]), axis=0,
                             return_inverse=True)
        inv = inv.reshape(-1)
        p_w = np.bincount(inv, weights=w64[local], minlength=len(pts))
        p_n = np.bincount(inv, minlength=len(pts)).astype(np.int64)
        p_s = np.bincount(inv, weights=said64[local], minlength=len(pts)).astype(np.int64)
        p_chord = chord_of_km(pts[:, 0])
        p_u = unit_vectors(pts[:, 1], pts[:, 2])
        s_tree = cKDTree(unit_vectors([s.lat for s in sites], [s.lon for s in sites]))
        p_class = np.full(len(pts), -1, dtype=np.int64)
        for lo in range(0, len(pts), chunk):  # points are sorted by reach: a chunk's largest reach is its last
            hi = min(lo + chunk, len(pts))
            tree = cKDTree(p_u[lo:hi])
            pr = tree.sparse_distance_matrix(s_tree, float(p_chord[hi - 1]) * (1 + 1e-12), output_type="ndarray")
            i, j = pr["i"].astype(np.int64), pr["j"].astype(np.int64)
            keep = pr["v"] <= p_chord[lo + i]
            i, j = i[keep], j[keep]
            if not len(i):
                continue
            o = np.lexsort((j, i))
            i, j = i[o], j[o]
            starts = np.flatnonzero(np.r_[True, i[1:] != i[:-1]])
            ends = np.r_[starts[1:], len(i)]
            kk = np.column_stack([np.add.reduceat(h1[j], starts, dtype=np.uint64),
                                  np.add.reduceat(h2[j], starts, dtype=np.uint64),
                                  (ends - starts).astype(np.uint64)])
            uk, first, uinv = np.unique(kk, axis=0, return_index=True, return_inverse=True)
            cid = np.empty(len(uk), dtype=np.int64)
            for u in range(len(uk)):
                a = first[u]
                cid[u] = class_id(int(uk[u, 0]), int(uk[u, 1]), int(uk[u, 2]),
                                  j[starts[a]:ends[a]].astype(np.int32))
            p_class[lo + i[starts]] = cid[uinv.reshape(-1)]
            gp = lo + i
            site_people += np.bincount(j, weights=p_n[gp], minlength=n_sites).astype(np.int64)
            site_weight += np.bincount(j, weights=p_w[gp], minlength=n_sites)
            site_said += np.bincount(j, weights=p_s[gp], minlength=n_sites).astype(np.int64)
        has = p_class >= 0
        if has.any():
            nc = len(cls_sites)
            add_w = np.bincount(p_class[has], weights=p_w[has], minlength=nc)
            add_n = np.bincount(p_class[has], weights=p_n[has], minlength=nc)
            add_s = np.bincount(p_class[has], weights=p_s[has], minlength=nc)
            for c in np.flatnonzero(add_n):
                cls_w[c] += float(add_w[c])
                cls_n[c] += int(add_n[c])
                cls_s[c] += int(add_s[c])
        seeker_class[local] = p_class[inv]
    nc = len(cls_sites)
    lens = np.array([len(x) for x in cls_sites], dtype=np.int64)
    class_ptr = np.zeros(nc + 1, dtype=np.int64)
    np.cumsum(lens, out=class_ptr[1:])
    class_sites = np.concatenate(cls_sites).astype(np.int32) if nc else np.zeros(0, dtype=np.int32)
    rows = np.repeat(np.arange(nc, dtype=np.int64), lens)
    site_ptr, site_classes = _csr(class_sites.astype(np.int64), rows, n_sites)
    return Coverage(
        pop=pop, sites=sites, class_weight=np.array(cls_w, dtype=np.float64),
        class_count=np.array(cls_n, dtype=np.int64), class_said=np.array(cls_s, dtype=np.int64),
        class_ptr=class_ptr, class_sites=class_sites, site_ptr=site_ptr, site_classes=site_classes,
        seeker_class=seeker_class, site_people=site_people, site_weight=site_weight, site_said=site_said,
        tie_order=tie_order)


def shift_names(mask: int) -> list[str]:
    return [s for s in SHIFTS if mask & _SHIFT_BIT[s]]


def breakdown(cov: Coverage, chosen: Iterable[int]) -> dict:
    """The numbers behind a site (or a set of sites): people in reach by occupation, age band, shift and
    availability of hours, and how many said yes."""
    mask = cov.people_mask(chosen)
    pop = cov.pop
    today = pop.query.day
    out: dict = {"people": int(mask.sum()), "weight": float(pop.weight[mask].sum()),
                 "said_yes": int(pop.said_yes[mask].sum())}
    occ = pop.occ[mask]
    by_occ: dict[str, int] = {}
    for oi, cnt in zip(*np.unique(occ, return_counts=True), strict=True):
        by_occ[pop.occ_codes[oi] if oi >= 0 else ""] = int(cnt)
    out["by_occupation"] = dict(sorted(by_occ.items(), key=lambda kv: (-kv[1], kv[0])))
    ages: dict[str, int] = {k: 0 for k, *_ in AGE_BANDS}
    ages["unknown"] = 0
    years = pop.birth_year[mask]
    for y, cnt in zip(*np.unique(years, return_counts=True), strict=True):
        ages[age_band(int(y), today)] += int(cnt)
    out["by_age"] = {k: v for k, v in ages.items() if v or k != "unknown"}
    sh = pop.shifts[mask]
    by_shift = {s: int(((sh & _SHIFT_BIT[s]) != 0).sum() + (sh == 0).sum()) for s in SHIFTS}
    out["by_shift"] = by_shift
    out["shift_labels"] = dict(SHIFT_ZH)
    return out
