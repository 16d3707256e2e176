"""A village's township is its parent in the region tree, not its code's first digits: 叶坪镇 (360781107000) was
叶坪乡, and its villages kept codes 360781200xxx. Its people must count in 叶坪镇's figures everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from hongniang.applications.models import Application
from hongniang.dashboards import aggregate, drill, figures, public
from hongniang.dashboards.models import Fact, FactDay, Grain, HireRecord, Period
from hongniang.geo.models import Region, RegionKind
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

from .conftest import at, backdate, event, run

YEPING = "360781107000"
STALE = "360781200000"  # what the code-prefix rule made of 叶坪镇's villages: no township
OCT = dt.date(2026, 10, 1)


@pytest.fixture
def yeping(county, regions):
    town = Region.objects.create(code=YEPING, name="叶坪镇", kind=RegionKind.TOWNSHIP, parent=regions["county"])
    village = Region.objects.create(code="360781200201", name="新院村民委员会", kind=RegionKind.VILLAGE, parent=town)
    s = f.SeekerFactory(name="钟春梅", phone="13911110009", service_point=county.point_a, home_region=village)
    backdate(Seeker, s.pk, created_at=at("2026-09-20"))
    a = Application.objects.create(seeker=s, posting=county.posting, status="hired", channel="staff",
                                   start_date=dt.date(2026, 10, 8))
    event(a, "", "applied", "2026-10-01")
    event(a, "applied", "hired", "2026-10-06")
    backdate(Application, a.pk, created_at=at("2026-10-01"))
    return town


def yeping_scope(start=OCT, end=dt.date(2026, 10, 31)):
    return figures.Scope(start, end, (YEPING,), None, "叶坪镇", YEPING)


def test_a_villages_people_count_in_its_township_whatever_its_code(yeping, bureau):
    run()
    fig = {x.key: x for x in figures.headline(yeping_scope())}
    assert fig["seekers_total"].value == 1 and fig["seekers_active"].value == 1
    assert fig["hires"].value == 1
    assert HireRecord.objects.get(person_id__isnull=False, township=YEPING)
    assert not Fact.objects.filter(township=STALE).exists()
    # the county's township table and the public figures show 叶坪镇's hire (1..9 is shown as "少于 10")
    by_town = figures.sums(figures.Scope(OCT, dt.date(2026, 10, 31)), ("seekers_active",), by="township")
    assert by_town["seekers_active"][YEPING][0] == 1
    town = next(t for t in public.compute()["townships"] if t["code"] == YEPING)
    assert town["hires_this_month"] is None  # suppressed, not 0
    # the drill-down list of 叶坪镇's seekers has her
    names = [s.name for s in drill.queryset("seekers", yeping_scope(), bureau)]
    assert names == ["钟春梅"]


def test_gig_orders_count_in_their_villages_township_by_the_day_they_were_posted(yeping):
    from hongniang.gigs.models import GigEmployer, GigOrder

    village = Region.objects.get(code="360781200201")
    employer = GigEmployer.objects.create(name="叶坪红色景区", phone="13911110010", region=village)
    for posted in ("2026-10-10", "2026-10-12"):
        o = GigOrder.objects.create(employer=employer, work_type="moving", title="搬运", date=dt.date(2026, 11, 3),
                                    start_time=dt.time(8), end_time=dt.time(17), region=village, township=yeping,
                                    address="新院村", pay_type="day", pay_rate=200, total_per_worker=200, headcount=2,
                                    status="open")
        GigOrder.objects.filter(pk=o.pk).update(created_at=at(posted))
    run()
    by_town = figures.sums(figures.Scope(OCT, dt.date(2026, 10, 31)), ("gig_orders",), by="township")
    assert by_town["gig_orders"] == {YEPING: (2, 0)}
    assert public.FIELDS["gig_orders_this_month"] == "本月新发布零工订单"  # counted by the day posted, not worked


def test_the_nightly_run_moves_what_an_earlier_run_put_under_no_township(yeping, monkeypatch):
    run()
    point = Seeker.objects.get(name="钟春梅").service_point_id
    # as the code-prefix rule wrote them: her hire and her stock cells under 360781200000
    HireRecord.objects.filter(township=YEPING).update(township=STALE)
    day = dt.date(2026, 10, 31)
    Fact.objects.filter(township=YEPING, day=day, metric="seekers_active").update(township=STALE)
    Fact.objects.create(period=Period.DAY, day=day, metric="seekers_active", grain=Grain.AREA, township=YEPING,
                        point_id=point, key="", value=2, verified=0)  # the same cell under 叶坪镇: summed
    stamp = figures.stamp()
    # every day up to yesterday is written: the command still moves them, and recomputes the figures
    monkeypatch.setattr(aggregate, "pending_days", lambda today: [])
    call_command("aggregate_stats", "--wet-run", stdout=open("/dev/null", "w"))
    assert not HireRecord.objects.filter(township=STALE).exists()
    assert not Fact.objects.filter(township=STALE).exists()
    assert figures.stamp() != stamp  # a new stamp: the cached figure sets are not read again
    fig = {x.key: x for x in figures.headline(yeping_scope())}
    assert fig["hires"].value == 1
    assert fig["seekers_active"].value == 3
    assert FactDay.objects.count() == 92
