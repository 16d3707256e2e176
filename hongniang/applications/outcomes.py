"""Applications as outcome events for the recommend app (the placement dashboard and learning): applied, the
employer's yes (offered or hired) and no (rejected). Registered in ApplicationsConfig.ready()."""

from __future__ import annotations

from hongniang.recommend.outcomes import Outcome

from .models import Application, ApplicationStatus

_YES = (ApplicationStatus.OFFERED, ApplicationStatus.HIRED)


def extract(since=None):
    qs = Application.objects.all()
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    for sid, pid, status, created, updated in qs.values_list("seeker_id", "posting_id", "status", "created_at",
                                                             "updated_at").iterator(chunk_size=5000):
        yield Outcome(sid, pid, "applied", created)
        if status in _YES:
            yield Outcome(sid, pid, "hired", updated)
        elif status == ApplicationStatus.REJECTED:
            yield Outcome(sid, pid, "rejected", updated)
