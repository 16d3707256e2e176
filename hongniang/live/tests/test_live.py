"""Live sessions: sign-ups as leads (one per phone and posting), rate limits, the live counter, the cached public
page, call-backs, confirmation into the pipeline, outcomes, and who sees the leads."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongniang.applications.models import Application
from hongniang.core.errors import Conflict, InvalidInput, NotFoundError, PermissionDeniedError
from hongniang.flows.live_leads import lead_confirm_by_call
from hongniang.live import selectors, services
from hongniang.live.models import Lead, LeadStatus
from hongniang.seekers.models import Seeker
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


def _signup(session, posting, phone="13812345678", name="赖桂英", ip="10.0.0.1"):
    return services.lead_signup(session=session, posting_id=posting.pk, name=name, phone=phone, ip=ip)


def test_a_sign_up_is_a_lead_and_a_second_one_from_the_same_phone_counts_once(session, posting, posting2):
    a = _signup(session, posting)
    b = _signup(session, posting, name="赖桂英（再报）")
    assert a.created and not b.created and a.pk == b.pk
    _signup(session, posting2)  # another posting: another lead
    assert selectors.signup_counts(session.pk) == {posting.pk: 1, posting2.pk: 1}
    assert not Application.objects.exists() and not Seeker.objects.filter(phone="13812345678").exists()


def test_bad_input_is_refused_in_chinese_and_nothing_saved(session, posting, other_enterprise):
    with pytest.raises(InvalidInput) as exc:
        _signup(session, posting, phone="123")
    assert exc.value.field == "phone"
    with pytest.raises(InvalidInput):
        _signup(session, posting, name=" ")
    stranger = f.JobPostingFactory(enterprise=other_enterprise)
    with pytest.raises(NotFoundError):
        _signup(session, stranger)
    assert not Lead.objects.exists()


def test_sign_ups_are_limited_per_phone(settings, session, posting, enterprise):
    settings.LIVE_SIGNUPS_PER_PHONE = 2
    extra = [f.JobPostingFactory(enterprise=enterprise) for _ in range(2)]
    session.session_postings.create(posting=extra[0], order=5)
    session.session_postings.create(posting=extra[1], order=6)
    _signup(session, posting)
    _signup(session, extra[0])
    with pytest.raises(Conflict) as exc:
        _signup(session, extra[1])
    assert exc.value.code == "rate_limited" and "频繁" in exc.value.message
    assert _signup(session, posting).created is False  # a repeat of an existing one still answers


def test_sign_ups_are_limited_per_address(settings, session, posting):
    settings.LIVE_SIGNUPS_PER_IP = 3
    for i in range(3):
        _signup(session, posting, phone=f"1381234560{i}")
    with pytest.raises(Conflict):
        _signup(session, posting, phone="13812345699")
    _signup(session, posting, phone="13812345699", ip="10.0.0.2")  # another address is fine
    assert Lead.objects.count() == 4


def test_the_counter_follows_the_sign_ups_and_the_posting_on_air(client, session, posting, posting2, staff_a):
    url = reverse("live:counter", args=[session.pk])
    assert client.get(url).json()["counts"] == {}
    _signup(session, posting)
    _signup(session, posting, phone="13812345679")
    services.session_present(actor=staff_a, session=session, posting=posting2)
    cache.delete(selectors.counter_key(session.pk))  # at most COUNTER_TTL seconds later
    data = client.get(url).json()
    assert data["counts"] == {str(posting.pk): 2} and data["current"] == posting2.pk and data["status"] == "live"


def test_the_counter_is_one_cached_read(client, session, posting):
    url = reverse("live:counter", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200 and len(q) == 0 and "max-age" in r["Cache-Control"]


def test_the_public_page_is_rendered_once_and_carries_no_csrf_token(client, session, posting):
    url = reverse("live:detail", args=[session.pk])
    r = client.get(url)
    html = r.content.decode()
    assert r.status_code == 200 and posting.title in html and "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in r.cookies
    with CaptureQueriesContext(connection) as q:
        again = client.get(url)
    assert again.content == r.content and len(q) == 0


def test_a_signed_up_viewer_posts_from_the_cached_page_without_a_token(session, posting):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    r = c.post(reverse("live:signup", args=[session.pk]), {"posting_id": posting.pk, "name": "赖桂英",
                                                            "phone": "13812345678"})
    assert r.status_code == 201 and "报名成功" in r.content.decode()
    r = c.post(reverse("live:signup", args=[session.pk]), {"posting_id": posting.pk, "name": "赖桂英",
                                                            "phone": "13812345678"})
    assert r.status_code == 200 and "只计一次" in r.content.decode()
    r = c.post(reverse("live:signup", args=[session.pk]), {"posting_id": posting.pk, "name": "赖桂英",
                                                            "phone": "1381234"})
    assert r.status_code == 422


def test_a_confirmed_call_makes_the_application_with_the_session_as_source(session, posting, staff_a):
    lead = _signup(session, posting, phone="13812340000", name="钟秀兰")
    lead, application = lead_confirm_by_call(actor=staff_a, lead=lead)
    assert lead.status == LeadStatus.CONFIRMED and lead.application_id == application.pk
    assert (application.channel, application.source_id, application.consent_channel) == ("live", session.pk, "verbal")
    seeker = Seeker.objects.get(phone="13812340000")
    assert seeker.name == "钟秀兰" and application.seeker == seeker
    with pytest.raises(Conflict):
        lead_confirm_by_call(actor=staff_a, lead=lead)


def test_a_known_phone_is_the_same_person(session, posting, staff_a, seeker):
    lead = _signup(session, posting, phone=seeker.phone, name=seeker.name)
    _, application = lead_confirm_by_call(actor=staff_a, lead=lead)
    assert application.seeker == seeker and Seeker.objects.filter(phone=seeker.phone).count() == 1


def test_only_the_organising_point_and_the_bureau_call_leads_back(session, posting, staff_b, hr, seeker, bureau):
    lead = _signup(session, posting)
    for outsider in (staff_b, hr, seeker.user):
        with pytest.raises(PermissionDeniedError):
            lead_confirm_by_call(actor=outsider, lead=lead)
        with pytest.raises(PermissionDeniedError):
            services.lead_call(actor=outsider, lead=lead, action="no_answer")
    lead = services.lead_call(actor=bureau, lead=lead, action="no_answer")
    assert lead.status == LeadStatus.UNREACHABLE and lead.attempts == 1
    assert not Application.objects.exists()


def test_outcomes_per_posting(session, posting, posting2, staff_a):
    a = _signup(session, posting, phone="13812340001")
    b = _signup(session, posting, phone="13812340002")
    _signup(session, posting2, phone="13812340003")
    _, app = lead_confirm_by_call(actor=staff_a, lead=a)
    services.lead_call(actor=staff_a, lead=b, action="decline")
    Application.objects.filter(pk=app.pk).update(status="hired", start_date="2026-01-01")
    rows = {r["posting"].pk: r for r in selectors.outcomes(session)}
    assert {k: rows[posting.pk][k] for k in ("signups", "reached", "confirmed", "applications", "hires")} == \
        {"signups": 2, "reached": 2, "confirmed": 1, "applications": 1, "hires": 1}
    assert rows[posting2.pk]["signups"] == 1 and rows[posting2.pk]["reached"] == 0


# --- pages and permissions ------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", [
    ("anonymous", 302), ("seeker", 403), ("hr", 403), ("staff_a", 200), ("staff_b", 200), ("bureau", 200)])
def test_who_sees_the_call_back_list(client, request, session, posting, role, expected):
    _signup(session, posting, phone="13812340011")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role).user if role == "seeker" else
                           request.getfixturevalue(role))
    r = client.get(reverse("live:leads"))
    assert r.status_code == expected
    if expected == 200:  # the phone in full only for the organising point and the bureau
        assert ("13812340011" in r.content.decode()) is (role in ("staff_a", "bureau"))


@pytest.mark.parametrize("role", ["anonymous", "seeker", "hr", "staff_b"])
def test_the_public_page_and_api_show_no_lead(client, request, session, posting, role):
    _signup(session, posting, phone="13812340011", name="钟秀兰")
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role).user if role == "seeker" else
                           request.getfixturevalue(role))
    for url in (reverse("live:detail", args=[session.pk]), f"/api/v1/live-sessions/{session.pk}",
                reverse("live:counter", args=[session.pk])):
        body = client.get(url).content.decode()
        assert "13812340011" not in body and "钟秀兰" not in body


def test_the_manage_page_is_for_the_organiser(client, session, staff_a, staff_b, hr):
    url = reverse("live:manage", args=[session.pk])
    client.force_login(staff_b)
    assert client.get(url).status_code == 403
    client.force_login(staff_a)
    assert client.get(url).status_code == 200


def test_the_api(client, session, posting, posting2):
    r = client.get("/api/v1/live-sessions")
    assert r.status_code == 200 and r.json()["count"] == 1 and r.json()["items"][0]["status"] == "live"
    body = {"posting_id": posting.pk, "name": "赖桂英", "phone": "13812345678"}
    r = client.post(f"/api/v1/live-sessions/{session.pk}/signups", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["signups"] == 1 and not r.json()["duplicate"]
    r = client.post(f"/api/v1/live-sessions/{session.pk}/signups", body, content_type="application/json")
    assert r.status_code == 200 and r.json()["duplicate"] and r.json()["signups"] == 1
    r = client.post(f"/api/v1/live-sessions/{session.pk}/signups", {**body, "phone": "12"},
                    content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    d = client.get(f"/api/v1/live-sessions/{session.pk}").json()
    assert [(p["id"], p["signups"]) for p in d["postings"]] == [(posting.pk, 1), (posting2.pk, 0)]
    assert d["postings"][1]["pay_type"] == "piece" and d["postings"][1]["piece_unit"] == "件"


def test_ending_keeps_the_page_with_the_replay(client, session, staff_a):
    client.force_login(staff_a)
    client.post(reverse("live:act", args=[session.pk, "end"]))
    client.post(reverse("live:replay", args=[session.pk]), {"replay_url": "https://v.douyin.com/abc/"})
    client.logout()
    html = client.get(reverse("live:detail", args=[session.pk])).content.decode()
    assert "看直播回放" in html and "https://v.douyin.com/abc/" in html


def test_the_fast_path_keeps_the_security_headers_and_spares_logged_in_viewers(client, session, staff_a):
    url = reverse("live:detail", args=[session.pk])
    client.get(url)  # fills the cache
    r = client.get(url)  # from the fast path
    assert r["X-Frame-Options"] == "DENY" and "default-src 'self'" in r["Content-Security-Policy"]
    assert r["X-Content-Type-Options"] == "nosniff"
    client.force_login(staff_a)
    mine = client.get(url).content.decode()
    assert "直播管理" in mine and "csrfmiddlewaretoken" in mine  # rendered for them, not the cached copy
