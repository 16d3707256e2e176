"""Events fixtures: an event organised by point A (today, and tomorrow), booths of the persona enterprises."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from hongniang.events import services
from hongniang.events.models import EventKind
from hongniang.testing import factories as f


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_event(actor, point, *, starts_in=dt.timedelta(days=1), hours=4, kind=EventKind.FAIR_OFFLINE,
               capacity=100, **kw):
    start = timezone.now() + starts_in
    return services.event_create(actor=actor, kind=kind, title=kw.pop("title", "象湖镇春风行动招聘会"),
                                 starts_at=start, ends_at=start + dt.timedelta(hours=hours), capacity=capacity,
                                 organiser_point=point, service_point=point if kind != EventKind.PARK_VISIT else None,
                                 venue=kw.pop("venue", "象湖镇文化广场"), booth_columns=4, publish=True, **kw)


@pytest.fixture
def event(staff_a, point_a):
    """Tomorrow, organised by point A."""
    return make_event(staff_a, point_a)


@pytest.fixture
def today_event(staff_a, point_a):
    """On now (started an hour ago), organised by point A."""
    return make_event(staff_a, point_a, starts_in=-dt.timedelta(hours=1), hours=4, title="今天的招聘会")


@pytest.fixture
def other_posting(other_enterprise, occupations):
    return f.JobPostingFactory(enterprise=other_enterprise, title="电子装配工", occupation=occupations["6-25-04-01"])


def approved_booth(event, hr, enterprise, postings, organiser):
    booth = services.booth_request(actor=hr, event=event, enterprise=enterprise, postings=postings)
    return services.booth_act(actor=organiser, booth=booth, action="approve")


@pytest.fixture
def booth(today_event, hr, enterprise, posting, staff_a):
    return approved_booth(today_event, hr, enterprise, [posting], staff_a)


@pytest.fixture
def checked_in(today_event, seeker, staff_a):
    reg = services.registration_create(actor=seeker.user, event=today_event, seeker=seeker)
    return services.registration_check_in(actor=staff_a, event=today_event, code=reg.code)
