"""Pipeline pages and API: HR buttons and history, the seeker's history, the bureau's pay record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications import services
from hongniang.applications.models import Application
from hongniang.core.models import AuditEvent


@pytest.fixture
def application(seeker, posting):
    return services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)


def test_applicants_page_has_pipeline_buttons(client, hr, application, posting):
    client.force_login(hr)
    body = client.get(f"/enterprise/jobs/{posting.pk}/applicants/").content.decode()
    assert f"/applications/{application.pk}/act/contact/" in body and "约面试" in body and "进度记录" in body


def test_applicants_page_masks_withdrawn_applicants(client, hr, application, posting, seeker):
    services.application_withdraw(actor=seeker.user, application=application)
    client.force_login(hr)
    body = client.get(f"/enterprise/jobs/{posting.pk}/applicants/").content.decode()
    assert "13900000001" not in body and "139****0001" in body


def test_hr_action_from_the_page(client, hr, application, posting):
    client.force_login(hr)
    nxt = f"/enterprise/jobs/{posting.pk}/applicants/"
    r = client.post(f"/applications/{application.pk}/act/interview/",
                    {"interview_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
                     "interview_place": "象湖镇工业园", "next": nxt})
    assert r.status_code == 302 and r.url == nxt
    application.refresh_from_db()
    assert application.status == "interview"


def test_hr_action_with_htmx_returns_the_buttons(client, hr, application):
    client.force_login(hr)
    r = client.post(f"/applications/{application.pk}/act/offer/", HTTP_HX_REQUEST="true")
    assert "已改为“已录用待上岗”" in r.content.decode()
    r = client.post(f"/applications/{application.pk}/act/view/", HTTP_HX_REQUEST="true")
    assert "不能改为" in r.content.decode()


def test_other_enterprise_cannot_act(client, other_hr, application):
    client.force_login(other_hr)
    assert client.post(f"/applications/{application.pk}/act/contact/").status_code == 404
    application.refresh_from_db()
    assert application.status == "applied"


def test_hr_opening_detail_marks_viewed_and_audits_contact_view(client, hr, application):
    client.force_login(hr)
    body = client.get(f"/applications/{application.pk}/").content.decode()
    application.refresh_from_db()
    assert application.status == "viewed" and "13900000001" in body and "企业已查看" in body
    assert AuditEvent.objects.filter(action="seeker.view_contact", actor=hr).exists()


@pytest.mark.parametrize("who,status", [("seeker_user", 200), ("staff_a", 200), ("bureau", 200),
                                        ("other_hr", 404), ("staff_b", 404), ("outsider", 404)])
def test_detail_visibility(client, application, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/applications/{application.pk}/").status_code == status


def test_seekers_page_shows_history(client, seeker_user, application, hr):
    services.application_contact(actor=hr, application=application)
    client.force_login(seeker_user)
    body = client.get("/me/applications/").content.decode()
    assert "进度记录" in body and "已联系" in body and "已报名" in body


def test_my_applications_query_count_is_flat(client, seeker_user, seeker, enterprise, hr,
                                             django_assert_max_num_queries):
    from hongniang.testing import factories as f

    for _ in range(6):
        a = services.application_apply(seeker=seeker, posting=f.JobPostingFactory(enterprise=enterprise),
                                       actor=seeker_user)
        services.application_contact(actor=hr, application=a)
    client.force_login(seeker_user)
    with django_assert_max_num_queries(14):
        assert client.get("/me/applications/").status_code == 200


def _hire(application, hr, start_days_ago=35):
    services.application_offer(actor=hr, application=application)
    return services.application_hire(actor=hr, application=application,
                                     start_date=timezone.localdate() - dt.timedelta(days=start_days_ago))


def test_seeker_confirms_start_and_reports_pay_from_the_page(client, seeker_user, application, hr):
    _hire(application, hr)
    client.force_login(seeker_user)
    day = (timezone.localdate() - dt.timedelta(days=35)).isoformat()
    assert client.post(f"/applications/{application.pk}/confirm-start/", {"actual_start_date": day}).status_code == 302
    client.post(f"/applications/{application.pk}/report-pay/", {"amount": "4000"})
    application.refresh_from_db()
    assert application.pay_amount == 4000 and application.actual_start_date.isoformat() == day


def test_pay_record_for_the_bureau(client, bureau, seeker, application, hr, posting, seeker_a2, staff_a):
    _hire(application, hr)
    services.application_confirm_start(actor=seeker.user, application=application,
                                       actual_start_date=timezone.localdate() - dt.timedelta(days=35))
    services.application_report_pay(actor=seeker.user, application=application, amount=3000)
    other = services.application_apply(seeker=seeker_a2, posting=posting, actor=staff_a, channel="staff",
                                       consent_confirmed=True)
    _hire(other, hr)
    client.force_login(bureau)
    rows = client.get("/api/v1/bureau/pay-record").json()
    assert rows == [{"enterprise_id": posting.enterprise_id, "enterprise_name": posting.enterprise.name, "hires": 2,
                     "confirmed_starts": 1, "pay_reports": 1, "below_promise": 1, "share_below_promise": 1.0}]
    body = client.get("/applications/pay-record/").content.decode()
    assert posting.enterprise.name in body and "100%" in body


@pytest.mark.parametrize("who", ["hr", "staff_a", "seeker_user"])
def test_pay_record_is_bureau_only(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/applications/pay-record/").status_code == 403
    assert client.get("/api/v1/bureau/pay-record").status_code == 403


# --- API --------------------------------------------------------------------------------------------


def test_api_transition_and_history(client, hr, application):
    client.force_login(hr)
    when = (timezone.now() + dt.timedelta(days=2)).isoformat()
    r = client.post(f"/api/v1/applications/{application.pk}/transitions/interview",
                    {"interview_at": when, "interview_place": "象湖镇工业园"}, content_type="application/json")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "interview" and body["seeker_phone"] == "13900000001"
    assert body["next_actions"] == ["interview", "offer", "hire", "reject", "no_show"]
    assert [h["to_status"] for h in body["history"]] == ["applied", "interview"]
    r = client.post(f"/api/v1/applications/{application.pk}/transitions/view", {}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    hist = client.get(f"/api/v1/applications/{application.pk}/history").json()
    assert len(hist) == 2


def test_api_transition_validation_error_is_422(client, hr, application):
    client.force_login(hr)
    r = client.post(f"/api/v1/applications/{application.pk}/transitions/reject", {},
                    content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"] == {"reason": ["请填写不合适的原因（求职者会看到）"]}


def test_api_seeker_cannot_run_pipeline(client, seeker_user, application):
    client.force_login(seeker_user)
    r = client.post(f"/api/v1/applications/{application.pk}/transitions/contact", {}, content_type="application/json")
    assert r.status_code == 403


def test_api_other_hr_does_not_see_the_application(client, other_hr, application):
    client.force_login(other_hr)
    assert client.get(f"/api/v1/applications/{application.pk}").status_code == 404


def test_api_confirm_start_and_pay(client, seeker_user, application, hr):
    _hire(application, hr)
    client.force_login(seeker_user)
    day = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    r = client.post(f"/api/v1/applications/{application.pk}/confirm-start", {"actual_start_date": day},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["actual_start_date"] == day
    r = client.post(f"/api/v1/applications/{application.pk}/pay-report", {"amount": 5000},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["pay_below_promise"] is False


def test_api_posting_applications_masks_withdrawn(client, hr, application, seeker, posting):
    services.application_withdraw(actor=seeker.user, application=application)
    client.force_login(hr)
    rows = client.get(f"/api/v1/jobs/{posting.pk}/applications").json()
    assert rows[0]["seeker_phone"] == "139****0001" and rows[0]["seeker_name"] != seeker.name


def test_api_posting_applications_other_hr_404(client, other_hr, posting, application):
    client.force_login(other_hr)
    assert client.get(f"/api/v1/jobs/{posting.pk}/applications").status_code == 404


def test_stale_rule_keeps_answered_applications(application, hr):
    services.application_contact(actor=hr, application=application)
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - dt.timedelta(days=90))
    assert list(services.stale_applications()) == []
