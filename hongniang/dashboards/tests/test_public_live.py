"""The public figures' gig orders are current: the month's stored days plus the orders posted since the last day
the nightly run wrote, counted live, without running the nightly command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from hongniang.dashboards import public
from hongniang.dashboards.models import FactDay
from hongniang.gigs.models import GigEmployer, GigOrder

from .conftest import at, run

JIUBAO = "360781103000"


@pytest.fixture
def employer(regions):
    return GigEmployer.objects.create(name="九堡搬家队", phone="13911110020", region=regions["v_jiubao"])


def post_orders(employer, n: int, posted: dt.datetime | None = None) -> None:
    for _ in range(n):
        o = GigOrder.objects.create(employer=employer, work_type="moving", title="搬运", date=dt.date(2026, 12, 20),
                                    start_time=dt.time(8), end_time=dt.time(17), region=employer.region,
                                    township=employer.region.parent, address="九堡村", pay_type="day", pay_rate=200,
                                    total_per_worker=200, headcount=1, status="open")
        if posted:
            GigOrder.objects.filter(pk=o.pk).update(created_at=posted)


def gig_figures(page_or_api: dict) -> tuple:
    town = next(t for t in page_or_api["townships"] if t["code"] == JIUBAO)
    return page_or_api["county"][public.GIG], town[public.GIG]


def test_a_gig_order_posted_today_shows_without_the_nightly_run(client, aggregated, employer):
    last = FactDay.objects.order_by("-day").values_list("day", flat=True).first()
    before = client.get("/api/v1/stats/public").json()
    assert gig_figures(before) == (0, 0)
    post_orders(employer, 12)  # posted now: no nightly run has counted them
    page = client.get("/figures/")
    assert gig_figures(page.context["data"]) == (10, 10)  # 12, rounded to 5
    api = client.get("/api/v1/stats/public").json()
    assert gig_figures(api) == (10, 10)
    assert api["as_of"] == "2026-10-31" and api["gig_month"] == f"{timezone.localdate():%Y-%m}"
    now = timezone.localtime()
    assert api["gig_as_of"][:10] == f"{now:%Y-%m-%d}"
    assert f"截至 {api['gig_as_of'][:10]} {api['gig_as_of'][11:16]}" in page.content.decode()
    assert "max-age=60" in page["Cache-Control"] and "max-age=60" in client.get("/api/v1/stats/public")["Cache-Control"]
    assert FactDay.objects.order_by("-day").values_list("day", flat=True).first() == last  # nothing aggregated


def test_the_stored_days_and_the_live_ones_add_up_once(aggregated, employer):
    post_orders(employer, 4, at("2026-10-31", 20))  # last month: not this month's
    post_orders(employer, 6, at("2026-11-01", 9))  # stored by the run below
    run("2026-11-01", "2026-11-01", today=dt.date(2026, 11, 2))
    post_orders(employer, 5, at("2026-11-02", 8))  # after the last stored day: counted live
    assert public.gig_orders(dt.date(2026, 11, 2)) == {JIUBAO: 11}
    # on the 1st, the stored days (all of last month) do not count; today's orders do
    assert public.gig_orders(dt.date(2026, 12, 1)) == {}
    data = public.current_gigs(public.stored_figures(), timezone.make_aware(dt.datetime(2026, 11, 2, 15, 7)))
    assert gig_figures(data) == (10, 10) and data["gig_as_of"] == "2026-11-02T15:07+08:00"
    assert data["gig_month"] == "2026-11" and data["as_of"] == "2026-11-01"


def test_with_the_page_cache_on_a_new_order_shows_at_once(client, aggregated, employer, settings):
    settings.PAGE_CACHE_SECONDS = 30
    caches["fragments"].clear()
    caches["pages"].clear()
    assert gig_figures(client.get("/api/v1/stats/public").json()) == (0, 0)
    client.get("/figures/")
    assert client.get("/figures/")["X-Page-Cache"] == "hit"
    post_orders(employer, 10)  # bumps the page cache's generation
    page = client.get("/figures/")
    assert page["X-Page-Cache"] == "miss"
    assert gig_figures(public.public_figures()) == (10, 10)
    assert gig_figures(client.get("/api/v1/stats/public").json()) == (10, 10)
    caches["fragments"].clear()
    caches["pages"].clear()
