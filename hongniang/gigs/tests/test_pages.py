"""Pages: what users see, permissions, personal data masked until confirmation, QR, screen, figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from hongniang.core.errors import InvalidInput
from hongniang.gigs import services
from hongniang.gigs.models import GigEmployer, GigOrder, GigWorker

from .conftest import make_worker

pytestmark = pytest.mark.django_db


def test_list_shows_open_orders_nearest_first_for_a_township(order, make_order, client, regions):
    far = make_order(region=regions["v_jiubao"], address="九堡果园")
    r = client.get(reverse("gigs:list"), {"township": regions["jiubao"].code})
    assert r.status_code == 200
    text = r.content.decode()
    assert text.index("九堡果园") < text.index("沙洲坝村村口仓库")
    r = client.get(reverse("gigs:list"), {"township": regions["xianghu"].code})
    text = r.content.decode()
    assert text.index("沙洲坝村村口仓库") < text.index("九堡果园")
    assert far.pk


def test_list_without_place_is_soonest_first_and_filters_by_work_type(make_order, client, tomorrow):
    later = make_order(date=tomorrow + dt.timedelta(days=2), address="后天的活")
    sooner = make_order(address="明天的活", work_type="cleaning")
    text = client.get(reverse("gigs:list")).content.decode()
    assert text.index("明天的活") < text.index("后天的活")
    text = client.get(reverse("gigs:list"), {"work_type": "cleaning"}).content.decode()
    assert "明天的活" in text and "后天的活" not in text
    assert later.pk and sooner.pk


def test_list_query_count_does_not_grow(make_order, client, django_assert_max_num_queries):
    for i in range(6):
        make_order(address=f"地址{i}")
    with django_assert_max_num_queries(8):
        client.get(reverse("gigs:list"))


def test_anonymous_detail_hides_contact(order, client):
    r = client.get(reverse("gigs:order", args=[order.pk]))
    assert r.status_code == 200
    assert order.contact_phone not in r.content.decode()


def test_confirmed_worker_sees_contact(confirmed, client):
    client.force_login(confirmed.worker.user)
    r = client.get(reverse("gigs:order", args=[confirmed.order_id]))
    assert confirmed.order.contact_phone in r.content.decode()


def test_employer_sees_masked_phone_before_and_full_after_confirmation(order, worker, hr, client):
    a = services.signup(actor=worker.user, order=order)
    client.force_login(hr)
    text = client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    assert worker.phone not in text and worker.masked_phone in text
    services.confirm(actor=hr, assignment=a)
    text = client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    assert worker.phone in text


def test_other_employer_sees_no_manage_panel(order, worker, other_hr, client):
    services.signup(actor=worker.user, order=order)
    client.force_login(other_hr)
    text = client.get(reverse("gigs:order", args=[order.pk])).content.decode()
    assert "管理这张订单" not in text and worker.masked_phone not in text


def test_other_employer_cannot_act_on_assignment(order, worker, other_hr, client):
    a = services.signup(actor=worker.user, order=order)
    client.force_login(other_hr)
    r = client.post(reverse("gigs:act", args=[a.pk, "confirm"]))
    assert r.status_code == 404
    a.refresh_from_db()
    assert a.status == "signed_up"


def test_worker_signs_up_from_detail_and_employer_confirms(order, worker, hr, client):
    client.force_login(worker.user)
    r = client.post(reverse("gigs:order_action", args=[order.pk, "signup"]))
    assert r.status_code == 302
    a = order.assignments.get()
    client.force_login(hr)
    client.post(reverse("gigs:act", args=[a.pk, "confirm"]))
    a.refresh_from_db()
    assert a.status == "confirmed"


def test_quick_join_creates_user_and_worker_and_logs_in(client, regions, sms):
    data = {"name": "陈五", "phone": "13512345678", "work_types": ["moving"], "home_region": regions["v_xianghu"].code}
    r = client.post(reverse("gigs:join"), {**data, "send": "1"})
    assert r.status_code == 200 and "验证码已发送" in r.content.decode()
    r = client.post(reverse("gigs:join"), {**data, "code": sms.code("13512345678")})
    assert r.status_code == 302 and r.url == reverse("gigs:my_gigs")
    w = GigWorker.objects.get(phone="13512345678")
    assert w.user.phone == "13512345678" and w.lat == regions["v_xianghu"].lat
    assert client.get(reverse("gigs:my_gigs")).status_code == 200


def test_quick_join_bad_phone_saves_nothing(client):
    r = client.post(reverse("gigs:join"), {"name": "陈五", "phone": "12345"})
    assert r.status_code == 422
    assert "11 位" in r.content.decode()
    assert GigWorker.objects.count() == 0


def test_quick_join_for_an_existing_account_phone_needs_its_code_and_then_logs_in(client, seeker_user, sms):
    r = client.post(reverse("gigs:join"), {"name": "刘小红", "phone": seeker_user.phone})
    assert r.status_code == 422 and "验证码" in r.content.decode() and not GigWorker.objects.exists()
    client.post(reverse("gigs:join"), {"name": "刘小红", "phone": seeker_user.phone, "send": "1"})
    r = client.post(reverse("gigs:join"), {"name": "刘小红", "phone": seeker_user.phone,
                                           "code": sms.code(seeker_user.phone)})
    assert r.status_code == 302 and GigWorker.objects.get().user == seeker_user


def test_staff_registers_walk_in(client, staff_a, point_a):
    client.force_login(staff_a)
    client.post(reverse("gigs:join"), {"name": "老周", "phone": "13512340000"})
    w = GigWorker.objects.get(phone="13512340000")
    assert w.user is None and w.service_point == point_a and w.registered_by == staff_a


def test_post_page_creates_order(client, hr, gig_employer, regions, tomorrow):
    client.force_login(hr)
    data = {"employer": gig_employer.pk, "work_type": "loading", "date": tomorrow.isoformat(),
            "start_time": "08:00", "end_time": "12:00", "region": regions["v_xianghu"].code, "address": "物流园 3 号库",
            "pay_type": "hour", "pay_rate": "25", "headcount": "3"}
    r = client.post(reverse("gigs:post"), data)
    assert r.status_code == 302
    assert GigOrder.objects.get().total_per_worker == 100


@pytest.mark.parametrize("over, message", [
    ({"end_time": "07:00"}, "结束时间必须晚于开始时间"),
    ({"pay_rate": "15"}, "最低工资标准 16.1"),
    ({"headcount": "0"}, "至少要 1 个人"),
    ({"date": "2020-01-01"}, "开工日期不能早于今天"),
])
def test_post_page_bad_input_shows_error_and_saves_nothing(client, hr, gig_employer, regions, tomorrow, over,
                                                           message):
    client.force_login(hr)
    data = {"employer": gig_employer.pk, "work_type": "loading", "date": tomorrow.isoformat(),
            "start_time": "08:00", "end_time": "12:00", "region": regions["v_xianghu"].code, "address": "物流园",
            "pay_type": "hour", "pay_rate": "25", "headcount": "3", **over}
    r = client.post(reverse("gigs:post"), data)
    assert r.status_code == 422
    assert message in r.content.decode()
    assert GigOrder.objects.count() == 0


def test_post_page_shows_every_wrong_field_at_once(client, hr, gig_employer, regions, tomorrow):
    client.force_login(hr)
    data = {"employer": gig_employer.pk, "work_type": "loading", "date": "2020-01-01",
            "start_time": "08:00", "end_time": "07:00", "region": regions["v_xianghu"].code, "address": "物流园",
            "pay_type": "hour", "pay_rate": "15", "headcount": "0"}
    r = client.post(reverse("gigs:post"), data)
    assert r.status_code == 422
    page = r.content.decode()
    for message in ("开工日期不能早于今天", "结束时间必须晚于开始时间", "至少要 1 个人", "最低工资标准 16.1"):
        assert message in page
    assert GigOrder.objects.count() == 0


def test_quick_signup_names_name_and_phone_together(client):
    with pytest.raises(InvalidInput) as caught:
        services.worker_quick_signup(actor=AnonymousUser(), name=" ", phone="12345", work_types=["nonsense"])
    assert set(caught.value.errors) == {"name", "phone", "work_types"}
    assert GigWorker.objects.count() == 0


def test_post_page_writes_nothing_on_get_and_creates_the_enterprise_employer_with_the_first_order(
        client, hr, enterprise, regions, tomorrow):
    client.force_login(hr)
    r = client.get(reverse("gigs:post"))
    assert r.status_code == 200 and enterprise.name in r.content.decode()
    assert GigEmployer.objects.count() == 0
    data = {"employer": f"e{enterprise.pk}", "work_type": "loading", "date": tomorrow.isoformat(),
            "start_time": "08:00", "end_time": "12:00", "region": regions["v_xianghu"].code, "address": "物流园",
            "pay_type": "hour", "pay_rate": "15", "headcount": "3"}
    assert client.post(reverse("gigs:post"), data).status_code == 422
    assert GigEmployer.objects.count() == 0 and GigOrder.objects.count() == 0  # nothing half-saved
    assert client.post(reverse("gigs:post"), {**data, "pay_rate": "25"}).status_code == 302
    order = GigOrder.objects.get()
    assert order.employer.enterprise == enterprise and GigEmployer.objects.count() == 1


def test_post_page_needs_login(client):
    r = client.get(reverse("gigs:post"))
    assert r.status_code == 302 and "login" in r.url


def test_outsider_without_employer_is_sent_to_verify(client, outsider):
    client.force_login(outsider)
    r = client.get(reverse("gigs:post"))
    assert r.url == reverse("gigs:employer_join")


def test_qr_svg_for_manager_only(order, hr, other_hr, client):
    client.force_login(hr)
    r = client.get(reverse("gigs:order_qr", args=[order.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml" and b"<svg" in r.content
    client.force_login(other_hr)
    assert client.get(reverse("gigs:order_qr", args=[order.pk])).status_code == 404


def test_checkin_page_checks_in_and_out(confirmed, client, clock, tomorrow):
    token = services.checkin_token(confirmed.order)
    url = reverse("gigs:checkin", args=[token])
    client.force_login(confirmed.worker.user)
    clock.at(tomorrow, 8, 0)
    assert "签到（开始干活）" in client.get(url).content.decode()
    client.post(url)
    confirmed.refresh_from_db()
    assert confirmed.status == "checked_in"
    clock.at(tomorrow, 12, 0)
    client.post(url)
    confirmed.refresh_from_db()
    assert confirmed.status == "checked_out" and confirmed.hours_worked == 4


def test_checkin_page_with_bad_token_is_404(client):
    assert client.get(reverse("gigs:checkin", args=["nope"])).status_code == 404


def test_screen_lists_today_and_tomorrow_and_polls(order, client):
    r = client.get(reverse("gigs:screen"))
    text = r.content.decode()
    assert r.status_code == 200 and 'hx-trigger="every 30s"' in text and "沙洲坝" in text
    partial = client.get(reverse("gigs:screen"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "沙洲坝" in partial


def test_figures_for_bureau_and_staff_not_for_others(checked_out, hr, worker, bureau, staff_a, outsider, client):
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="cash")
    services.pay_confirm(actor=worker.user, assignment=checked_out)
    client.force_login(bureau)
    r = client.get(reverse("gigs:figures"), {"to": (checked_out.order.date).isoformat()})
    assert r.status_code == 200 and "象湖镇" in r.content.decode() and "200" in r.content.decode()
    client.force_login(staff_a)
    assert client.get(reverse("gigs:figures")).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("gigs:figures")).status_code == 403


def test_arrears_page_bureau_only_and_resolves(checked_out, clock, tomorrow, bureau, hr, client):
    from django.core.management import call_command

    clock.at(tomorrow + dt.timedelta(days=2), 9, 0)
    call_command("check_gig_arrears", "--wet-run", stdout=open("/dev/null", "w"))
    client.force_login(hr)
    assert client.get(reverse("gigs:arrears")).status_code == 403
    client.force_login(bureau)
    assert "签退后超时未登记付款" in client.get(reverse("gigs:arrears")).content.decode()
    from hongniang.gigs.models import ArrearsAlert

    al = ArrearsAlert.objects.get()
    client.post(reverse("gigs:arrears"), {"alert": al.pk, "resolution": "已核实结清"})
    al.refresh_from_db()
    assert al.resolved_at


def test_my_gigs_confirm_pay(checked_out, hr, worker, client):
    services.pay_record(actor=hr, assignment=checked_out, amount="200", method="cash")
    client.force_login(worker.user)
    assert "收到了" in client.get(reverse("gigs:my_gigs")).content.decode()
    client.post(reverse("gigs:act", args=[checked_out.pk, "pay-confirm"]), {"next": reverse("gigs:my_gigs")})
    checked_out.refresh_from_db()
    assert checked_out.status == "settled"


def test_my_gigs_saves_availability(worker, client, tomorrow):
    client.force_login(worker.user)
    d = tomorrow + dt.timedelta(days=3)
    client.post(reverse("gigs:my_gigs"), {"availability": "1", "dates": [d.isoformat()]})
    assert list(worker.availability.values_list("date", flat=True)) == [d]


def test_my_orders_offers_rehire(checked_out, hr, make_order, tomorrow, client):
    new = make_order(date=tomorrow + dt.timedelta(days=1), address="新仓库")
    client.force_login(hr)
    text = client.get(reverse("gigs:my_orders")).content.decode()
    assert "再请 TA" in text
    client.post(reverse("gigs:order_action", args=[new.pk, "rehire"]), {"worker": checked_out.worker_id})
    assert new.assignments.get().status == "invited"


def test_candidates_page_and_notify(order, worker, hr, client, regions, tomorrow):
    make_worker("c1", "13600000011", "候选", regions["v_xianghu"], free=[tomorrow])
    client.force_login(hr)
    text = client.get(reverse("gigs:candidates", args=[order.pk])).content.decode()
    assert "距离约" in text
    r = client.post(reverse("gigs:order_action", args=[order.pk, "notify"]))
    assert r.status_code == 302


@pytest.mark.parametrize("model", ["gigorder", "gigworker", "gigemployer", "arrearsalert"])
def test_admin_changelists_render(checked_out, bureau, client, model):
    client.force_login(bureau)
    assert client.get(f"/admin/gigs/{model}/").status_code == 200


def test_openapi_lists_gig_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/gigs/orders" in paths and "/api/v1/gigs/assignments/{assignment_id}/pay/confirm" in paths


def test_right_after_a_quick_join_a_password_is_set_without_a_second_code(client, regions, sms):
    from django.test import Client

    from hongniang.core.models import AuditEvent

    data = {"name": "陈五", "phone": "13512345678", "work_types": ["moving"], "home_region": regions["v_xianghu"].code}
    client.post(reverse("gigs:join"), {**data, "send": "1"})
    r = client.post(reverse("gigs:join"), {**data, "code": sms.code("13512345678")}, follow=True)
    html = r.content.decode()
    assert "登记成功" in html and 'href="/me/password/">设置密码，下次直接登录</a>' in html
    user = GigWorker.objects.get(phone="13512345678").user
    assert AuditEvent.objects.filter(action="account.login_gig_signup", actor=user).count() == 1
    page = client.get("/me/password/").content.decode()
    assert "刚用短信验证码登记零工" in page and 'name="code"' not in page
    r = client.post("/me/password/", {"new_password": "good-pass-9", "new_password2": "good-pass-9"})
    assert r.status_code == 302
    assert len(sms.sent) == 1  # the sign-up's code only
    assert list(AuditEvent.objects.filter(action="account.set_password", actor=user)
                .values_list("detail__proof", flat=True)) == ["recent_gig_signup"]
    other = Client()
    other.post("/accounts/login/", {"username": "13512345678", "password": "good-pass-9"})
    assert other.session.get("_auth_user_id") == str(user.pk)


def test_a_quick_join_proof_does_not_open_the_password_page_in_another_session(client, regions, sms):
    from django.test import Client

    data = {"name": "陈五", "phone": "13512345678", "work_types": ["moving"], "home_region": regions["v_xianghu"].code}
    client.post(reverse("gigs:join"), {**data, "send": "1"})
    client.post(reverse("gigs:join"), {**data, "code": sms.code("13512345678")})
    other = Client()
    other.force_login(GigWorker.objects.get(phone="13512345678").user)
    assert 'name="code"' in other.get("/me/password/").content.decode()
    r = other.post("/me/password/", {"new_password": "good-pass-9", "new_password2": "good-pass-9"})
    assert r.status_code == 422


def test_staff_registering_a_walk_in_records_no_phone_proof(client, staff_a, point_a):
    from hongniang.core.models import AuditEvent

    client.force_login(staff_a)
    client.post(reverse("gigs:join"), {"name": "老周", "phone": "13512340000"})
    assert not AuditEvent.objects.filter(action="account.login_gig_signup").exists()
