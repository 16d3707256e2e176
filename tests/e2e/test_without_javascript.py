"""The main flows work with JavaScript switched off (an old phone, a data saver, a script that failed to load):
search (in pinyin initials), the job page, applying with a phone number, the gig sign-up, and a walk-in
registration by staff. Each form is a plain GET or POST; htmx only makes them quicker."""

from __future__ import annotations

import pytest

from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                              java_script_enabled=False, locale="zh-CN")
    ctx.set_default_timeout(15000)
    yield ctx
    ctx.close()


def test_search_job_page_and_apply_without_javascript(phone, live_server, enterprise, regions, occupations, sms):
    from hongniang.applications.models import Application
    from hongniang.search.engine import index_posting
    from hongniang.search.suggest import autocompleter
    from hongniang.testing.factories import JobPostingFactory

    index_posting(JobPostingFactory(enterprise=enterprise, title="写字楼保洁员", occupation=occupations["4-09-08-01"]))
    index_posting(JobPostingFactory(enterprise=enterprise, title="缝纫工"))
    autocompleter(force=True)
    page = phone.new_page()
    page.goto(live_server.url + "/")
    page.fill("#home-q", "baojie")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/jobs/?q=baojie")
    assert "已按 保洁 搜索" in page.inner_text(".read-as")
    assert page.locator("article.job").count() == 1
    page.locator("article.job a.title").click()
    page.wait_for_url("**/jobs/*/")
    assert page.locator("h1").inner_text() == "写字楼保洁员"
    page.fill("input[name=phone]", "13912340001")
    page.fill("input[name=name]", "钟春花")
    page.check("input[name=consent]")
    page.get_by_role("button", name="用手机号报名（先获取验证码）").click()
    page.wait_for_load_state()
    page.fill("input[name=code]", sms.code("13912340001"))
    page.get_by_role("button", name="确认报名").click()
    page.wait_for_load_state()
    assert Application.objects.filter(seeker__phone="13912340001", posting__title="写字楼保洁员").count() == 1


def test_gig_sign_up_without_javascript(phone, live_server, regions, sms):
    from hongniang.gigs.models import GigWorker

    page = phone.new_page()
    page.goto(live_server.url + "/")
    page.locator(".nav-services a", has_text="零工").click()
    page.wait_for_url("**/gigs/")
    page.goto(live_server.url + "/gigs/join/")
    page.fill("input[name=name]", "刘小红")
    page.fill("input[name=phone]", "13912340002")
    page.get_by_role("button", name="获取短信验证码").click()
    page.wait_for_load_state()
    page.fill("input[name=code]", sms.code("13912340002"))
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/gigs/mine/**")
    assert "登记成功" in page.content()
    assert GigWorker.objects.filter(phone="13912340002", name="刘小红").count() == 1


def test_walk_in_registration_by_staff_without_javascript(phone, live_server, staff_a, regions, occupations):
    from hongniang.seekers.models import Seeker
    from hongniang.testing.factories import valid_id_number

    page = phone.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", staff_a.username)
    page.fill("input[name=password]", "secret-pass-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/me/staff/register/")
    page.fill("input[name=name]", "钟春花")
    page.fill("input[name=id_number]", valid_id_number(77))
    page.fill("input[name=phone]", "13912340003")
    page.select_option("select[name=township]", "360781100000")  # 象湖镇: without JS its villages come after a send
    page.locator("input[name=consent_channel]").first.check()
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # the page comes back with the township's villages to choose from, everything typed kept
    assert page.input_value("input[name=name]") == "钟春花"
    page.select_option("select[name=home_region]", "360781100201")
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Seeker.objects.filter(phone="13912340003", home_region_id="360781100201").count() == 1
