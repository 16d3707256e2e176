"""Fitting a county's calibration from outcomes: what counts as an example."""

import datetime as dt

from hongniang.matching import Match, MatchConfig
from hongniang.matching.learn import (
    EMPLOYER_PARTS,
    HISTORY_OPENED,
    SEEKER_PARTS,
    CoApplications,
    Event,
    fit_calibration,
    history_of,
    rerank,
)

from .test_rules_golden import TODAY, job, seeker


def test_only_judged_items_are_the_persons_no():
    """A recommended job the person never opened (shown below where they stopped reading) is not a "no"; one they
    opened and left, or told staff 不感兴趣 about, is. Distance then keeps its weight: people applied to near jobs and
    turned down far ones they looked at, while the unread end of their lists (all near) says nothing."""
    day = TODAY - dt.timedelta(days=3)
    jobs = {f"j{k}": job(f"j{k}", km=1 + k) for k in range(12)}
    people = {f"p{i}": seeker(seeker_id=f"p{i}", max_commute_km=20.0) for i in range(60)}
    events = []
    for i, sid in enumerate(people):
        for k in range(12):
            events.append(Event(sid, f"j{k}", "shown", day))
        near, far = f"j{i % 3}", f"j{9 + i % 3}"
        events += [Event(sid, near, "viewed", day), Event(sid, near, "applied", day),
                   Event(sid, far, "viewed", day) if i % 2 else Event(sid, far, "not_interested", day)]
    cal = fit_calibration(events, people, jobs, min_examples=50, prior_examples=0)  # the fit alone, unshrunk
    assert cal.examples["seeker_side"] == 120  # 60 applications + 60 judged no's; 600 unread items are not examples
    assert cal.weights["w_distance"] > 0.5 * cal.weights["w_occupation"]  # nearness is what told them apart


def _near_over_far(people_count):
    """Each person opened a near job and a far one of the same trade and pay, and applied only to the near one."""
    day = TODAY - dt.timedelta(days=3)
    jobs = {f"j{k}": job(f"j{k}", km=1 + k) for k in range(12)}
    people = {f"p{i}": seeker(seeker_id=f"p{i}", max_commute_km=20.0) for i in range(people_count)}
    events = []
    for i, sid in enumerate(people):
        near, far = f"j{i % 3}", f"j{9 + i % 3}"
        events += [Event(sid, near, "viewed", day), Event(sid, near, "applied", day), Event(sid, far, "viewed", day)]
    return events, people, jobs


def test_shrinkage_keeps_a_thin_calibration_near_the_hand_set_weights_and_follows_plenty_of_data():
    """A county with 120 examples whose outcomes all say "only distance matters": fitted alone (as before
    2026-12-06), distance would take 91 % of the person's side and occupation and pay the 2 % floor — its lists
    would turn on 120 people's choices. Shrunk (the hand-set weights count as 8,000 examples) it keeps weights within
    1.5 % of the way from the hand-set ones to that fit. With 40,000 such examples it gets 83 % of what its data
    says. Either way each side keeps the hand-set total; a side without examples keeps the hand-set weights."""
    hand = MatchConfig()
    alone = fit_calibration(*_near_over_far(60), min_examples=50, prior_examples=0)
    assert alone.examples["seeker_side"] == 120
    assert alone.weights["w_distance"] > 0.85 and alone.weights["w_occupation"] < 0.05
    thin = fit_calibration(*_near_over_far(60), min_examples=50)
    for m in SEEKER_PARTS:  # 120 / 8,120 of the way from the hand-set weight to the fit
        assert abs(thin.weights[m] - getattr(hand, m)) <= 0.015 * abs(alone.weights[m] - getattr(hand, m)) + 1e-3
    assert thin.weights["w_distance"] > hand.w_distance  # still moved the way the data points
    rich = fit_calibration(*_near_over_far(20000), min_examples=50)
    assert rich.examples["seeker_side"] == 40000
    assert rich.weights["w_distance"] > 0.78 and rich.weights["w_occupation"] < 0.08  # 5/6 of the way to the fit
    for cal in (thin, rich):
        assert abs(sum(cal.weights[m] for m in SEEKER_PARTS) - sum(getattr(hand, m) for m in SEEKER_PARTS)) < 1e-3
        assert all(cal.weights[m] == getattr(hand, m) for m in EMPLOYER_PARTS)


def _lists_and_search(search_views: bool = False):
    """The platform's recording: each person was recommended three jobs of their trade and opened all three — a
    near one (2 km) they applied to, a farther one (12 km, within their 20 km reach) and a near one paying less
    that they left — and applied to one more job found by search 30 km away (beyond their reach; the platform
    records the application, not the search results looked at and left, unless ``search_views``)."""
    day = TODAY - dt.timedelta(days=3)
    jobs = {"A": job("A", km=2), "D": job("D", km=12), "E": job("E", km=2, wage_min=3600, wage_max=4000)}
    jobs.update({f"S{k}": job(f"S{k}", km=30 + k) for k in range(4)})
    jobs.update({f"T{k}": job(f"T{k}", km=40 + k, wage_min=3600, wage_max=4000) for k in range(4)})
    people = {f"p{i}": seeker(seeker_id=f"p{i}", max_commute_km=20.0) for i in range(100)}
    events = []
    for i, sid in enumerate(people):
        for j in "ADE":
            events += [Event(sid, j, "shown", day), Event(sid, j, "viewed", day)]
        events += [Event(sid, "A", "applied", day), Event(sid, f"S{i % 4}", "applied", day)]
        if search_views:  # a search result opened and left (far and paying less)
            events += [Event(sid, f"S{i % 4}", "viewed", day), Event(sid, f"T{i % 4}", "viewed", day)]
    return events, people, jobs


def test_applications_found_elsewhere_do_not_teach_that_nearness_puts_people_off():
    """Fitted on every application against every judged no (``correction="none"``, as before 2026-12-06), the far
    applications found by search (no recorded no's from that search) face the recommended lists' no's (all within
    reach): the distance coefficient comes out *negative* and distance gets the 2 % floor, although within what
    each person was shown they chose the near job over the farther one of the same pay. Compared within each
    channel (the default), distance is what it is: about as strong as pay; the search applications without no's
    are no examples (a channel of yes only says nothing about why). Search results with recorded no's count, as a
    channel of their own."""
    events, people, jobs = _lists_and_search()
    pooled = fit_calibration(events, people, jobs, min_examples=50, prior_examples=0, correction="none")
    assert pooled.examples["seeker_side"] == 400
    assert pooled.coefficients["seeker_side"][3] < 0  # distance (after the intercept, occupation, pay)
    assert pooled.weights["w_distance"] < 0.02 and pooled.weights["w_pay"] > 0.85
    within = fit_calibration(events, people, jobs, min_examples=50, prior_examples=0)
    assert within.examples["seeker_side"] == 300  # the 300 list items; the 100 search applications left out
    assert within.examples["seeker_side_by_channel"]["other"] == {"yes": 100, "no": 0}
    assert within.weights["w_distance"] > 0.35 and within.weights["w_pay"] > 0.35
    shrunk = (fit_calibration(events, people, jobs, min_examples=50, correction=c) for c in ("none", "exposure"))
    assert next(shrunk).weights["w_distance"] < MatchConfig().w_distance < next(shrunk).weights["w_distance"]
    searched = fit_calibration(*_lists_and_search(search_views=True), min_examples=50, prior_examples=0)
    assert searched.examples["seeker_side"] == 500  # the search channel now has its no's: 100 yes, 100 no
    assert searched.weights["w_distance"] > 0.3


def _full_postings_looked_at():
    """Each person's list: two day-shift postings with social insurance whose places were all taken when they
    looked (opened, left: ``full``), a two-shift posting with board they applied to and a three-shift one without
    benefits they opened and left while it was open."""
    day = TODAY - dt.timedelta(days=3)
    jobs = {"F1": job("F1", benefits=frozenset({"social_insurance"})), "F2": job("F2", benefits=frozenset({"social_insurance"})),
            "Y": job("Y", shift="two_shift", benefits=frozenset({"board"})), "N": job("N", shift="three_shift")}
    people = {f"p{i}": seeker(seeker_id=f"p{i}") for i in range(100)}
    events = []
    for sid in people:
        events += [Event(sid, j, k, day) for j in jobs for k in ("shown", "viewed")]
        events += [Event(sid, "F1", "full", day), Event(sid, "F2", "full", day), Event(sid, "Y", "applied", day)]
    return events, people, jobs


def test_a_no_at_a_full_posting_does_not_teach_that_people_dislike_its_features():
    """Half the lists' no's are looks at postings whose places were all taken (in the market simulation 8,339 of
    13,484): not applying there says nothing about the person's taste, but counted as a no it teaches that a day
    shift puts people off (shift's coefficient negative, its weight at the floor).
    ``correction="exposure+open"`` leaves those no's out: within what the person could have had, they chose the
    better shift and the benefits."""
    events, people, jobs = _full_postings_looked_at()
    within = fit_calibration(events, people, jobs, min_examples=50, prior_examples=0)  # "exposure"
    assert within.examples["seeker_side"] == 400
    assert within.coefficients["seeker_side"][4] < 0  # shift (after the intercept, occupation, pay, distance)
    assert within.weights["w_shift"] < 0.03
    open_ = fit_calibration(events, people, jobs, min_examples=50, prior_examples=0, correction="exposure+open")
    assert open_.examples["seeker_side"] == 200 and open_.examples["seeker_side_no_at_full_left_out"] == 200
    assert open_.coefficients["seeker_side"][4] > 0 and open_.coefficients["seeker_side"][5] > 0  # shift, benefits
    assert open_.weights["w_shift"] > 0.3 and open_.weights["w_benefits"] > 0.3


# --------------------------------------------------------------------------- "people who applied to this also applied to"

def _m(jid, score=0.5):
    return Match(job_id=jid, seeker_id="p", score=score, reasons="")


EMPLOYER_OCC = {  # posting -> (employer, occupation code); a1/b1 closed, a2/b2/c2 new
    "a1": ("A", "6-05-01-03"), "a2": ("A", "6-05-01-03"),
    "b1": ("B", "6-31-05-00"), "b2": ("B", "6-31-05-00"), "c2": ("C", "6-31-05-00"),
}


def test_co_applications_by_employer_and_occupation_carry_over_to_new_postings():
    """People who applied to A's 缝纫工 posting also applied to B's 普工 posting; both have closed. A person who
    applied to A's 缝纫工 now sees B's new 普工 posting above C's otherwise-equal one. Keyed by the posting (the old
    key) nothing carries over: the new postings have no applicants yet."""
    day = TODAY - dt.timedelta(days=40)
    events = []
    for i in range(5):
        events += [Event(f"q{i}", "a1", "applied", day), Event(f"q{i}", "b1", "applied", day)]
    events.append(Event("q9", "c2", "viewed", day))
    history = ["a1"]
    lst = [_m("c2", 0.50), _m("b2", 0.49)]
    by_posting = CoApplications(events)
    assert [m.job_id for m in rerank(lst, history, by_posting, top=2)] == ["c2", "b2"]
    co = CoApplications(events, EMPLOYER_OCC.get)
    assert co.affinity(history, "b2") == 1.0 and co.affinity(history, "c2") == 0.0
    assert [m.job_id for m in rerank(lst, history, co, top=2)] == ["b2", "c2"]
    # the occupation alone: people who applied to 缝纫工 also applied to 普工 — both 普工 postings alike
    occ = CoApplications(events, lambda j: EMPLOYER_OCC[j][1])
    assert occ.affinity(history, "b2") == occ.affinity(history, "c2") == 1.0
    assert [m.job_id for m in rerank(lst, history, occ, top=2)] == ["c2", "b2"]


def test_a_new_posting_of_an_employer_and_occupation_applied_to_before_moves_up():
    """A person applied to two of A's 缝纫工 postings; A posts a third. It moves above an otherwise-equal posting of
    the same occupation at another employer; a posting is never evidence for itself (a person whose only history
    is the posting shown gets no lift from it)."""
    day = TODAY - dt.timedelta(days=30)
    keys = dict(EMPLOYER_OCC, a3=("A", "6-05-01-03"), x3=("X", "6-05-01-03"))
    events = [Event("p", "a1", "applied", day), Event("p", "a2", "rejected", day), Event("r", "a3", "applied", day)]
    co = CoApplications(events, keys.get)
    lst = [_m("x3", 0.50), _m("a3", 0.48)]
    assert [m.job_id for m in rerank(lst, ["a1", "a2"], co, top=2)] == ["a3", "x3"]
    assert co.affinity(["a3"], "a3") == 0.0


def test_rerank_only_reorders_and_keeps_top():
    """Re-ranking never adds a posting that was not in the engine's list, and keeps ``top`` of them; without a
    history (or without a table) the list is the engine's."""
    day = TODAY - dt.timedelta(days=30)
    events = [Event("q", "a1", "applied", day), Event("q", "zz", "applied", day)]
    co = CoApplications(events)
    lst = [_m("x", 0.9), _m("y", 0.8), _m("z", 0.7)]
    got = rerank(lst, ["a1"], co, top=2)
    assert [m.job_id for m in got] == ["x", "y"]
    assert rerank(lst, [], co, top=2) == lst[:2] and rerank(lst, ["a1"], None, top=3) == lst
    assert history_of(events + [Event("q", "a1", "viewed", day)], HISTORY_OPENED) == {"q": ["a1", "zz"]}
