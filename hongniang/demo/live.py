"""Demo live sessions (直播带岗): one on air now at 象湖镇 (staff_demo calls the leads back), two past ones with a
replay and their outcomes, one coming with hr_demo's enterprise. Marked is_demo; reproducible from the seed."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.applications.services import TAKES_PLACE
from hongniang.demo.loader import FULL_REASON, Places
from hongniang.employers.models import Enterprise
from hongniang.geo.models import ServicePoint
from hongniang.jobs.models import JobPosting
from hongniang.live.models import Lead, LeadChange, LiveSession, SessionChange, SessionPosting
from hongniang.outreach.models import FollowUp, FollowUpEvent
from hongniang.outreach.services import followups_of_hire, scheduled_event
from hongniang.seekers.models import Seeker

NAME = "live"
SEED_OFFSET = 1502

SURNAMES = "刘钟谢曾黄杨赖陈李王张朱邱罗肖胡温廖欧阳".replace("欧阳", "")
GIVEN = "秀兰桂英小红春花建华志强伟明海燕丽萍国平金生水英冬梅晓东福林美玲永红"


def exists() -> bool:
    return LiveSession.objects.filter(is_demo=True).exists()


def delete() -> int:
    return LiveSession.objects.filter(is_demo=True).delete()[0]


PLAN = [
    # key, title, host, platform, start (minutes from now), organiser, n postings, leads at scale 1, status
    ("on_air", "象湖镇“家门口好工作”直播带岗", "小谢（象湖镇就业之家）", "douyin", -25, "xianghu", 6, 180, "live"),
    ("past", "瑞金市人社局 春风行动直播招聘", "人社局 钟科长", "shipinhao", -12 * 24 * 60, None, 8, 420, "ended"),
    ("past2", "象湖镇 返乡就业直播专场", "小谢（象湖镇就业之家）", "kuaishou", -35 * 24 * 60, "xianghu", 5, 160,
     "ended"),
    ("coming", "走进经开区服饰企业 直播看车间", "经开区就业之家 小曾", "douyin", 26 * 60, "dev_zone", 5, 0,
     "scheduled"),
]
LEAD_MIX = {  # status weights by session
    "live": (["new", "unreachable", "confirmed", "declined"], [75, 10, 10, 5]),
    "ended": (["new", "unreachable", "confirmed", "declined"], [8, 17, 45, 30]),
}
PATHS = [(["viewed", "contacted", "interview", "offered", "hired"], 25), (["viewed", "interview", "rejected"], 20),
         (["viewed", "contacted", "withdrawn"], 15), (["viewed"], 20), ([], 20)]
ACTION_OF = {"viewed": "view", "contacted": "contact", "interview": "interview", "offered": "offer", "hired": "hire",
             "rejected": "reject", "withdrawn": "withdraw"}


def generate(*, seed: int, scale: float, out=print) -> dict:
    r = random.Random(seed + SEED_OFFSET)
    now = timezone.now()
    xianghu = ServicePoint.objects.filter(name="象湖镇就业之家").first()
    dev_zone = ServicePoint.objects.filter(is_demo=True, kind="dev_zone").order_by("pk").first() or xianghu
    organisers = {"xianghu": xianghu, "dev_zone": dev_zone, None: None}
    hr_ent = Enterprise.objects.filter(memberships__user__username="hr_demo").first()
    postings = list(JobPosting.objects.filter(is_demo=True, status="published").select_related("enterprise")
                    .order_by("pk"))
    if not postings or xianghu is None:
        out("live demo skipped: no demo postings or points")
        return {}
    # a mix of pay kinds on screen (monthly, daily, hourly, piece)
    by_type: dict[str, list] = {}
    for p in postings:
        by_type.setdefault(p.pay_type, []).append(p)
    phones = set(Seeker.objects.values_list("phone", flat=True))
    known = list(Seeker.objects.filter(is_demo=True, is_active=True, user__isnull=True).order_by("pk")[:3000])
    r.shuffle(known)
    counts = {"live_sessions": 0, "leads": 0, "live_applications": 0}
    places = Places()

    def phone() -> str:
        while True:
            p = r.choice(["199", "198", "177", "166"]) + f"{r.randrange(10**8):08d}"
            if p not in phones:
                phones.add(p)
                return p

    with transaction.atomic():
        for key, title, host, platform, minutes, org, n_post, n_leads, status in PLAN:
            starts = now + dt.timedelta(minutes=minutes)
            organiser = organisers[org]
            ent = hr_ent if key == "coming" else None
            s = LiveSession.objects.create(
                title=title, host_name=host, platform=platform, starts_at=starts, organiser_point=organiser,
                enterprise=ent, status=status, is_demo=True,
                stream_url={"douyin": "https://live.douyin.com/", "kuaishou": "https://live.kuaishou.com/",
                            "shipinhao": "https://channels.weixin.qq.com/"}[platform] + f"{r.randrange(10**9)}",
                went_live_at=starts if status in ("live", "ended") else None,
                ended_at=starts + dt.timedelta(minutes=95) if status == "ended" else None,
                replay_url=f"https://v.douyin.com/demo{r.randrange(10**6)}/" if status == "ended" else "",
                description="主播逐个介绍岗位，点“我要报名”留下姓名和手机号，就业之家工作人员会回电话确认。")
            pool = []
            if ent is not None:
                pool += [p for p in postings if p.enterprise_id == ent.pk][:2]
            for pay_type in ("piece", "daily", "hourly", "monthly"):
                pool += r.sample(by_type.get(pay_type, []), k=min(2, len(by_type.get(pay_type, []))))
            pool += r.sample(postings, k=min(len(postings), n_post))
            chosen = list(dict.fromkeys(pool))[:n_post]
            presented = 3 if status == "live" else (n_post if status == "ended" else 0)
            SessionPosting.objects.bulk_create([
                SessionPosting(session=s, posting=p, order=i,
                               presented_at=starts + dt.timedelta(minutes=8 * i) if i < presented else None)
                for i, p in enumerate(chosen)])
            if status == "live":
                s.current_posting = chosen[2] if len(chosen) > 2 else chosen[0]
                s.save(update_fields=["current_posting"])
            SessionChange.objects.create(session=s, action="create", to_status="scheduled")
            if status in ("live", "ended"):
                SessionChange.objects.create(session=s, action="go_live", from_status="scheduled", to_status="live")
            if status == "ended":
                SessionChange.objects.create(session=s, action="end", from_status="live", to_status="ended")
            counts["live_sessions"] += 1

            n = max(4, round(n_leads * max(min(scale, 1.0), 0.05)))
            statuses, weights = LEAD_MIX.get(status, (["new"], [1]))
            span = 25 if status == "live" else 120  # minutes over which people signed up
            leads = []
            for _ in range(n if n_leads else 0):
                weights_by_order = [max(1, 10 - i) for i in range(len(chosen))]  # the first ones draw more
                p = r.choices(chosen[:max(1, presented)] or chosen, weights_by_order[:max(1, presented)] or None)[0]
                leads.append(Lead(session=s, posting=p, name=r.choice(SURNAMES) + r.choice(GIVEN[::2]) +
                                  (r.choice(GIVEN[1::2]) if r.random() < 0.7 else ""),
                                  phone=phone(), status=r.choices(statuses, weights)[0], is_demo=True))
            Lead.objects.bulk_create(leads)
            leads = list(Lead.objects.filter(session=s).select_related("posting").order_by("pk"))
            changes = []
            for lead in leads:
                at = starts + dt.timedelta(minutes=r.uniform(0, span))
                Lead.objects.filter(pk=lead.pk).update(created_at=min(at, now))
                changes.append(LeadChange(lead=lead, action="signup", to_status="new"))
                if lead.status == "new":
                    continue
                lead.attempts = r.randint(1, 3) if lead.status == "unreachable" else 1
                lead.called_at = min(now, at + dt.timedelta(hours=r.randint(1, 30)))
                changes.append(LeadChange(lead=lead, action={"unreachable": "no_answer", "declined": "decline",
                                                             "confirmed": "confirm"}[lead.status],
                                          from_status="new", to_status=lead.status))
                if lead.status == "confirmed":
                    lead.confirmed_via = "call" if r.random() < 0.8 else "sms"
                    # the call found a person already registered by this phone (the demo seekers); the lead
                    # carries their name and number
                    seeker = r.choice(known) if known else None
                    if seeker is None:
                        lead.status = "declined"
                        changes[-1].to_status = "declined"
                        changes[-1].action = "decline"
                        continue
                    known.remove(seeker)
                    lead.name, lead.phone = seeker.name, seeker.phone
                    path = r.choices([p for p, _ in PATHS], [w for _, w in PATHS])[0] if status == "ended" else []
                    full = "offered" in path and not places.free(lead.posting)
                    if full:  # every place already taken: HR turns the person down instead of offering
                        path = [*path[:path.index("offered")], "rejected"]
                    app = Application(seeker=seeker, posting=lead.posting, channel="live", source_id=s.pk,
                                      consent_at=lead.called_at, consent_channel="verbal",
                                      status=path[-1] if path else "applied")
                    times = [lead.called_at]
                    for _ in path:
                        times.append(min(now - dt.timedelta(minutes=5), times[-1] + dt.timedelta(days=r.randint(1, 3))))
                    if "interview" in path:
                        app.interview_at = times[path.index("interview") + 1] + dt.timedelta(days=1)
                        app.interview_place = f"{lead.posting.enterprise.name} 人事部"
                    if app.status == "hired":
                        app.start_date = timezone.localdate(times[-1]) + dt.timedelta(days=1)
                        if app.start_date > timezone.localdate(now):
                            app.status, path, times = "offered", path[:-1], times[:-1]
                    if app.status in ("rejected", "withdrawn"):
                        app.close_reason = "班次不合适" if app.status == "rejected" else "已在别处上班"
                        if full:
                            app.close_reason = FULL_REASON
                    if app.status in TAKES_PLACE:
                        places.take(lead.posting)
                    app.save()
                    Application.objects.filter(pk=app.pk).update(created_at=lead.called_at)
                    prev = ""
                    for st, t in zip(["applied", *path], times, strict=True):
                        e = ApplicationEvent.objects.create(application=app, action=ACTION_OF.get(st, "apply")
                                                            if prev else "apply", from_status=prev, to_status=st,
                                                            reason="直播报名，已回访确认" if not prev else "")
                        ApplicationEvent.objects.filter(pk=e.pk).update(at=t)
                        prev = st
                    if app.status == "hired":  # the hire schedules its follow-ups (flows.hiring.hire)
                        followups = FollowUp.objects.bulk_create(followups_of_hire(app, app.start_date))
                        made = FollowUpEvent.objects.bulk_create([scheduled_event(f) for f in followups])
                        FollowUpEvent.objects.filter(pk__in=[e.pk for e in made]).update(at=times[-1])
                    lead.application = app
                    counts["live_applications"] += 1
            Lead.objects.bulk_update(leads, ["attempts", "called_at", "confirmed_via", "application", "name", "phone",
                                             "status"])
            LeadChange.objects.bulk_create(changes)
            counts["leads"] += len(leads)
    return counts
