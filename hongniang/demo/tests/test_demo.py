from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command
from django.db.models import Count
from stdnum.cn import ric, uscc

from hongniang.core.wages import minimum_hourly, minimum_monthly
from hongniang.demo.loader import DEMO_PASSWORD
from hongniang.employers.models import Enterprise
from hongniang.geo.models import ServicePoint
from hongniang.jobs.models import JobPosting
from hongniang.seekers.models import Seeker
from hongniang.zh.validators import id_number_facts, normalize_phone


def _load(*args):
    out = io.StringIO()
    call_command("load_demo", "--scale", "0.02", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return _load("--wet-run")


def test_dry_run_writes_nothing(db):
    text = _load()
    assert "DRY RUN" in text
    assert not ServicePoint.objects.exists() and not Seeker.objects.exists()


def test_small_demo_counts_and_marks(demo):
    assert ServicePoint.objects.filter(is_demo=True).count() == 60
    assert Enterprise.objects.filter(is_demo=True).count() == 13
    assert JobPosting.objects.filter(is_demo=True, status="published").count() == 60
    assert Seeker.objects.filter(is_demo=True).count() == 400
    assert "done in" in demo and "admin / demo1234" in demo


def test_running_twice_adds_nothing(demo):
    counts = [m.objects.count() for m in (ServicePoint, Enterprise, JobPosting, Seeker)]
    text = _load("--wet-run")
    assert "generation skipped" in text
    assert [m.objects.count() for m in (ServicePoint, Enterprise, JobPosting, Seeker)] == counts


def test_reset_regenerates_the_same_data(demo):
    before = sorted(Enterprise.objects.values_list("credit_code", flat=True))
    _load("--wet-run", "--reset")
    assert sorted(Enterprise.objects.values_list("credit_code", flat=True)) == before


def test_id_numbers_valid_unique_and_consistent(demo):
    seen = set()
    for s in Seeker.objects.all():
        number = s.reveal_id_number()
        assert ric.is_valid(number[:17] + number[17]) or number[-1] == ric.calc_check_digit(number)
        birth, gender = id_number_facts(number)
        assert gender == s.gender and birth.year == s.birth_year and 1965 <= birth.year <= 2006
        assert number[:6] in ("360781", "362102", "362134")
        assert s.id_number_masked == number[:4] + "*" * 10 + number[-4:]
        seen.add(number)
        normalize_phone(s.phone)
    assert len(seen) == Seeker.objects.count()
    assert Seeker.objects.values("phone").distinct().count() == Seeker.objects.count()


def test_pay_never_below_minimum_wage(demo):
    for p in JobPosting.objects.all():
        assert p.monthly_min >= minimum_monthly()
        assert p.pay_min <= p.pay_max and p.monthly_min <= p.monthly_max <= 8000
        if p.pay_type == "hourly":
            assert p.pay_min >= minimum_hourly()
        assert p.township_id == (p.region_id if p.region.kind == "township" else p.region.parent_id)
        assert (p.valid_until - p.valid_from).days == 30
        assert p.occupation.common


def test_enterprises_have_valid_unique_credit_codes(demo):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(uscc.is_valid(c) for c in codes)


@pytest.mark.parametrize("login", ["13800000001", "hr_demo", "staff_demo", "admin"])
def test_demo_logins_work(demo, client, login):
    assert client.login(username=login, password=DEMO_PASSWORD)


def test_demo_logins_have_their_roles(demo):
    from hongniang.core.models import User

    assert User.objects.get(username="13800000001").seeker.is_demo
    assert User.objects.get(username="hr_demo").enterprise_memberships.count() == 1
    assert User.objects.get(username="staff_demo").service_points.get().name == "象湖镇就业之家"
    admin = User.objects.get(username="admin")
    assert admin.is_bureau and admin.is_staff and admin.is_superuser


def test_seekers_live_in_villages_and_belong_to_their_township_point(demo):
    for s in Seeker.objects.select_related("home_region", "service_point"):
        assert s.home_region.kind == "village"
        assert (s.lat, s.lon) == (s.home_region.lat, s.home_region.lon)
        assert s.service_point.region_id == s.home_region.parent_id
        assert 1 <= len(s.desired_occupations) <= 3


@pytest.mark.skipif(not (os.environ.get("CI") or os.environ.get("HONGNIANG_FULL_DEMO")),
                    reason="full-size demo (~30 s): runs in CI or with HONGNIANG_FULL_DEMO=1")
def test_full_demo_counts(db):
    """The full-size demo, once: 58 就业之家 + 2 desks, 652 enterprises, 3,000 postings, 20,000 seekers."""
    out = io.StringIO()
    call_command("load_demo", "--wet-run", stdout=out)
    kinds = dict(ServicePoint.objects.values_list("kind").annotate(n=Count("id")))
    assert sum(kinds.values()) == 60
    assert kinds["railway_station"] == kinds["culture_square"] == 1
    assert kinds["township"] == 17 and kinds["dev_zone"] == 1 and kinds["college"] == 2 and kinds["county_centre"] == 1
    assert Enterprise.objects.count() == 652
    assert JobPosting.objects.count() == 3000
    assert Seeker.objects.count() == 20000
    assert Seeker.objects.values("id_number_hash").distinct().count() == 20000


def test_deleting_the_dashboard_history_leaves_no_figures_behind(demo):
    """A reset must not leave the old data's summed hires or snapshot figures for the dashboard to show."""
    from hongniang.dashboards.models import Fact, FactDay, HireRecord, HireStat, Snapshot
    from hongniang.demo import dashboards

    assert HireStat.objects.exists() and Snapshot.objects.exists()
    dashboards.delete()
    assert not any(m.objects.exists() for m in (Fact, FactDay, HireRecord, HireStat, Snapshot))
    # nor the placement dashboard's impressions (the recommendations shown: hongniang.demo.placements)
    from hongniang.demo.loader import delete_demo
    from hongniang.recommend.models import Impression

    assert Impression.objects.exists()
    delete_demo()
    assert not Impression.objects.exists()
