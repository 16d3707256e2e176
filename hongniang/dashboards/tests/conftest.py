"""A hand-counted county for the figures (September 2026, with August and October around it):

  enterprise E (verified, created 2026-08-01, 象湖镇); posting P (缝纫工, 5 positions, 象湖镇, published 09-01)
  seekers: s1 (point A / 象湖, registered by staff, 08-10), s2 (point A, online, 09-05),
           s3 (point B / 九堡, registered by staff, 09-06)
  a1: s1 -> P  applied 09-02 (staff), interview 09-04, hired 09-10 (start 09-12), start confirmed 09-13
  a2: s2 -> P  applied 09-03 (self), offered 09-08, withdrawn 09-09          -> never a hire
  a3: s3 -> P  applied 08-30 (self), hired 10-02 (start 10-05)               -> an October hire

September: 2 applications, 1 interview, 1 hire (verified), 2 new seekers (1 in person), 1 posting (5 positions)
published, fill rate 1/5, time to fill 9 days. Facts are written for 2026-08-01 .. 2026-10-31 "on" 11-01."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.dashboards import aggregate
from hongniang.employers.models import Enterprise
from hongniang.jobs.models import JobPosting
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

TODAY = dt.date(2026, 11, 1)
SEPT = dt.date(2026, 9, 1)


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def event(app, frm: str, to: str, day: str, reason: str = ""):
    e = ApplicationEvent.objects.create(application=app, from_status=frm, to_status=to, reason=reason)
    ApplicationEvent.objects.filter(pk=e.pk).update(at=at(day))
    return e


def backdate(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def run(days_from="2026-08-01", days_to="2026-10-31", today=TODAY):
    return aggregate.aggregate(aggregate.days_between(dt.date.fromisoformat(days_from),
                                                      dt.date.fromisoformat(days_to)), today=today)


@pytest.fixture
def county(regions, occupations, point_a, point_b, staff_a, staff_b, enterprise):
    backdate(Enterprise, enterprise.pk, created_at=at("2026-08-01"))
    p = f.JobPostingFactory(enterprise=enterprise, headcount=5, published_at=at("2026-09-01", 9))
    s1 = f.SeekerFactory(name="张秀英", phone="13911110001", service_point=point_a, registered_by=staff_a)
    s2 = f.SeekerFactory(name="王建国", phone="13911110002", service_point=point_a)
    s3 = f.SeekerFactory(name="李春花", phone="13911110003", service_point=point_b, registered_by=staff_b,
                         home_region=regions["v_jiubao"])
    backdate(Seeker, s1.pk, created_at=at("2026-08-10"))
    backdate(Seeker, s2.pk, created_at=at("2026-09-05"))
    backdate(Seeker, s3.pk, created_at=at("2026-09-06"))
    a1 = Application.objects.create(seeker=s1, posting=p, status="hired", channel="staff",
                                    start_date=dt.date(2026, 9, 12), actual_start_date=dt.date(2026, 9, 12),
                                    start_confirmed_at=at("2026-09-13"))
    event(a1, "", "applied", "2026-09-02")
    event(a1, "applied", "interview", "2026-09-04")
    event(a1, "interview", "hired", "2026-09-10")
    event(a1, "hired", "hired", "2026-09-13", "确认实际上岗 2026-09-12")
    a2 = Application.objects.create(seeker=s2, posting=p, status="withdrawn", channel="self")
    event(a2, "", "applied", "2026-09-03")
    event(a2, "applied", "offered", "2026-09-08")
    event(a2, "offered", "withdrawn", "2026-09-09")
    a3 = Application.objects.create(seeker=s3, posting=p, status="hired", channel="self",
                                    start_date=dt.date(2026, 10, 5))
    event(a3, "", "applied", "2026-08-30")
    event(a3, "applied", "hired", "2026-10-02")
    for a, day in ((a1, "2026-09-02"), (a2, "2026-09-03"), (a3, "2026-08-30")):
        backdate(Application, a.pk, created_at=at(day))
    return SimpleNamespace(posting=p, s1=s1, s2=s2, s3=s3, a1=a1, a2=a2, a3=a3, enterprise=enterprise,
                           point_a=point_a, point_b=point_b, staff_a=staff_a, staff_b=staff_b)


@pytest.fixture
def aggregated(county):
    run()
    return county


_ = JobPosting
