"""Hard rules and hand-checked ("golden") orderings."""

import datetime as dt

import pytest

from hongniang.matching import (
    Job,
    JobIndex,
    MatchConfig,
    Seeker,
    SeekerIndex,
    explain_match,
    rank_candidates,
    recommend_jobs,
    violations,
)

TODAY = dt.date(2025, 3, 1)
HOME = (25.8850, 116.0270)  # Ruijin town centre


def km_north(km, base=HOME):
    return (base[0] + km / 111.195, base[1])


def job(jid, km=2.0, **kw):
    lat, lon = km_north(km)
    d = dict(job_id=jid, occupation_code="6-05-01-03", lat=lat, lon=lon, wage_min=4000, wage_max=5000, shift="day",
             headcount=2, posted_on=TODAY - dt.timedelta(days=5))
    d.update(kw)
    return Job(**d)


def seeker(**kw):
    d = dict(seeker_id="p", lat=HOME[0], lon=HOME[1], birth_year=1985, occupations=("6-05-01-03",), expected_wage=4000,
             max_commute_km=15.0)
    d.update(kw)
    return Seeker(**d)


def ids(matches):
    return [m.job_id for m in matches]


def test_missing_certificate_excludes_job():
    jobs = [job("needs", certificates=("电工证",)), job("free")]
    assert ids(recommend_jobs(seeker(), JobIndex(jobs), today=TODAY)) == ["free"]
    assert "needs" in ids(recommend_jobs(seeker(certificates=("电工证", "健康证")), JobIndex(jobs), today=TODAY))


def test_age_outside_range_excludes_job():
    jobs = [job("young", age_min=18, age_max=35), job("any")]
    assert ids(recommend_jobs(seeker(birth_year=1975), JobIndex(jobs), today=TODAY)) == ["any"]  # 50 years old
    assert set(ids(recommend_jobs(seeker(birth_year=1995), JobIndex(jobs), today=TODAY))) == {"young", "any"}


def test_shift_not_accepted_excludes_job():
    jobs = [job("night", shift="three_shift"), job("day")]
    assert ids(recommend_jobs(seeker(shifts=frozenset({"day", "two_shift"})), JobIndex(jobs), today=TODAY)) == ["day"]
    assert set(ids(recommend_jobs(seeker(), JobIndex(jobs), today=TODAY))) == {"night", "day"}  # no stated shifts: all


def test_commute_limit_shuttle_and_relocation():
    cfg = MatchConfig(shuttle_extra_km=10)
    jobs = [job("near", km=14), job("far", km=20), job("far_bus", km=20, benefits=frozenset({"shuttle"})),
            job("far_dorm", km=60, benefits=frozenset({"lodging", "board"})), job("too_far_bus", km=26, benefits=frozenset({"shuttle"}))]
    idx = JobIndex(jobs, config=cfg)
    assert set(ids(recommend_jobs(seeker(), idx, today=TODAY))) == {"near", "far_bus"}
    assert set(ids(recommend_jobs(seeker(relocate=True), idx, today=TODAY))) == {"near", "far_bus", "far_dorm"}


def test_default_commute_when_unknown_is_20_km():
    idx = JobIndex([job("19", km=19), job("21", km=21)])
    assert ids(recommend_jobs(seeker(max_commute_km=None), idx, today=TODAY)) == ["19"]


def test_unavailable_month_excludes_full_time_only():
    jobs = [job("factory", shift="day"), job("piece", shift="home_piecework", wage_min=1500, wage_max=2500), job("unknown", shift=None)]
    busy = seeker(unavailable_months=frozenset({3, 4}))
    assert ids(recommend_jobs(busy, JobIndex(jobs), today=TODAY)) == ["piece"]  # March: busy; unknown shift counts as full-time
    assert len(recommend_jobs(busy, JobIndex(jobs), today=dt.date(2025, 6, 1))) == 3


def test_violations_names_each_rule():
    j = job("x", km=40, certificates=("焊工证",), age_min=18, age_max=30, shift="three_shift")
    s = seeker(shifts=frozenset({"day"}), unavailable_months=frozenset({3}))
    assert violations(s, j, today=TODAY) == ["certificate", "age", "shift", "commute", "unavailable"]
    assert explain_match(s, j, today=TODAY) is None
    assert violations(seeker(), job("ok"), today=TODAY) == []


def test_golden_order_for_a_factory_worker():
    """A 40-year-old who wants assembly work (6-05-01-03) near home, expects 4000, day shift preferred."""
    jobs = [
        job("same_occ_near_good_pay", km=3, wage_min=4500, wage_max=6000, benefits=frozenset({"board", "lodging"})),
        job("same_occ_far", km=13, wage_min=4000, wage_max=4500),
        job("same_minor_near", occupation_code="6-05-01-07", km=3, wage_min=4000, wage_max=5000),
        job("same_medium_near", occupation_code="6-05-03-01", km=3, wage_min=4000, wage_max=5000),
        job("other_major_high_pay", occupation_code="4-01-02-01", km=3, wage_min=6000, wage_max=7000),
        job("below_minimum_wage", km=2, wage_min=1200, wage_max=1400),
    ]
    got = ids(recommend_jobs(seeker(shifts=frozenset({"day"})), JobIndex(jobs), today=TODAY, capacity_aware=False))
    # the exact occupation 13 km away (within the person's 15 km) beats a related one next door:
    # the same occupation is also evidence of experience for the employer (reciprocal fit)
    assert got == ["same_occ_near_good_pay", "same_occ_far", "same_minor_near", "same_medium_near",
                   "other_major_high_pay", "below_minimum_wage"]


def test_golden_explanation_text():
    j = job("a", km=3.2, wage_min=4500, wage_max=6000, benefits=frozenset({"board", "lodging"}), posted_on=TODAY - dt.timedelta(days=10))
    m = explain_match(seeker(), j, today=TODAY)
    assert m.reasons == "距家 3.2 公里 · 月薪 4500–6000，高于期望 · 长白班 · 包吃住 · 意向工种"
    assert m.distance_km == pytest.approx(3.2, abs=0.01)
    low = explain_match(seeker(), job("b", wage_min=1200, wage_max=1400, shift="two_shift", benefits=frozenset({"shuttle", "social_insurance"})), today=TODAY)
    assert low.reasons.split(" · ")[1:] == ["月薪 1200–1400，低于最低工资", "两班倒", "班车", "五险一金", "意向工种"]


def test_earlier_desired_occupation_ranks_higher():
    jobs = [job("second", occupation_code="4-03-02-01"), job("first", occupation_code="6-05-01-03")]
    s = seeker(occupations=("6-05-01-03", "4-03-02-01"))
    assert ids(recommend_jobs(s, JobIndex(jobs), today=TODAY, capacity_aware=False)) == ["first", "second"]


def test_candidates_for_a_job_follow_the_same_rules_and_order():
    people = [
        seeker(seeker_id="wants_it", occupations=("6-05-01-03",)),
        seeker(seeker_id="related", occupations=("6-05-01-09",)),
        seeker(seeker_id="too_old", birth_year=1960),
        seeker(seeker_id="far_away", lat=27.0, lon=116.0),
        seeker(seeker_id="far_but_moves", lat=27.0, lon=116.0, relocate=True),
    ]
    j = job("j", age_min=18, age_max=55, benefits=frozenset({"lodging"}))
    got = [m.seeker_id for m in rank_candidates(j, SeekerIndex(people), today=TODAY)]
    # the person who wants exactly this work and will live in the dormitory beats a local with a related trade
    assert got == ["wants_it", "far_but_moves", "related"]


def test_score_is_the_same_in_both_directions():
    j, s = job("j", km=5), seeker()
    a = recommend_jobs(s, JobIndex([j]), today=TODAY, capacity_aware=False)[0]
    b = rank_candidates(j, SeekerIndex([s]), today=TODAY)[0]
    assert a.score == pytest.approx(b.score, abs=1e-3)
