"""An event's funnel, per event and per enterprise, and events side by side: the events app counts invited →
registered → checked in → intentions → applied within 30 days → hired within 90 days from its own and the
pipeline's records; the last step, still working 30 days after the start, comes from the follow-up calls
(outreach). Everything is counted from records, nothing is typed in."""

from __future__ import annotations

from hongniang.events import selectors as events
from hongniang.outreach.models import FollowUp, FollowUpStatus

BOTH_TARGET = 0.90  # both-side confirmation for at least 90 % of intentions
KNOWN_TARGET = 0.80  # the 30-day status known for at least 80 % of intentions within 45 days


def _still_working(application_ids: list[int]) -> int:
    if not application_ids:
        return 0
    return (FollowUp.objects.filter(application_id__in=application_ids, day=30, status=FollowUpStatus.DONE,
                                    still_working=True).values("seeker_id").distinct().count())


def event_funnel(event, *, now=None):
    funnel = events.event_funnel(event, now=now)
    funnel.working_30 = _still_working(funnel.hired_application_ids)
    return funnel


def enterprise_funnels(event, *, now=None):
    rows = events.enterprise_funnels(event, now=now)
    for _, funnel in rows:
        funnel.working_30 = _still_working(funnel.hired_application_ids)
    return rows


def compare(event_list, *, now=None):
    return [(e, event_funnel(e, now=now)) for e in event_list]


def totals(rows) -> dict:
    """Both-side confirmation and 30-day status known within 45 days over several events (the demo's targets)."""
    both = sum(f.intentions for _, f in rows)
    all_ = sum(f.intentions_all for _, f in rows)
    due = sum(f.outcome_due for _, f in rows)
    known = sum(f.outcome_known for _, f in rows)
    both_rate = both / all_ if all_ else None
    known_rate = known / due if due else None
    return {"intentions": both, "intentions_all": all_, "both_rate": both_rate,
            "outcome_due": due, "outcome_known": known, "known_rate": known_rate,
            "both_met": both_rate is not None and both_rate >= BOTH_TARGET,
            "known_met": known_rate is not None and known_rate >= KNOWN_TARGET}
