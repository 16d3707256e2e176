"""Fitting a county's calibration from outcomes: what counts as an example."""

import datetime as dt

from hongniang.matching.learn import Event, fit_calibration

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
    cal = fit_calibration(events, people, jobs, min_examples=50)
    assert cal.examples["seeker_side"] == 120  # 60 applications + 60 judged no's; 600 unread items are not examples
    assert cal.weights["w_distance"] > 0.5 * cal.weights["w_occupation"]  # nearness is what told them apart
