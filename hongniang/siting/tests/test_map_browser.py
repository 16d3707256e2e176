"""The labour-supply map on a phone, in a real browser: the trimmed ECharts bundle draws the county with a point
per village and township, and tapping a point tells its name and head count."""

from __future__ import annotations

import pytest

from hongniang.testing.browser import TOOLTIP_JS, browser, phone_page  # noqa: F401  (browser: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_draws_and_a_tapped_point_shows_its_name_and_count(browser, live_server, people, staff_a):  # noqa: F811
    page, errors = phone_page(browser, live_server, staff_a)
    page.goto(f"{live_server.url}/siting/")
    scripts = page.evaluate("Array.from(document.scripts).map(s => s.src)")
    assert any("vendor/echarts/echarts.custom.min." in s for s in scripts)
    page.wait_for_selector("#supply-map canvas")
    el = page.query_selector("#supply-map")
    el.scroll_into_view_if_needed()
    series = page.evaluate("(el) => echarts.getInstanceByDom(el).getOption().series.map(s => [s.type, s.data.length])", el)
    assert series and all(kind == "scatter" and n > 0 for kind, n in series)
    # the last series (townships) is drawn on top: tap its first point
    x, y, name = page.evaluate("""(el) => { const ch = echarts.getInstanceByDom(el), o = ch.getOption();
        const s = o.series.length - 1, d = o.series[s].data[0], p = ch.convertToPixel({seriesIndex: s}, d.value.slice(0, 2));
        const r = el.getBoundingClientRect(); return [r.left + p[0], r.top + p[1], d.name]; }""", el)
    page.touchscreen.tap(x, y)
    page.wait_for_function(TOOLTIP_JS, arg=el)
    tip = page.evaluate(TOOLTIP_JS, el)
    assert name and tip.startswith(name) and tip.endswith(" 人")
    assert errors == []
