"""Enterprise pages: register, dashboard, post / edit / close, applicants — and who may see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hongniang.applications.models import Application
from hongniang.core.models import AuditEvent, User
from hongniang.employers.models import Enterprise, EnterpriseMembership
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.testing import factories as f

GOOD_CODE = f.valid_credit_code(9001)


@pytest.fixture
def register_data(regions):
    from hongniang.notifications.phone_codes import phone_code_send

    return {"name": "瑞金市新星鞋业有限公司", "credit_code": GOOD_CODE, "region_code": "360781103000",
            "address": "九堡镇工业路 8 号", "contact_name": "王经理", "phone": "13807971234",
            "password": "hongniang-2024", "password2": "hongniang-2024", "description": "",
            "code": phone_code_send(phone="13807971234", purpose="enterprise_register")}


def test_register_creates_account_and_unverified_enterprise_and_logs_in(client, register_data):
    r = client.post(reverse("employers:register"), register_data)
    assert r.status_code == 302 and r.url == reverse("employers:dashboard")
    user = User.objects.get(username="13807971234")
    ent = Enterprise.objects.get(credit_code=GOOD_CODE)
    assert ent.verification_status == "unverified" and ent.contact_phone == "13807971234"
    assert EnterpriseMembership.objects.filter(user=user, enterprise=ent).exists()
    page = client.get(reverse("employers:dashboard")).content.decode()
    assert "瑞金市新星鞋业有限公司" in page and "未认证" in page


def test_register_with_bad_credit_code_shows_chinese_error_and_saves_nothing(client, register_data):
    bad = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")
    r = client.post(reverse("employers:register"), {**register_data, "credit_code": bad})
    assert r.status_code == 422
    assert "统一社会信用代码校验位不正确" in r.content.decode()
    assert not User.objects.filter(username="13807971234").exists()
    assert Enterprise.objects.count() == 0


def test_register_with_taken_credit_code_creates_the_account_and_leads_to_a_claim(client, register_data, enterprise):
    """The phone is proven by the SMS code: the account is made, no second enterprise, and the next page is the
    claim form with what was typed (the bureau decides whose code it is)."""
    r = client.post(reverse("employers:register"), {**register_data, "credit_code": enterprise.credit_code})
    assert r.status_code == 302 and r.url.startswith(reverse("employers:claim"))
    user = User.objects.get(username="13807971234")
    assert Enterprise.objects.filter(credit_code=enterprise.credit_code).count() == 1
    assert not EnterpriseMembership.objects.filter(user=user).exists()
    page = client.get(r.url).content.decode()
    assert "申请人社局核实" in page and enterprise.credit_code in page and "瑞金市新星鞋业有限公司" in page


def test_register_with_unknown_region_is_refused(client, register_data):
    r = client.post(reverse("employers:register"), {**register_data, "region_code": "360781999999"})
    assert "找不到该地区" in r.content.decode()
    assert Enterprise.objects.count() == 0 and User.objects.count() == 0


def test_register_with_mismatched_passwords_is_refused(client, register_data):
    r = client.post(reverse("employers:register"), {**register_data, "password2": "other-pass-9"})
    assert "两次输入的密码不一致" in r.content.decode()
    assert User.objects.count() == 0


def test_logged_in_user_registers_just_the_enterprise(client, outsider, register_data):
    client.force_login(outsider)
    data = {**register_data, "contact_phone": "13807970000"}
    r = client.post(reverse("employers:register"), data)
    assert r.status_code == 302
    assert Enterprise.objects.get(credit_code=GOOD_CODE).members.get() == outsider


def test_dashboard_needs_login(client, db):
    r = client.get(reverse("employers:dashboard"))
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_dashboard_shows_own_postings_with_applicant_counts(client, hr, posting, make_posting, other_enterprise,
                                                            seeker, django_assert_max_num_queries):
    Application.objects.create(seeker=seeker, posting=posting)
    for i in range(10):
        make_posting(title=f"岗位{i}")
    f.JobPostingFactory(enterprise=other_enterprise, title="别家的岗位")
    client.force_login(hr)
    with django_assert_max_num_queries(8):
        r = client.get(reverse("employers:dashboard"))
    html = r.content.decode()
    assert "别家的岗位" not in html
    rows = {p.title: p.applicant_count for p in r.context["postings"]}
    assert rows["缝纫工"] == 1 and len(rows) == 11


def test_user_without_enterprise_is_offered_registration(client, outsider):
    client.force_login(outsider)
    assert "登记企业" in client.get(reverse("employers:dashboard")).content.decode()


def page_post_data(valid_posting_data, **changes):
    d = {k: v for k, v in valid_posting_data.items() if v is not False}
    d.update(changes)
    return d


def test_post_a_job_from_the_page(client, hr, valid_posting_data):
    client.force_login(hr)
    r = client.post(reverse("employers:posting_new"), page_post_data(valid_posting_data))
    assert r.status_code == 302
    p = JobPosting.objects.get()
    assert p.status == PostingStatus.PUBLISHED and p.shuttle and not p.lodging


def test_unverified_enterprise_job_is_saved_as_draft(client, unverified_hr, valid_posting_data):
    client.force_login(unverified_hr)
    r = client.post(reverse("employers:posting_new"), page_post_data(valid_posting_data), follow=True)
    assert "等待企业认证后发布" in r.content.decode()
    assert JobPosting.objects.get().status == PostingStatus.DRAFT


@pytest.mark.parametrize("changes,message", [
    ({"pay_min": "6000", "pay_max": "5000"}, "最高薪资不能低于最低薪资"),
    ({"headcount": "0"}, "招聘人数至少为 1 人"),
    ({"age_min": "50", "age_max": "30"}, "最高年龄不能小于最低年龄"),
    ({"region": "360781999999"}, "找不到该地点"),
    ({"pay_min": "1500", "pay_max": "1600"}, "薪资低于江西省最低工资标准（1610 元/月）"),
    ({"pay_type": "hourly", "pay_min": "12", "pay_max": "15"}, "薪资低于江西省最低工资标准（16.1 元/小时）"),
])
def test_post_form_shows_chinese_field_error_and_saves_nothing(client, hr, valid_posting_data, changes, message):
    client.force_login(hr)
    r = client.post(reverse("employers:posting_new"), page_post_data(valid_posting_data, **changes))
    assert r.status_code == 422
    assert message in r.content.decode()
    assert JobPosting.objects.count() == 0


def test_post_form_keeps_what_was_typed(client, hr, valid_posting_data):
    client.force_login(hr)
    r = client.post(reverse("employers:posting_new"), page_post_data(valid_posting_data, headcount="0"))
    assert 'value="车间普工"' in r.content.decode()


def test_edit_own_posting(client, hr, posting):
    client.force_login(hr)
    r = client.get(reverse("employers:posting_edit", args=[posting.pk]))
    assert 'value="缝纫工"' in r.content.decode()
    data = {"title": "熟练缝纫工", "occupation": "6-05-01-03", "headcount": "6", "pay_type": "monthly",
            "pay_min": "5000", "pay_max": "6500", "shift": "day", "board": "on", "region": "360781100000"}
    r = client.post(reverse("employers:posting_edit", args=[posting.pk]), data)
    assert r.status_code == 302
    posting.refresh_from_db()
    assert (posting.title, posting.headcount, posting.monthly_max, posting.lodging) == ("熟练缝纫工", 6, 6500, False)


def test_close_own_posting(client, hr, posting):
    client.force_login(hr)
    r = client.post(reverse("employers:posting_close", args=[posting.pk]), {"reason": "招满了"})
    assert r.status_code == 302
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED


def test_close_needs_post(client, hr, posting):
    client.force_login(hr)
    assert client.get(reverse("employers:posting_close", args=[posting.pk])).status_code == 405


@pytest.mark.parametrize("name", ["employers:posting_edit", "employers:applicants"])
def test_other_hr_gets_404_for_anothers_posting(client, other_hr, posting, name):
    client.force_login(other_hr)
    assert client.get(reverse(name, args=[posting.pk])).status_code == 404


def test_other_hr_cannot_close_anothers_posting(client, other_hr, posting):
    client.force_login(other_hr)
    assert client.post(reverse("employers:posting_close", args=[posting.pk])).status_code == 404
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED


@pytest.mark.parametrize("name", ["employers:posting_edit", "employers:applicants", "employers:posting_new"])
def test_anonymous_is_sent_to_login(client, posting, name):
    args = [] if name == "employers:posting_new" else [posting.pk]
    r = client.get(reverse(name, args=args))
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_applicants_page_shows_full_contact_and_is_audited(client, hr, posting, seeker):
    Application.objects.create(seeker=seeker, posting=posting)
    client.force_login(hr)
    html = client.get(reverse("employers:applicants", args=[posting.pk])).content.decode()
    assert "刘小红" in html and "13900000001" in html and "已报名" in html
    assert AuditEvent.objects.filter(action="view_applicants", actor=hr, target_id=str(posting.pk)).exists()


def test_applicants_of_another_posting_do_not_leak(client, hr, posting, other_enterprise, seeker):
    other = f.JobPostingFactory(enterprise=other_enterprise, title="别家")
    Application.objects.create(seeker=seeker, posting=other)
    client.force_login(hr)
    assert "13900000001" not in client.get(reverse("employers:applicants", args=[posting.pk])).content.decode()
