"""GET /api/v1/outreach/followups in pages: limit/offset (default 50, at most 200), the total in `count`, the most
urgent first, a 422 {"code", "message"} for bad paging, and the same staff-only scope as before."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.outreach.models import FollowUp, FollowUpStatus
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/outreach/followups"


def _followups(point, n, *, first_due, spread, status=FollowUpStatus.PENDING, done_at=None):
    """n follow-ups at `point`, due on shuffled days from first_due (created out of date order)."""
    job = f.JobPostingFactory()
    days = [first_due + dt.timedelta(days=i % spread) for i in range(n)]
    random.Random(11).shuffle(days)
    out = []
    for due in days:
        app = Application.objects.create(seeker=f.SeekerFactory(service_point=point), posting=job, status="hired",
                                         start_date=due)
        out.append(FollowUp.objects.create(application=app, seeker=app.seeker, enterprise=job.enterprise,
                                           service_point=point, day=7, hired_on=due - dt.timedelta(days=7),
                                           due_on=due, status=status, done_at=done_at))
    return out


@pytest.fixture
def overdue(point_a, regions, occupations):
    rows = _followups(point_a, 57, first_due=timezone.localdate() - dt.timedelta(days=40), spread=20)
    return [x.pk for x in sorted(rows, key=lambda x: (x.due_on, x.pk))]


def test_the_first_page_has_the_default_size_the_total_and_the_most_urgent_first(client, staff_a, overdue):
    client.force_login(staff_a)
    body = client.get(URL, {"state": "overdue"}).json()
    assert body["count"] == 57 and body["limit"] == 50 and body["offset"] == 0
    assert [x["id"] for x in body["items"]] == overdue[:50]
    first = body["items"][0]
    assert {"id", "application_id", "seeker_id", "seeker_name", "enterprise", "posting_title", "due_on", "status",
            "still_working", "paid_as_promised", "problems"} <= first.keys()  # the row keys as before


def test_page_two_continues_where_page_one_ended(client, staff_a, overdue):
    client.force_login(staff_a)
    one = client.get(URL, {"state": "overdue", "limit": 20}).json()
    two = client.get(URL, {"state": "overdue", "limit": 20, "offset": 20}).json()
    last = client.get(URL, {"state": "overdue", "limit": 20, "offset": 40}).json()
    ids = [x["id"] for page in (one, two, last) for x in page["items"]]
    assert ids == overdue and len(last["items"]) == 17 and two["count"] == 57
    assert client.get(URL, {"state": "overdue", "offset": 57}).json() == {"items": [], "count": 57, "limit": 50,
                                                                          "offset": 57}


def test_done_followups_page_in_a_stable_order(client, staff_a, point_a, regions, occupations):
    """Many follow-ups done in the same second: pages neither repeat nor skip one."""
    at = timezone.now()
    rows = _followups(point_a, 9, first_due=timezone.localdate() - dt.timedelta(days=30), spread=5,
                      status=FollowUpStatus.DONE, done_at=at)
    client.force_login(staff_a)
    ids = [x["id"] for off in range(0, 9, 4)
           for x in client.get(URL, {"state": "done", "limit": 4, "offset": off}).json()["items"]]
    assert ids == sorted((x.pk for x in rows), reverse=True)


@pytest.mark.parametrize("params,field", [
    ({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"), ({"offset": 10**12}, "offset"), ({"state": "everything"}, "state"),
])
def test_bad_paging_is_a_422_with_a_code_and_a_chinese_message(client, staff_a, overdue, params, field):
    client.force_login(staff_a)
    r = client.get(URL, params)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_input" and field in body["message"] and field in body["errors"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_the_largest_page_is_200(client, staff_a, point_a, regions, occupations):
    _followups(point_a, 205, first_due=timezone.localdate() - dt.timedelta(days=60), spread=50)
    client.force_login(staff_a)
    body = client.get(URL, {"state": "overdue", "limit": 200}).json()
    assert len(body["items"]) == 200 and body["count"] == 205


def test_scope_and_permissions_are_unchanged(client, staff_b, hr, seeker_user, overdue):
    client.force_login(staff_b)  # another point's staff: none of point A's follow-ups
    assert client.get(URL, {"state": "overdue"}).json() == {"items": [], "count": 0, "limit": 50, "offset": 0}
    for who in (hr, seeker_user):
        client.force_login(who)
        r = client.get(URL, {"state": "overdue"})
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
    client.logout()
    r = client.get(URL, {"state": "overdue"})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
