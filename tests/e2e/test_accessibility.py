"""Every page of every role, on a cheap phone (360 × 740), checked as a person with poor eyesight or big fingers
would meet it: a small demo behind pytest-django's live_server, each demo role logs in and follows the same-origin
links from its home page (breadth first, bounded), and on each page:

- axe-core (vendored in tests/e2e/vendor/axe-core, never fetched) reports no serious or critical violation;
- no tap target (link, button, field) is smaller than 24 px on a side (WCAG 2.2 AA 2.5.8);
- no visible text is smaller than 14 px;
- the browser console shows no error, the page raises no script error, and the server answers below 400.

Pages that other capabilities add are crawled too, as soon as a link reaches them: reuse the components of
hongniang/static/hongniang/site.css and they pass. Skips where Chromium is absent, except when REQUIRE_BROWSER=1
(CI), where it fails."""

from __future__ import annotations

import os
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from .test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PASSWORD = "demo1234"
ROLES = {  # the demo log-ins (hongniang.demo.loader.ensure_logins); None: an anonymous visitor
    "anonymous": None,
    "seeker": "13800000001",
    "enterprise": "hr_demo",
    "staff": "staff_demo",
    "bureau": "admin",
    "workshop": "workshop_demo",
}
#: where a role's own pages start when its home links only to pages other roles share (crawled once per pattern)
START = {"workshop": ["/workshops/mine/", "/workshops/mine/wages/"], "seeker": ["/workshops/wages/"]}
MAX_PAGES = int(os.environ.get("A11Y_MAX_PAGES", "80"))  # per role: above what any role reaches (35 at most on 2026-12-03), so every reachable page is checked
PER_PATTERN = 1  # pages whose paths differ only in numbers count as one
#: not followed: leaving the session, Django's own admin, the JSON API, downloads and files, and pages that act
SKIP = re.compile(r"/(logout|admin|api)/|\.(pdf|xlsx|csv|svg|png|json)$|/(export|download|delete|qr)")

PROBE = """() => {
  const visible = e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed';
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
        ' "' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 20) + '"';
  const texts = Array.from(document.querySelectorAll('body *')).filter(e => visible(e) &&
        Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
  const smallText = texts.filter(e => parseFloat(getComputedStyle(e).fontSize) < 14)
        .map(e => describe(e) + ' ' + getComputedStyle(e).fontSize);
  const taps = Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary'))
        .filter(visible);
  const smallTaps = taps.filter(e => { const r = e.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && (r.height < 24 || r.width < 24); })
        .map(e => { const r = e.getBoundingClientRect();
                    return describe(e) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height); });
  return {smallText: smallText.slice(0, 5), smallTaps: smallTaps.slice(0, 5),
          wide: document.documentElement.scrollWidth > window.innerWidth + 1,
          links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href)};
}"""
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""


@pytest.fixture
def small_demo(live_server):
    """The demo at a small scale (a few dozen postings and people, the four demo log-ins)."""
    from hongniang.demo.loader import load_demo

    load_demo(seed=2026, scale=0.01, wet_run=True, out=lambda *a, **k: None)
    return live_server


def _crawl(browser, base: str, login: str | None, done: dict,  # noqa: F811
           extra: list[str] = ()) -> tuple[list[str], list[str]]:
    """(pages visited, problems) of one role. `done`: page patterns already checked (skipped here, except the
    role's start pages); the patterns this crawl checks are added."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                              locale="zh-CN", bypass_csp=True)  # axe-core is injected as an inline script
    ctx.set_default_timeout(15000)
    start = [base + "/"]
    if login:
        page = ctx.new_page()
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", login)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{login} could not log in"
        start.insert(0, page.url.split("#")[0])
        page.close()
    start += [base + path for path in extra]
    host = urlparse(base).netloc
    queue, seen, patterns, visited, problems = deque(start), set(), {}, [], []
    starts = set(start)
    axe_js = AXE.read_text(encoding="utf-8")
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        parsed = urlparse(url)
        pattern = re.sub(r"/\d+", "/N", parsed.path) + ("?" if parsed.query else "")
        if patterns.get(pattern, 0) >= PER_PATTERN or (pattern in done and url not in starts):
            continue
        patterns[pattern] = patterns.get(pattern, 0) + 1
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        where = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):  # a file, not a page
                page.close()
                continue
            raise
        visited.append(url)
        if response is None or response.status >= 400:
            problems.append(f"{where}: HTTP {response.status if response else 'no answer'}")
            page.close()
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            page.close()
            continue
        info = page.evaluate(PROBE)
        page.add_script_tag(content=axe_js)
        for v in page.evaluate(AXE_RUN):
            problems.append(f"{where}: axe {v}")
        problems += [f"{where}: tap target under 24 px: {t}" for t in info["smallTaps"]]
        problems += [f"{where}: text under 14 px: {t}" for t in info["smallText"]]
        if info["wide"]:
            problems.append(f"{where}: wider than the screen (scrolls sideways)")
        problems += [f"{where}: console: {e[:160]}" for e in errors]
        for link in info["links"]:
            u = urljoin(url, link).split("#")[0]
            pu = urlparse(u)
            if pu.netloc == host and pu.scheme in ("http", "https") and u not in seen and not SKIP.search(pu.path):
                queue.append(u)
        page.close()
    ctx.close()
    done.update(patterns)  # the caller's dict: what is checked now
    return visited, problems


def test_every_page_of_every_role_is_readable_and_tappable_on_a_phone(browser, small_demo):  # noqa: F811
    """One demo for every role (loading it is most of the time of a run)."""
    if not AXE.exists():
        pytest.fail(f"vendored axe-core missing: {AXE}")
    report, done = [], {}
    for role, login in ROLES.items():
        # the public pages as a visitor and as a seeker (the two who use them); the other roles their own
        skip = dict(done) if role not in ("anonymous", "seeker") else {}
        visited, problems = _crawl(browser, small_demo.url, login, skip, START.get(role, []))
        done.update(skip)
        print(f"{role}: {len(visited)} pages", *visited, sep="\n  ")
        assert len(visited) >= 3, f"{role}: only {visited} reached"
        if problems:
            report.append(f"{role}: {len(problems)} problems on {len(visited)} pages:\n  " + "\n  ".join(problems))
    assert not report, "\n".join(report)
