"""What a loaded demo must never show (a QA walk found each of these once). Each check reads the demo rows from
the database and returns the offending rows (empty: the invariant holds); `summary()` counts them all. The demo
tests assert every list is empty; the figures in a report come from `summary()`.

- no posting has more places taken (offers 录用待上岗 and hires 已上岗, `applications.selectors.places_taken`)
  than its headcount;
- nothing happens to a posting before it was published: no application, application event, hire start,
  recommendation shown (impression), fair booth or live session showing it;
- each outsourcing order's product is one its enterprise's industry (GB/T 4754) makes
  (`PRODUCT_INDUSTRIES`);
- a workshop named after a township or village lies in it;
- events keep plausible hours (`EVENT_RULES`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.applications.services import TAKES_PLACE
from hongniang.events.models import BoothPosting, Event
from hongniang.geo.models import Region
from hongniang.jobs.models import JobPosting
from hongniang.live.models import SessionPosting
from hongniang.recommend.models import Impression
from hongniang.workshops.models import OutsourcingOrder, Workshop, WorkshopKind

#: event kind -> (earliest start, latest end, shortest, longest duration in hours); every start and end on the
#: hour or the half hour, on one day
EVENT_RULES = {
    "fair_offline": (dt.time(8, 0), dt.time(17, 30), 2, 4),
    "park_visit": (dt.time(8, 0), dt.time(17, 30), 2, 4),
    "fair_online": (dt.time(8, 0), dt.time(17, 30), 2, 8.5),
}

#: which enterprises would order each product: the GB/T 4754-2017 classes (code prefixes) that make it. An order goes
#: to a demo enterprise of one of these industries (17 纺织, 18 服装服饰, 19 皮革制鞋箱包, 22 纸制品, 24 文教工美玩具,
#: 29 橡胶塑料, 38 电气机械, 39 电子)
PRODUCT_INDUSTRIES = {
    "儿童背包": ("18", "19", "17"), "毛绒玩具": ("24", "18", "17"), "童装": ("18",), "运动鞋面": ("195",),
    "电子元件": ("39",), "耳机线": ("39", "383"), "手提袋": ("18", "19", "17", "22", "29"),
    "USB 数据线": ("39", "383"), "发饰": ("18", "24"), "箱包": ("19", "18"), "帆布包": ("18", "17", "19"),
}


def postings_over_headcount() -> list[tuple[int, int, int]]:
    """(posting id, headcount, places taken) of demo postings with more offers and hires than places."""
    rows = (JobPosting.objects.filter(is_demo=True)
            .annotate(taken=Count("applications", filter=Q(applications__status__in=TAKES_PLACE)))
            .filter(taken__gt=F("headcount")).order_by("pk"))
    return [(p.pk, p.headcount, p.taken) for p in rows]


def before_publication() -> dict[str, list[int]]:
    """Ids of rows dated before their posting's 发布时间, by kind."""
    demo = Q(posting__is_demo=True)
    before = F("posting__published_at")
    hires = Application.objects.filter(demo, start_date__isnull=False).select_related("posting")
    return {
        "applications": list(Application.objects.filter(demo, created_at__lt=before).values_list("pk", flat=True)),
        "application_events": list(ApplicationEvent.objects.filter(application__posting__is_demo=True,
                                                                   at__lt=F("application__posting__published_at"))
                                   .values_list("pk", flat=True)),
        "hire_starts": [a.pk for a in hires.only("pk", "start_date", "posting__published_at")
                        if a.start_date < timezone.localdate(a.posting.published_at)],
        "impressions": list(Impression.objects.filter(demo, first_shown_at__lt=before).values_list("pk", flat=True)),
        "booth_postings": list(BoothPosting.objects.filter(demo, booth__event__starts_at__lt=before)
                               .values_list("pk", flat=True)),
        "session_postings": list(SessionPosting.objects.filter(demo, session__starts_at__lt=before)
                                 .values_list("pk", flat=True)),
    }


def product_fits(product: str, industry_code: str | None) -> bool:
    return bool(industry_code) and any(industry_code.startswith(p) for p in PRODUCT_INDUSTRIES.get(product, ()))


def orders_off_industry() -> list[tuple[int, str, str | None]]:
    """(order id, product, enterprise's industry) of demo orders whose product the enterprise would not make."""
    rows = OutsourcingOrder.objects.filter(is_demo=True).values_list("pk", "product", "enterprise__industry_id")
    return [(pk, product, code) for pk, product, code in rows.order_by("pk") if not product_fits(product, code)]


def workshops_misplaced() -> list[tuple[int, str, str]]:
    """(workshop id, name, the region it lies in) of demo workshops whose name begins with a place of the county
    (a township's or village's short name) they are not in."""
    places: dict[str, set[str]] = {}
    for code, short, name in Region.objects.filter(kind__in=("township", "village")).values_list(
            "code", "short_name", "name"):
        for key in {short, name} - {""}:
            places.setdefault(key, set()).add(code)
    bad = []
    for ws in Workshop.objects.filter(is_demo=True, kind=WorkshopKind.WORKSHOP).select_related("region").order_by("pk"):
        named = [k for k in places if ws.name.startswith(k)]
        if not named:
            continue
        where = places[max(named, key=len)]
        if ws.region_id not in where and ws.region.parent_id not in where:
            bad.append((ws.pk, ws.name, ws.region.name))
    return bad


def event_problem(kind: str, starts: dt.datetime, ends: dt.datetime) -> str:
    """Why an event's hours are implausible ("" when they are fine)."""
    s, e = timezone.localtime(starts), timezone.localtime(ends)
    earliest, latest, shortest, longest = EVENT_RULES[kind]
    hours = (ends - starts).total_seconds() / 3600
    if s.date() != e.date():
        return "spans two days"
    if s.minute not in (0, 30) or e.minute not in (0, 30) or s.second or e.second:
        return "not on the hour or half hour"
    if s.time() < earliest or e.time() > latest:
        return f"outside {earliest:%H:%M}–{latest:%H:%M}"
    if not shortest <= hours <= longest:
        return f"lasts {hours:g} h"
    return ""


def implausible_events() -> list[tuple[str, str, str]]:
    """(title, local hours, why) of demo events at implausible times."""
    bad = []
    for ev in Event.objects.filter(is_demo=True).order_by("starts_at"):
        why = event_problem(ev.kind, ev.starts_at, ev.ends_at)
        if why:
            bad.append((ev.title, f"{timezone.localtime(ev.starts_at):%m-%d %H:%M}–"
                                  f"{timezone.localtime(ev.ends_at):%H:%M}", why))
    return bad


def summary() -> dict[str, int]:
    over = postings_over_headcount()
    counts = {"postings_over_headcount": len(over), "places_over_headcount": sum(t - h for _, h, t in over)}
    counts.update({f"{k}_before_publication": len(v) for k, v in before_publication().items()})
    counts["orders_off_industry"] = len(orders_off_industry())
    counts["workshops_misplaced"] = len(workshops_misplaced())
    counts["implausible_events"] = len(implausible_events())
    return counts
