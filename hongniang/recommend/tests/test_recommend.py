"""Matching inside the platform: what seekers, HR and staff see, and who may see whom."""

import dataclasses

import pytest

from hongniang.applications.models import Application
from hongniang.recommend import state
from hongniang.recommend.selectors import recommendations_for
from hongniang.testing.factories import JobPostingFactory, SeekerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_indexes(monkeypatch):
    monkeypatch.setattr(state, "BACKGROUND_PRICES", False)
    state.reset()
    yield
    state.reset()


def test_capacity_prices_push_an_over_demanded_job_down(seeker, enterprise, point_a):
    """Many people near one single-position job: after pricing, the seeker's list spreads to the other job."""
    crowded = JobPostingFactory(enterprise=enterprise, title="热门岗位", headcount=1, lat=25.9001, lon=116.0001,
                                pay_min=6000, pay_max=6500, monthly_min=6000, monthly_max=6500)
    spare = JobPostingFactory(enterprise=enterprise, title="空缺岗位", headcount=50, lat=25.9002, lon=116.0002,
                              pay_min=5000, pay_max=5500, monthly_min=5000, monthly_max=5500)
    for i in range(60):
        SeekerFactory(service_point=point_a, phone=f"1370000{i:04d}")
    plain = [i.posting.title for i in recommendations_for(seeker, capacity_aware=False)]
    assert plain[0] == "热门岗位"
    state.seeker_index()
    state.job_index()
    state.reprice()
    assert state._state.jobs.price(crowded.pk) > state._state.jobs.price(spare.pk)
    spread = [i.posting.title for i in recommendations_for(seeker, capacity_aware=True)]
    assert spread[0] == "空缺岗位"


@pytest.fixture
def near_job(enterprise, regions, occupations):
    return JobPostingFactory(enterprise=enterprise, title="缝纫工（近）", lat=25.901, lon=116.001)


@pytest.fixture
def far_job(enterprise, regions, occupations):
    # ~110 km north: beyond a 20 km commute, and no lodging
    return JobPostingFactory(enterprise=enterprise, title="缝纫工（远）", lat=26.9, lon=116.0, lodging=False)


def test_seeker_gets_the_near_job_with_reasons_and_never_the_far_one(seeker, near_job, far_job):
    items = recommendations_for(seeker)
    titles = [i.posting.title for i in items]
    assert titles[0] == "缝纫工（近）"
    assert "缝纫工（远）" not in titles
    assert "公里" in items[0].reasons


def test_a_new_posting_reaches_recommendations_without_a_rebuild(seeker, near_job, enterprise):
    recommendations_for(seeker)  # builds the index
    built = state._state.jobs
    new = JobPostingFactory(enterprise=enterprise, title="缝纫工（新）", lat=25.9005, lon=116.0005)
    state.posting_changed(new)
    assert state._state.jobs is built
    assert "缝纫工（新）" in [i.posting.title for i in recommendations_for(seeker)]


def test_a_closed_posting_leaves_recommendations(seeker, near_job):
    recommendations_for(seeker)
    near_job.status = "closed"
    near_job.save()
    state.posting_changed(near_job)
    assert recommendations_for(seeker) == []


def test_for_you_page_lists_recommendations(client, seeker_user, near_job):
    client.force_login(seeker_user)
    r = client.get("/recommend/for-you/")
    assert r.status_code == 200
    assert "为你推荐" in r.content.decode()
    assert "缝纫工（近）" in r.content.decode()


def test_candidates_are_masked_until_the_seeker_applies(client, hr, near_job, seeker):
    client.force_login(hr)
    r = client.get(f"/api/v1/recommend/jobs/{near_job.pk}/candidates")
    assert r.status_code == 200
    row = next(c for c in r.json() if c["seeker_id"] == seeker.pk)
    assert row["phone"] == "139****0001" and row["name"] != "刘小红"
    Application.objects.create(seeker=seeker, posting=near_job)
    row = next(c for c in client.get(f"/api/v1/recommend/jobs/{near_job.pk}/candidates").json()
               if c["seeker_id"] == seeker.pk)
    assert row["phone"] == "13900000001" and row["name"] == "刘小红" and row["applied"] is True


def test_candidates_of_another_enterprise_are_not_found(client, other_hr, near_job):
    client.force_login(other_hr)
    assert client.get(f"/api/v1/recommend/jobs/{near_job.pk}/candidates").status_code == 404
    assert client.get(f"/recommend/jobs/{near_job.pk}/candidates/").status_code == 404


def test_anonymous_gets_401_on_candidates_and_login_redirect_on_pages(client, near_job):
    assert client.get(f"/api/v1/recommend/jobs/{near_job.pk}/candidates").status_code == 401
    assert client.get("/api/v1/recommend/me").status_code == 401
    r = client.get(f"/recommend/jobs/{near_job.pk}/candidates/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_call_list_holds_only_the_staff_members_own_point(client, staff_a, staff_b, point_a, point_b, near_job,
                                                           seeker):
    other = SeekerFactory(name="王九堡", service_point=point_b, lat=25.9, lon=116.0)
    client.force_login(staff_a)
    ids_a = [c["seeker_id"] for c in client.get(f"/api/v1/recommend/jobs/{near_job.pk}/call-list").json()]
    assert seeker.pk in ids_a and other.pk not in ids_a
    client.force_login(staff_b)
    rows_b = client.get(f"/api/v1/recommend/jobs/{near_job.pk}/call-list").json()
    assert [c["seeker_id"] for c in rows_b] == [other.pk]
    assert rows_b[0]["name"] == "王九堡"  # staff see their own point's people in full


def test_call_list_is_refused_to_non_staff(client, hr, near_job):
    client.force_login(hr)
    assert client.get(f"/api/v1/recommend/jobs/{near_job.pk}/call-list").status_code == 403


def test_my_recommendations_api(client, seeker_user, near_job, far_job):
    client.force_login(seeker_user)
    r = client.get("/api/v1/recommend/me")
    assert r.status_code == 200
    assert [x["title"] for x in r.json()] == ["缝纫工（近）"]


def test_home_and_profile_load_recommendations_for_a_seeker(client, seeker_user, near_job):
    client.force_login(seeker_user)
    for url in ("/", "/me/"):
        assert 'hx-get="/recommend/for-you/"' in client.get(url).content.decode()
    fragment = client.get("/recommend/for-you/", HTTP_HX_REQUEST="true").content.decode()
    assert "缝纫工（近）" in fragment and "<html" not in fragment


def test_anonymous_home_has_no_recommendation_slot(client, near_job):
    assert "recommend/for-you" not in client.get("/").content.decode()


def test_the_settings_minimum_wage_reaches_the_reasons(seeker, near_job, settings):
    """The index is built with the settings' MatchConfig: a job paying below MINIMUM_WAGE_MONTHLY says so."""
    assert "低于最低工资" not in recommendations_for(seeker)[0].reasons
    state.reset()
    settings.MINIMUM_WAGE_MONTHLY = 7000  # the near job pays 4500-6000
    assert "低于最低工资" in recommendations_for(seeker)[0].reasons


def test_hires_leave_fewer_open_positions_and_the_list_moves_to_the_job_with_places(
        seeker, enterprise, point_a, hr, django_capture_on_commit_callbacks):
    """A posting whose places are nearly all taken by hires stops leading everyone's list: the index holds the
    positions still open (headcount − hires), in this process at once and in every other one on its next look."""
    import datetime as dt

    from hongniang.applications.services import application_hire

    better = JobPostingFactory(enterprise=enterprise, title="高薪岗位", headcount=20, lat=25.9001, lon=116.0001,
                               pay_min=6000, pay_max=6500, monthly_min=6000, monthly_max=6500)
    other = JobPostingFactory(enterprise=enterprise, title="普通岗位", headcount=20, lat=25.9002, lon=116.0002,
                              pay_min=5000, pay_max=5500, monthly_min=5000, monthly_max=5500)
    people = [SeekerFactory(service_point=point_a, phone=f"1370000{i:04d}") for i in range(40)]
    state.seeker_index()
    state.job_index()
    state.reprice()
    assert [i.posting.title for i in recommendations_for(seeker, capacity_aware=True)][0] == "高薪岗位"
    for p in people[:19]:
        a = Application.objects.create(seeker=p, posting=better, status="contacted")
        with django_capture_on_commit_callbacks(execute=True):
            application_hire(actor=hr, application=a, start_date=dt.date(2030, 1, 10))
    assert state._state.jobs.get(better.pk).headcount == 1  # this process: at once, through the hook
    assert state._state.jobs.get(other.pk).headcount == 20
    state.reprice()
    assert state._state.jobs.price(better.pk) > state._state.jobs.price(other.pk)
    # the index's next refresh re-reads the postings the hires touched: they keep their prices (a re-read used to
    # reset them to 0, which sent everyone back to the nearly full posting until the next pricing)
    state._state.job_checked = -1e9
    assert [i.posting.title for i in recommendations_for(seeker, capacity_aware=True)][0] == "普通岗位"
    # another process (no hook ran there): it re-reads the touched posting on its next look
    state.reset()
    state.job_index()
    assert state._state.jobs.get(better.pk).headcount == 1
    state._state.jobs.upsert(dataclasses.replace(state._state.jobs.get(better.pk), headcount=20))
    state._state.job_checked = -1e9
    state._state.job_mark = better.updated_at - dt.timedelta(seconds=1)
    state.job_index()
    assert state._state.jobs.get(better.pk).headcount == 1


def test_offers_hold_a_place_and_a_no_show_gives_it_back(seeker, enterprise, point_a, hr, staff_a,
                                                         django_capture_on_commit_callbacks):
    """An offer (录用, 待上岗) holds one of the posting's places until the person starts or drops out: offered and
    hired people both count against the headcount; a no-show or a withdrawn offer opens the place again."""
    import datetime as dt

    from hongniang.applications.services import (
        application_hire,
        application_no_show,
        application_offer,
        application_withdraw,
    )

    posting = JobPostingFactory(enterprise=enterprise, title="包装工", headcount=5, lat=25.9001, lon=116.0001)
    people = [SeekerFactory(service_point=point_a, phone=f"1370000{i:04d}") for i in range(4)]
    state.job_index()
    apps = [Application.objects.create(seeker=p, posting=posting, status="contacted") for p in people]

    def open_positions():
        return state._state.jobs.get(posting.pk).headcount

    def run(fn, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kw)

    for a in apps:
        run(application_offer, actor=hr, application=a)
    assert open_positions() == 1
    run(application_hire, actor=hr, application=apps[0], start_date=dt.date(2030, 1, 10))
    assert open_positions() == 1  # the offer turned into a hire: still one place taken
    run(application_no_show, actor=hr, application=apps[1])
    assert open_positions() == 2
    run(application_withdraw, actor=staff_a, application=apps[2])  # staff of the person's point
    assert open_positions() == 3
    # another process re-reads the posting from the database and counts the same
    state.reset()
    assert state.job_index().get(posting.pk).headcount == 3


def test_an_offer_forgotten_for_30_days_closes_by_rule_and_gives_its_place_back(seeker, enterprise, point_a, hr,
                                                                                django_capture_on_commit_callbacks):
    """HR made an offer and never recorded the hire or a no-show: the nightly rule closes it after 30 days and the
    place is open again for everyone's lists."""
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from hongniang.applications.services import application_offer

    posting = JobPostingFactory(enterprise=enterprise, title="包装工", headcount=3, lat=25.9001, lon=116.0001)
    people = [SeekerFactory(service_point=point_a, phone=f"1370001{i:04d}") for i in range(2)]
    state.job_index()
    apps = [Application.objects.create(seeker=p, posting=posting, status="contacted") for p in people]
    with django_capture_on_commit_callbacks(execute=True):
        for a in apps:
            application_offer(actor=hr, application=a)
    assert state._state.jobs.get(posting.pk).headcount == 1
    Application.objects.filter(pk=apps[0].pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("close_stale_applications", "--wet-run", stdout=StringIO())
    assert state._state.jobs.get(posting.pk).headcount == 2  # the forgotten offer's place is open again
    state.reset()
    assert state.job_index().get(posting.pk).headcount == 2


def _age(seekers, days):
    import datetime as dt

    from django.utils import timezone

    from hongniang.seekers.models import Seeker

    Seeker.objects.filter(pk__in=[s.pk for s in seekers]).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_prices_count_the_people_looking_now_over_the_time_postings_have_left(seeker, enterprise, point_a):
    """The demand the prices count: people who registered, were shown recommendations or applied in the last 30
    days, scaled to the published postings' remaining validity — not everyone who ever registered."""
    import datetime as dt

    from django.utils import timezone

    recent = [SeekerFactory(service_point=point_a, phone=f"1370000{i:04d}") for i in range(59)]
    stale = [SeekerFactory(service_point=point_a, phone=f"1371000{i:04d}") for i in range(40)]
    _age(stale, 400)
    back = stale[0]  # registered long ago, applied this week: looking again
    Application.objects.create(seeker=back, posting=JobPostingFactory(enterprise=enterprise), status="applied")
    from hongniang.jobs.models import JobPosting

    today = timezone.localdate()
    JobPostingFactory(enterprise=enterprise)
    JobPosting.objects.filter(status="published").update(valid_until=today + dt.timedelta(days=14))  # 15 days left
    ids, population = state.price_demand()
    assert {s.pk for s in recent} | {seeker.pk, back.pk} == ids
    assert population == pytest.approx(61 * 15 / 30)
    # a closed account does not look any more, whatever its history says
    type(back).objects.filter(pk=back.pk).update(is_active=False)
    state.seeker_index()
    state.job_index()
    state.reprice()
    assert state._state.price_population == pytest.approx(60 * 15 / 30)
    _age(recent[10:], 400)  # a quiet county: under 50 people looked
    assert state.price_demand() == (None, None)


def test_people_who_stopped_looking_do_not_crowd_a_posting(seeker, enterprise, point_a):
    """Sixty people near a one-position job who registered a year ago and never looked since do not make it
    '报名人多' for the people looking now; the same sixty registering this month do."""
    crowded = JobPostingFactory(enterprise=enterprise, title="热门岗位", headcount=1, lat=25.9001, lon=116.0001,
                                pay_min=6000, pay_max=6500, monthly_min=6000, monthly_max=6500)
    JobPostingFactory(enterprise=enterprise, title="空缺岗位", headcount=50, lat=25.9002, lon=116.0002,
                      pay_min=5000, pay_max=5500, monthly_min=5000, monthly_max=5500)
    crowd = [SeekerFactory(service_point=point_a, phone=f"1370000{i:04d}") for i in range(60)]
    # people looking elsewhere in the county (so the county is not 'quiet')
    [SeekerFactory(service_point=point_a, phone=f"1372000{i:04d}", lat=26.5, lon=116.5) for i in range(60)]

    def reasons():
        return {i.posting.title: i.reasons for i in recommendations_for(seeker, capacity_aware=True)}

    state.seeker_index()
    state.job_index()
    state.reprice()
    assert "报名人多" in reasons()["热门岗位"]
    crowded_price = state._state.jobs.price(crowded.pk)
    _age(crowd, 365)
    state.reprice()
    assert "报名人多" not in reasons()["热门岗位"]
    assert state._state.jobs.price(crowded.pk) < crowded_price / 5
