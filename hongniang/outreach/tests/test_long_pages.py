"""The follow-ups and figures pages stay short on a phone: the follow-ups in pages of 30, most urgent first; the
figures grouped by township; the retention table paged (the follow-ups page shows only its biggest employers)."""

import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.outreach.models import FollowUp
from hongniang.outreach.views import FOLLOWUPS_PER_PAGE, RETENTION_ON_FOLLOWUPS, RETENTION_PER_PAGE
from hongniang.testing import factories as f

pytestmark = pytest.mark.django_db


def _followups(point, n, *, first_due, spread):
    """n pending follow-ups at `point`, due on shuffled days from first_due (created out of date order)."""
    seeker = f.SeekerFactory(service_point=point)
    job = f.JobPostingFactory()
    days = [first_due + dt.timedelta(days=i % spread) for i in range(n)]
    random.Random(7).shuffle(days)
    out = []
    for i, due in enumerate(days):
        if i % 3 == 0:
            app = Application.objects.create(seeker=seeker if i == 0 else f.SeekerFactory(service_point=point),
                                             posting=job, status="hired", start_date=due)
        day = (7, 30, 90)[i % 3]
        out.append(FollowUp.objects.create(application=app, seeker=app.seeker, enterprise=job.enterprise,
                                           service_point=point, day=day, hired_on=due - dt.timedelta(days=day),
                                           due_on=due))
    return sorted(out, key=lambda x: (x.due_on, x.pk))


def _listed(body):
    return [int(pk) for pk in re.findall(r'href="/staff/followups/(\d+)/"', body)]


@pytest.mark.parametrize("state,first_due,spread", [("overdue", -40, 30), ("due", 0, 8)])
def test_followups_are_paged_most_urgent_first(client, staff_a, point_a, regions, occupations, state, first_due,
                                               spread):
    rows = _followups(point_a, FOLLOWUPS_PER_PAGE + 6, first_due=timezone.localdate() + dt.timedelta(days=first_due),
                      spread=spread)
    client.force_login(staff_a)
    one = client.get(f"/staff/followups/?state={state}").content.decode()
    assert _listed(one) == [r.pk for r in rows[:FOLLOWUPS_PER_PAGE]]
    assert "第 1 / 2 页" in one and f"?state={state}&amp;page=2" in one  # the tab is kept in the page link
    two = client.get(f"/staff/followups/?state={state}&page=2").content.decode()
    assert _listed(two) == [r.pk for r in rows[FOLLOWUPS_PER_PAGE:]] and "上一页" in two
    assert _listed(client.get(f"/staff/followups/?state={state}&page=abc").content.decode()) == _listed(one)
    assert _listed(client.get(f"/staff/followups/?state={state}&page=99").content.decode()) == _listed(two)


def _retention_rows(point, n):
    """n enterprises with one done follow-up each; enterprise i has i+1 hires (so the biggest come last made)."""
    names = []
    for i in range(n):
        job = f.JobPostingFactory(enterprise=f.EnterpriseFactory(name=f"留岗企业{i:02d}"))
        for _k in range(1 if i < n - 3 else 2):
            app = Application.objects.create(seeker=f.SeekerFactory(service_point=point), posting=job, status="hired",
                                             start_date=timezone.localdate())
            FollowUp.objects.create(application=app, seeker=app.seeker, enterprise=job.enterprise,
                                    service_point=point, day=7, hired_on=timezone.localdate(),
                                    due_on=timezone.localdate(), status="done", still_working=True)
        names.append(job.enterprise.name)
    # most hires first, then by name
    return names[-3:] + names[:-3]


def test_retention_is_paged_on_figures_and_cut_short_on_followups(client, staff_a, point_a, regions, occupations):
    n = RETENTION_PER_PAGE + 5
    names = _retention_rows(point_a, n)
    client.force_login(staff_a)
    body = client.get("/staff/followups/").content.decode()
    shown = [x for x in re.findall(r"留岗企业\d\d", body)]
    assert shown == names[:RETENTION_ON_FOLLOWUPS]
    assert f"查看全部 {n} 家企业" in body and "/staff/figures/#retention" in body
    one = client.get("/staff/figures/").content.decode()
    assert re.findall(r"留岗企业\d\d", one) == names[:RETENTION_PER_PAGE] and "?rpage=2#retention" in one
    two = client.get("/staff/figures/?rpage=2").content.decode()
    assert re.findall(r"留岗企业\d\d", two) == names[RETENTION_PER_PAGE:]
    assert re.findall(r"留岗企业\d\d", client.get("/staff/figures/?rpage=x").content.decode()) == names[:30]
    assert re.findall(r"留岗企业\d\d", client.get("/staff/figures/?rpage=-3").content.decode()) == names[30:]


def test_bureau_figures_are_grouped_by_township(client, bureau, point_a, point_b, regions, occupations):
    f.SeekerFactory(service_point=point_b)
    f.SeekerFactory(service_point=point_a)
    f.SeekerFactory(service_point=point_a)
    client.force_login(bureau)
    body = client.get("/staff/figures/").content.decode()
    assert body.count('<details class="township-figures">') == 2
    xianghu = body[body.index(point_a.region.township.name + "（"):]
    assert "象湖镇就业之家" in xianghu.split("</details>")[0] and "已登记 2" in xianghu.split("</details>")[0]


def test_a_single_point_sees_its_figures_table_directly(client, staff_a, point_a, point_b, regions, occupations):
    client.force_login(staff_a)
    body = client.get("/staff/figures/").content.decode()
    assert "township-figures" not in body and "象湖镇就业之家" in body and "九堡镇就业之家" not in body


@pytest.mark.parametrize("path", ["/staff/followups/?page=2", "/staff/figures/?rpage=2"])
def test_the_pages_are_for_staff_and_the_bureau_only(client, staff_a, bureau, outsider, seeker_user, hr, path):
    for who in (staff_a, bureau):
        client.force_login(who)
        assert client.get(path).status_code == 200
    for who in (outsider, seeker_user, hr):
        client.force_login(who)
        assert client.get(path).status_code in (302, 403)
