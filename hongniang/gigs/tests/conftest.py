"""Gig-market fixtures: an enterprise gig employer, an individual employer, workers near and far,
an open order for tomorrow, and helpers to move time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from hongniang.gigs import services
from hongniang.gigs.models import GigAvailability, GigWorker
from hongniang.notifications.phone_codes import phone_code_send
from hongniang.testing import factories as f


@pytest.fixture
def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def gig_employer(enterprise, hr):
    return services.employer_for_enterprise(enterprise=enterprise)


@pytest.fixture
def individual_user(db):
    return f.UserFactory(username="13800000009", phone="13800000009", display_name="王大伯")


@pytest.fixture
def individual_employer(individual_user):
    code = phone_code_send(phone="13800000009", purpose=services.EMPLOYER_CODE_PURPOSE)
    return services.individual_employer_register(actor=individual_user, name="王大伯", phone="13800000009",
                                                 code=code)


@pytest.fixture
def other_gig_employer(other_enterprise, other_hr):
    return services.employer_for_enterprise(enterprise=other_enterprise)


def make_worker(username: str, phone: str, name: str, region, work_types=("moving",), free=()):
    user = f.UserFactory(username=username, phone=phone, display_name=name)
    w = GigWorker.objects.create(user=user, name=name, phone=phone, work_types=list(work_types),
                                 home_region=region, lat=region.lat, lon=region.lon)
    for d in free:
        GigAvailability.objects.create(worker=w, date=d)
    return w


@pytest.fixture
def worker(regions, tomorrow):
    return make_worker("w1", "13700000001", "张三", regions["v_xianghu"], free=[tomorrow])


@pytest.fixture
def worker_user(worker):
    return worker.user


@pytest.fixture
def worker2(regions, tomorrow):
    return make_worker("w2", "13700000002", "李四", regions["v_jiubao"], free=[tomorrow])


def order_kwargs(regions, date, **over):
    kw = dict(work_type="moving", date=date, start_time=dt.time(8, 0), end_time=dt.time(17, 0),
              region=regions["v_xianghu"], address="沙洲坝村村口仓库", pay_type="day", pay_rate=Decimal("200"),
              headcount=2, meals_provided=True)
    kw.update(over)
    return kw


@pytest.fixture
def order(hr, gig_employer, regions, tomorrow):
    return services.order_create(actor=hr, employer=gig_employer, **order_kwargs(regions, tomorrow))


@pytest.fixture
def make_order(hr, gig_employer, regions, tomorrow):
    def _make(**over):
        return services.order_create(actor=hr, employer=gig_employer, **order_kwargs(regions, over.pop("date", tomorrow), **over))

    return _make


class Clock:
    """Move `timezone.now` for the services (and the whole process) in a test."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.now = timezone.now()

    def set(self, when: dt.datetime):
        self.now = when
        self.monkeypatch.setattr(timezone, "now", lambda: self.now)

    def at(self, date: dt.date, h: int, m: int = 0):
        self.set(timezone.make_aware(dt.datetime.combine(date, dt.time(h, m))))

    def advance(self, **kw):
        self.set(self.now + dt.timedelta(**kw))


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def confirmed(order, worker, hr):
    a = services.signup(actor=worker.user, order=order)
    return services.confirm(actor=hr, assignment=a)


@pytest.fixture
def checked_out(confirmed, hr, clock, tomorrow):
    clock.at(tomorrow, 7, 50)
    services.check_in(actor=hr, assignment=confirmed)
    clock.at(tomorrow, 17, 5)
    return services.check_out(actor=hr, assignment=confirmed)
