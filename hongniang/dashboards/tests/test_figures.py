"""The figures against the hand-counted county of conftest.py."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from hongniang.dashboards import aggregate, figures
from hongniang.dashboards.models import Fact, FactDay, Grain, HireRecord
from hongniang.dashboards.report import month_scope

from .conftest import SEPT, run


def fig(scope):
    return {f.key: f for f in figures.headline(scope)}


def test_september_figures_match_the_hand_count(aggregated):
    f = fig(month_scope(SEPT))
    assert f["applications"].value == 2
    assert f["applications"].verified == 1  # a1 was applied for by staff (witnessed)
    assert f["interviews"].value == 1
    assert f["hires"].value == 1 and f["hires"].verified == 1
    assert f["placed"].value == 1
    assert f["seekers_new"].value == 2 and f["seekers_new"].verified == 1
    assert f["postings_published"].value == 1 and f["positions_published"].value == 5
    assert f["fill_rate"].value == 0.2
    assert f["time_to_fill"].value == 9


def test_a_hire_counts_once_in_the_month_it_happened(aggregated):
    assert fig(month_scope(dt.date(2026, 8, 1)))["hires"].value == 0
    assert fig(month_scope(SEPT))["hires"].value == 1
    october = fig(month_scope(dt.date(2026, 10, 1)))
    assert october["hires"].value == 1  # a3; a1's later hired->hired confirmation is not a second hire
    assert october["hires"].verified == 0  # a3 never confirmed: employer's word only
    assert HireRecord.objects.count() == 2


def test_a_withdrawn_application_never_counts_as_a_hire(aggregated):
    assert not HireRecord.objects.filter(source="app", source_id=aggregated.a2.pk).exists()
    three_months = figures.Scope(dt.date(2026, 8, 1), dt.date(2026, 10, 31))
    assert fig(three_months)["hires"].value == 2


def test_stocks_are_read_at_the_periods_end(aggregated):
    f = fig(month_scope(SEPT))
    assert f["postings_open"].value == 1 and f["positions_open"].value == 5
    assert f["postings_open"].verified == 1  # E is verified
    assert f["seekers_total"].value == 3  # s1, s2, s3 registered by 09-30
    assert fig(month_scope(dt.date(2026, 8, 1)))["seekers_total"].value == 1
    assert fig(month_scope(dt.date(2026, 8, 1)))["postings_open"].value == 0  # published 09-01


def test_a_township_filter_counts_people_where_they_live(aggregated, regions):
    jiubao = figures.Scope(SEPT, dt.date(2026, 9, 30), ("360781103000",), None, "九堡镇", "360781103000")
    f = fig(jiubao)
    assert f["seekers_new"].value == 1  # s3
    assert f["applications"].value == 0  # a3 applied in August
    assert f["postings_open"].value == 0  # the posting is in 象湖镇


def test_staff_see_their_points_people_only(aggregated, staff_a, staff_b):
    a = figures.scope_for(staff_a, start=SEPT, end=dt.date(2026, 9, 30))
    b = figures.scope_for(staff_b, start=SEPT, end=dt.date(2026, 9, 30))
    assert fig(a)["applications"].value == 2 and fig(a)["hires"].value == 1
    assert fig(b)["applications"].value == 0 and fig(b)["hires"].value == 0
    assert fig(b)["seekers_new"].value == 1


def test_a_year_is_read_from_month_rows_and_edge_days(aggregated):
    """Whole months come from month rows, partial months from day rows: the same sums as day by day."""
    whole = fig(figures.Scope(dt.date(2026, 8, 15), dt.date(2026, 10, 10)))
    assert whole["applications"].value == 3  # a3 08-30, a1 09-02, a2 09-03
    assert Fact.objects.filter(period="m", metric="applications").exists()


def test_the_aggregation_is_idempotent(aggregated):
    before = sorted(Fact.objects.values_list("period", "day", "metric", "grain", "township", "point_id", "key",
                                             "value", "verified"))
    run()
    after = sorted(Fact.objects.values_list("period", "day", "metric", "grain", "township", "point_id", "key",
                                            "value", "verified"))
    assert before == after and HireRecord.objects.count() == 2
    assert FactDay.objects.count() == 92


def test_retention_counts_followups_due_in_the_period(aggregated):
    from hongniang.outreach.models import FollowUp

    from .conftest import at

    fu = FollowUp.objects.create(application=aggregated.a1, seeker=aggregated.s1, enterprise=aggregated.enterprise,
                                 service_point=aggregated.point_a, day=7, hired_on=dt.date(2026, 9, 12),
                                 due_on=dt.date(2026, 9, 19), status="done", still_working=True,
                                 paid_as_promised=True)
    FollowUp.objects.filter(pk=fu.pk).update(done_at=at("2026-09-20"))
    run("2026-09-20", "2026-09-20")
    r = figures.retention(month_scope(SEPT))
    assert r[7] == {"due": 1, "reached": 1, "working": 1}
    assert r[30]["due"] == 0  # 09-12 + 30 is in October


@pytest.mark.parametrize("seed", [1, 2])
def test_any_period_sums_exactly_what_its_day_rows_sum(db, seed):
    """A partial month is read as its days or as its month row less the days outside the period, whichever is
    fewer rows: every sum (total, by township, by point, by month) equals summing the period's day rows."""
    r = random.Random(seed)
    first, last = dt.date(2025, 10, 1), dt.date(2026, 4, 20)
    towns, points = ["360781101000", "360781102000"], [11, 12, 13]
    cells = aggregate.Cells()
    for d in aggregate.days_between(first, last):
        for metric in ("applications", "seekers_new"):
            for _ in range(r.randint(0, 3)):
                value = r.randint(1, 9)
                cells.add(d, metric, Grain.AREA, r.choice(towns), r.choice(points), "", value, r.randint(0, value))
    Fact.objects.bulk_create(cells.rows())
    aggregate.rollup_months(aggregate.month_start(d) for d in aggregate.days_between(first, last))
    day_rows = list(Fact.objects.filter(period="d").values_list("day", "metric", "township", "point_id", "value",
                                                                  "verified"))

    def brute(start, end, by=""):
        out: dict = {}
        for day, metric, town, point, v, ver in day_rows:
            if not start <= day <= end:
                continue
            if by == "township" and town != aggregate.COUNTY:
                g = town
            elif by == "point_id" and town != aggregate.COUNTY:
                g = point
            elif by == "month" and town == aggregate.COUNTY:
                g = day.replace(day=1)
            elif not by and town == aggregate.COUNTY:
                g = None
            else:
                continue
            a, b = out.setdefault(metric, {}).get(g, (0, 0))
            out[metric][g] = (a + v, b + ver)
        return out

    periods = [(dt.date(2025, 10, 4), dt.date(2026, 3, 30)), (dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
               (dt.date(2026, 1, 31), dt.date(2026, 2, 1)), (dt.date(2026, 4, 2), dt.date(2026, 5, 10))]
    for _ in range(12):
        a = first + dt.timedelta(days=r.randint(0, 200))
        periods.append((a, a + dt.timedelta(days=r.randint(0, 120))))
    metrics = ("applications", "seekers_new")
    for start, end in periods:
        scope = figures.Scope(start, end)
        expect = brute(start, end)
        assert figures.sums(scope, metrics) == {m: expect.get(m, {}).get(None, (0, 0)) for m in metrics}, scope
        for by in ("township", "point_id", "month"):
            got = {m: {g: v for g, v in groups.items() if v != (0, 0)}
                   for m, groups in figures.sums(scope, metrics, by=by).items()}
            expect = brute(start, end, by)
            assert got == {m: expect.get(m, {}) for m in metrics}, (scope, by)
    months, plus, minus = figures._spans(dt.date(2025, 10, 4), dt.date(2026, 3, 30))
    assert minus == [(dt.date(2025, 10, 1), dt.date(2025, 10, 3)), (dt.date(2026, 3, 31), dt.date(2026, 3, 31))]
    assert not plus and len(months) == 6


def test_people_placed_count_each_person_once_however_often_and_in_whatever_order_hired(county, monkeypatch):
    """s1 is hired on 09-10 (a1) and again on 09-25 (a4); s3 on 09-20 (a6) and 10-02 (a3); s2's offer was
    withdrawn (a2). October is aggregated before September, so September's hires arrive after s3's October one
    (as a backfill does). Hand count: September 3 hires, 2 people (s1, s3 — never s2); October 1 hire, 1 person
    (s3, hired in September too); August to October 4 hires, 2 people; 09-21 to 10-31 2 hires (a4, a3), 2 people
    (s1 and s3: their earlier hires are before the period)."""
    from hongniang.applications.models import Application
    from hongniang.testing import factories as f

    from .conftest import at, backdate, event

    p2 = f.JobPostingFactory(enterprise=county.enterprise, headcount=3, published_at=at("2026-09-01", 9))
    for seeker, applied, hired, name in ((county.s1, "2026-09-20", "2026-09-25", "a4"),
                                         (county.s3, "2026-09-15", "2026-09-20", "a6")):
        a = Application.objects.create(seeker=seeker, posting=p2, status="hired", channel="self",
                                       start_date=dt.date.fromisoformat(hired))
        event(a, "", "applied", applied)
        event(a, "applied", "hired", hired)
        backdate(Application, a.pk, created_at=at(applied))
        setattr(county, name, a)
    run("2026-10-01", "2026-10-31")
    assert HireRecord.objects.get(source_id=county.a3.pk).prev_hired_on is None  # s3's only hire so far
    run("2026-08-01", "2026-09-30")
    prev = dict(HireRecord.objects.values_list("source_id", "prev_hired_on"))
    assert prev == {county.a1.pk: None, county.a4.pk: dt.date(2026, 9, 10), county.a6.pk: None,
                    county.a3.pk: dt.date(2026, 9, 20)}

    def counted(start, end):
        f = fig(figures.Scope(start, end))
        return f["hires"].value, f["placed"].value

    expected = {(SEPT, dt.date(2026, 9, 30)): (3, 2), (dt.date(2026, 10, 1), dt.date(2026, 10, 31)): (1, 1),
                (dt.date(2026, 8, 1), dt.date(2026, 10, 31)): (4, 2), (dt.date(2026, 9, 21), dt.date(2026, 10, 31)): (2, 2),
                (dt.date(2026, 9, 10), dt.date(2026, 9, 10)): (1, 1), (dt.date(2026, 8, 1), dt.date(2026, 8, 31)): (0, 0)}
    for (start, end), want in expected.items():
        assert counted(start, end) == want, (start, end)
    monkeypatch.setattr(figures.HireView, "LINKED", False)  # the distinct count over the records: the same
    for (start, end), want in expected.items():
        assert counted(start, end) == want, (start, end)
