"""The role-by-endpoint permission matrix (issue 13), generated from the URL configuration and the OpenAPI
document and classified by hongniang.exposure: every route is classified; every personal GET route refuses an
anonymous caller (personal POST/PUT/PATCH/DELETE API routes too); and routes with `allowed` roles are requested
as anonymous, seeker, another seeker, HR of the enterprise, HR of another enterprise, staff of the point, staff
of another point and the bureau — exactly the allowed ones succeed, and the roles that have nothing to do with the
world's seeker never see the seeker's phone, name or ID number in full. Every personal GET page and operation
has its `allowed` roles; the world below holds one of each object they name. A new route joins without editing
this file: it is unclassified (fails here) until hongniang.exposure says what it is."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from hongniang.applications.models import Application
from hongniang.exposure import classify
from hongniang.testing import factories as f

ROLES = ("anon", "seeker", "other_seeker", "hr", "other_hr", "staff", "other_staff", "bureau")
REFUSED = {401, 403, 404, 405}


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def routes() -> list[str]:
    from hongniang.api import api

    pages = [f"PAGE /{p}" for p in _walk(get_resolver()) if not p.startswith(("api/", "admin/"))]
    schema = api.get_openapi_schema()
    ops = [f"{m.upper()} {path}" for path, methods in schema["paths"].items() for m in methods]
    return pages + ops


ROUTES = routes()


def test_every_route_is_classified():
    unclassified = [r for r in ROUTES if classify(r) is None]
    assert unclassified == [], "classify these in hongniang/exposure.py: " + ", ".join(unclassified)


@pytest.fixture
def world(seeker, posting, staff_a, staff_b, hr, other_hr, bureau, regions, point_a, point_b, settings, tmp_path):
    """One of each object a personal route names, all around the seeker (point A), the HR's enterprise and
    staff of point A: an application, a hire with its follow-ups, a gig order with the seeker signed up, an
    event with a booth, the seeker's ticket and intention, a live session with the seeker's lead, an import,
    an enterprise's siting scenario, a workshop order with a share and the seeker's pieces, licence files, a
    notice in the seeker's inbox. The "other" roles own nothing of these."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    other = f.UserFactory(username="13900000002", phone="13900000002", display_name="王二")
    other_seeker = f.SeekerFactory(user=other, name="王二", phone="13900000002", service_point=point_b)
    application = Application.objects.create(seeker=seeker, posting=posting)
    users = {"anon": None, "seeker": seeker.user, "other_seeker": other, "hr": hr, "other_hr": other_hr,
             "staff": staff_a, "other_staff": staff_b, "bureau": bureau}
    ids = {"application_id": application.pk, "seeker_id": seeker.pk, "posting_id": posting.pk,
           "posting_pk": posting.pk, "enterprise_id": posting.enterprise_id, "application": application.pk,
           "seeker": seeker.pk, "posting": posting.pk,
           "_secrets": {"seeker": [seeker.phone, seeker.name, seeker.reveal_id_number()],
                        "other_seeker": [other_seeker.phone, other_seeker.name, other_seeker.reveal_id_number()]}}
    ids.update(_world_more(seeker=seeker, posting=posting, staff=staff_a, hr=hr, other_hr=other_hr,
                           regions=regions, point=point_a))
    return users, ids


def _world_more(*, seeker, posting, staff, hr, other_hr, regions, point) -> dict:
    import datetime as dt
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from hongniang.employers.models import CreditCodeClaim, VerificationRequest
    from hongniang.events import services as events
    from hongniang.gigs import services as gigs
    from hongniang.gigs.models import GigWorker
    from hongniang.live import services as live
    from hongniang.notifications.services import notify
    from hongniang.outreach import services as outreach
    from hongniang.siting.models import Scenario
    from hongniang.workshops import services as workshops

    enterprise = posting.enterprise
    pdf = b"%PDF-1.4 licence"
    vr = VerificationRequest(enterprise=enterprise, credit_code=enterprise.credit_code, licence_type="pdf",
                             licence_size=len(pdf), submitted_by=hr)
    vr.licence.save("licence.pdf", ContentFile(pdf), save=False)
    vr.save()
    claim = CreditCodeClaim(enterprise=enterprise, claimant=other_hr, name=enterprise.name, contact_name="张",
                            contact_phone="13800000077", licence_type="pdf", licence_size=len(pdf))
    claim.licence.save("claim.pdf", ContentFile(pdf), save=False)
    claim.save()

    # a gig order of the enterprise, the seeker signed up and confirmed
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    employer = gigs.employer_for_enterprise(enterprise=enterprise)
    order = gigs.order_create(actor=hr, employer=employer, work_type="moving", date=tomorrow,
                              start_time=dt.time(8, 0), end_time=dt.time(17, 0), region=regions["v_xianghu"],
                              address="沙洲坝村村口仓库", pay_type="day", pay_rate=Decimal("200"), headcount=2)
    worker = GigWorker.objects.create(user=seeker.user, seeker=seeker, name=seeker.name, phone=seeker.phone,
                                      work_types=["moving"], home_region=regions["v_xianghu"])
    assignment = gigs.confirm(actor=hr, assignment=gigs.signup(actor=seeker.user, order=order))

    # an event of point A on now, the enterprise's booth, the seeker's ticket and intention
    start = timezone.now() - dt.timedelta(hours=1)
    event = events.event_create(actor=staff, kind="fair_offline", title="象湖镇春风行动招聘会", starts_at=start,
                                ends_at=start + dt.timedelta(hours=4), capacity=100, organiser_point=point,
                                service_point=point, venue="象湖镇文化广场", booth_columns=4, publish=True)
    booth = events.booth_act(actor=staff, booth=events.booth_request(actor=hr, event=event, enterprise=enterprise,
                                                                     postings=[posting]), action="approve")
    registration = events.registration_create(actor=seeker.user, event=event, seeker=seeker)
    registration = events.registration_check_in(actor=staff, event=event, code=registration.code)
    intention = events.intention_declare(actor=seeker.user, registration=registration, posting=posting)

    # a live session of point A with the seeker's lead
    session = live.session_create(actor=staff, title="瑞金好工作 直播带岗", host_name="小红", platform="douyin",
                                  stream_url="https://live.douyin.com/123456", starts_at=timezone.now(),
                                  postings=[posting], organiser_point=point)
    session = live.session_act(actor=staff, session=session, action="go_live")
    lead = live.lead_signup(session=session, posting_id=posting.pk, name=seeker.name, phone=seeker.phone)

    # a roster import of point A (previewed), a hire's follow-up, the enterprise's siting scenario
    roster = "姓名,身份证号,手机号,乡镇,村（社区）\n张三," + f.valid_id_number(700) + ",13907970001,象湖镇,沙洲坝\n"
    batch = outreach.import_upload(actor=staff, kind="seekers", data=roster.encode(), filename="roster.csv",
                                   service_point=point)
    other_app = Application.objects.create(seeker=seeker, posting=f.JobPostingFactory(enterprise=enterprise),
                                           status="hired", start_date=timezone.localdate())
    followup = outreach.schedule_followups(application=other_app)[0]
    c = Client()
    c.force_login(staff)
    r = c.post("/api/v1/siting/scenarios", {"need": 20, "radius_km": 5, "k": 2, "occupations": ["6-05-01-03"],
                                            "title": "红都服饰分厂", "enterprise": enterprise.pk},
               content_type="application/json")
    assert r.status_code == 201, r.content
    scenario = Scenario.objects.get(pk=r.json()["id"])  # private: staff and the bureau

    # a workshop of point A's township, the enterprise's order shared with it, the seeker's pieces
    workshop = workshops.workshop_register(
        actor=staff, name="沙洲坝帮扶车间", region=regions["v_xianghu"], owner_name="钟春兰",
        owner_phone="13600000001", stations=20, hours_per_day="7", skills=["6-05-01-03"], skills_text="缝纫")
    ws_worker = workshops.worker_add(actor=workshop.owner_user, workshop=workshop, name=seeker.name,
                                     phone=seeker.phone, home_region=regions["v_xianghu"])
    ws_order = workshops.order_create(
        actor=hr, enterprise=enterprise, product="儿童背包", process="车缝肩带", quantity=1000, piece_rate="0.80",
        deadline=timezone.localdate() + dt.timedelta(days=20), trial_workers=5, trial_pieces_per_hour="30",
        occupation="6-05-01-03", quality_standard="针距 3 mm", materials="布片、线由企业提供")
    [share] = workshops.order_offer(actor=hr, order=ws_order, offers=[(workshop, 600)])
    share = workshops.share_accept(actor=workshop.owner_user, share=share, quantity=600)
    workshops.handover_record(actor=hr, share=share, kind="out", quantity=600, handed_by="仓管 李")
    workshops.pieces_record(actor=workshop.owner_user, share=share, day=timezone.localdate() - dt.timedelta(days=1),
                            entries=[{"worker": ws_worker, "pieces": 120, "hours": "5"}])

    note = notify(recipient=seeker.user, template="generic", context={"text": "测试"})
    return {"verification": vr.pk, "claim": claim.pk, "gig_order": order.pk, "order_id": order.pk,
            "assignment_id": assignment.pk, "assignment": assignment.pk, "worker_id": worker.pk,
            "gig_worker": worker.pk, "event": event.pk, "booth_pk": booth.pk, "reg_pk": registration.pk,
            "intention": intention.pk, "session": session.pk, "lead": lead.pk, "import": batch.pk,
            "followup": followup.pk, "scenario": scenario.pk, "workshop": workshop.pk, "workshop_id": workshop.pk,
            "ws_order": ws_order.pk, "share": share.pk,  "notification": note.pk,
            "township": point.region_id, "kind": "seekers"}


def _last_month() -> str:
    import datetime as dt

    first = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


# which object each parameter of a route names: (start of the path, {parameter: key of ids}), first match wins;
# a parameter not named here is looked up by its own name; "=value" gives a literal
PARAMS = [
    ("/me/staff/seekers/", {"pk": "seeker"}),
    ("/applications/", {"pk": "application", "action": "=withdraw"}),
    ("/enterprise/verification/", {"pk": "verification"}),
    ("/enterprise/claim/", {"pk": "claim"}),
    ("/enterprise/jobs/", {"pk": "posting"}),
    ("/recommend/jobs/", {"pk": "posting"}),
    ("/staff/jobs/", {"pk": "posting", "seeker_pk": "seeker"}),
    ("/staff/imports/template/", {"kind": "=seekers"}),
    ("/staff/imports/", {"pk": "import"}),
    ("/staff/followups/", {"pk": "followup"}),
    ("/staff/posters/", {"code": "township"}),
    ("/moderation/postings/", {"pk": "posting"}),
    ("/moderation/verifications/", {"pk": "verification"}),
    ("/moderation/claims/", {"pk": "claim"}),
    ("/moderation/reports/", {"pk": "report"}),
    ("/gigs/orders/", {"pk": "gig_order", "action": "=cancel"}),
    ("/gigs/assignments/", {"pk": "assignment", "action": "=confirm"}),
    ("/gigs/workers/", {"pk": "gig_worker"}),
    ("/events/intentions/", {"pk": "intention", "action": "=confirm"}),
    ("/events/booths/", {"action": "=approve"}),
    ("/events/", {"pk": "event", "action": "=cancel"}),
    ("/live/leads/", {"pk": "lead", "action": "=called"}),
    ("/live/", {"pk": "session", "action": "=end"}),
    ("/siting/scenarios/", {"pk": "scenario", "action": "=share"}),
    ("/dashboard/drill/", {"key": "=seekers"}),
    ("/dashboard/export/", {"key": "=area.townships"}),
    ("/dashboard/report/", {"?": "=month=" + _last_month()}),
    ("/notifications/", {"pk": "notification"}),
    ("/workshops/orders/", {"pk": "ws_order"}),
    ("/workshops/shares/", {"pk": "share", "action": "=deliver"}),
    ("/workshops/", {"pk": "workshop"}),
    ("/api/v1/outsourcing/orders/", {"order_id": "ws_order"}),
    ("/api/v1/outreach/imports/", {"pk": "import"}),
    ("/api/v1/siting/scenarios/", {"pk": "scenario"}),
]


def _url(route: str, ids: dict) -> str:
    path = route.split(" ", 1)[1]
    names = next((m for start, m in PARAMS if path.startswith(start)), {})
    query = "?" + names["?"][1:] if "?" in names else ""

    def value(name: str) -> str:
        key = names.get(name, name)
        return key[1:] if key.startswith("=") else str(ids.get(key, 1))

    if route.startswith("PAGE"):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path) + query
    return re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), path) + query


def _ok(response) -> bool:
    if response.status_code in REFUSED:
        return False
    if response.status_code in (301, 302):
        return "/accounts/login/" not in response.get("Location", "")
    return response.status_code < 300


PERSONAL_GET = [r for r in ROUTES if (c := classify(r)) and c.kind == "personal"
                and (r.startswith("PAGE") or r.startswith("GET"))]
PERSONAL_WRITE = [r for r in ROUTES if (c := classify(r)) and c.kind == "personal"
                  and r.split(" ")[0] in ("POST", "PUT", "PATCH", "DELETE")]
MATRIX = [r for r in ROUTES if (c := classify(r)) and c.allowed is not None]


# roles that have nothing to do with a person of the world: their answers never carry that person's full phone
# number, full name or full ID number, whatever the status (the other seeker, of point B, applied nowhere)
STRANGERS = {"seeker": ("anon", "other_seeker", "other_hr", "other_staff"),
             "other_seeker": ("anon", "seeker", "hr", "other_hr", "staff")}


def _body(response) -> bytes:
    if not hasattr(response, "matrix_body"):
        response.matrix_body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.matrix_body


def _request(client, method: str, url: str, *data):
    """One request on the world as it was built: whatever it writes is rolled back, so routes cannot change what
    the next one sees (and one that fails on PostgreSQL does not abort the rest)."""
    with transaction.atomic():
        response = getattr(client, method)(url, *data, **({"content_type": "application/json"} if data else {}))
        _body(response)
        transaction.set_rollback(True)
    return response


def _clients(users) -> dict:
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return clients


def test_every_personal_page_and_endpoint_answers_only_the_right_roles(world):
    """All personal GET routes in one world (built once: it is large): each is requested as the eight roles
    (routes without `allowed`: anonymously only), and every mismatch is listed."""
    users, ids = world
    clients = _clients(users)
    secrets = {who: [x.encode() for x in values] for who, values in ids["_secrets"].items()}
    failures = []
    for route in sorted(set(PERSONAL_GET) | set(MATRIX)):
        expected = classify(route).allowed
        roles = ROLES if expected is not None else ("anon",)
        method = "post" if route.startswith("POST") else "get"
        got, leaked = set(), set()
        for role in roles:
            response = _request(clients[role], method, _url(route, ids))
            if _ok(response):
                got.add(role)
            for who, strangers in STRANGERS.items():
                if role in strangers and any(x in _body(response) for x in secrets[who]):
                    leaked.add(f"{role} saw {who}")
        if expected is None and got:
            failures.append(f"{route}: answered an anonymous caller")
        elif expected is not None and got != set(expected):
            failures.append(f"{route}: succeeded for {sorted(got)}, expected {sorted(expected)}")
        if leaked:
            failures.append(f"{route}: full phone, name or ID number: {sorted(leaked)}")
    assert failures == [], "\n".join(failures)


def test_anonymous_callers_cannot_write_personal_data(world):
    _users, ids = world
    client = Client()
    failures = []
    for route in PERSONAL_WRITE:
        method, _ = route.split(" ", 1)
        r = _request(client, method.lower(), _url(route, ids), "{}")
        if r.status_code not in (401, 403, 404, 405):
            failures.append(f"{route} answered {r.status_code} to an anonymous caller")
    assert failures == [], "\n".join(failures)
