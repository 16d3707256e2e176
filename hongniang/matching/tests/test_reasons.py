"""The fast reason texts of lists (cached per-job parts, classes on arrays) equal the reference explanation
``explain.job_reasons`` computed in plain Python from the documented rules."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from hongniang.matching import (
    Job,
    JobIndex,
    MatchConfig,
    Seeker,
    batch_recommend,
    job_reasons,
    recommend_jobs,
)
from hongniang.matching.core import haversine_km
from hongniang.matching.reasons import crowded_price

from .test_properties import SETTINGS, TODAY, jobs_st, seeker_st

TIERS = MatchConfig().occupation_tiers


def closeness(seeker: Seeker, job: Job) -> float | None:
    """The employer-side occupation closeness of the documented rules (None: nothing to say)."""
    if not seeker.occupations:
        return None
    if not job.occupation_code:
        return 0.0
    best = 0.0
    jp = job.occupation_code.split("-")
    for code in seeker.occupations[:5]:
        dp = code.split("-")
        for level, tier in zip((4, 3, 2, 1), TIERS, strict=True):
            if dp[:level] == jp[:level]:
                best = max(best, tier)
                break
    return best


def reference(seeker: Seeker, job: Job, cfg: MatchConfig, crowded: bool) -> str:
    d = None
    relocated = False
    if seeker.lat is not None and job.lat is not None:
        d = haversine_km(seeker.lat, seeker.lon, job.lat, job.lon)
        reach = (seeker.max_commute_km if seeker.max_commute_km is not None else cfg.default_max_commute_km) + (
            cfg.shuttle_extra_km if "shuttle" in job.benefits else 0.0)
        relocated = d > reach
    return job_reasons(job, distance_km=d, relocated=relocated, expected_wage=seeker.expected_wage,
                       occupation_closeness=closeness(seeker, job), today=TODAY, crowded=crowded, config=cfg)


def near_boundary(text_a: str, text_b: str) -> bool:
    """Only the distance's last digit differs (a distance within float rounding of x.x5 km)."""
    return text_a.split(" · ", 1)[1:] == text_b.split(" · ", 1)[1:] and text_a[:4] == text_b[:4] == "距家 "


@SETTINGS
@given(jobs_st, seeker_st, st.sampled_from([1610, 2500, 4000]), st.data())
def test_list_reasons_equal_the_reference_explanation(jobs, s, minimum, data):
    cfg = MatchConfig(minimum_wage_monthly=minimum)
    idx = JobIndex(jobs, config=cfg)
    crowded = {j.job_id for j in jobs if data.draw(st.booleans())}
    for j in jobs:
        idx.set_price(j.job_id, 2 * crowded_price(cfg) if j.job_id in crowded else 0.0)
    by_id = {j.job_id: j for j in jobs}
    single = recommend_jobs(s, idx, top=100, today=TODAY)
    batch = dict(batch_recommend([s], idx, top=100, today=TODAY, estimate=False))
    for m in single + batch.get(s.seeker_id, []):
        want = reference(s, by_id[m.job_id], cfg, m.job_id in crowded)
        assert m.reasons == want or near_boundary(m.reasons, want), (m.reasons, want)


def test_below_the_configured_minimum_wage_is_said():
    job = Job(job_id=1, occupation_code="6-05-01-03", lat=25.9, lon=116.0, wage_min=1800, wage_max=1900, shift="day")
    person = Seeker(seeker_id="p", lat=25.9, lon=116.01, occupations=("6-05-01-03",))
    low = recommend_jobs(person, JobIndex([job], config=MatchConfig(minimum_wage_monthly=2000)), today=TODAY)
    assert "低于最低工资" in low[0].reasons
    ok = recommend_jobs(person, JobIndex([job]), today=TODAY)
    assert "低于最低工资" not in ok[0].reasons


def test_unknown_job_occupation_says_nothing_about_occupation():
    job = Job(job_id=1, occupation_code=None, lat=25.9, lon=116.0, wage_min=3000, wage_max=3500, shift="day",
              posted_on=TODAY - dt.timedelta(days=30))
    person = Seeker(seeker_id="p", lat=25.9, lon=116.01, occupations=("6-05-01-03",))
    (m,) = recommend_jobs(person, JobIndex([job]), today=TODAY)
    assert "工种" not in m.reasons
