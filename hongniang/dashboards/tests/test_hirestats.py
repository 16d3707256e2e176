"""The hire figures read from the pre-summed HireStat rows (the county) and from one fetch of an area's records
(a township, a staff member's points) are exactly what counting the hire records gave before: the counting of
the dashboard as it was (REFERENCE below, the statements of figures.py before the rows existed) against the
figures now, over random hire records, random periods (whole months, month edges, single days, periods ending
before outcomes became known) and every kind of area."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hongniang.dashboards import channels, figures, hirestats
from hongniang.dashboards.figures import Scope
from hongniang.dashboards.models import FactDay, HireRecord, HireStat

pytestmark = pytest.mark.django_db

LAST = dt.date(2026, 10, 31)  # the last day aggregated
TOWNS = ("360781100000", "360781103000", "360781104000")
POINTS = (0, 11, 12, 13, 14)
CHANNELS = ("online", "walk_in", "call_list", "fair", "park_visit", "live", "other")
OCCS = ("6-04-01-01", "4-07-04-01", "6-22-01-01", "")


# --- the reference: how the figures were counted from the hire records ---------------------------------------


def ref_hires(scope, start=None, end=None, field="hired_on"):
    qs = HireRecord.objects.filter(**{f"{field}__gte": start or scope.start, f"{field}__lte": end or scope.end})
    if scope.points is not None:
        qs = qs.filter(point_id__in=scope.points)
    elif scope.townships is not None:
        qs = qs.filter(township__in=scope.townships)
    return qs


def ref_hire_totals(scope):
    t = figures.as_of(scope)
    r = ref_hires(scope).aggregate(n=Count("id"), app=Count("id", filter=Q(source="app")),
                                   v=Count("id", filter=Q(verified_on__lte=t)),
                                   people=Count("person_id", filter=Q(source="app"), distinct=True))
    return {"hires": r["n"], "hires_app": r["app"], "verified": r["v"], "placed": r["people"]}


def ref_time_to_fill(scope):
    hist = dict(ref_hires(scope).filter(source="app", days_to_fill__isnull=False).values("days_to_fill")
                .annotate(n=Count("id")).values_list("days_to_fill", "n"))
    total = sum(hist.values())
    if not total:
        return {"median_days": None, "n": 0}
    seen = 0
    for days in sorted(hist):
        seen += hist[days]
        if seen * 2 >= total:
            return {"median_days": days, "n": total}
    return {"median_days": None, "n": total}


def ref_retention(scope, by=""):
    t = figures.as_of(scope)
    agg = {}
    for day in (7, 30, 90):
        on, working = f"f{day}_on", f"f{day}_working"
        due = Q(start_on__gte=scope.start - dt.timedelta(days=day), start_on__lte=scope.end - dt.timedelta(days=day))
        agg[f"due{day}"] = Count("id", filter=due)
        agg[f"reached{day}"] = Count("id", filter=due & Q(**{f"{on}__lte": t, f"{working}__isnull": False}))
        agg[f"working{day}"] = Count("id", filter=due & Q(**{f"{on}__lte": t, working: True}))
    qs = ref_hires(scope, start=scope.start - dt.timedelta(days=90), end=scope.end - dt.timedelta(days=7),
                   field="start_on")

    def split(r):
        return {day: {"due": r[f"due{day}"], "reached": r[f"reached{day}"], "working": r[f"working{day}"]}
                for day in (7, 30, 90)}

    if by:
        return {r[by]: split(r) for r in qs.values(by).annotate(**agg)}
    return split(qs.aggregate(**agg))


def ref_pay(scope, by=""):
    t = figures.as_of(scope)
    qs = ref_hires(scope, field="pay_on").filter(pay_amount__isnull=False, promised_min__isnull=False)
    agg = dict(n=Count("id"), promised=Avg("promised_min"), actual=Avg("pay_amount"),
               below=Count("id", filter=Q(pay_amount__lt=F("promised_min"))),
               confirmed=Count("id", filter=Q(paid_ok=True, paid_ok_on__lte=t)))
    if by:
        return {r[by]: r for r in qs.values(by).annotate(**agg)}
    return qs.aggregate(**agg)


def ref_channel_outcomes(scope):
    t = figures.as_of(scope)
    rows = {r["channel"]: r for r in ref_hires(scope).values("channel").annotate(
        n=Count("id"),
        r30=Count("id", filter=Q(f30_on__lte=t, f30_working__isnull=False)),
        w30=Count("id", filter=Q(f30_on__lte=t, f30_working=True)),
        r90=Count("id", filter=Q(f90_on__lte=t, f90_working__isnull=False)),
        w90=Count("id", filter=Q(f90_on__lte=t, f90_working=True)))}
    out = []
    for key, label in channels.CHANNELS.items():
        r = rows.get(key)
        if r is None and key == "other":
            continue
        r = r or {"n": 0, "r30": 0, "w30": 0, "r90": 0, "w90": 0}
        out.append({"channel": key, "label": label, "hires": r["n"], "reached_30": r["r30"],
                    "working_30": r["w30"], "reached_90": r["r90"], "working_90": r["w90"]})
    return out


def ref_gigs(scope):
    t = figures.as_of(scope)
    return ref_hires(scope).filter(source="gig").aggregate(
        n=Count("id"), confirmed=Count("id", filter=Q(confirmed_on__lte=t)),
        r30=Count("id", filter=Q(f30_on__lte=t)), w30=Count("id", filter=Q(f30_on__lte=t, f30_working=True)))


def ref_by_month(scope, start, keys):
    ts = Scope(start, scope.end, scope.townships, scope.points)
    return {r["m"] if isinstance(r["m"], dt.date) and not isinstance(r["m"], dt.datetime) else r["m"].date(): r["n"]
            for r in ref_hires(ts).filter(channel__in=keys).annotate(m=TruncMonth("hired_on")).values("m")
            .annotate(n=Count("id"))}


# --- random hire records ---------------------------------------------------------------------------------


def _maybe(r: random.Random, p: float, value):
    return value if r.random() < p else None


def make_records(seed: int, n: int = 400) -> None:
    r = random.Random(seed)
    first = dt.date(2025, 10, 1)
    rows = []
    for i in range(n):
        hired = first + dt.timedelta(days=r.randint(0, (LAST - first).days))
        gig = r.random() < 0.15
        start = _maybe(r, 0.9, hired + dt.timedelta(days=r.randint(0, 6)))
        outcome = {}
        for day in (7, 30, 90):
            if start and r.random() < 0.7:
                # done on time, late, or (a few) recorded after the last aggregated day
                outcome[f"f{day}_on"] = start + dt.timedelta(days=day + r.choice((0, 1, 3, 20, 60)))
                outcome[f"f{day}_working"] = r.choice((True, True, False, None))
        confirmed = _maybe(r, 0.5, hired + dt.timedelta(days=r.randint(1, 40)))
        known = [d for d in (confirmed, outcome.get("f7_on"), outcome.get("f30_on"), outcome.get("f90_on")) if d]
        pay_on = _maybe(r, 0.5, hired + dt.timedelta(days=r.randint(25, 45)))
        promised = _maybe(r, 0.9, r.choice((2500, 3000, 3500, 4000)))
        rows.append(HireRecord(
            source="gig" if gig else "app", source_id=i + 1, person_id=r.randint(1, n // 3), hired_on=hired,
            township=r.choice(TOWNS + ("",)), point_id=r.choice(POINTS), work_township=r.choice(TOWNS),
            occupation=r.choice(OCCS), channel="gig" if gig else r.choice(CHANNELS),
            days_to_fill=_maybe(r, 0.8, r.randint(0, 60)), promised_min=promised, start_on=start,
            confirmed_on=confirmed, pay_on=pay_on,
            pay_amount=r.choice((2400, 3000, 3600, None)) if pay_on else None,
            paid_ok=r.choice((True, False, None)) if pay_on else None,
            paid_ok_on=(pay_on + dt.timedelta(days=r.randint(0, 50))) if pay_on and r.random() < 0.6 else None,
            verified_on=min(known) if known and r.random() < 0.95 else None, **outcome))
    HireRecord.objects.bulk_create(rows)
    FactDay.objects.create(day=LAST, computed_at=timezone.now())
    hirestats.rebuild()


def random_period(r: random.Random) -> tuple[dt.date, dt.date]:
    kind = r.randrange(5)
    if kind == 0:  # whole months
        m0 = dt.date(2025, r.randint(10, 12), 1) if r.random() < 0.3 else dt.date(2026, r.randint(1, 10), 1)
        months = r.randint(1, 6)
        y, m = divmod(m0.year * 12 + m0.month - 1 + months, 12)
        return m0, dt.date(y, m + 1, 1) - dt.timedelta(days=1)
    if kind == 1:  # a single day
        d = dt.date(2025, 11, 1) + dt.timedelta(days=r.randint(0, 380))
        return d, d
    if kind == 2:  # up to today (beyond the last day aggregated)
        return dt.date(2026, r.randint(1, 10), r.randint(1, 28)), dt.date(2026, 11, r.randint(1, 20))
    start = dt.date(2025, 10, 1) + dt.timedelta(days=r.randint(0, 380))
    return start, min(start + dt.timedelta(days=r.randint(1, 400)), dt.date(2026, 11, 30))


def areas(r: random.Random) -> list[tuple[tuple | None, tuple | None]]:
    return [(None, None), ((r.choice(TOWNS),), None), (tuple(sorted(r.sample(TOWNS, 2))), None),
            (tuple(sorted(r.sample(TOWNS, 2))), tuple(sorted(r.sample(POINTS[1:], 2))))]


def close(a: dict, b: dict) -> bool:
    """Pay rows: counts equal, averages equal (the database's average against sum ÷ n, rounded the same)."""
    for k in set(a) | set(b):
        x, y = a.get(k), b.get(k)
        if isinstance(x, float) or isinstance(y, float) or type(x).__name__ == "Decimal":
            if x is None or y is None:
                assert x is None and y is None, (k, x, y)
            else:
                assert abs(float(x) - float(y)) < 1e-6 and round(float(x)) == round(float(y)), (k, x, y)
        else:
            assert x == y, (k, x, y)
    return True


def nonzero(by: dict) -> dict:
    return {k: v for k, v in by.items() if any(x for d in v.values() for x in d.values())}


@pytest.mark.parametrize("seed", [1, 2])
def test_the_hire_figures_are_exactly_what_counting_the_records_gave(regions, seed):
    make_records(seed)
    r = random.Random(seed * 31)
    for _ in range(25):
        start, end = random_period(r)
        for towns, points in areas(r):
            scope = Scope(start, end, towns, points)
            with figures.computing():
                assert figures.hire_totals(scope) == ref_hire_totals(scope), scope
                assert figures.time_to_fill(scope) == ref_time_to_fill(scope), scope
                assert figures.retention(scope) == ref_retention(scope), scope
                assert nonzero(figures.retention(scope, by="point_id")) == nonzero(ref_retention(scope, "point_id"))
                close(figures.pay(scope), ref_pay(scope))
                for by in ("point_id", "occupation"):
                    new, old = figures.pay(scope, by=by), ref_pay(scope, by)
                    assert set(new) == set(old), (scope, by)
                    assert all(close(new[k], old[k]) for k in old)
                assert figures.channel_outcomes(scope) == ref_channel_outcomes(scope), scope
                assert figures.gig_outcomes(scope) == ref_gigs(scope), scope
                hq = ref_hires(scope).values("point_id").annotate(n=Count("id"))
                assert figures.hires_by_point(scope) == {x["point_id"]: x["n"] for x in hq}
                first = figures.trend_start(scope)
                for keys in (("fair", "park_visit"), ("live",)):
                    assert figures.hires_by_month(scope, first, keys) == ref_by_month(scope, first, keys), scope


def test_a_county_period_reads_the_summed_rows_in_a_few_statements(regions):
    make_records(3)
    scope = Scope(dt.date(2025, 11, 4), dt.date(2026, 10, 26))  # 12 months less a few days: rows and edges
    with CaptureQueriesContext(connection) as ctx, figures.computing():
        figures.hire_totals(scope), figures.time_to_fill(scope), figures.retention(scope)
        figures.retention(scope, by="point_id"), figures.pay(scope), figures.pay(scope, by="occupation")
        figures.channel_outcomes(scope), figures.gig_outcomes(scope), figures.hires_by_point(scope)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) <= 15, sql
    # whether the rows exist, then the page's windows (hired, started 7/30/90 days before, pay reported) in one
    # statement for the county's cells and one for the service points' cells
    assert sum("dashboards_hirestat" in q for q in sql) == 3
    assert figures.hire_totals(scope) == ref_hire_totals(scope)


def test_a_townships_hire_figures_come_from_one_fetch_of_its_records(regions):
    make_records(4)
    scope = Scope(dt.date(2026, 2, 3), dt.date(2026, 9, 20), (TOWNS[1],), None)
    with CaptureQueriesContext(connection) as ctx, figures.computing():
        figures.hire_totals(scope), figures.retention(scope), figures.pay(scope), figures.channel_outcomes(scope)
        figures.retention(scope, by="point_id"), figures.hires_by_month(scope, figures.trend_start(scope), ("live",))
    assert sum("dashboards_hirerecord" in q["sql"] for q in ctx.captured_queries) == 1
    assert figures.retention(scope) == ref_retention(scope)


def test_rebuilding_the_rows_writes_the_same_rows(regions):
    make_records(5, n=120)
    cols = ("period", "day", "anchor", "grain", "township", "point_id", "key", *hirestats.MEASURES)
    before = sorted(HireStat.objects.values_list(*cols))
    hirestats.rebuild()
    assert sorted(HireStat.objects.values_list(*cols)) == before
    month = HireStat.objects.filter(period="m", anchor="h", grain="area", township="*", day=dt.date(2026, 3, 1)).get()
    assert month.n == HireRecord.objects.filter(hired_on__gte=dt.date(2026, 3, 1), hired_on__lte=dt.date(2026, 3, 31)
                                                ).count()


def test_before_the_first_run_writes_the_rows_the_county_counts_the_records(regions):
    make_records(6, n=150)
    HireStat.objects.all().delete()  # just migrated: the next aggregation run writes them
    scope = Scope(dt.date(2026, 1, 10), dt.date(2026, 8, 20))
    assert figures.hire_totals(scope) == ref_hire_totals(scope)
    assert figures.retention(scope) == ref_retention(scope)


def _random_facts(seed: int) -> None:
    """Flows on every day (area, occupation and industry grains) and stocks on some days, as the aggregation
    writes them (each cell also in its county cell), with the month rows summed."""
    from hongniang.dashboards import aggregate
    from hongniang.dashboards.models import Fact, Grain

    r = random.Random(seed)
    first = dt.date(2025, 10, 1)
    cells = aggregate.Cells()
    flows = ("applications", "interviews", "seekers_new", "hires", "postings_published", "positions_published",
             "gig_orders", "fill_days", "fill_hires", "enterprises_new")
    stocks = ("seekers_total", "seekers_active", "positions_open", "postings_open", "enterprises_total",
              "seekers_wanting")
    stock_days = set()
    for d in aggregate.days_between(first, LAST):
        for metric in flows:
            for _ in range(r.randint(0, 2)):
                value = r.randint(1, 9)
                cells.add(d, metric, Grain.AREA, r.choice(TOWNS), r.choice(POINTS), "", value, r.randint(0, value))
        cells.add(d, "postings_published", Grain.INDUSTRY, r.choice(TOWNS), 0, r.choice("CDE"), r.randint(0, 3))
        if d.day in (1, 15) or d == LAST or (d + dt.timedelta(days=1)).day == 1:
            stock_days.add(d)
            for metric in stocks:
                grain = Grain.OCCUPATION if metric == "seekers_wanting" else Grain.AREA
                for town in TOWNS:
                    cells.add(d, metric, grain, town, r.choice(POINTS), r.choice(OCCS) if grain != Grain.AREA
                              else "", r.randint(1, 50), r.randint(0, 1))
            for grain, keys in ((Grain.OCCUPATION, OCCS), (Grain.INDUSTRY, "CDE")):
                for k in keys:
                    cells.add(d, "positions_open", grain, r.choice(TOWNS), 0, k, r.randint(1, 30))
    Fact.objects.bulk_create(cells.rows())
    aggregate.rollup_months(aggregate.month_start(d) for d in aggregate.days_between(first, LAST))
    FactDay.objects.filter(day=LAST).delete()
    FactDay.objects.bulk_create([FactDay(day=d, computed_at=timezone.now(), stocks=d in stock_days)
                                 for d in aggregate.days_between(first, LAST)])


@pytest.mark.parametrize("seed", [8, 9])
def test_a_custom_periods_page_reads_the_same_numbers_as_the_old_statements(regions, seed, monkeypatch):
    """The county's page for periods no snapshot holds (and a township's, a staff member's points'): every panel's
    charts, the headline figures and the API overview are the same read the old way — one statement per side and
    kind of the facts, one per hire window — and the new way (one statement per sums(), the trend's months read
    once, the page's hire windows in one statement for the county's cells and one for the points')."""
    from dataclasses import asdict

    from hongniang.dashboards import panels, panels_more
    from hongniang.testing import factories as f

    for pk in POINTS[1:]:  # the points table lists the service points that exist
        f.ServicePointFactory(pk=pk)
    make_records(seed)
    _random_facts(seed)
    r = random.Random(seed)
    periods = [(dt.date(2025, 11, 4), dt.date(2026, 10, 29)), (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
               (dt.date(2026, 2, 27), dt.date(2026, 4, 2)), (dt.date(2026, 10, 20), dt.date(2026, 11, 3))]
    periods += [random_period(r) for _ in range(4)]

    def page(scope):
        with figures.computing():
            built = [(p.key, [asdict(c) for c in cs]) for p, cs in panels.build(scope)]
            return built, [f.as_dict() for f in figures.headline(scope)], figures.overview(scope)

    for start, end in periods:
        for towns, points in [(None, None), *areas(r)[1:]]:
            scope = Scope(start, end, towns, points)
            new = page(scope)
            monkeypatch.setattr(figures, "MERGE_SUMS", False)
            monkeypatch.setattr(figures.HireView, "BATCH", False)
            monkeypatch.setattr(figures.HireView, "LINKED", False)
            monkeypatch.setattr(figures.HireView, "POINT_MEASURES", False)
            monkeypatch.setattr(panels_more, "SKIP_EMPTY", False)
            old = page(scope)
            monkeypatch.undo()
            assert new == old, scope
    # the old way's reads are not the ones the page makes now: the county's page reads fewer statements
    scope = Scope(*periods[0])
    with CaptureQueriesContext(connection) as ctx:
        page(scope)
    new_n = len(ctx.captured_queries)
    monkeypatch.setattr(figures, "MERGE_SUMS", False)
    monkeypatch.setattr(figures.HireView, "BATCH", False)
    monkeypatch.setattr(figures.HireView, "LINKED", False)
    monkeypatch.setattr(figures.HireView, "POINT_MEASURES", False)
    monkeypatch.setattr(panels_more, "SKIP_EMPTY", False)
    with CaptureQueriesContext(connection) as ctx:
        page(scope)
    assert new_n <= len(ctx.captured_queries) - 15, (new_n, len(ctx.captured_queries))


def test_people_placed_in_the_county_count_a_person_once(regions):
    """Hand count for March 2026: person 1 hired on 03-05 and 03-20 (once), person 2 on 02-20 and 03-10 (once:
    the February hire is outside), person 3 twice on 03-15 (once), person 4 only worked a gig (never), person 5
    hired on 04-02 (not in March), person 6 on 03-31 and 04-01: 4 people in 6 app hires. February to April: 5
    people (1, 2, 3, 5, 6) in 9 app hires."""
    days = {1: ("03-05", "03-20"), 2: ("02-20", "03-10"), 3: ("03-15", "03-15"), 5: ("04-02",), 6: ("03-31", "04-01")}
    rows = [HireRecord(source="app", source_id=10 * person + i, person_id=person, channel="online",
                       hired_on=dt.date.fromisoformat(f"2026-{d}")) for person, ds in days.items()
            for i, d in enumerate(ds)]
    rows.append(HireRecord(source="gig", source_id=1, person_id=4, channel="gig", hired_on=dt.date(2026, 3, 12)))
    rows.append(HireRecord(source="gig", source_id=2, person_id=1, channel="gig", hired_on=dt.date(2026, 2, 1)))
    HireRecord.objects.bulk_create(rows)
    FactDay.objects.create(day=LAST, computed_at=timezone.now())
    hirestats.rebuild()
    assert hirestats.link_people() == 0  # already linked: nothing rewritten
    assert HireRecord.objects.filter(source="gig", prev_hired_on__isnull=False).count() == 0
    for (start, end), (hires_app, placed) in {((3, 1), (3, 31)): (6, 4), ((2, 1), (4, 30)): (9, 5),
                                              ((3, 15), (3, 15)): (2, 1), ((3, 21), (4, 1)): (2, 1)}.items():
        scope = Scope(dt.date(2026, *start), dt.date(2026, *end))
        with figures.computing():
            got = figures.hire_totals(scope)
        assert (got["hires_app"], got["placed"]) == (hires_app, placed), scope
        assert got == ref_hire_totals(scope)
