"""Demo events (招聘会 / 入园入企) for the Ruijin demo: past ones with their outcomes, one on today at 象湖镇 (staff_demo
checks people in, hr_demo scans at booth 1, the demo seeker has a ticket), upcoming ones with registrations and
buses. Everything hangs off the core demo rows (points, enterprises, postings, seekers) and is marked is_demo; the
same seed gives the same events (times relative to the moment of loading).

The figures on /events/compare/ are computed from these records by the same code as for real events: the rows are
generated (who came, who was scanned at which booth, how each application moved through the pipeline, which
follow-up calls were made), never the rates."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.applications.services import TAKES_PLACE
from hongniang.demo.loader import FULL_REASON, Places
from hongniang.employers.models import Enterprise
from hongniang.events import services
from hongniang.events.models import (
    Booth,
    BoothBar,
    BoothChange,
    BoothPosting,
    Bus,
    Event,
    EventChange,
    Intention,
    IntentionChange,
    Invitation,
    Registration,
    RegistrationChange,
)
from hongniang.geo.models import Region, ServicePoint
from hongniang.jobs.models import JobPosting
from hongniang.outreach.models import FollowUpEvent
from hongniang.outreach.services import followups_of_hire, recorded_event, scheduled_event
from hongniang.seekers.models import Seeker

NAME = "events"
SEED_OFFSET = 1501


def exists() -> bool:
    return Event.objects.filter(is_demo=True).exists()


def delete() -> int:
    return Event.objects.filter(is_demo=True).delete()[0]


def _code(r: random.Random, used: set[str]) -> str:
    while True:
        code = "".join(r.choice(services.CODE_ALPHABET) for _ in range(services.CODE_LENGTH))
        if code not in used:
            used.add(code)
            return code


def _day_at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _at(day_offset: float, hour: float, minute: int = 0, *, now) -> dt.datetime:
    day = timezone.localdate(now) + dt.timedelta(days=int(day_offset))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(int(hour), minute + round(hour % 1 * 60))))


#: the fair "of today" lasts three hours, starts on the half hour from 8:30 and ends by 17:30
TODAY_HOURS = 3
TODAY_FIRST = dt.time(8, 30)
TODAY_LAST = dt.time(14, 30)


def today_fair_hours(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When the demo's fair "of today" runs, for a demo loaded at `now`: under way (started up to an hour before, on
    the half hour) when loaded between 8:30 and 16:30, so staff_demo can check people in and hr_demo can scan at
    once; loaded earlier it opens at 8:30 the same morning; loaded later (no fair runs in the evening) it is the
    next morning's, 8:30–11:30, so the walk-through works the next day."""
    local = timezone.localtime(now)
    day = local.date()
    minutes = local.hour * 60 + local.minute
    first = TODAY_FIRST.hour * 60 + TODAY_FIRST.minute
    last = TODAY_LAST.hour * 60 + TODAY_LAST.minute
    if minutes >= last + 120:
        day, start = day + dt.timedelta(days=1), first
    else:
        start = min(max((minutes - 60) // 30 * 30, first), last)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(start // 60, start % 60)))
    return starts, starts + dt.timedelta(hours=TODAY_HOURS)


PLAN = [
    # (key, kind, title, days from today, start hour, hours, capacity, booths, registered share, organiser);
    # hours as the real ones run (demo.invariants.EVENT_RULES): fairs and visits a morning, online fairs a working day
    ("spring", "fair_offline", "2026 春风行动大型现场招聘会", -100, 9, 3.5, 600, 12, 0.9, "county"),
    ("park1", "park_visit", "走进瑞金经开区·电子信息产业园", -75, 8.5, 4, 90, 3, 0.95, "dev_zone"),
    ("online", "fair_online", "“就业援助月”网络招聘会", -60, 9, 8, 2000, 10, 0.6, "county"),
    ("town", "fair_offline", "九堡镇返乡人员专场招聘会", -50, 9, 3, 300, 8, 0.85, "jiubao"),
    ("park2", "park_visit", "走进企业·车间开放日", -20, 9, 3, 60, 1, 0.95, "dev_zone"),
    ("today", "fair_offline", "象湖镇“家门口就业”招聘会", 0, None, TODAY_HOURS, 400, 8, 0.5, "xianghu"),
    ("visit_soon", "park_visit", "入园入企：走进瑞金经开区", 3, 8.5, 4, 90, 3, 0.6, "xianghu"),
    ("fair_soon", "fair_offline", "瑞金市秋季大型招聘会", 7, 9, 3.5, 800, 12, 0.25, "county"),
    ("online_soon", "fair_online", "2026 高校毕业生网络招聘会", 10, 9, 8, 3000, 8, 0.1, "county"),
]
OUTCOME_CALLED = 0.75  # share of the undecided intentions the organiser's staff reached by phone within 45 days


def generate(*, seed: int, scale: float, out=print) -> dict:
    r = random.Random(seed + SEED_OFFSET)
    now = timezone.now()
    points = {p.region_id: p for p in ServicePoint.objects.filter(is_demo=True, kind__in=["township", "dev_zone"])}
    county = ServicePoint.objects.filter(is_demo=True, kind="county_centre").first()
    xianghu = ServicePoint.objects.filter(name="象湖镇就业之家").first() or next(iter(points.values()), None)
    dev_zone = next((p for p in points.values() if p.kind == "dev_zone"), xianghu)
    jiubao = next((p for p in points.values() if p.region.name.startswith("九堡")), xianghu)
    organisers = {"county": None, "xianghu": xianghu, "dev_zone": dev_zone, "jiubao": jiubao}
    venues = {"county": (county, "瑞金市文化广场"), "xianghu": (xianghu, "象湖镇就业之家广场"),
              "jiubao": (jiubao, "九堡镇文化站"), "dev_zone": (dev_zone, "瑞金经济技术开发区")}
    enterprises = list(Enterprise.objects.filter(is_demo=True, verification_status="verified",
                                                 postings__status="published").distinct().order_by("pk"))
    if not enterprises or xianghu is None:
        out("events demo skipped: no demo enterprises or points")
        return {}
    postings_of: dict[int, list] = {}
    for p in JobPosting.objects.filter(enterprise__in=enterprises, status="published").order_by("pk"):
        postings_of.setdefault(p.enterprise_id, []).append(p)
    hr_ent = Enterprise.objects.filter(memberships__user__username="hr_demo").first()
    seekers = list(Seeker.objects.filter(is_demo=True, is_active=True, service_point__isnull=False)
                   .select_related("service_point").order_by("pk"))
    demo_seeker = Seeker.objects.filter(user__username="13800000001").first()
    townships = list(Region.objects.filter(kind="township").order_by("code"))
    counts = {"events": 0, "booths": 0, "registrations": 0, "intentions": 0, "event_applications": 0}
    places = Places()

    with transaction.atomic():
        events = {}
        for key, kind, title, days, hour, hours, capacity, n_booths, share, org in PLAN:
            organiser = organisers[org]
            place, venue = venues["xianghu" if key == "today" else org] if kind != "fair_online" else (None, "")
            if key == "today":
                starts, ends = today_fair_hours(now)
            else:
                starts = _at(days, hour, now=now)
                ends = starts + dt.timedelta(hours=hours)
            host = hr_ent if key == "park2" else None
            if key == "park2" and hr_ent is not None:
                title = f"走进{hr_ent.name}·车间开放日"
            ev = Event.objects.create(
                kind=kind, title=title, starts_at=starts, ends_at=ends, capacity=capacity, is_demo=True,
                organiser_point=organiser, service_point=place if kind == "fair_offline" else None,
                host_enterprise=host, venue=venue if kind != "fair_online" else "",
                address=(place.address if place else "") or "", lat=place.lat if place else None,
                lon=place.lon if place else None, township=place.region.township if place else None,
                online_url="https://jobs.example.gov.cn/online-fair/2026" if kind == "fair_online" else "",
                booth_columns=4 if kind == "fair_offline" else 0,
                status="finished" if ends < now else "published",
                description="人社局、就业之家联合举办。求职者参加免费，免费班车接送。" if kind != "fair_online"
                else "企业在线展示岗位，求职者在手机上浏览、报名，就业之家工作人员帮助不会上网的人报名。")
            EventChange.objects.create(event=ev, action="create", to_status="draft")
            EventChange.objects.create(event=ev, action="publish", from_status="draft", to_status="published")
            if ev.status == "finished":
                EventChange.objects.create(event=ev, action="finish", from_status="published", to_status="finished")
            Event.objects.filter(pk=ev.pk).update(created_at=starts - dt.timedelta(days=20))
            events[key] = ev
            counts["events"] += 1

            # booths: the host enterprise for its own open day; hr_demo's enterprise at booth 1 today
            pool = [e for e in enterprises if e != hr_ent]
            r.shuffle(pool)
            chosen = ([hr_ent] if hr_ent and key in ("today", "park2", "spring", "fair_soon") else []) + pool
            chosen = chosen[:max(1, n_booths if kind != "park_visit" or key != "park2" else 1)]
            booths = []
            for i, ent in enumerate(chosen):
                status = "present" if ev.status == "finished" else "approved"
                if key == "fair_soon" and i >= n_booths // 2:
                    status = "requested"
                if ev.status == "finished" and key == "spring" and i == len(chosen) - 1:
                    status = "no_show"
                number = i + 1 if kind == "fair_offline" and status != "requested" else None
                slot = starts + dt.timedelta(minutes=90 * i) if kind == "park_visit" else None
                b = Booth.objects.create(event=ev, enterprise=ent, status=status, number=number, slot_at=slot,
                                         flags=services.enterprise_flags(ent.pk, before=starts))
                BoothChange.objects.create(booth=b, action="request", to_status="requested")
                if status != "requested":
                    BoothChange.objects.create(booth=b, action="approve", from_status="requested",
                                               to_status="approved")
                if status in ("present", "no_show"):
                    BoothChange.objects.create(booth=b, action="arrive" if status == "present" else "no_show",
                                               from_status="approved", to_status=status)
                ps = postings_of.get(ent.pk, [])[:3]
                BoothPosting.objects.bulk_create([BoothPosting(booth=b, posting=p, order=j) for j, p in enumerate(ps)])
                b.open_postings = ps
                booths.append(b)
                counts["booths"] += 1

            # buses from townships (not for online fairs)
            buses = []
            if kind != "fair_online":
                for t in r.sample(townships, k=min(len(townships), 3 if kind == "park_visit" else 4)):
                    buses.append(Bus.objects.create(event=ev, township=t, departure_place=f"{t.name}人民政府门口",
                                                    departs_at=starts - dt.timedelta(minutes=r.choice([40, 50, 60])),
                                                    seats=45))

            # who registers: mostly seekers of the organiser's township, then anyone
            n_reg = max(6, round(min(capacity, 240) * share * max(min(scale, 1.0), 0.1)))
            local = [s for s in seekers if organiser and s.service_point_id == organiser.pk]
            rest = [s for s in seekers if not (organiser and s.service_point_id == organiser.pk)]
            people = (r.sample(local, k=min(len(local), n_reg // 2)) +
                      r.sample(rest, k=min(len(rest), n_reg - min(len(local), n_reg // 2))))
            if demo_seeker and key in ("today", "visit_soon"):
                people = [demo_seeker] + [p for p in people if p.pk != demo_seeker.pk]
            invited = people + r.sample(seekers, k=min(len(seekers), len(people) // 3))
            Invitation.objects.bulk_create([Invitation(event=ev, seeker=s) for s in dict.fromkeys(invited)],
                                           ignore_conflicts=True)
            used: set[str] = set()
            regs = []
            seats = {b.pk: b.seats for b in buses}
            for s in people:
                bus = None
                if buses and r.random() < 0.5:
                    b = r.choice(buses)
                    if seats[b.pk] > 0:
                        seats[b.pk] -= 1
                        bus = b
                regs.append(Registration(event=ev, seeker=s, code=_code(r, used), bus=bus,
                                         channel=r.choices(["self", "staff"], [55, 45])[0]))
            Registration.objects.bulk_create(regs)
            regs = list(Registration.objects.filter(event=ev).select_related("seeker").order_by("pk"))
            show = {"finished": 0.82, "today": 0.45}.get("today" if key == "today" else ev.status, 0.0)
            if starts > now:  # the fair of today has not opened yet: nobody has checked in
                show = 0.0
            door = (ends - starts).total_seconds() // 60 - 30  # check-in closes half an hour before the end
            changes = []
            for reg in regs:
                changes.append(RegistrationChange(registration=reg, action="register", to_status="registered"))
                came = r.random() < show and (key != "today" or reg.seeker_id != getattr(demo_seeker, "pk", None)) \
                    or (key == "today" and reg.seeker_id == getattr(demo_seeker, "pk", None) and starts <= now)
                if came:
                    reg.status = "checked_in"
                    reg.checked_in_at = min(now, starts + dt.timedelta(minutes=r.randint(0, min(150, door))))
                    changes.append(RegistrationChange(registration=reg, action="check_in", from_status="registered",
                                                      to_status="checked_in"))
            Registration.objects.bulk_update(regs, ["status", "checked_in_at"])
            RegistrationChange.objects.bulk_create(changes)
            for reg in regs:
                Registration.objects.filter(pk=reg.pk).update(
                    created_at=min(now, starts - dt.timedelta(days=r.randint(1, 12), hours=r.randint(0, 20))))
            counts["registrations"] += len(regs)

            # inside: intentions at booths (most scanned by code: both sides; a few one-sided)
            if ev.status == "finished" or key == "today":
                live = [b for b in booths if b.status in ("present", "approved") and b.open_postings]
                made = _intentions(r, ev, [g for g in regs if g.status == "checked_in"], live, demo_seeker,
                                   hr_ent, now=now, today=key == "today", places=places)
                counts["intentions"] += made["intentions"]
                counts["event_applications"] += made["applications"]

        # a no-show at the spring fair: barred from the autumn fair by its organiser (the bureau)
        no_show = Booth.objects.filter(event=events["spring"], status="no_show").first()
        if no_show:
            BoothBar.objects.create(enterprise=no_show.enterprise, event=events["fair_soon"], source_booth=no_show,
                                    reason="春风行动招聘会预订展位未到场，也未提前取消")
        # the flags the organiser sees on the autumn fair's bookings, from the records above
        for b in Booth.objects.filter(event=events["fair_soon"]):
            b.flags = services.enterprise_flags(b.enterprise_id, before=b.event.starts_at)
            b.save(update_fields=["flags"])

        # 30 days after each past event: the daily command reads the outcomes from the pipeline; the organiser's
        # staff call the rest within 45 days
        for key in ("spring", "park1", "online", "town", "park2"):
            ev = events[key]
            when = ev.ends_at + dt.timedelta(days=31)
            if when < now:
                services.record_outcomes(now=when, wet_run=True)
            call_at = ev.ends_at + dt.timedelta(days=r.randint(33, 44))
            if call_at < now:
                for i in Intention.objects.filter(event=ev, outcome_30d="").exclude(status="declined"):
                    if r.random() < OUTCOME_CALLED:
                        outcome = r.choices(["in_process", "not_hired", "hired", "unreachable"], [2, 5, 1, 2])[0]
                        Intention.objects.filter(pk=i.pk).update(outcome_30d=outcome, outcome_at=call_at,
                                                                 outcome_source="call")
            counts["followup_calls"] = counts.get("followup_calls", 0) + _followup_calls(r, ev, now=now)
    return counts


FOLLOWUP_CALLED = 0.7  # share of the attendees without an interview the organiser's staff called in two weeks


def _followup_calls(r: random.Random, ev, *, now) -> int:
    """The organiser's calls to attendees who got no interview (the list on /events/<id>/followups/)."""
    from django.db.models import Q

    enterprises = list(Booth.objects.filter(event=ev).values_list("enterprise_id", flat=True))
    attended = Registration.objects.filter(event=ev, status="checked_in")
    interviewed = set(Application.objects.filter(
        seeker_id__in=attended.values("seeker_id"), posting__enterprise_id__in=enterprises,
        created_at__gte=ev.starts_at).filter(Q(status__in=["interview", "offered", "hired"])
                                             | Q(interview_at__isnull=False)).values_list("seeker_id", flat=True))
    n = 0
    for reg in attended.order_by("pk"):
        if reg.seeker_id in interviewed or r.random() >= FOLLOWUP_CALLED:
            continue
        outcome = r.choices(["wants_more", "found_work", "not_looking", "unreachable"], [4, 3, 1, 2])[0]
        Registration.objects.filter(pk=reg.pk).update(
            followup_outcome=outcome, followup_at=min(now, ev.ends_at + dt.timedelta(days=r.randint(2, 14))))
        n += 1
    return n


ACTION_OF = {"viewed": "view", "contacted": "contact", "interview": "interview", "offered": "offer", "hired": "hire",
             "rejected": "reject", "withdrawn": "withdraw", "no_show": "no_show"}
STATUS_PATHS = [  # how an application made at an event moved: (statuses after "applied", weight)
    (["viewed", "contacted", "interview", "offered", "hired"], 30),
    (["viewed", "interview", "rejected"], 18),
    (["viewed", "contacted", "withdrawn"], 10),
    (["viewed", "interview"], 8),
    (["contacted", "interview", "no_show"], 6),
    (["viewed"], 12),
    ([], 8),
    (["viewed", "contacted", "rejected"], 8),
]


def _intentions(r: random.Random, ev, attendees, booths, demo_seeker, hr_ent, *, now, today: bool,
                places: Places) -> dict:
    """Intentions at the booths and, for the both-side ones, applications moving through the pipeline (with
    their events at the right times), hires with their follow-ups."""
    made = {"intentions": 0, "applications": 0}
    if not booths:
        return made
    channel = "park_visit" if ev.kind == "park_visit" else "fair"
    taken = set(Application.objects.filter(seeker__in=[a.seeker_id for a in attendees])
                .values_list("seeker_id", "posting_id"))
    for reg in attendees:
        if today and demo_seeker and reg.seeker_id == demo_seeker.pk:
            # the demo seeker said on her phone she wants hr_demo's posting: hr_demo confirms it at booth 1
            b = next((b for b in booths if b.enterprise_id == getattr(hr_ent, "pk", None)), None)
            if b and b.open_postings:
                i = Intention.objects.create(event=ev, registration=reg, booth=b, posting=b.open_postings[0],
                                             status="pending_enterprise", seeker_confirmed_at=now, seeker_via="app")
                IntentionChange.objects.create(intention=i, action="record", to_status=i.status,
                                               details={"via": "app"})
                made["intentions"] += 1
            continue
        k = r.choices([0, 1, 2], [30, 50, 20])[0]
        for b in r.sample(booths, k=min(k, len(booths))):
            posting = r.choice(b.open_postings)
            if (reg.seeker_id, posting.pk) in taken:
                continue
            # scanned at the booth after checking in, before the fair closed
            at = min(reg.checked_in_at + dt.timedelta(minutes=r.randint(5, 120)), ev.ends_at - dt.timedelta(minutes=5))
            at = max(reg.checked_in_at, min(at, now))
            one_sided = r.random() < 0.06
            status = r.choice(["pending_seeker", "pending_enterprise"]) if one_sided else "confirmed"
            i = Intention.objects.create(
                event=ev, registration=reg, booth=b, posting=posting, status=status,
                seeker_confirmed_at=None if status == "pending_seeker" else at,
                seeker_via="" if status == "pending_seeker" else ("app" if status == "pending_enterprise" else "code"),
                enterprise_confirmed_at=None if status == "pending_enterprise" else at)
            IntentionChange.objects.create(intention=i, action="record", to_status=status,
                                           details={"via": "code" if status == "confirmed" else "phone"})
            made["intentions"] += 1
            if status != "confirmed":
                continue
            taken.add((reg.seeker_id, posting.pk))
            path = [] if today else r.choices([p for p, _ in STATUS_PATHS], [w for _, w in STATUS_PATHS])[0]
            full = "offered" in path and not places.free(posting)
            if full:  # every place already taken: HR turns the person down instead of offering
                path = [*path[:path.index("offered")], "rejected"]
            app = Application(seeker_id=reg.seeker_id, posting=posting, channel=channel, source_id=ev.pk,
                              consent_at=at, consent_channel="screen", status=path[-1] if path else "applied")
            times = [at]
            for _ in path:
                times.append(min(now - dt.timedelta(minutes=5), times[-1] + dt.timedelta(days=r.randint(1, 9))))
            if "interview" in path:
                app.interview_at = times[path.index("interview") + 1] + dt.timedelta(days=1)
                app.interview_place = f"{posting.enterprise.name} 人事部"
            hired = app.status == "hired"
            if hired:
                app.start_date = timezone.localdate(times[-1]) + dt.timedelta(days=r.randint(1, 5))
                if app.start_date <= timezone.localdate(now):
                    app.actual_start_date = app.start_date
                    app.start_confirmed_at = min(now, _day_at(app.start_date, 18))
                    if (timezone.localdate(now) - app.start_date).days >= 35 and r.random() < 0.7:
                        low = posting.monthly_min if r.random() < 0.85 else int(posting.monthly_min * 0.85)
                        app.pay_amount = r.randint(low, max(low, posting.monthly_max))
                        app.pay_reported_at = min(now, _day_at(app.start_date + dt.timedelta(days=32), 19))
                else:
                    app.status = "offered"
                    path = path[:-1]
                    times = times[:-1]
            if app.status in ("rejected", "withdrawn"):
                app.close_reason = "班次不合适" if app.status == "rejected" else "已在别处上班"
                if full:
                    app.close_reason = FULL_REASON
            if app.status in TAKES_PLACE:
                places.take(posting)
            app.save()
            Application.objects.filter(pk=app.pk).update(created_at=at)
            prev = ""
            for status, t in zip(["applied", *path], times, strict=True):
                e = ApplicationEvent.objects.create(application=app, action=ACTION_OF.get(status, "apply") if prev
                                                    else "apply",
                                                    from_status=prev, to_status=status,
                                                    reason="招聘会现场登记" if not prev else "")
                ApplicationEvent.objects.filter(pk=e.pk).update(at=t)
                prev = status
            Intention.objects.filter(pk=i.pk).update(application=app)
            made["applications"] += 1
            if app.status == "hired" and app.actual_start_date:
                app.seeker = reg.seeker
                for f in followups_of_hire(app, app.start_date):
                    if f.due_on < timezone.localdate(now) - dt.timedelta(days=2) and r.random() < 0.9:
                        f.status, f.still_working = "done", r.random() < 0.85
                        f.done_at = min(now, _day_at(f.due_on + dt.timedelta(days=1), 10))
                        f.paid_as_promised = app.pay_amount is None or app.pay_amount >= posting.monthly_min
                    f.save(force_insert=True)
                    events = [scheduled_event(f)] + ([recorded_event(f)] if f.status == "done" else [])
                    for e in FollowUpEvent.objects.bulk_create(events):  # at the hire, and when done
                        FollowUpEvent.objects.filter(pk=e.pk).update(at=f.done_at if e.action == "record" else times[-1])
    return made
