"""Call lists with outcomes, follow-ups after a hire, figures, exports, posters, the workspace."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationEvent
from hongniang.core.models import AuditEvent
from hongniang.outreach import services
from hongniang.outreach.models import CallLog, FollowUp
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


def hire(seeker, posting, when=None, start=None):
    app = Application.objects.create(seeker=seeker, posting=posting, status="hired",
                                     start_date=start or timezone.localdate())
    ev = ApplicationEvent.objects.create(application=app, from_status="offered", to_status="hired")
    if when:
        ApplicationEvent.objects.filter(pk=ev.pk).update(at=when)
    return app


# --- call lists -------------------------------------------------------------------------------------


def test_call_list_hides_seekers_already_called_for_the_job(client, staff_a, seeker, seeker_a2, near_job):
    client.force_login(staff_a)
    ids = [c["seeker_id"] for c in client.get(f"/api/v1/outreach/jobs/{near_job.pk}/call-list").json()]
    assert seeker.pk in ids and seeker_a2.pk in ids
    r = client.post(f"/api/v1/outreach/jobs/{near_job.pk}/calls",
                    {"seeker_id": seeker.pk, "outcome": "no_answer"}, content_type="application/json")
    assert r.status_code == 201
    ids = [c["seeker_id"] for c in client.get(f"/api/v1/outreach/jobs/{near_job.pk}/call-list").json()]
    assert seeker.pk not in ids and seeker_a2.pk in ids
    page = client.get(f"/staff/jobs/{near_job.pk}/calls/").content.decode()
    assert "已联系（1）" in page and f"call-{seeker.pk}\"" not in page.split("已联系")[0]


def test_nobody_is_called_twice_for_the_same_job(client, staff_a, seeker, near_job):
    services.call_log_record(actor=staff_a, posting=near_job, seeker=seeker, outcome="no_answer")
    with pytest.raises(services.AlreadyCalled):
        services.call_log_record(actor=staff_a, posting=near_job, seeker=seeker, outcome="not_interested")
    client.force_login(staff_a)
    r = client.post(f"/api/v1/outreach/jobs/{near_job.pk}/calls", {"seeker_id": seeker.pk, "outcome": "no_answer"},
                    content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_called"
    assert CallLog.objects.count() == 1


def test_interested_applies_on_their_behalf_with_verbal_consent(client, staff_a, seeker, near_job):
    client.force_login(staff_a)
    r = client.post(f"/staff/jobs/{near_job.pk}/calls/{seeker.pk}/", {"outcome": "interested"},
                    HTTP_HX_REQUEST="true")
    assert "口头同意" in r.content.decode() and not Application.objects.exists()
    r = client.post(f"/staff/jobs/{near_job.pk}/calls/{seeker.pk}/",
                    {"outcome": "interested", "verbal_consent": "1", "note": "明天去面试"}, HTTP_HX_REQUEST="true")
    assert "已代为报名" in r.content.decode()
    app = Application.objects.get(seeker=seeker, posting=near_job)
    assert app.channel == "staff" and CallLog.objects.get().application == app
    assert AuditEvent.objects.filter(action="outreach.call", detail__consent="verbal").exists()


def test_staff_cannot_call_another_points_seeker(client, staff_b, seeker, near_job):
    client.force_login(staff_b)
    assert client.post(f"/staff/jobs/{near_job.pk}/calls/{seeker.pk}/", {"outcome": "no_answer"}).status_code == 404
    r = client.post(f"/api/v1/outreach/jobs/{near_job.pk}/calls", {"seeker_id": seeker.pk, "outcome": "no_answer"},
                    content_type="application/json")
    assert r.status_code == 404
    ids = [c["seeker_id"] for c in client.get(f"/api/v1/outreach/jobs/{near_job.pk}/call-list").json()]
    assert seeker.pk not in ids


def test_call_list_is_refused_to_hr_and_anonymous(client, hr, near_job):
    client.force_login(hr)
    assert client.get(f"/api/v1/outreach/jobs/{near_job.pk}/call-list").status_code == 403
    assert client.get(f"/staff/jobs/{near_job.pk}/calls/").status_code == 403
    client.logout()
    assert client.get(f"/api/v1/outreach/jobs/{near_job.pk}/call-list").status_code == 401


# --- follow-ups -------------------------------------------------------------------------------------


def test_a_hire_gets_followups_at_7_30_and_90_days_once(seeker, near_job):
    app = hire(seeker, near_job)
    day = dt.date(2025, 3, 1)
    made = services.schedule_followups(application=app, hired_on=day)
    assert [(x.day, x.due_on) for x in made] == [(7, dt.date(2025, 3, 8)), (30, dt.date(2025, 3, 31)),
                                                (90, dt.date(2025, 5, 30))]
    assert made[0].service_point == seeker.service_point and made[0].enterprise == near_job.enterprise
    assert services.schedule_followups(application=app, hired_on=day) == []
    assert FollowUp.objects.count() == 3


def test_followups_count_from_the_agreed_start_date(seeker, near_job):
    app = hire(seeker, near_job, start=dt.date(2025, 6, 2))
    assert services.schedule_followups(application=app)[0].due_on == dt.date(2025, 6, 9)


def test_only_hired_applications_get_followups(seeker, near_job):
    app = Application.objects.create(seeker=seeker, posting=near_job, status="applied")
    with pytest.raises(services.InvalidInput):
        services.schedule_followups(application=app)


def test_the_command_creates_missing_followups_only_with_wet_run(seeker, seeker_a2, near_job):
    hire(seeker, near_job)
    app2 = hire(seeker_a2, near_job)
    services.schedule_followups(application=app2)
    FollowUp.objects.filter(application=app2, day=90).delete()
    out = io.StringIO()
    call_command("schedule_followups", stdout=out)
    assert "would create 4 follow-ups for 2" in out.getvalue() and FollowUp.objects.count() == 2
    call_command("schedule_followups", "--wet-run", stdout=out)
    assert FollowUp.objects.count() == 6
    out = io.StringIO()
    call_command("schedule_followups", "--wet-run", stdout=out)
    assert "created 0 follow-ups" in out.getvalue()


def test_due_and_overdue_lists_are_per_point(client, staff_a, staff_b, seeker, near_job):
    today = timezone.localdate()
    app = hire(seeker, near_job)
    services.schedule_followups(application=app, hired_on=today - dt.timedelta(days=10))  # 7-day overdue
    client.force_login(staff_a)
    overdue = client.get("/api/v1/outreach/followups?state=overdue").json()
    assert [x["day"] for x in overdue["items"]] == [7] and overdue["count"] == 1
    assert client.get("/api/v1/outreach/followups?state=due").json()["items"] == []
    client.force_login(staff_b)
    assert client.get("/api/v1/outreach/followups?state=overdue").json()["count"] == 0
    fu = FollowUp.objects.get(day=7)
    assert client.get(f"/staff/followups/{fu.pk}/").status_code == 404
    r = client.post(f"/api/v1/outreach/followups/{fu.pk}", {"still_working": True}, content_type="application/json")
    assert r.status_code == 404


def test_recording_a_followup_and_the_retention_rate(client, staff_a, seeker, seeker_a2, near_job):
    today = timezone.localdate()
    for s in (seeker, seeker_a2):
        services.schedule_followups(application=hire(s, near_job), hired_on=today - dt.timedelta(days=8))
    f1, f2 = FollowUp.objects.filter(day=7).order_by("seeker_id")
    client.force_login(staff_a)
    r = client.post(f"/staff/followups/{f1.pk}/", {"reached": "yes", "still_working": "1", "paid_as_promised": "1"})
    assert r.status_code == 302
    r = client.post(f"/api/v1/outreach/followups/{f2.pk}", {"still_working": False, "problems": "夜班太多"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    f1.refresh_from_db()
    assert f1.still_working and f1.paid_as_promised and f1.done_by == staff_a and f1.events.count() == 2
    ret = client.get("/api/v1/outreach/retention").json()
    assert ret == [{"enterprise_id": near_job.enterprise_id, "enterprise": near_job.enterprise.name, "hires": 2,
                    "retention": {"7": {"recorded": 2, "still_working": 1, "rate": 50},
                                  "30": {"recorded": 0, "still_working": 0, "rate": None},
                                  "90": {"recorded": 0, "still_working": 0, "rate": None}}}]
    r = client.post(f"/api/v1/outreach/followups/{f1.pk}", {"still_working": True}, content_type="application/json")
    assert r.status_code == 409


# --- figures ----------------------------------------------------------------------------------------


def test_figures_per_point_and_the_bureaus_side_by_side_view(client, staff_a, bureau, point_a, point_b, seeker,
                                                            seeker_a2, near_job, regions, occupations):
    f.SeekerFactory(service_point=point_b, is_active=False)
    hire(seeker, near_job)
    services.schedule_missing_followups(wet_run=True)
    client.force_login(staff_a)
    rows = client.get("/api/v1/outreach/figures").json()
    assert [(r["service_point"], r["registered"], r["active"], r["placed_this_month"], r["followups_due"])
            for r in rows] == [("象湖镇就业之家", 2, 2, 1, 1)]
    client.force_login(bureau)
    rows = {r["service_point"]: r for r in client.get("/api/v1/outreach/figures").json()}
    assert rows["九堡镇就业之家"]["registered"] == 1 and rows["九堡镇就业之家"]["active"] == 0
    assert rows["象湖镇就业之家"]["registered"] == 2
    page = client.get("/staff/figures/").content.decode()
    assert "全市各就业之家数据" in page and "九堡镇就业之家" in page


def test_figures_page_queries_do_not_grow_with_points(client, bureau, regions, django_assert_max_num_queries):
    for i in range(20):
        f.ServicePointFactory(name=f"第{i}就业之家")
    client.force_login(bureau)
    with django_assert_max_num_queries(14):
        assert client.get("/staff/figures/").status_code == 200


# --- exports ----------------------------------------------------------------------------------------


def _sheet(content):
    return list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_seeker_export_is_masked_by_default_full_on_request_and_always_audited(client, staff_a, seeker,
                                                                                seeker_b):
    client.force_login(staff_a)
    rows = _sheet(client.get("/staff/exports/seekers/").content)
    assert len(rows) == 2 and rows[1][0] == "刘**" and rows[1][2] == "139****0001"
    assert "*" in rows[1][1]
    rows = _sheet(client.get("/staff/exports/seekers/?full=1").content)
    assert rows[1][0] == "刘小红" and rows[1][2] == "13900000001" and "*" not in rows[1][1]
    events = AuditEvent.objects.filter(action="export.seekers").order_by("id")
    assert [e.detail["full"] for e in events] == [False, True]
    assert events[0].detail["seekers"] == [seeker.pk]  # never point B's seeker


def test_export_of_another_point_is_refused(client, staff_b, point_a, seeker, outsider):
    client.force_login(staff_b)
    assert client.get(f"/staff/exports/seekers/?point={point_a.pk}").status_code == 403
    client.force_login(outsider)
    assert client.get("/staff/exports/seekers/").status_code == 403
    assert client.get("/staff/exports/placements/").status_code == 403


def test_placements_export_lists_hires_with_followups(client, staff_a, seeker, near_job):
    app = hire(seeker, near_job)
    services.schedule_followups(application=app, hired_on=timezone.localdate() - dt.timedelta(days=8))
    services.followup_record(actor=staff_a, followup=FollowUp.objects.get(day=7), still_working=True,
                             paid_as_promised=True)
    client.force_login(staff_a)
    rows = _sheet(client.get("/staff/exports/placements/").content)
    assert rows[0][:5] == ("姓名", "身份证号", "手机号", "用人单位", "岗位")
    assert rows[1][3] == near_job.enterprise.name and rows[1][7] == "在岗，工资按约定"
    assert AuditEvent.objects.filter(action="export.placements").exists()


# --- posters and the workspace ----------------------------------------------------------------------


def test_poster_is_an_a4_pdf_with_the_townships_jobs_and_an_embedded_font(client, staff_a, near_job, point_a):
    from hongniang.outreach import posters

    client.force_login(staff_a)
    r = client.get("/staff/posters/360781100000.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in r.content
    data, facts = posters.poster_pdf(township=near_job.township, base_url="http://testserver/", point=point_a)
    assert facts["jobs"] == 1
    import os

    if os.path.exists(posters.font_file()[0]):
        assert facts["embedded"] and b"/FontFile2" in data


def test_poster_of_a_township_without_a_point_of_mine_is_not_found(client, staff_a, regions):
    client.force_login(staff_a)
    assert client.get("/staff/posters/360781103000.pdf").status_code == 404


def test_poster_falls_back_to_a_cid_font_without_the_font_file(settings, near_job, point_a):
    from hongniang.outreach import posters

    settings.POSTER_FONT_FILE = "/nonexistent.ttc"
    data, facts = posters.poster_pdf(township=near_job.township, base_url="http://x/", point=point_a)
    assert data.startswith(b"%PDF") and facts == {"jobs": 1, "pages": 1, "font": "STSong-Light", "embedded": False}


def test_workspace_shows_tasks_search_and_links(client, staff_a, seeker, near_job):
    app = hire(seeker, near_job)
    services.schedule_followups(application=app, hired_on=timezone.localdate() - dt.timedelta(days=7))
    client.force_login(staff_a)
    page = client.post("/staff/", {"q": "刘"}).content.decode()
    assert "今日任务" in page and "上岗第 7 天" in page
    assert "刘小红" in page and "/me/staff/register/" in page and "缝纫工（近）" in page
    assert f"/staff/jobs/{near_job.pk}/calls/" in page


def test_workspace_permissions(client, hr, outsider, seeker_user):
    assert client.get("/staff/").status_code == 302
    for user in (hr, outsider, seeker_user):
        client.force_login(user)
        assert client.get("/staff/").status_code == 403


def test_call_list_is_cards_with_tap_to_call_and_one_tap_outcomes(client, staff_a, seeker, near_job):
    client.force_login(staff_a)
    page = client.get(f"/staff/jobs/{near_job.pk}/calls/").content.decode()
    card = page.split(f'id="call-{seeker.pk}"')[1].split("</article>")[0]
    assert f'href="tel:{seeker.phone}"' in card and seeker.name in card
    assert 'name="outcome" value="interested"' in card and 'name="outcome" value="no_answer"' in card
    assert "<table" not in page.split("已联系")[0]  # no wide table to scroll sideways


def test_a_refused_outcome_keeps_the_card_and_its_buttons(client, staff_a, seeker, near_job):
    client.force_login(staff_a)
    r = client.post(f"/staff/jobs/{near_job.pk}/calls/{seeker.pk}/", {"outcome": "interested"},
                    HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'role="alert"' in html and 'name="outcome" value="interested"' in html and "tel:" in html
