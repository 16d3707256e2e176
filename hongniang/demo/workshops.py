"""Demo village workshops (社区工厂 / 帮扶车间) for the Ruijin demo: 16 workshops and 4 home workers across 8
townships, their workers, and eleven outsourcing orders of demo enterprises in every state — handovers with a few
visible shortfalls and rejects (with a photo), five weeks of piece records, wages due, paid, confirmed, disputed
and overdue (with arrears alerts); one order re-trialled mid-way (its rate raised) and a small recent one flagged
for a new trial. The first workshop (解放路社区帮扶车间, in the demo seeker's community of 象湖镇) is run by the demo
log-in `workshop_demo`; the demo seeker (谢春花) works there and sees her piece wages. Workshops are named after the
village or community they are in; each order goes to an enterprise whose industry (GB/T 4754) makes the product
(demo.invariants.PRODUCT_INDUSTRIES).

Everything goes through the services (orders, offers, acceptances, handovers, deliveries, checks, payments) except
the piece records, which are written in bulk and then checked by the same fair-rate rule; dates are moved back
afterwards so the history spans the last five weeks. Same seed, same data (relative to the day of loading)."""

from __future__ import annotations

import base64
import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from hongniang.demo.invariants import product_fits
from hongniang.demo.loader import _Gen
from hongniang.employers.models import Enterprise
from hongniang.geo.models import Region, ServicePoint
from hongniang.workshops import ledger, services
from hongniang.workshops.machines import WAGE
from hongniang.workshops.models import (
    Handover,
    HandoverKind,
    OrderEvent,
    OutsourcingOrder,
    PieceRecord,
    Share,
    WageArrearsAlert,
    WageLine,
    Workshop,
    WorkshopKind,
    WorkshopWorker,
)

NAME = "workshops"
SEED_OFFSET = 1701
DEMO_PASSWORD = "demo1234"
DEMO_LOGIN = "workshop_demo"
DEMO_OWNER_PHONE = "19207970000"
PHONE_PREFIX = "192079"  # demo owners and workers: a range of its own (no collision with demo seekers)
XIANGHU = "360781100000"

#: a 1x1 PNG: the reject photo of the demo (a real image, so it opens)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

SKILLS = {
    "sew": (["6-05-01-03"], "缝纫、锁边、钉扣", "平缝机、锁边机"),
    "shoe": (["6-05-04-01"], "鞋面针车", "高车、平车"),
    "toy": (["6-09-05-00", "6-05-01-03"], "毛绒玩具填充缝合", "充棉机、平缝机"),
    "elec": (["6-25-01-11", "6-25-01-07"], "插件、焊接、组装", "恒温烙铁、工作台"),
    "craft": (["6-09-03-17"], "串珠、手工编织", "工作台"),
    "pack": (["6-07-02-00"], "折盒、穿绳、包装", "工作台"),
}

#: (name suffix, skill, stations, hours per day)
WORKSHOPS = [
    ("帮扶车间", "sew", 22, "7"), ("社区工厂", "elec", 16, "6"), ("扶贫车间", "toy", 18, "6.5"),
    ("来料加工点", "pack", 10, "5"), ("就业帮扶车间", "shoe", 20, "7"), ("社区工厂", "sew", 14, "6"),
    ("帮扶车间", "elec", 12, "6"), ("居家就业点", "craft", 8, "5"), ("社区工厂", "toy", 15, "6"),
    ("帮扶车间", "pack", 9, "5"), ("社区工厂", "shoe", 12, "6.5"), ("帮扶车间", "sew", 16, "6"),
    ("来料加工点", "craft", 8, "4.5"), ("社区工厂", "elec", 10, "6"), ("帮扶车间", "pack", 8, "5"),
    ("社区工厂", "sew", 12, "6"),
]
HOME_WORKERS = [("craft", "4"), ("pack", "4"), ("sew", "5"), ("craft", "3.5")]

#: the orders: (key, product, process, occupation, trial pieces/h, rate over the fair minimum, quantity,
#: started days ago, plan of shares, speed of the real work against the trial)
ORDERS = [
    ("A", "儿童背包", "车缝肩带", "6-05-01-03", "32", "1.12", 3000, 36, ["paid", "paid"], 1.0),
    ("B", "毛绒玩具", "填充缝合", "6-09-05-00", "9", "1.10", 1800, 33, ["paid", "paid", "paid"], 1.0),
    ("H", "童装", "钉扣锁边", "6-05-01-03", "40", "1.15", 1200, 30, ["paid", "paid", "paid"], 1.02),
    ("C", "运动鞋面", "针车", "6-05-04-01", "14", "1.08", 2400, 24, ["delivered", "checked", "disputed"], 1.0),
    ("I", "电子元件", "插件", "6-25-01-11", "60", "1.10", 6000, 22, ["overdue", "delivered"], 1.0),
    ("D", "耳机线", "焊接组装", "6-25-01-07", "25", "1.12", 5000, 14,
     ["in_production", "in_production", "material_collected"], 1.0),
    ("E", "手提袋", "穿绳包装", "6-07-02-00", "48", "1.02", 4000, 12, ["in_production", "accepted"], 0.66),
    ("F", "USB 数据线", "理线包装", "6-25-01-11", "80", "1.10", 3000, 2, ["offered", "offered", "declined"], 1.0),
    ("G", "发饰", "手工串珠", "6-09-03-17", "20", "1.20", 1500, 20, ["cancelled", "cancelled"], 1.0),
    ("J", "箱包", "五金安装", "6-19-01-05", "30", "1.10", 2000, 0, [], 1.0),
    ("K", "帆布包", "手缝提手", "6-05-01-03", "20", "1.05", 300, 3, ["in_production"], 0.6),
]
#: E's crew worked at two thirds of the trial's speed: flagged a week in, it was re-trialled with them (6 workers,
#: the speed they really reached) and the rate raised; K, a small batch a home worker started three days ago, is
#: flagged and waits for its new trial (the enterprise of hr_demo sees the form on the order's page)
RETRIAL = {"E": {"after_days": 6, "trial_workers": 6, "rate_over_fair": Decimal("1.10")}}
FLAGGED_FOR = "K"


def _place_label(region) -> str:
    """How people name a village or community: 沙洲坝村, 解放路社区 (the township's short name for a township)."""
    short = region.short_name or region.name[:3]
    if region.kind != "village":
        return short
    return short + ("社区" if region.subkind == "居委会" else "村")


def exists() -> bool:
    return Workshop.objects.filter(is_demo=True).exists()


def delete() -> int:
    n = 0
    shops = Workshop.objects.filter(is_demo=True)
    orders = OutsourcingOrder.objects.filter(is_demo=True)
    for qs in (WageArrearsAlert.objects.filter(workshop__in=shops), WageLine.objects.filter(share__workshop__in=shops),
               PieceRecord.objects.filter(share__workshop__in=shops), Handover.objects.filter(order__in=orders),
               Share.objects.filter(order__in=orders), orders, WorkshopWorker.objects.filter(workshop__in=shops),
               shops):
        n += qs.delete()[0]
    return n


def logins() -> list[tuple[str, str, str]]:
    ws = Workshop.objects.filter(owner_user__username=DEMO_LOGIN).first()
    return [("社区工厂负责人" + (f"（{ws.name}）" if ws else ""), DEMO_LOGIN, DEMO_PASSWORD)]


class _Phones:
    def __init__(self):
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"{PHONE_PREFIX}{self.n:05d}"


def _user(username: str, phone: str, display_name: str):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    u = User.objects.filter(username=username).first() or User(username=username)
    u.phone, u.display_name = phone, display_name
    u.set_password(DEMO_PASSWORD)
    u.save()
    return u


def generate(*, seed: int, scale: float, out=print) -> dict:
    from django.contrib.auth import get_user_model

    r = random.Random(seed + SEED_OFFSET)
    g = _Gen(seed + SEED_OFFSET)
    User = get_user_model()
    admin = User.objects.filter(is_bureau=True).order_by("pk").first() or User.objects.filter(
        is_superuser=True).order_by("pk").first()
    if admin is None:
        out("workshops demo skipped: no bureau user")
        return {}
    ents = list(Enterprise.objects.filter(is_demo=True, verification_status="verified").order_by("pk"))
    hr_ent = Enterprise.objects.filter(memberships__user__username="hr_demo").first()
    if not ents:
        out("workshops demo skipped: no demo enterprises")
        return {}
    townships = list(Region.objects.filter(kind="township", code__startswith="360781").order_by("code"))
    villages = {t.code: list(Region.objects.filter(parent=t, kind="village").order_by("code")) for t in townships}
    towns = [t for t in townships if t.code == XIANGHU] + [t for t in townships
                                                          if t.code != XIANGHU and villages[t.code]]
    towns = towns[:1] + r.sample(towns[1:], min(7, len(towns) - 1))
    points = {p.region_id: p for p in ServicePoint.objects.filter(region__in=towns, kind="township")}
    today = timezone.localdate()
    now = timezone.now()
    phones = _Phones()

    with transaction.atomic():
        # -------------------------------------------------------------------------------- workshops, workers
        owner_demo = _user(DEMO_LOGIN, DEMO_OWNER_PHONE, "钟春兰")
        shops = []
        speed: dict[int, float] = {}
        for i, (suffix, skill, stations, hpd) in enumerate(WORKSHOPS):
            town = towns[i % len(towns)]
            vs = villages[town.code] or [town]
            village = vs[0] if i == 0 else r.choice(vs)
            name = _place_label(village) + suffix  # named after the village (社区) it is in
            codes, text, equipment = SKILLS[skill]
            owner_name = "钟春兰" if i == 0 else g.person_name(r.random() < 0.3)
            lat = (village.lat or town.lat or 25.89) + r.uniform(-0.004, 0.004)
            lon = (village.lon or town.lon or 116.02) + r.uniform(-0.004, 0.004)
            ws = services.workshop_register(
                actor=admin, name=name, region=village, owner_name=owner_name,
                owner_phone=DEMO_OWNER_PHONE if i == 0 else phones.next(), stations=stations,
                usual_hours="8:00–11:30，14:00–17:30" if float(hpd) >= 6 else "8:30–11:30，14:30–16:30",
                hours_per_day=hpd, skills=codes, skills_text=text, equipment=equipment, lat=lat, lon=lon,
                service_point=points.get(town.code), is_demo=True)
            n_workers = max(4, int(stations * r.uniform(0.6, 0.95)))
            same_town = [v for v in vs if v.pk != village.pk] or [village]
            rows = []
            for _k in range(n_workers):
                x = r.random()
                home = village if x < 0.72 else (r.choice(same_town) if x < 0.9 else r.choice(
                    villages[r.choice(towns).code] or [town]))
                rows.append(WorkshopWorker(workshop=ws, name=g.person_name(r.random() < 0.15), phone=phones.next(),
                                           home_region=home, joined_at=today - dt.timedelta(days=r.randint(40, 700))))
            WorkshopWorker.objects.bulk_create(rows)
            if i == 0:
                seeker_user = User.objects.filter(username="13800000001").first()
                if seeker_user is not None:
                    WorkshopWorker.objects.create(workshop=ws, user=seeker_user, name="谢春花", phone="13800000001",
                                                  home_region=village, joined_at=today - dt.timedelta(days=120))
            shops.append(ws)
        Workshop.objects.filter(pk=shops[0].pk).update(owner_user=owner_demo, address="绵水路 18 号")
        for j, (skill, hpd) in enumerate(HOME_WORKERS):
            town = towns[(j * 3 + 1) % len(towns)]
            village = r.choice(villages[town.code] or [town])
            person = g.person_name(False)
            codes, text, _eq = SKILLS[skill]
            shops.append(services.workshop_register(
                actor=admin, name=f"{person}（居家）", kind=WorkshopKind.HOME, region=village, owner_name=person,
                owner_phone=phones.next(), stations=1, hours_per_day=hpd, usual_hours="接送孩子之余", skills=codes,
                skills_text=text, service_point=points.get(town.code), is_demo=True))
        for w in WorkshopWorker.objects.filter(workshop__in=shops):
            speed[w.pk] = min(1.45, max(0.65, r.gauss(1.0, 0.15)))
        workers_of = {ws.pk: list(ws.workers.all()) for ws in shops}

        # ------------------------------------------------------------------------------------------ orders
        order_ents = ([hr_ent] if hr_ent else []) + [e for e in ents if e != hr_ent]
        counts = {"workshop_orders": 0, "shares": 0, "piece_records": 0, "wage_lines": 0, "arrears_alerts": 0}
        used_home = 0
        orders_of: dict[int, int] = {}
        for key, product, process, occ, pph, factor, qty, ago, plan, real in ORDERS:
            # an enterprise whose industry makes the product (hr_demo's first, then the one with fewest orders);
            # the flagged small batch is hr_demo's (its page shows the new-trial form)
            fit = [e for e in order_ents if product_fits(product, e.industry_id)]
            if key == FLAGGED_FOR and order_ents[0] in fit:
                fit = [order_ents[0]]
            if not fit:
                out(f"workshops demo: no demo enterprise makes {product}; order {key} left out")
                continue
            ent = min(fit, key=lambda e: orders_of.get(e.pk, 0))
            orders_of[ent.pk] = orders_of.get(ent.pk, 0) + 1
            fair = ledger.fair_minimum_rate(Decimal(pph))
            rate = max((fair * Decimal(factor)).quantize(Decimal("0.01")), fair)
            start = today - dt.timedelta(days=ago)
            skill_key = {"6-05-01-03": "sew", "6-05-04-01": "shoe", "6-09-05-00": "toy", "6-25-01-11": "elec",
                         "6-25-01-07": "elec", "6-07-02-00": "pack", "6-09-03-17": "craft"}.get(occ, "pack")
            fit = [w for w in shops if w.skills == SKILLS[skill_key][0] and w.kind == WorkshopKind.WORKSHOP]
            if key == "H":  # small batches for the home workers too
                fit = fit[:1] + [w for w in shops if w.kind == WorkshopKind.HOME][used_home:used_home + 2]
                used_home += 2
            fit = (fit + [w for w in shops if w not in fit and w.kind == WorkshopKind.WORKSHOP])[:len(plan)]
            if key == FLAGGED_FOR:  # the sewing home worker takes the small batch
                fit = ([w for w in shops if w.kind == WorkshopKind.HOME and w.skills == SKILLS["sew"][0]][:1]
                       + fit)[:len(plan)]
            if key in ("A", "D") and shops[0] not in fit:
                fit = [shops[0]] + fit[:len(plan) - 1]
            # each share is what its crew makes in one to three weeks at the real speed
            pers = []
            for w, target in zip(fit, plan, strict=True):
                per_day = len(workers_of[w.pk]) * 0.82 * float(w.hours_per_day) * float(pph) * real
                days = {"in_production": ago + 12, "overdue": max(3, ago - 15)}.get(target, max(4, ago * 0.45))
                pers.append(max(50, int(per_day * days * r.uniform(0.85, 1.1)) // 10 * 10))
            qty = max(qty, sum(pers) + (0 if key not in ("F", "J") else qty // 2))
            order = services.order_create(
                actor=admin, enterprise=ent, product=product, process=process, occupation=occ, quantity=qty,
                piece_rate=rate, deadline=today + dt.timedelta(days=20), trial_workers=r.choice((5, 6, 8)),
                trial_pieces_per_hour=pph, allowed_reject_rate="2" if key != "B" else "3",
                quality_standard="对照封样：针距均匀、无跳线、线头剪净", materials="布片、辅料由企业送到车间，退料按件数点清",
                splittable=True, wage_days=10, is_demo=True)
            counts["workshop_orders"] += 1
            deadline = start + dt.timedelta(days=max(14, int(ago * 0.8)) if ago else 20)
            if plan and plan[0] in ("offered", "in_production", "accepted", "material_collected"):
                deadline = max(deadline, today + dt.timedelta(days=5))
            OutsourcingOrder.objects.filter(pk=order.pk).update(created_at=now - dt.timedelta(days=ago),
                                                                deadline=deadline)
            order.refresh_from_db()
            if not plan:
                continue
            shares = services.order_offer(actor=admin, order=order, offers=list(zip(fit, pers, strict=True)))
            counts["shares"] += len(shares)
            for share, target in zip(shares, plan, strict=True):
                ws = share.workshop
                owner = ws.owner_user
                if target == "offered":
                    continue
                if target == "declined":
                    services.share_decline(actor=owner, share=share, reason="这个月工位排满了")
                    continue
                accept_q = share.offered_quantity if r.random() < 0.7 else int(share.offered_quantity * 0.9)
                share = services.share_accept(actor=owner, share=share, quantity=accept_q)
                if target == "cancelled":
                    continue
                if target == "accepted":
                    continue
                out_q = accept_q if target != "material_collected" else int(accept_q * 0.5)
                services.handover_record(actor=admin, share=share, kind=HandoverKind.OUT, quantity=out_q,
                                         date=start, handed_by="企业仓管")
                if target == "material_collected":
                    continue
                services.share_start(actor=owner, share=share)
                # pieces: every working day from the start, until the material is used (or today)
                finishing = target not in ("in_production",)
                goal = out_q  # an unfinished share stops at today
                if finishing and r.random() < 0.3:
                    goal -= r.randint(3, 15)  # a few pieces short: a visible shortfall to explain
                made, day, recs = 0, start, []
                crew = workers_of[ws.pk]
                hpd = float(ws.hours_per_day)
                while made < goal and day <= today:
                    if day.weekday() != 6:
                        for w in crew:
                            if made >= goal or r.random() > 0.82:
                                continue
                            hours = round(max(1.5, min(9.0, r.gauss(hpd, 1.2))) * 2) / 2
                            pieces = int(float(pph) * speed[w.pk] * real * hours * r.uniform(0.9, 1.1))
                            pieces = max(1, min(pieces, goal - made))
                            recs.append(PieceRecord(share=share, worker=w, day=day, pieces=pieces,
                                                    hours=Decimal(str(hours)), recorded_by=owner))
                            made += pieces
                    day += dt.timedelta(days=1)
                counts["piece_records"] += len(recs)
                later = recs
                retrial = RETRIAL.get(key)
                if retrial and not order.needs_trial:
                    # the first week at the trial's rate gets the order flagged; a new trial raises the rate
                    cut = start + dt.timedelta(days=retrial["after_days"])
                    PieceRecord.objects.bulk_create([p for p in recs if p.day < cut])
                    later = [p for p in recs if p.day >= cut]
                    services.check_fair_rate(order, actor=owner)
                    order.refresh_from_db()
                    if order.needs_trial:
                        pph_new = (Decimal(pph) * Decimal(str(real))).quantize(Decimal("0.1"))
                        fair_new = ledger.fair_minimum_rate(pph_new)
                        rate_new = max((fair_new * retrial["rate_over_fair"]).quantize(Decimal("0.01")), fair_new,
                                       order.piece_rate)
                        services.order_retrial(actor=admin, order=order, trial_workers=retrial["trial_workers"],
                                               trial_pieces_per_hour=pph_new, piece_rate=rate_new,
                                               note=f"{retrial['trial_workers']} 名车间工人计时试做，按实际速度调价")
                        flagged_at = timezone.make_aware(dt.datetime.combine(cut, dt.time(9)))
                        OrderEvent.objects.filter(order=order, action="flag_trial").update(at=flagged_at)
                        OrderEvent.objects.filter(order=order, action="retrial").update(
                            at=flagged_at + dt.timedelta(hours=30))
                        order.refresh_from_db()
                PieceRecord.objects.bulk_create(later)
                services.check_fair_rate(order, actor=owner)
                order.refresh_from_db()
                last = max((p.day for p in recs), default=start)
                if not finishing:
                    continue
                reject = int(made * r.uniform(0.005, 0.03)) if target != "disputed" else int(made * 0.06)
                services.handover_record(actor=owner, share=share, kind=HandoverKind.BACK, quantity=made - reject,
                                         date=last, handed_by=ws.owner_name)
                if reject:
                    services.handover_record(actor=admin, share=share, kind=HandoverKind.REJECT, quantity=reject,
                                             date=last, handed_by="企业质检", reason="线头未剪净、跳针（对照封样）",
                                             photos=[SimpleUploadedFile("reject.png", PNG, content_type="image/png")])
                short = out_q - made
                services.share_deliver(actor=owner, share=share,
                                       balance_reason=f"{short} 片布料裁剪时损坏，已拍照告知企业" if short else "")
                delivered = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(17)))
                wage_due = services.wage_due_date(order, last + dt.timedelta(days=1))
                Share.objects.filter(pk=share.pk).update(delivered_at=delivered)
                WageLine.objects.filter(share=share).update(due_date=wage_due)
                lines = list(WageLine.objects.filter(share=share).select_related("share__workshop", "worker"))
                counts["wage_lines"] += len(lines)
                # the workshop pays its workers (all but the overdue order's); most confirm
                if target != "overdue":
                    for wl in lines:
                        if wage_due > today and r.random() < 0.35:
                            continue  # not yet due, not yet paid
                        paid_at = min(now, timezone.make_aware(dt.datetime.combine(
                            min(wage_due, today) - dt.timedelta(days=r.randint(0, 3)), dt.time(18))))
                        services.wage_pay(actor=owner, wage=wl, paid_at=paid_at)
                        if wl.worker.user_id:
                            continue  # the demo seeker confirms herself
                        x = r.random()
                        if x < 0.95:
                            # these workers have no log-in: they read out the code sent to their phone at the desk
                            WAGE.transition(wl, "confirm", actor=None,
                                            fields={"confirmed_at": paid_at, "confirmed_via": "sms_code"})
                        elif x < 0.97:
                            WAGE.transition(wl, "dispute", actor=None, reason="少算了一天的件数",
                                            fields={"dispute_reason": "少算了一天的件数"})
                if target in ("delivered", "overdue"):
                    continue
                if target == "disputed":
                    services.share_check(actor=admin, share=share)
                    services.share_dispute(actor=owner, share=share, reason="次品判定过严，申请复检")
                    continue
                services.share_check(actor=admin, share=share)
                Share.objects.filter(pk=share.pk).update(checked_at=delivered + dt.timedelta(days=1))
                if target == "paid":
                    services.share_pay(actor=admin, share=share)
                    Share.objects.filter(pk=share.pk).update(paid_at=delivered + dt.timedelta(days=r.randint(3, 8)))
            if key == "G":
                services.order_cancel(actor=admin, order=OutsourcingOrder.objects.get(pk=order.pk),
                                      reason="客户取消了这批发饰")
        # overdue wages: the arrears check raises its alerts
        counts["arrears_alerts"] += len(services.arrears_raise_many(wages=services.overdue_wages(today)))
    counts["workshops"] = len(shops)
    counts["workshop_workers"] = sum(len(v) for v in workers_of.values())
    out(f"workshops: demo log-in {DEMO_LOGIN} / {DEMO_PASSWORD} runs {shops[0].name}")
    return counts
