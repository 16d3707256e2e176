"""Staff work as outcome events for the recommend app (learning): a call answered "不感兴趣", and follow-ups
after a hire (still working or not). Registered in OutreachConfig.ready()."""

from __future__ import annotations

from hongniang.recommend.outcomes import Outcome

from .models import CallLog, CallOutcome, FollowUp


def extract(since=None):
    calls = CallLog.objects.filter(outcome=CallOutcome.NOT_INTERESTED)
    follow = FollowUp.objects.filter(still_working__isnull=False, done_at__isnull=False)
    if since is not None:
        calls = calls.filter(at__gte=since)
        follow = follow.filter(done_at__gte=since)
    for sid, pid, at in calls.values_list("seeker_id", "posting_id", "at").iterator(chunk_size=5000):
        yield Outcome(sid, pid, "not_interested", at)
    for sid, pid, working, at in follow.values_list("seeker_id", "application__posting_id", "still_working",
                                                    "done_at").iterator(chunk_size=5000):
        yield Outcome(sid, pid, "retained" if working else "left", at)
