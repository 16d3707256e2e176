"""Nothing about who a person is, beyond what a posting may lawfully ask, can change a ranking.

The engine's records have no field for gender, ethnicity or origin, so neither the rules, the score nor a fitted
calibration can see them; age acts only through a posting's stated range (a hard rule): a person of another age
within every posting's range gets the same list, order and scores, and a calibration fitted on their outcomes
gets the same weights.
"""

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hongniang.matching import JobIndex, Seeker, estimate_prices, recommend_jobs
from hongniang.matching.learn import Event, fit_calibration
from hongniang.matching.tests.test_properties import SETTINGS, TODAY, jobs_st, seeker_st

PROTECTED = {"gender", "sex", "ethnicity", "nation", "minzu", "origin", "hukou", "native_place", "birthplace",
             "id_number", "home_region", "religion", "marital_status"}


def test_the_engines_person_has_no_protected_attribute():
    fields = {f.name for f in dataclasses.fields(Seeker)}
    assert not fields & PROTECTED
    assert fields == {"seeker_id", "lat", "lon", "birth_year", "occupations", "certificates", "expected_wage", "shifts",
                      "max_commute_km", "relocate", "unavailable_months"}


def _age_ok(s, j, year):
    age = TODAY.year - year
    return (j.age_min is None or age >= j.age_min) and (j.age_max is None or age <= j.age_max)


@SETTINGS
@given(jobs_st, seeker_st, st.integers(1950, 2009))
def test_another_age_within_every_postings_range_changes_nothing(jobs, s, year):
    if s.birth_year is None or any(_age_ok(s, j, s.birth_year) != _age_ok(s, j, year) for j in jobs):
        year = s.birth_year  # the other age would cross a posting's stated range: that one is a lawful rule
    other = dataclasses.replace(s, birth_year=year)
    idx = JobIndex(jobs)
    for cap in (False, True):
        a = recommend_jobs(s, idx, top=10, capacity_aware=cap, today=TODAY)
        b = recommend_jobs(other, idx, top=10, capacity_aware=cap, today=TODAY)
        assert [(m.job_id, m.score, m.reasons) for m in a] == [(m.job_id, m.score, m.reasons) for m in b]


@SETTINGS
@given(jobs_st, st.lists(seeker_st, min_size=2, max_size=12), st.integers(-8, 8))
def test_prices_and_a_fitted_calibration_do_not_depend_on_age_within_range(jobs, people, shift):
    people = [dataclasses.replace(p, seeker_id=k) for k, p in enumerate(people)]

    def older(p):
        if p.birth_year is None:
            return p
        year = p.birth_year + shift
        if any(_age_ok(p, j, p.birth_year) != _age_ok(p, j, year) for j in jobs):
            return p
        return dataclasses.replace(p, birth_year=year)

    moved = [older(p) for p in people]
    a, b = JobIndex(jobs), JobIndex(jobs)
    estimate_prices(a, people, today=TODAY)
    estimate_prices(b, moved, today=TODAY)
    assert a.store.cols["price"].tolist() == b.store.cols["price"].tolist()
    day = TODAY - dt.timedelta(days=3)
    events = [Event(p.seeker_id, j.job_id, kind, day) for p in people for j in jobs[:4]
              for kind in ("shown", "applied", "hired" if (p.seeker_id + len(jobs)) % 3 else "rejected")]
    by_job = {j.job_id: j for j in jobs}
    fa = fit_calibration(events, {p.seeker_id: p for p in people}, by_job, min_examples=1)
    fb = fit_calibration(events, {p.seeker_id: p for p in moved}, by_job, min_examples=1)
    assert fa.weights == fb.weights
