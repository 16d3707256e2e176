"""The dashboard's charts on a phone, in a real browser: the trimmed ECharts bundle draws every chart (SVG), and
tapping a month shows that month's figures."""

from __future__ import annotations

import pytest

from hongniang.testing.browser import TOOLTIP_JS, browser, phone_page  # noqa: F401  (browser: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_chart_draws_and_a_tap_shows_the_figures(browser, live_server, aggregated, bureau):  # noqa: F811
    page, errors = phone_page(browser, live_server, bureau)
    page.goto(f"{live_server.url}/dashboard/?from=2026-09-01&to=2026-09-30")
    scripts = page.evaluate("Array.from(document.scripts).map(s => s.src)")
    assert any("vendor/echarts/echarts.custom.min." in s for s in scripts)
    page.wait_for_selector("[data-chart] svg")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('[data-chart]')).map(el =>
        [el.dataset.chart, !!echarts.getInstanceByDom(el) && el.querySelectorAll('svg path').length > 0])""")
    assert len(drawn) >= 5 and all(ok for _key, ok in drawn), drawn
    el = page.query_selector("[data-chart]")
    el.scroll_into_view_if_needed()
    box = el.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.6)
    page.wait_for_function(TOOLTIP_JS, arg=el)
    assert "报名" in page.evaluate(TOOLTIP_JS, el)
    assert errors == []
