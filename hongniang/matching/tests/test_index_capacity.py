"""Index updates without rebuild, unknown values, batch, and the capacity-aware mode."""


from hongniang.matching import (
    Job,
    JobIndex,
    Seeker,
    SeekerIndex,
    batch_recommend,
    estimate_prices,
    rank_candidates,
    recommend_jobs,
)
from hongniang.matching.synth import Market, simulate

from .test_rules_golden import TODAY, ids, job, seeker


def test_upsert_and_remove_change_results_without_rebuild():
    idx = JobIndex([job("a", km=2), job("b", km=3)])
    s = seeker()
    assert set(ids(recommend_jobs(s, idx, today=TODAY))) == {"a", "b"}
    idx.remove("a")
    assert ids(recommend_jobs(s, idx, today=TODAY)) == ["b"]
    idx.upsert(job("b", km=50))  # moved out of reach
    assert recommend_jobs(s, idx, today=TODAY) == []
    idx.add(job("c", km=1, certificates=("叉车证",)))
    assert recommend_jobs(s, idx, today=TODAY) == []
    assert ids(recommend_jobs(seeker(certificates=("叉车证",)), idx, today=TODAY)) == ["c"]
    assert len(idx) == 2 and "a" not in idx


def test_seeker_index_updates():
    si = SeekerIndex([seeker(seeker_id="x"), seeker(seeker_id="y")])
    j = job("j")
    assert {m.seeker_id for m in rank_candidates(j, si, today=TODAY)} == {"x", "y"}
    si.remove("x")
    si.upsert(seeker(seeker_id="y", shifts=frozenset({"part_time"})))
    assert rank_candidates(j, si, today=TODAY) == []


def test_unknown_values_do_not_exclude():
    bare_job = Job(job_id="bare")
    bare_seeker = Seeker(seeker_id="bare")
    assert ids(recommend_jobs(bare_seeker, JobIndex([bare_job, job("x")]), today=TODAY)) in (["x", "bare"], ["bare", "x"])
    assert ids(recommend_jobs(seeker(), JobIndex([bare_job]), today=TODAY)) == ["bare"]
    assert recommend_jobs(seeker(), JobIndex([]), today=TODAY) == []


def test_batch_equals_single_queries():
    m = Market(seed=3, n_towns=3, box=(25.5, 26.0, 115.8, 116.3))
    jobs, people = m.jobs(400), m.seekers(60)
    idx = JobIndex(jobs)
    got = dict(batch_recommend(people, idx, top=10, capacity_aware=False, today=m.today))
    assert len(got) == 60
    for s in people:
        single = recommend_jobs(s, idx, top=10, capacity_aware=False, today=m.today)
        assert [x.job_id for x in got[s.seeker_id]] == [x.job_id for x in single]


def test_capacity_prices_penalise_only_over_demanded_jobs():
    # one attractive job with one opening, fifty people; a slightly worse job with many openings
    star = job("star", km=1, wage_min=6000, wage_max=7000, headcount=1)
    plain = job("plain", km=2, wage_min=4500, wage_max=5500, headcount=100)
    idx = JobIndex([star, plain])
    people = [seeker(seeker_id=f"p{i}", expected_wage=3000 + 80 * i) for i in range(50)]
    assert all(ids(recommend_jobs(p, idx, top=2, capacity_aware=False, today=TODAY)) == ["star", "plain"] for p in people)
    estimate_prices(idx, people, top=1, today=TODAY)
    assert idx.price("star") > 0 and idx.price("plain") == 0
    firsts = [ids(recommend_jobs(p, idx, top=2, capacity_aware=True, today=TODAY))[0] for p in people]
    # the one opening is left to the people who want it most (the highest expectations); the rest start with
    # the job that can take them
    assert 1 <= firsts.count("star") <= 10
    assert firsts[0] == "plain" and firsts[-1] == "star"
    # the plain ranking is not affected by prices
    assert ids(recommend_jobs(people[0], idx, top=2, capacity_aware=False, today=TODAY)) == ["star", "plain"]
    assert "报名人多" in recommend_jobs(people[0], idx, top=2, today=TODAY)[1].reasons


def test_an_edited_job_keeps_its_price_until_the_next_pricing():
    """Re-reading a crowded job (an edit, a hire that touched it) must not make it look uncrowded: the job keeps
    its price, and everyone's list keeps sending most people to the job that can take them. A job removed and
    posted again starts without a price."""
    import dataclasses

    star = job("star", km=1, wage_min=6000, wage_max=7000, headcount=2)
    idx = JobIndex([star, job("plain", km=2, wage_min=4500, wage_max=5500, headcount=100)])
    people = [seeker(seeker_id=f"p{i}", expected_wage=3000 + 80 * i) for i in range(50)]
    estimate_prices(idx, people, top=1, today=TODAY)
    price = idx.price("star")
    assert price > 0

    def firsts():
        return [ids(recommend_jobs(p, idx, top=2, today=TODAY))[0] for p in people].count("star")

    before = firsts()
    idx.upsert(dataclasses.replace(star, headcount=1))  # one of its two places was just filled
    assert idx.price("star") == price and firsts() == before < 10
    idx.remove("star")
    idx.upsert(star)
    assert idx.price("star") == 0 and firsts() == 50


def test_population_is_the_demand_the_prices_count():
    """A sample standing for twice its number prices as the people twice over; fewer people, lower prices."""
    import dataclasses

    def priced(people, **kw):
        idx = JobIndex([job("star", km=1, wage_min=6000, wage_max=7000, headcount=3),
                        job("plain", km=2, wage_min=4500, wage_max=5500, headcount=100)])
        estimate_prices(idx, people, top=1, today=TODAY, **kw)
        return idx.price("star")

    people = [seeker(seeker_id=f"p{i}", expected_wage=3000 + 80 * i) for i in range(20)]
    twice = people + [dataclasses.replace(p, seeker_id=f"{p.seeker_id}b") for p in people]
    assert priced(people) > 0
    assert abs(priced(people, population=40) - priced(twice)) < 1e-6
    assert priced(people, population=40) > priced(people) > priced(people, population=5)
    assert priced(people, population=20) == priced(people)


def test_capacity_aware_places_more_people_on_a_small_market():
    m = Market(seed=5, n_towns=4, box=(25.5, 26.2, 115.7, 116.4))
    jobs, people = m.jobs(300), m.seekers(3000)
    res_plain = simulate(jobs, people, m.today, mode="plain", top=5)
    res_cap = simulate(jobs, people, m.today, mode="capacity", top=5)
    assert res_cap["placed"] > res_plain["placed"]


def test_single_queries_equal_the_exhaustive_scan_after_updates():
    """The pruned single-seeker search (cached layout and boxes) equals the exhaustive scan, also after
    jobs are added, replaced and removed between queries."""
    import numpy as np

    from hongniang.matching.single import _recommend_one

    m = Market(seed=5)
    jobs = m.jobs(3000)
    idx = JobIndex(jobs[:2000])
    people = m.seekers(60, prefix="q")

    def check():
        for s in people:
            for cap in (True, False):
                a = _recommend_one(s, idx, 20, m.today, cap)
                b = _recommend_one(s, idx, 20, m.today, cap, prune=False)
                assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True)), s

    check()
    for j in jobs[2000:]:
        idx.upsert(j)
    for j in jobs[:300]:
        idx.remove(j.job_id)
    check()
    for j in jobs[300:600]:
        idx.upsert(j)
    check()


def test_far_work_is_at_most_far_max_items_at_the_end():
    """A person with one job in their trade and eight others within reach: the capacity-aware list shows the trade's
    job, then only the three best of the others (far_max), on every path; the plain list keeps them all."""
    import dataclasses

    from hongniang.matching import MatchConfig

    close = job("sew", km=8, wage_min=3000, wage_max=3200)
    others = [job(f"o{k}", km=1 + k, occupation_code="4-09-08-01", wage_min=6000, wage_max=7000) for k in range(8)]
    s = seeker()
    idx = JobIndex([close, *others])
    got = recommend_jobs(s, idx, top=10, today=TODAY)
    assert ids(got) == ["sew", "o0", "o1", "o2"]  # the others ranked by score: nearest first
    assert all("其他可以考虑的工作" in m.reasons for m in got[1:])
    batch = dict(batch_recommend([s], idx, top=10, today=TODAY, estimate=False))
    assert ids(batch["p"]) == ids(got)
    assert len(recommend_jobs(s, idx, top=10, capacity_aware=False, today=TODAY)) == 9
    unlimited = JobIndex([close, *others], config=dataclasses.replace(MatchConfig(), far_max=None))
    assert len(recommend_jobs(s, unlimited, top=10, today=TODAY)) == 9
    # a person who named no occupation has no far work: every job is theirs to consider
    assert len(recommend_jobs(seeker(occupations=()), idx, top=10, today=TODAY)) == 9
