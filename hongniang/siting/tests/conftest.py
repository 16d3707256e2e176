"""A small county for 因人设厂: 12 sewing workers in 沙洲坝 (象湖镇), 4 in 九堡 and 3 in 坝溪 (九堡镇), a cleaner,
one placed worker (hired: not counted) and one inactive person; regions with points as the reference fixture."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.applications.models import Application
from hongniang.core.models import ApiToken
from hongniang.testing import factories as f


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.create(user=user).key}"}


@pytest.fixture
def people(regions, occupations, point_a, point_b):
    xh, jb, bx = regions["v_xianghu"], regions["v_jiubao"], regions["v_baxi"]
    out = {"xianghu": [], "jiubao": [], "baxi": []}
    for n in range(12):
        out["xianghu"].append(f.SeekerFactory(home_region=xh, lat=xh.lat, lon=xh.lon, service_point=point_a,
                                              birth_year=1980 + n, acceptable_shifts=["day"] if n < 6 else [],
                                              max_commute_km=15))
    for _ in range(4):
        out["jiubao"].append(f.SeekerFactory(home_region=jb, lat=jb.lat, lon=jb.lon, service_point=point_b,
                                             birth_year=1990, desired_occupations=["6-05-01-02"],
                                             acceptable_shifts=["part_time"], max_commute_km=10))
    for _ in range(3):
        out["baxi"].append(f.SeekerFactory(home_region=bx, lat=bx.lat, lon=bx.lon, service_point=point_b,
                                           birth_year=1970, relocate=True, unavailable_months=[4, 5],
                                           max_commute_km=10))
    out["cleaner"] = f.SeekerFactory(home_region=xh, lat=xh.lat, lon=xh.lon, desired_occupations=["4-09-08-01"])
    out["inactive"] = f.SeekerFactory(home_region=xh, lat=xh.lat, lon=xh.lon, is_active=False)
    return out


@pytest.fixture
def placed(people, posting):
    """A sewing worker in 沙洲坝 who was hired: no longer in the supply."""
    s = f.SeekerFactory(home_region=people["xianghu"][0].home_region, lat=25.90, lon=116.00)
    Application.objects.create(seeker=s, posting=posting, status="hired", start_date=timezone.localdate(),
                               consent_at=timezone.now(), consent_channel="online")
    return s


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def months_ago():
    def back(n: int) -> dt.date:
        from hongniang.sitelib.calibration import add_months

        return add_months(timezone.localdate(), -n)

    return back
