"""Property tests (hypothesis): the rules are never broken, pay is monotone, the index equals a naive scan."""

import datetime as dt
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hongniang.matching import BENEFITS, SHIFTS, Job, JobIndex, Seeker, recommend_jobs, violations
from hongniang.matching.core import haversine_km

TODAY = dt.date(2025, 4, 15)
OCCS = ["6-05-01-03", "6-05-01-04", "6-05-02-01", "4-01-01-01", None]
CERTS = ["电工证", "焊工证", "健康证"]

coord = st.tuples(st.floats(25.6, 26.2), st.floats(115.7, 116.3))
jobs_st = st.lists(
    st.builds(
        lambda i, occ, ll, w, dw, sh, hc, age, certs, ben, days: Job(
            job_id=i, occupation_code=occ, lat=ll[0] if ll else None, lon=ll[1] if ll else None,
            wage_min=w, wage_max=None if w is None else w + dw, shift=sh, headcount=hc,
            age_min=age[0] if age else None, age_max=age[1] if age else None, certificates=tuple(certs),
            benefits=frozenset(ben), posted_on=None if days is None else TODAY - dt.timedelta(days=days)),
        st.integers(), st.sampled_from(OCCS), st.one_of(st.none(), coord), st.one_of(st.none(), st.integers(1000, 9000)),
        st.integers(0, 3000), st.one_of(st.none(), st.sampled_from(SHIFTS)), st.integers(1, 20),
        st.one_of(st.none(), st.tuples(st.integers(16, 30), st.integers(31, 60))), st.lists(st.sampled_from(CERTS), max_size=2, unique=True),
        st.lists(st.sampled_from(BENEFITS), unique=True), st.one_of(st.none(), st.integers(0, 90)),
    ),
    max_size=25, unique_by=lambda j: j.job_id,
)
seeker_st = st.builds(
    lambda ll, by, occs, certs, exp, shifts, mc, rel, months: Seeker(
        seeker_id="s", lat=ll[0] if ll else None, lon=ll[1] if ll else None, birth_year=by, occupations=tuple(occs),
        certificates=tuple(certs), expected_wage=exp, shifts=frozenset(shifts), max_commute_km=mc, relocate=rel,
        unavailable_months=frozenset(months)),
    st.one_of(st.none(), coord), st.one_of(st.none(), st.integers(1960, 2008)),
    st.lists(st.sampled_from([o for o in OCCS if o]), max_size=3, unique=True), st.lists(st.sampled_from(CERTS), max_size=3, unique=True),
    st.one_of(st.none(), st.integers(2000, 8000)), st.lists(st.sampled_from(SHIFTS), max_size=3, unique=True),
    st.one_of(st.none(), st.floats(1, 40)), st.booleans(), st.lists(st.integers(1, 12), max_size=3, unique=True),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(jobs_st, seeker_st)
def test_results_are_exactly_the_jobs_that_break_no_rule(jobs, s):
    got = recommend_jobs(s, JobIndex(jobs), top=100, capacity_aware=False, today=TODAY)
    eligible = {j.job_id for j in jobs if not violations(s, j, today=TODAY)}
    assert {m.job_id for m in got} == eligible
    scores = [m.score for m in got]
    assert scores == sorted(scores, reverse=True)


@SETTINGS
@given(jobs_st, seeker_st)
def test_a_job_beyond_reach_never_appears(jobs, s):
    got = recommend_jobs(s, JobIndex(jobs), top=100, today=TODAY)
    by_id = {j.job_id: j for j in jobs}
    reach = s.max_commute_km if s.max_commute_km is not None else 20.0
    for m in got:
        j = by_id[m.job_id]
        if s.lat is None or j.lat is None:
            continue
        d = haversine_km(s.lat, s.lon, j.lat, j.lon)
        allowed = reach + (10.0 if "shuttle" in j.benefits else 0.0)
        assert d <= allowed + 1e-6 or (s.relocate and "lodging" in j.benefits)
        assert math.isclose(m.distance_km, d, abs_tol=2e-3)


@SETTINGS
@given(jobs_st, seeker_st, st.data())
def test_raising_a_jobs_pay_never_lowers_its_rank(jobs, s, data):
    jobs = [j for j in jobs if j.wage_min is not None]
    if not jobs:
        return
    target = data.draw(st.sampled_from(jobs))
    raise_min = data.draw(st.integers(0, 3000))
    raise_max = data.draw(st.integers(0, 3000))
    import dataclasses

    richer = dataclasses.replace(target, wage_min=target.wage_min + raise_min,
                                 wage_max=max(target.wage_max + raise_max, target.wage_min + raise_min))
    def rank(js):
        ids = [m.job_id for m in recommend_jobs(s, JobIndex(js), top=100, capacity_aware=False, today=TODAY)]
        return ids.index(target.job_id) if target.job_id in ids else None
    before = rank(jobs)
    after = rank([richer if j.job_id == target.job_id else j for j in jobs])
    if before is not None:
        assert after is not None and after <= before


@SETTINGS
@given(jobs_st, seeker_st, st.integers(1, 5))
def test_index_after_updates_equals_fresh_index(jobs, s, k):
    idx = JobIndex(jobs[: len(jobs) // 2])
    for j in jobs[len(jobs) // 2:]:
        idx.upsert(j)
    for j in jobs[:k]:
        idx.remove(j.job_id)
    fresh = JobIndex(jobs[k:])
    a = recommend_jobs(s, idx, top=10, capacity_aware=False, today=TODAY)
    b = recommend_jobs(s, fresh, top=10, capacity_aware=False, today=TODAY)
    assert [m.score for m in a] == [m.score for m in b]
    assert {m.job_id for m in a} <= {j.job_id for j in jobs[k:]}


@SETTINGS
@given(jobs_st, seeker_st, st.integers(1, 5))
def test_index_queried_between_updates_equals_fresh_index(jobs, s, k):
    """Queries between updates (cached layouts and boxes see added, replaced and removed jobs)."""
    idx = JobIndex(jobs[: len(jobs) // 2])
    recommend_jobs(s, idx, top=10, capacity_aware=False, today=TODAY)
    for j in jobs[len(jobs) // 2:]:
        idx.upsert(j)
        recommend_jobs(s, idx, top=10, capacity_aware=False, today=TODAY)
    for j in jobs[:k]:
        idx.remove(j.job_id)
        recommend_jobs(s, idx, top=10, capacity_aware=False, today=TODAY)
    for j in jobs[k : 2 * k]:
        idx.upsert(j)  # replaced in place
    fresh = JobIndex(jobs[k:])
    a = recommend_jobs(s, idx, top=10, capacity_aware=False, today=TODAY)
    b = recommend_jobs(s, fresh, top=10, capacity_aware=False, today=TODAY)
    assert [(m.job_id, m.score) for m in a] == [(m.job_id, m.score) for m in b]


@SETTINGS
@given(jobs_st, seeker_st, st.data())
def test_capacity_aware_lists_are_exact_and_put_close_work_first(jobs, s, data):
    """With any prices: the pruned search equals the exhaustive scan, the batch equals the single query, and
    work far from every named occupation never comes before close work."""
    import numpy as np

    from hongniang.matching import batch_recommend
    from hongniang.matching.single import _recommend_one

    idx = JobIndex(jobs)
    for j in jobs:
        idx.set_price(j.job_id, data.draw(st.floats(0.0, 3.0)))
    a = _recommend_one(s, idx, 10, TODAY, True)
    b = _recommend_one(s, idx, 10, TODAY, True, prune=False)
    assert all(np.array_equal(x, y, equal_nan=x.dtype.kind == "f") for x, y in zip(a, b, strict=True))
    single = recommend_jobs(s, idx, top=10, today=TODAY)
    batch = dict(batch_recommend([s], idx, top=10, today=TODAY, estimate=False)).get(s.seeker_id, [])
    assert [(m.job_id, m.score, m.reasons) for m in single] == [(m.job_id, m.score, m.reasons) for m in batch]
    far = ["其他可以考虑的工作" in m.reasons for m in single]
    assert far == sorted(far) and sum(far) <= idx.config.far_max
    assert {m.job_id for m in single} <= {j.job_id for j in jobs if not violations(s, j, today=TODAY)}
