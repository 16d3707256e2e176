"""Masking for enterprises beyond the minimum group size: counts rounded to 5, and differencing closed — two
labour-supply queries that differ by one attribute must not give a group under 10 by subtraction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.siting import selectors
from hongniang.siting.models import Disclosure
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/siting/supply"


def cells(body: dict) -> dict:
    out = {"total": body["total"]}
    out.update({t["name"]: t["people"] for t in body["townships"]})
    out.update({v["name"]: v["people"] for v in body["villages"]})
    return out


def test_rounding_to_five():
    v = selectors.Viewer(user=None, full=False, enterprise_ids=(1,))
    assert [selectors.small(n, v) for n in (0, 9, 10, 12, 13, 17, 18, 19, 20, 22.5)] == [
        "<10", "<10", 10, 10, 15, 15, 20, 20, 20, 20]
    staff = selectors.Viewer(user=None, full=True, enterprise_ids=())
    assert selectors.small(13, staff) == 13


def test_one_attribute_more_does_not_single_out_a_small_group(client, people, hr):
    """All sewing workers (19: 12 in 沙洲坝, 4 part-timers in 九堡, 3 in 坝溪), then the same with the day shift
    (15: the 4 part-timers drop out). Exact counts would give 19 - 15 = 4 people who refuse day shifts."""
    client.force_login(hr)
    first = cells(client.get(API, {"occupation": "6-05-01-03"}).json())
    assert first == {"total": 20, "象湖镇": 10, "九堡镇": "<10", "沙洲坝村委会": 10, "九堡村委会": "<10",
                     "坝溪村委会": "<10"}
    body = client.get(API, {"occupation": "6-05-01-03", "shift": "day"}).json()
    second = cells(body)
    assert second["total"] == "—"  # 15 would show a difference of 4 people against the 20 before
    assert second["象湖镇"] == 10 and second["沙洲坝村委会"] == 10  # the same 12 people: shown
    assert body["by_availability"]["full_time"] == 15  # the same 15 people as before: shown
    html = client.get("/siting/", {"occupation": "6-05-01-03", "shift": "day"}).content.decode()
    assert "相差不到 10 人" in html
    # asking the first query again does not give the small group either: its total now differs by 4 from the
    # second's people (the second's total was withheld, so it was not disclosed: the first's 20 is shown again)
    again = cells(client.get(API, {"occupation": "6-05-01-03"}).json())
    assert again["total"] == 20


def test_the_same_query_again_and_a_difference_of_ten_or_more_are_shown(client, people, hr, regions):
    client.force_login(hr)
    assert cells(client.get(API, {"occupation": "6-05-01-03"}).json())["total"] == 20
    assert cells(client.get(API, {"occupation": "6-05-01-03"}).json())["total"] == 20  # nothing new: shown
    xh = regions["v_xianghu"]
    for _ in range(11):
        f.SeekerFactory(home_region=xh, lat=xh.lat, lon=xh.lon, desired_occupations=["6-05-01-03"])
    assert cells(client.get(API, {"occupation": "6-05-01-03"}).json())["total"] == 30  # 11 more: a group of 11


def test_staff_are_not_affected_and_other_enterprises_have_their_own_memory(client, people, hr, other_hr, staff_a):
    client.force_login(hr)
    client.get(API, {"occupation": "6-05-01-03"})
    client.force_login(other_hr)
    assert cells(client.get(API, {"occupation": "6-05-01-03", "shift": "day"}).json())["total"] == 15
    client.force_login(staff_a)
    assert client.get(API, {"occupation": "6-05-01-03"}).json()["total"] == 19
    assert client.get(API, {"occupation": "6-05-01-03", "shift": "day"}).json()["total"] == 15
    assert not Disclosure.objects.filter(user=staff_a).exists()


def test_old_answers_are_forgotten_after_30_days(client, people, hr):
    client.force_login(hr)
    client.get(API, {"occupation": "6-05-01-03"})
    Disclosure.objects.update(at=timezone.now() - dt.timedelta(days=selectors.DISCLOSURE_DAYS + 1))
    assert cells(client.get(API, {"occupation": "6-05-01-03", "shift": "day"}).json())["total"] == 15
    assert Disclosure.objects.count() == 1  # the old one pruned


def test_the_excel_export_is_checked_too(client, people, hr):
    import io

    import openpyxl

    client.force_login(hr)
    client.get(API, {"occupation": "6-05-01-03"})
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/siting/supply.xlsx",
                                                      {"occupation": "6-05-01-03", "shift": "day"}).content))
    filt = {row[0].value: row[1].value for row in wb["筛选条件"].iter_rows(min_row=2)}
    assert filt["合计人数"] == "—"


def test_a_stored_result_shown_to_hr_has_no_exact_share():
    v = selectors.Viewer(user=None, full=False, enterprise_ids=(1,))
    result = {"need": 100, "ranking": [{"people": 7, "weight": 7.0, "share": 0.07},
                                       {"people": 23, "weight": 21.5, "share": 0.215}],
              "exact": {"covered_total": 37, "people": 37, "share": 0.37}}
    masked = selectors._mask_result(result, v, need=100)
    assert masked["ranking"][0] == {"people": "<10", "weight": "<10", "share": None}
    assert masked["ranking"][1] == {"people": 25, "weight": 20, "share": 0.2}
    assert masked["exact"] == {"covered_total": 35, "people": 35, "share": 0.35}
