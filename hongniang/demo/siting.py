"""Demo rows for 因人设厂: three saved scenarios (one shared with the demo enterprise, one private to staff, one
the enterprise made itself) and two sites "opened through the platform" — a branch in 九堡镇 13 months ago and a
village workshop 7 months ago — with hires at their postings spread over the months, so the bureau's calibration
page shows predicted against actual headcount. Reproducible from the seed; every row is marked is_demo (the hires
are applications of demo seekers to demo postings, deleted with them)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.core.models import User
from hongniang.demo.loader import Places, save_followups
from hongniang.employers.models import EnterpriseMembership
from hongniang.geo.models import Region
from hongniang.jobs.models import JobPosting
from hongniang.outreach.services import followups_of_hire
from hongniang.seekers.models import Seeker
from hongniang.sitelib.calibration import add_months
from hongniang.siting import selectors, services
from hongniang.siting.forms import RecommendForm
from hongniang.siting.models import OpenedSite, Scenario

NAME = "siting"
JIUBAO = "360781103000"
SEWING = "6-05-01-03"


def exists() -> bool:
    return Scenario.objects.filter(is_demo=True).exists() or OpenedSite.objects.filter(is_demo=True).exists()


def delete() -> int:
    n = OpenedSite.objects.filter(is_demo=True).delete()[0]
    return n + Scenario.objects.filter(is_demo=True).delete()[0]


def _users():
    users = {u.username: u for u in User.objects.filter(username__in=("staff_demo", "hr_demo", "admin"))}
    return users.get("staff_demo") or users.get("admin"), users.get("hr_demo")


def _form(data: dict) -> dict:
    form = RecommendForm(data)
    if not form.is_valid():
        raise ValueError(f"demo scenario: {form.errors.as_json()}")
    return form.cleaned_data


def _add_months(day: dt.date, months: int) -> dt.date:
    return add_months(day, months)


def generate(*, seed: int, scale: float, out=print) -> dict:
    staff, hr = _users()
    if staff is None or hr is None:
        return {"siting_scenarios": 0, "siting_opened_sites": 0}
    m = EnterpriseMembership.objects.filter(user=hr).select_related("enterprise").first()
    if m is None:
        return {"siting_scenarios": 0, "siting_opened_sites": 0}
    ent = m.enterprise
    r = random.Random(seed * 7 + 18)
    counts = {"siting_scenarios": 0, "siting_opened_sites": 0, "siting_hires": 0}
    with transaction.atomic():
        made = []
        specs = [
            (staff, f"{ent.name}：缝纫工分厂选址（10 公里）", {"need": 200, "radius_km": 10, "k": 1,
                                                             "occupation": SEWING, "shift": "day",
                                                             "age_min": 18, "age_max": 55}, True),
            (staff, f"{ent.name}：同时开 3 个车间（妈妈岗折半）", {"need": 120, "radius_km": 5, "k": 3,
                                                                "occupation": "6-05-01", "weight_hours": "on",
                                                                "capacity": 40, "include_enterprise_sites": "on"},
             False),
            (hr, "我们自己算的：两处分厂", {"need": 150, "radius_km": 15, "k": 2, "occupation": SEWING}, False),
        ]
        for user, title, params, share in specs:
            data = _form({**params, "enterprise": ent.pk})
            result = selectors.recommend(user, data)
            s = services.scenario_save(actor=user, title=title, data=data, result=result)
            if share:
                services.scenario_share(scenario=s, actor=user)
            made.append(s.pk)
        Scenario.objects.filter(pk__in=made).update(is_demo=True)
        counts["siting_scenarios"] = len(made)

        jiubao = Region.objects.filter(code=JIUBAO).first()
        villages = list(Region.objects.filter(parent_id=JIUBAO, kind="village", lat__isnull=False).order_by("code"))
        if jiubao is None or jiubao.lat is None or not villages:
            return counts
        postings = list(JobPosting.objects.filter(enterprise=ent, is_demo=True).order_by("id")[:2])
        if not postings:
            return counts
        today = timezone.localdate()
        workshop_village = villages[len(villages) // 2]
        plans = [  # name, kind, place, months ago, predicted 3/6/12, hires by 3/6/12 (before scale)
            ("九堡分厂", "branch", jiubao, 13, (60, 90, 110), (52, 84, 98)),
            (f"{workshop_village.name}帮扶车间", "workshop", workshop_village, 7, (20, 30, 35), (13, 27, 27)),
        ]
        used = set(Application.objects.filter(posting__in=postings).values_list("seeker_id", flat=True))
        pool = [s for s in Seeker.objects.filter(is_demo=True, is_active=True, home_region__parent_id=JIUBAO)
                .exclude(applications__status="hired").order_by("id") if s.pk not in used]
        pool += [s for s in Seeker.objects.filter(is_demo=True, is_active=True).exclude(home_region__parent_id=JIUBAO)
                 .exclude(applications__status="hired").order_by("id")[:400] if s.pk not in used]
        sc = Scenario.objects.filter(pk=made[0]).first()
        apps, events, follow = [], [], []
        places = Places()
        now = timezone.now()
        for n, (name, kind, place, ago, pred, hires) in enumerate(plans):
            opened_on = _add_months(today, -ago)
            site = OpenedSite.objects.create(enterprise=ent, name=name, kind=kind, region=place, lat=place.lat,
                                             lon=place.lon, opened_on=opened_on, scenario=sc, predicted_3m=pred[0],
                                             predicted_6m=pred[1], predicted_12m=pred[2], created_by=staff,
                                             is_demo=True)
            posting = postings[min(n, len(postings) - 1)]
            site.postings.set([posting])
            counts["siting_opened_sites"] += 1
            want = [max(1, round(h * min(1.0, scale * 5))) for h in hires]
            # the site's posting asks for what the site was predicted to need in a year (at least the hires it
            # gets): never more hires than its headcount
            need = places.taken.get(posting.pk, 0) + want[-1]
            if posting.headcount < max(pred[2], need):
                posting.headcount = max(pred[2], need)
                JobPosting.objects.filter(pk=posting.pk).update(headcount=posting.headcount)
            places.taken[posting.pk] = need
            bounds = [(opened_on, _add_months(opened_on, 3)), (_add_months(opened_on, 3), _add_months(opened_on, 6)),
                      (_add_months(opened_on, 6), _add_months(opened_on, 12))]
            have = 0
            for (lo, hi), total in zip(bounds, want, strict=True):
                hi = min(hi, today)
                while have < total and pool and lo < hi:
                    s = pool.pop(0)
                    start = lo + dt.timedelta(days=r.randrange(max(1, (hi - lo).days)))
                    a = Application(seeker=s, posting=posting, status="hired", channel="staff", start_date=start,
                                    actual_start_date=start, start_confirmed_at=now, consent_at=now,
                                    consent_channel="paper", note="演示：通过平台开设的地点招聘")
                    apps.append(a)
                    have += 1
        Application.objects.bulk_create(apps, batch_size=500)
        for a in apps:
            events.append(ApplicationEvent(application=a, from_status="", to_status="applied", action="apply"))
            events.append(ApplicationEvent(application=a, from_status="applied", to_status="hired", action="hire"))
            # the hire's 7/30/90-day follow-ups; those already due were made: one in ten had left by day 90
            left = r.random() < 0.1
            for f in followups_of_hire(a, a.start_date):
                if f.due_on >= today:
                    follow.append(f)
                    continue
                f.status, f.paid_as_promised = "done", True
                f.still_working = not (left and f.day == 90)
                f.problems = "" if f.still_working else "演示：已离岗"
                f.done_at = timezone.make_aware(dt.datetime.combine(f.due_on, dt.time(10)))
                follow.append(f)
        ApplicationEvent.objects.bulk_create(events, batch_size=1000)
        save_followups(follow)
        counts["siting_hires"] = len(apps)
    return counts
