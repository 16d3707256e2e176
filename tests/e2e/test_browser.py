"""End to end in a real browser: Debian's Chromium driven by pip playwright (never `playwright install`).

A visitor opens the job list, filters by township, opens a job, registers as a seeker and applies in
one tap. Skips where Chromium is absent, except when REQUIRE_BROWSER=1 (CI), where absence fails."""

from __future__ import annotations

import os

import pytest

from hongniang.testing.browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_filters_opens_a_job_registers_and_applies(browser, live_server, regions, occupations, sms):  # noqa: F811
    from hongniang.applications.models import Application
    from hongniang.testing.factories import EnterpriseFactory, JobPostingFactory

    ent = EnterpriseFactory(name="瑞金红都服饰有限公司")
    JobPostingFactory(enterprise=ent, title="缝纫工（长白班）", region=regions["v_xianghu"])
    JobPostingFactory(enterprise=ent, title="九堡仓库搬运工", region=regions["jiubao"], lat=25.93, lon=115.90)

    # a phone in Ruijin asks for Chinese (a bare Chromium asks for en-US, and the job pages have English)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/jobs/")
    assert page.get_by_text("缝纫工（长白班）").is_visible()
    assert page.get_by_text("九堡仓库搬运工").is_visible()

    page.select_option("select[name=township]", "360781100000")  # 象湖镇
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**township=360781100000**")
    assert page.get_by_text("缝纫工（长白班）").is_visible()
    assert page.get_by_text("九堡仓库搬运工").count() == 0

    page.get_by_role("link", name="缝纫工（长白班）").click()
    page.wait_for_url("**/jobs/*/")
    job_url = page.url
    assert page.locator("script[type='application/ld+json']").count() == 1

    page.goto(f"{live_server.url}/me/register/")
    page.fill("input[name=phone]", "13912345678")
    page.get_by_role("button", name="获取短信验证码").click()
    page.wait_for_load_state()
    page.fill("input[name=code]", sms.code("13912345678"))
    page.fill("input[name=password]", "hongniang-pass-1")
    page.check("input[name=consent]")
    page.get_by_role("button", name="注册并继续").click()
    page.wait_for_url("**/me/profile/**")

    # step 2: the profile (name and home village; the village list loads for the chosen township)
    page.fill("input[name=name]", "刘小红")
    page.select_option("select[name=township]", "360781100000")
    page.wait_for_function("document.querySelectorAll('#id_home_region option').length > 1")
    page.select_option("select[name=home_region]", "360781100201")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(job_url)
    page.get_by_role("button", name="一键报名").click()
    page.get_by_text("已报名").first.wait_for()
    assert Application.objects.filter(seeker__phone="13912345678", posting__title="缝纫工（长白班）").count() == 1
    page.screenshot(path=os.environ.get("E2E_SCREENSHOT", "/tmp/hongniang-e2e.png"), full_page=True)
