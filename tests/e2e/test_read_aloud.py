"""读给我听 on a job page: shown only where the phone has a Chinese voice, and it reads the job in plain words.
Headless Chromium has no voices, so the phone's speech synthesis is stood in for by a script run before the page."""

from __future__ import annotations

import pytest

from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VOICES = """(() => {
  const voices = %s;
  const synth = window.speechSynthesis;
  synth.getVoices = () => voices;
  synth.speak = u => { window.__spoken = u.text; window.__lang = u.lang; };
})();"""


def _job_page(browser, live_server, voices: str):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="zh-CN")
    ctx.add_init_script(VOICES % voices)
    page = ctx.new_page()
    return ctx, page


def test_read_aloud_reads_the_job_where_a_chinese_voice_exists(browser, live_server, posting):  # noqa: F811
    ctx, page = _job_page(browser, live_server, "[{lang: 'en-US', name: 'en'}, {lang: 'zh-CN', name: 'zh'}]")
    page.goto(f"{live_server.url}/jobs/{posting.pk}/")
    button = page.get_by_role("button", name="读给我听")
    assert button.is_visible()
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken.startswith(f"{posting.title}。月薪 4500 到 6000 元。") and page.evaluate("window.__lang") == "zh-CN"
    ctx.close()


def test_read_aloud_is_hidden_without_a_chinese_voice(browser, live_server, posting):  # noqa: F811
    ctx, page = _job_page(browser, live_server, "[{lang: 'en-US', name: 'en'}]")
    page.goto(f"{live_server.url}/jobs/{posting.pk}/")
    assert page.locator("[data-speak]").count() == 1
    assert not page.locator("[data-speak]").is_visible()
    ctx.close()
