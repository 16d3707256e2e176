"""A phone in a real browser for the app tests that need one (Debian's Chromium driven by pip playwright; never
`playwright install`): 360 x 740, touch, zh-CN, logged in as a given user. Skips where Chromium is absent, except
when REQUIRE_BROWSER=1 (CI), where absence fails (as tests/e2e)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} but REQUIRE_BROWSER=1")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop in this thread
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def phone_page(browser, live_server, user):
    """A new phone-sized page logged in as `user`, and the list its console errors and page errors go to."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", has_touch=True,
                              is_mobile=True)
    ctx.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                      "url": live_server.url}])
    page = ctx.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


# the ECharts tooltip: a div ECharts adds inside the chart's element, shown on a tap or hover
TOOLTIP_JS = """(el) => { const t = Array.from(el.querySelectorAll('div')).find(d => d.style.zIndex === '9999999');
  return t && getComputedStyle(t).display !== 'none' && t.style.opacity !== '0' ? t.innerText : null; }"""
