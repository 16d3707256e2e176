"""Hand-made geographies where the answer is known, the reach rules, and exact = brute force on random ones."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import numpy as np
import pytest

from hongniang.matching import Seeker
from hongniang.matching.core import haversine_km
from hongniang.sitelib import (
    Query,
    QueryError,
    Site,
    build_coverage,
    build_population,
    evaluate,
    exact_cover,
    greedy_cover,
    rank_single,
    shuttle_gain,
    workshop_gain,
)
from hongniang.sitelib.model import breakdown
from hongniang.sitelib.whatif import reach_mask

LAT = 25.9
LON = 116.0
KM_LON = 1 / (111.32 * np.cos(np.radians(LAT)))  # degrees of longitude per km at LAT
TODAY = dt.date(2026, 3, 1)


def at(x_km: float, y_km: float = 0.0) -> tuple[float, float]:
    return LAT + y_km / 111.2, LON + x_km * KM_LON


_ids = itertools.count(1)


def people(n: int, x_km: float, y_km: float = 0.0, **kw) -> list[Seeker]:
    lat, lon = at(x_km, y_km)
    kw.setdefault("max_commute_km", 50)
    return [Seeker(seeker_id=f"p{next(_ids)}", lat=lat, lon=lon, **kw) for _ in range(n)]


def site(sid: str, x_km: float, y_km: float = 0.0, **kw) -> Site:
    lat, lon = at(x_km, y_km)
    return Site(site_id=sid, name=sid, lat=lat, lon=lon, **kw)


def cover(seekers, sites, **q):
    q.setdefault("radius_km", 3)
    q.setdefault("today", TODAY)
    return build_coverage(build_population(seekers, Query(**q)), sites)


def ids(cov, chosen):
    return [cov.sites[j].site_id for j in chosen]


# --------------------------------------------------------------------------- the line with a greedy trap


@pytest.fixture
def line():
    """On a line: 3 people at -4 km, 4 at -2, 4 at +2, 3 at +4; radius 3 km. A at 0 reaches 8 (the best single
    site), B at -3 and C at +3 reach 7 each. Greedy takes A then B (11); B + C reach all 14."""
    seekers = people(3, -4) + people(4, -2) + people(4, 2) + people(3, 4)
    return seekers, [site("A", 0), site("B", -3), site("C", 3)]


def test_single_site_ranking_is_by_people_in_reach(line):
    cov = cover(*line)
    assert ids(cov, rank_single(cov)) == ["A", "B", "C"]  # B and C tie at 7: by site_id
    assert cov.site_people.tolist() == [8, 7, 7]


def test_best_single_site_first_is_not_optimal_for_two_sites(line):
    cov = cover(*line)
    g = greedy_cover(cov, 2)
    assert ids(cov, g.chosen) == ["A", "B"] and g.covered_total == 11
    e = exact_cover(cov, 2)
    assert sorted(ids(cov, e.chosen)) == ["B", "C"]
    assert e.covered_total == 14 and e.people == 14 and e.optimal is True
    assert e.covered_new == [7, 7]


def test_existing_plant_is_kept_and_not_counted_again(line):
    seekers, sites = line
    sites = [site("B", -3, fixed=True), sites[0], sites[2]]
    cov = cover(seekers, sites)
    e = exact_cover(cov, 1)
    assert ids(cov, e.chosen) == ["C"]  # A would add only the 4 at +2; C adds 7
    assert e.fixed_total == 7 and e.covered_total == 14 and e.covered_new == [7]
    assert ids(cov, greedy_cover(cov, 1).chosen) == ["C"]


def test_capacity_limits_what_a_site_can_take(line):
    seekers, _ = line
    sites = [site("A", 0, capacity=5), site("B", -3), site("C", 3, capacity=2)]
    cov = cover(seekers, sites)
    assert evaluate(cov, [0]) == 5
    assert evaluate(cov, [1, 2]) == 9  # B takes its 7, C only 2 of its 7
    e = exact_cover(cov, 2)
    # A + B: B takes the 7 on the left, A takes 5 of the 4 + 3 on the right (only the 4 at +2 are in its reach): 11
    assert sorted(ids(cov, e.chosen)) == ["A", "B"] and e.covered_total == 11 and e.optimal
    assert e.people == 11


def test_hours_weighting_counts_a_part_time_only_person_as_half():
    seekers = people(4, 0, shifts=frozenset({"part_time"})) + people(3, 10, shifts=frozenset({"day"}))
    sites = [site("X", 0), site("Y", 10)]
    plain = cover(seekers, sites, shift="part_time")
    assert ids(plain, rank_single(plain)) == ["X", "Y"]
    weighted = cover(seekers, sites, weight_hours=True)  # no shift asked: the part-timers count half
    assert weighted.site_weight.tolist() == [2.0, 3.0]
    assert ids(weighted, rank_single(weighted)) == ["Y", "X"]
    assert weighted.site_people.tolist() == [4, 3]


def test_said_yes_is_counted_for_a_recommendation(line):
    seekers, sites = line
    yes = {seekers[0].seeker_id, seekers[5].seeker_id, seekers[-1].seeker_id}  # at -4, -2, +4
    cov = build_coverage(build_population(seekers, Query(radius_km=3, today=TODAY), said_yes=yes), sites)
    assert cov.site_said.tolist() == [1, 2, 1]
    assert exact_cover(cov, 2).said_yes == 3
    assert breakdown(cov, [1])["said_yes"] == 2


# --------------------------------------------------------------------------- the reach rules


def test_reach_is_the_smaller_of_radius_and_own_commute():
    s = [site("S", 0)]
    near_short = people(1, 4, max_commute_km=3)  # 4 km away, will travel 3
    near_long = people(1, 4, max_commute_km=10)
    default = people(1, 4, max_commute_km=None)  # matching's default, 20 km
    cov = cover(near_short + near_long + default, s, radius_km=5)
    assert cov.site_people.tolist() == [2]
    assert cover(near_long + default, s, radius_km=3.9).site_people.tolist() == [0]


def test_distance_is_matchings_great_circle_distance():
    s = site("S", 0)
    p = people(1, 2.9, 1.0)[0]
    d = haversine_km(p.lat, p.lon, s.lat, s.lon)
    assert cover([p], [s], radius_km=d + 0.001).site_people[0] == 1
    assert cover([p], [s], radius_km=d - 0.001).site_people[0] == 0


def test_relocating_people_count_anywhere_only_with_lodging():
    far = people(2, 500, relocate=True) + [Seeker(seeker_id="noloc", relocate=True)]
    nowhere = [Seeker(seeker_id="noloc2")]
    s = [site("S", 0), site("T", 1)]
    assert cover(far + nowhere, s).site_people.tolist() == [0, 0]
    cov = cover(far + nowhere, s, lodging=True)
    assert cov.site_people.tolist() == [3, 3]
    assert exact_cover(cov, 1).people == 3
    assert cov.pop.excluded == {"location": 1}


def test_hard_rules_of_matching_apply():
    s = [site("S", 0)]
    young, old, unknown_age = people(1, 0, birth_year=2000), people(1, 0, birth_year=1960), people(1, 0)
    assert cover(young + old + unknown_age, s, age_min=18, age_max=45).site_people[0] == 2
    day_only = people(1, 0, shifts=frozenset({"day"}))
    any_shift = people(1, 0)
    cov = cover(day_only + any_shift, s, shift="three_shift")
    assert cov.site_people[0] == 1 and cov.pop.excluded == {"shift": 1}
    busy_march = people(1, 0, unavailable_months=frozenset({3}))
    busy_april = people(1, 0, unavailable_months=frozenset({4}))
    assert cover(busy_march + busy_april, s, shift="day").site_people[0] == 1
    assert cover(busy_march + busy_april, s).site_people[0] == 1  # no shift asked: full-time
    assert cover(busy_march + busy_april, s, shift="part_time").site_people[0] == 2


def test_occupation_same_code_or_same_minor_group():
    s = [site("S", 0)]
    sewer = people(1, 0, occupations=("6-05-01-03",))
    cutter = people(1, 0, occupations=("6-05-01-02",))  # same minor group 6-05-01
    other_textile = people(1, 0, occupations=("6-05-02-01",))  # same medium group only
    cleaner_then_sewer = people(1, 0, occupations=("4-09-08-01", "6-05-01-03"))
    nothing = people(1, 0)
    everyone = sewer + cutter + other_textile + cleaner_then_sewer + nothing
    assert cover(everyone, s, occupations=("6-05-01-03",)).site_people[0] == 3
    assert cover(everyone, s, occupations=("6-05",)).site_people[0] == 4  # a group: everyone inside it
    assert cover(everyone, s).site_people[0] == 5
    cov = cover(everyone, s, occupations=("6-05-01-03",))
    assert breakdown(cov, [0])["by_occupation"] == {"6-05-01-03": 2, "6-05-01-02": 1}


@pytest.mark.parametrize("kw,msg", [
    (dict(radius_km=0), "大于 0"), (dict(radius_km=-1), "大于 0"), (dict(radius_km=3, shift="night"), "未知班次"),
    (dict(radius_km=3, age_min=50, age_max=30), "不能大于"), (dict(radius_km=3, occupations=("sewing",)), "格式"),
])
def test_bad_queries_are_refused_in_chinese(kw, msg):
    with pytest.raises(QueryError, match=msg):
        Query(**kw)


def test_more_sites_than_candidates_is_refused(line):
    cov = cover(*line)
    with pytest.raises(QueryError, match="大于候选地点数"):
        exact_cover(cov, 4)


# --------------------------------------------------------------------------- exact = brute force


def _brute(cov, k):
    free = [j for j, s in enumerate(cov.sites) if not s.fixed]
    fixed = [j for j, s in enumerate(cov.sites) if s.fixed]
    return max(evaluate(cov, fixed + list(c)) for c in itertools.combinations(free, k))


@pytest.mark.parametrize("seed", range(12))
def test_exact_equals_brute_force_and_beats_greedy(seed):
    r = random.Random(seed)
    seekers = []
    for _ in range(r.randint(5, 25)):
        seekers += people(r.randint(1, 6), r.uniform(-15, 15), r.uniform(-15, 15),
                          max_commute_km=r.choice([3, 5, 8, 50]), shifts=r.choice([frozenset(), frozenset({"part_time"})]))
    cap = seed % 3 == 0
    sites = [site(f"s{n}", r.uniform(-15, 15), r.uniform(-15, 15), capacity=r.choice([None, 5, 12]) if cap else None,
                  fixed=(n == 0 and seed % 4 == 1)) for n in range(r.randint(6, 9))]
    cov = cover(seekers, sites, radius_km=r.choice([4, 6, 9]), weight_hours=seed % 2 == 0)
    for j, s in enumerate(sites):  # the classes agree with a direct distance check
        assert cov.site_people[j] == reach_mask(cov.pop, s).sum()
    for k in (1, 2, 3):
        e, g = exact_cover(cov, k), greedy_cover(cov, k)
        assert e.optimal
        assert e.covered_total == pytest.approx(_brute(cov, k))
        assert e.covered_total >= g.covered_total - 1e-9
        assert sum(e.covered_new) + e.fixed_total == pytest.approx(e.covered_total)


def test_coverage_classes_aggregate_people_with_the_same_sites(line):
    cov = cover(*line)
    # four groups, four classes: {B}, {A,B}, {A,C}, {C}
    assert cov.n_classes == 4
    assert sorted(cov.class_count.tolist()) == [3, 3, 4, 4]


# --------------------------------------------------------------------------- what if


def test_shuttle_adds_people_within_walking_distance_of_its_stops():
    seekers = people(5, 0) + people(6, 30) + people(2, 31.5) + people(3, 45)
    pop = build_population(seekers, Query(radius_km=10, today=TODAY))
    plant = [site("plant", 0)]
    res = shuttle_gain(pop, plant, [site("stop1", 30), site("stop2", 45)], walk_km=1.0)
    assert res["base"]["people"] == 5
    assert res["added"]["people"] == 9  # 6 at the first stop, 3 at the second; the 2 at 1.5 km walk too far
    assert [b["people"] for b in res["by_stop"]] == [6, 3]
    assert shuttle_gain(pop, plant, [site("stop1", 30)], walk_km=2.0)["added"]["people"] == 8
    with pytest.raises(QueryError):
        shuttle_gain(pop, plant, [], walk_km=1)


def test_village_workshop_adds_people_near_it_not_already_reached():
    seekers = people(5, 0) + people(4, 8) + people(3, 14)
    pop = build_population(seekers, Query(radius_km=10, today=TODAY))
    res = workshop_gain(pop, [site("plant", 0)], site("ws", 13), radius_km=3)
    assert res["base"]["people"] == 9 and res["added"]["people"] == 3 and res["workshop"]["people"] == 3


def test_dominated_candidates_are_left_out_of_the_integer_program(line):
    from hongniang.sitelib.cover import undominated

    seekers, sites = line
    # A2 next to A reaches exactly A's people (same set: the first by site_id stays); A3 reaches only the 4 at +2
    sites = sites + [site("A2", 0.1), site("A3", 2, 2.5)]
    cov = cover(seekers, sites)
    none = np.zeros(cov.n_classes, dtype=bool)
    kept = ids(cov, undominated(cov, list(range(len(sites))), none))
    assert kept == ["A", "B", "C"]
    e = exact_cover(cov, 2)
    assert sorted(ids(cov, e.chosen)) == ["B", "C"] and e.optimal
    assert exact_cover(cov, 4).covered_total == 14  # more sites than useful ones: padded, still optimal


@pytest.mark.parametrize("seed", range(6))
def test_greedy_bound_is_an_upper_bound_of_the_optimum(seed):
    r = random.Random(100 + seed)
    seekers = []
    for _ in range(20):
        seekers += people(r.randint(1, 5), r.uniform(-15, 15), r.uniform(-15, 15))
    sites = [site(f"s{n}", r.uniform(-15, 15), r.uniform(-15, 15)) for n in range(9)]
    cov = cover(seekers, sites, radius_km=6)
    for k in (1, 2, 3):
        g = greedy_cover(cov, k)
        assert g.covered_total <= _brute(cov, k) <= g.bound + 1e-9


def test_a_model_too_big_falls_back_to_greedy_with_its_bound(line, monkeypatch):
    from hongniang.sitelib import cover as cover_mod

    monkeypatch.setattr(cover_mod, "EXACT_MAX_NNZ", 3)
    cov = cover(*line)
    e = exact_cover(cov, 2)
    assert e.optimal is False and "模型太大" in e.note
    assert e.covered_total == 11 and e.bound >= 14


# --------------------------------------------------------------------------- LP bounds and reduced-cost fixing


def _random_geography(seed, n_sites=12):
    r = random.Random(1000 + seed)
    seekers = []
    for _ in range(r.randint(15, 40)):
        seekers += people(r.randint(1, 6), r.uniform(-12, 12), r.uniform(-12, 12),
                          max_commute_km=r.choice([3, 5, 8, 50]), shifts=r.choice([frozenset(), frozenset({"part_time"})]))
    sites = [site(f"s{n}", r.uniform(-12, 12), r.uniform(-12, 12), fixed=(n == 0 and seed % 3 == 1))
             for n in range(n_sites)]
    return cover(seekers, sites, radius_km=r.choice([5, 7, 10]), weight_hours=seed % 2 == 0)


@pytest.mark.parametrize("seed", range(10))
def test_lagrange_bounds_hold_for_any_duals(seed):
    from hongniang.sitelib.cover import _fixed, _model, _touched, lagrange_bounds

    cov = _random_geography(seed, n_sites=9)
    fixed = _fixed(cov)
    free = [j for j in range(len(cov.sites)) if j not in fixed]
    m = _model(cov, np.asarray(free), _touched(cov, fixed))
    rng = np.random.default_rng(seed)
    for k in (1, 2, 3):
        values = {c: evaluate(cov, fixed + list(c)) for c in itertools.combinations(free, k)}
        for u in (np.zeros(len(m.w)), m.w / 2, rng.uniform(0, 1, len(m.w)) * m.w, rng.uniform(0, 3, len(m.w))):
            bound, with_j, without_j = lagrange_bounds(m, k, u)
            assert bound >= max(values.values()) - 1e-9
            for n, j in enumerate(m.sites):
                assert with_j[n] >= max(v for c, v in values.items() if j in c) - 1e-9
                if len(free) > k:
                    assert without_j[n] >= max(v for c, v in values.items() if j not in c) - 1e-9


@pytest.mark.parametrize("seed", range(16))
def test_reduced_model_optimum_equals_brute_force(seed):
    """LP + reduced-cost fixing against the swap-improved greedy answer, then the integer program on what is left:
    the same optimum as trying every set, on random geographies (hours weights, an existing site)."""
    cov = _random_geography(seed)
    for k in (2, 3, 4):
        e = exact_cover(cov, k)
        assert e.optimal
        assert e.covered_total == pytest.approx(_brute(cov, k))
        assert e.bound == pytest.approx(e.covered_total)
        if e.reduction:  # (not when there are no more useful sites than k)
            assert e.reduction["sites_left"] <= e.reduction["candidates"]


def test_an_lp_bound_equal_to_the_best_known_answer_proves_it():
    """Two dense clusters and a scatter of small far-away sites: the LP bound is the answer, no integer program."""
    seekers = people(40, 0) + people(35, 1) + people(30, 30) + people(28, 31)
    seekers += [p for x in range(8) for p in people(1, 60 + 4 * x, 20)]
    sites = [site("a", 0.5), site("b", 30.5), site("c", 15)] + [site(f"z{x}", 60 + 4 * x, 20) for x in range(8)]
    cov = cover(seekers, sites, radius_km=2)
    e = exact_cover(cov, 2)
    assert e.optimal and sorted(ids(cov, e.chosen)) == ["a", "b"] and e.covered_total == 133
    assert e.reduction["rounds"][0]["lp_bound"] == pytest.approx(133)


@pytest.mark.parametrize("seed", range(8))
def test_fixed_sites_are_never_needed_by_a_better_answer(seed):
    """The fixing rule on its own, against a weak best-known answer (the worst single greedy step): every set
    worth more than it keeps the sites forced in and none of the sites left out."""
    from hongniang.sitelib.cover import _fixed, _lp, _model, _touched, lagrange_bounds

    cov = _random_geography(seed, n_sites=14)
    fixed = _fixed(cov)
    free = [j for j in range(len(cov.sites)) if j not in fixed]
    m = _model(cov, np.asarray(free), _touched(cov, fixed))
    for k in (2, 3):
        values = {c: evaluate(cov, fixed + list(c)) for c in itertools.combinations(free, k)}
        incumbent = sorted(values.values())[len(values) * 9 // 10]  # the 90th percentile
        _, u = _lp(m, k, 60)
        _, with_j, without_j = lagrange_bounds(m, k, u)
        out = set(m.sites[with_j < incumbent + 1e-9].tolist())
        inn = set(m.sites[without_j < incumbent + 1e-9].tolist())
        for c, v in values.items():
            if v > incumbent + 1e-9:
                assert not out & set(c) and inn <= set(c)
