"""Impressions and views, the placement dashboard (page and API) and who may see it, learning from outcomes."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hongniang.applications.models import Application, ApplicationStatus
from hongniang.recommend import state
from hongniang.recommend.config import match_config
from hongniang.recommend.models import Impression, MatchCalibration
from hongniang.testing.factories import JobPostingFactory, SeekerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_indexes(monkeypatch):
    monkeypatch.setattr(state, "BACKGROUND_PRICES", False)
    state.reset()
    yield
    state.reset()


@pytest.fixture
def jobs(enterprise, occupations, regions):
    near = JobPostingFactory(enterprise=enterprise, title="缝纫工", lat=25.901, lon=116.001)
    other = JobPostingFactory(enterprise=enterprise, title="保洁员", occupation=occupations["4-09-08-01"], lat=25.902,
                              lon=116.002, monthly_min=6000, monthly_max=7000, pay_min=6000, pay_max=7000)
    return near, other


def test_the_list_is_recorded_and_far_work_comes_last_under_its_heading(client, seeker_user, seeker, jobs):
    near, other = jobs
    client.force_login(seeker_user)
    page = client.get(reverse("recommend:for_you")).content.decode()
    assert page.index("缝纫工") < page.index("其他可以考虑的工作") < page.index("保洁员")
    shown = {i.posting_id: i for i in Impression.objects.filter(seeker=seeker)}
    assert set(shown) == {near.pk, other.pk}
    assert shown[near.pk].rank == 1 and shown[near.pk].engine == "capacity/hand-set"
    client.get(reverse("recommend:for_you"))
    assert Impression.objects.get(seeker=seeker, posting=near).times_shown == 2
    assert Impression.objects.count() == 2


def test_opening_a_recommended_posting_records_the_view_and_shows_the_posting(client, seeker_user, seeker, jobs):
    near, _ = jobs
    client.force_login(seeker_user)
    client.get(reverse("recommend:for_you"))
    resp = client.get(reverse("recommend:open", args=[near.pk]))
    assert resp.status_code == 302 and resp["Location"] == reverse("jobs:detail", args=[near.pk])
    assert Impression.objects.get(seeker=seeker, posting=near).viewed_at is not None


def test_anyone_else_opening_the_link_just_sees_the_posting(client, jobs):
    near, _ = jobs
    resp = client.get(reverse("recommend:open", args=[near.pk]))
    assert resp.status_code == 302 and not Impression.objects.exists()


@pytest.fixture
def history(jobs, regions, point_a, seeker):
    """Two townships: in 象湖镇 three people saw the sewing job, one opened it, two applied, one was hired; in 九堡镇
    one person saw it and nothing followed."""
    near, _ = jobs
    t0 = timezone.now() - dt.timedelta(days=3)
    xs = [seeker] + [SeekerFactory(home_region=regions["v_xianghu"], service_point=point_a) for _ in range(2)]
    far_person = SeekerFactory(home_region=regions["v_jiubao"])
    for k, s in enumerate(xs + [far_person]):
        Impression.objects.create(seeker=s, posting=near, engine="capacity/hand-set", rank=1, score=80, first_shown_at=t0,
                                  last_shown_at=t0, viewed_at=t0 if k == 0 else None)
    Application.objects.create(seeker=xs[0], posting=near, status=ApplicationStatus.HIRED, start_date=timezone.localdate())
    Application.objects.create(seeker=xs[1], posting=near)
    return near


def test_bureau_sees_the_funnel_by_township_and_occupation(client, bureau, history):
    client.force_login(bureau)
    resp = client.get(reverse("placement:dashboard"))
    assert resp.status_code == 200
    f = resp.context["f"]
    assert (f.total.shown, f.total.viewed, f.total.applied, f.total.hired) == (4, 1, 2, 1)
    rows = {r.name: r for r in f.townships}
    assert (rows["象湖镇"].shown, rows["象湖镇"].applied, rows["象湖镇"].hired) == (3, 2, 1)
    assert rows["九堡镇"].applied == 0 and rows["九堡镇"].hire_pct == "0.0%"
    assert [r.name for r in f.occupations] == ["缝纫工"]
    page = resp.content.decode()
    assert "按求职者所在乡镇" in page and "66.7%" in page  # 2 of 3 applied in 象湖镇


def test_a_long_occupation_table_ends_in_one_row_for_the_rest_and_engines_are_named(client, bureau, history):
    """On a phone the page lists the 15 occupations recommended most and sums the rest in one row; the API keeps
    every occupation. Engine labels are shown in words."""
    from hongniang.recommend.dashboard import Funnel, Row, engine_name

    rows = [Row(f"k{i:02d}", f"工种{i}", shown=100 - i, viewed=2, applied=1, hired=i % 2) for i in range(20)]
    f = Funnel(days=90, since=timezone.now(), scope="全县", total=Row("", "合计"), occupations=rows)
    page = f.occupations_on_page()
    assert [r.name for r in page[:15]] == [f"工种{i}" for i in range(15)]
    assert page[15].name == "其余 5 个工种" and (page[15].shown, page[15].viewed, page[15].applied, page[15].hired) == (
        85 + 84 + 83 + 82 + 81, 10, 5, 3)
    assert len(page) == 16 and f.occupations == rows
    assert engine_name("capacity/hand-set") == "分流排序（人工权重）"
    assert engine_name("plain/cal-7") == "普通排序（校准权重 #7）"
    near = history
    t0 = timezone.now() - dt.timedelta(days=2)
    Impression.objects.create(seeker=SeekerFactory(), posting=near, engine="plain/hand-set", rank=2, score=70,
                              first_shown_at=t0, last_shown_at=t0)
    client.force_login(bureau)
    body = client.get(reverse("placement:dashboard")).content.decode()
    assert "分流排序（人工权重）" in body and "普通排序（人工权重）" in body and "capacity/hand-set" not in body
    data = client.get("/api/v1/recommend/placement?days=30").json()
    assert {r["key"] for r in data["engines"]} == {"capacity/hand-set", "plain/hand-set"}


def test_the_api_gives_the_same_figures(client, bureau, history):
    client.force_login(bureau)
    data = client.get("/api/v1/recommend/placement?days=30").json()
    assert data["days"] == 30 and data["total"]["hired"] == 1 and data["total"]["hire_rate"] == 0.25
    assert {r["name"]: r["applied"] for r in data["townships"]} == {"象湖镇": 2, "九堡镇": 0}


def test_staff_see_only_their_points_townships(client, staff_a, staff_b, history):
    client.force_login(staff_a)
    f = client.get(reverse("placement:dashboard")).context["f"]
    assert [r.name for r in f.townships] == ["象湖镇"] and f.total.shown == 3 and f.scope == "象湖镇"
    client.force_login(staff_b)
    data = client.get("/api/v1/recommend/placement").json()
    assert [r["name"] for r in data["townships"]] == ["九堡镇"] and data["total"]["shown"] == 1


def test_nobody_else_sees_the_dashboard(client, seeker_user, hr, history):
    assert client.get(reverse("placement:dashboard")).status_code == 302  # to the log-in page
    assert client.get("/api/v1/recommend/placement").status_code == 401
    for user in (seeker_user, hr, UserFactory(username="nobody")):
        client.force_login(user)
        assert client.get(reverse("placement:dashboard")).status_code == 403
        assert client.get("/api/v1/recommend/placement").status_code == 403


def test_the_route_is_placement_dashboard():
    assert reverse("placement:dashboard") == "/dashboard/placement/"


def test_fit_matching_prints_then_saves_a_calibration_the_index_uses(history, capsys):
    call_command("fit_matching", "--min-examples", "1")
    assert "dry run" in capsys.readouterr().out and not MatchCalibration.objects.exists()
    call_command("fit_matching", "--min-examples", "1", "--wet-run")
    cal = MatchCalibration.objects.get(active=True)
    assert set(cal.weights) >= {"w_occupation", "e_occupation"}
    assert match_config().w_occupation == pytest.approx(cal.weights["w_occupation"])
    assert state.engine() == f"capacity/cal-{cal.pk}"


def test_fit_matching_will_not_activate_a_calibration_the_replay_finds_worse(history, capsys, monkeypatch):
    from django.core.management import CommandError

    from hongniang.recommend.management.commands import fit_matching

    def worse(*a, **k):  # the replay's figures: the county's history says the fitted weights find fewer hires
        return {"test_hires": 120, "recall_at_10_hand_set": 0.034, "recall_at_10_calibrated": 0.022}

    monkeypatch.setattr(fit_matching, "replay", worse)
    call_command("fit_matching", "--min-examples", "1")
    assert "warning: the calibrated weights find 2.2% of the 120 later hires" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not activated"):
        call_command("fit_matching", "--min-examples", "1", "--wet-run")
    assert not MatchCalibration.objects.exists() and state.engine() == "capacity/hand-set"
    call_command("fit_matching", "--min-examples", "1", "--wet-run", "--force")
    assert MatchCalibration.objects.filter(active=True).exists()


def test_the_replay_verdict_needs_enough_hires_and_a_clear_loss():
    from hongniang.recommend.management.commands.fit_matching import replay_verdict

    assert replay_verdict({"test_hires": 120, "recall_at_10_hand_set": 0.30, "recall_at_10_calibrated": 0.29}) == ""
    assert replay_verdict({"test_hires": 10, "recall_at_10_hand_set": 0.30, "recall_at_10_calibrated": 0.10}) == ""
    assert replay_verdict({"test_hires": 120, "recall_at_10_hand_set": 0.30, "recall_at_10_calibrated": 0.27})


def test_protected_attributes_cannot_change_a_ranking(enterprise, occupations, regions):
    """Gender, origin (the ID number's place and the registered home township), and age within every posting's
    legal range change nothing: not the list, not its order, not the scores; and a calibration fitted on outcomes
    that follow gender is the same when the genders are swapped."""
    from hongniang.matching.learn import Event, fit_calibration
    from hongniang.recommend.adapters import job_from_posting, seeker_from_model
    from hongniang.recommend.selectors import recommendations_for
    from hongniang.testing.factories import valid_id_number

    for k in range(8):
        JobPostingFactory(enterprise=enterprise, title=f"岗位{k}", lat=25.90 + 0.01 * k, lon=116.0, monthly_min=3500 + 300 * k,
                          monthly_max=4000 + 300 * k, pay_min=3500 + 300 * k, pay_max=4000 + 300 * k, age_min=18, age_max=55,
                          occupation=occupations["6-05-01-03" if k % 2 else "6-05-01-02"])
    person = SeekerFactory(gender="M", birth_year=1985, home_region=regions["v_xianghu"])

    def ranking():
        state.reset()
        return [(i.posting.pk, i.score, i.reasons) for i in recommendations_for(person)]

    before = ranking()
    assert len(before) == 8
    person.gender = "F"
    person.birth_year = 1975  # 50: still within every posting's 18-55
    person.home_region = regions["v_jiubao"]  # origin: registered elsewhere (the home location, lat/lon, is unchanged)
    person.id_number_hash = None
    person.id_number_encrypted = valid_id_number(99, birth=dt.date(1975, 1, 1), area="110101", female=True)
    person.save()
    assert ranking() == before

    people = [SeekerFactory(gender="MF"[k % 2], lat=25.9 + 0.002 * k) for k in range(40)]
    from hongniang.jobs.models import JobPosting

    postings = list(JobPosting.objects.all())
    today = timezone.localdate()

    def events(hired_gender):
        out = []
        for k, p in enumerate(people):
            for j in postings[:4]:
                out.append(Event(p.pk, j.pk, "shown", today))
                out.append(Event(p.pk, j.pk, "applied", today))
                out.append(Event(p.pk, j.pk, "hired" if p.gender == hired_gender and (k + j.pk) % 3 else "rejected", today))
        return out

    seekers = {p.pk: seeker_from_model(p) for p in people}
    jobs_ = {j.pk: job_from_posting(j) for j in postings}
    a = fit_calibration(events("M"), seekers, jobs_, min_examples=1)
    for p in people:
        p.gender = "F" if p.gender == "M" else "M"
    b = fit_calibration(events("F"), {p.pk: seeker_from_model(p) for p in people}, jobs_, min_examples=1)
    assert a.weights == b.weights


def test_a_view_counts_as_at_a_full_posting_only_while_offers_and_hires_hold_its_places(jobs, seeker, regions):
    """One place; an offer at t1 takes it, a no-show at t3 gives it back: a view between is at a full posting, views
    before and after are not; the fit's ``exposure+open`` correction leaves that no out."""
    from hongniang.applications.models import ApplicationEvent
    from hongniang.recommend.management.commands.fit_matching import looks_at_full, places_taken
    from hongniang.recommend.outcomes import Outcome

    near, _ = jobs
    near.headcount = 1
    near.save(update_fields=["headcount"])
    t0 = timezone.now() - dt.timedelta(days=10)
    app = Application.objects.create(seeker=seeker, posting=near, status=ApplicationStatus.NO_SHOW)
    for days, src, dst in ((1, "", "applied"), (2, "applied", "offered"), (6, "offered", "no_show")):
        ev = ApplicationEvent.objects.create(application=app, action="x", from_status=src, to_status=dst)
        ApplicationEvent.objects.filter(pk=ev.pk).update(at=t0 + dt.timedelta(days=days))
    times, counts = places_taken([near.pk])[near.pk]
    assert counts == [1, 0]
    views = [Outcome(k, near.pk, "viewed", t0 + dt.timedelta(days=d)) for k, d in ((1, 1), (2, 3), (3, 7))]
    full = looks_at_full(views + [Outcome(4, near.pk, "shown", t0 + dt.timedelta(days=3))], {near.pk: {"headcount": 1}})
    assert [(e.seeker_id, e.kind) for e in full] == [(2, "full")]
    assert looks_at_full(views, {near.pk: {"headcount": 2}}) == []
