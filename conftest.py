"""Shared fixtures: reference data and personas (seeker, enterprise HR, staff of point A and B, bureau
admin, outsider). Tests that need PostgreSQL or a browser skip locally when those are absent; in CI
(CI=true) their absence is a failure (see .ci/run)."""

from __future__ import annotations

import pytest

from hongniang.testing import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """The page cache keeps pages in memory across tests (whose databases differ): off, except where a test turns
    it on (hongniang/flows/tests/test_pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """Each test's database is rolled back: regions and occupations cached by an earlier test are not its, nor
    the sorted searches' counts of postings along each sort key, nor the logged-in users kept."""
    from hongniang.core import viewer
    from hongniang.jobs.selectors import forget_reference_rows
    from hongniang.search import engine, shared

    forget_reference_rows()
    shared.forget_statements()
    viewer.forget()  # the logged-in users kept per process (their generations are rolled back with the database)
    engine._hist.clear()


@pytest.fixture
def regions(db):
    return f.reference_regions()


@pytest.fixture
def occupations(db):
    return f.reference_occupations()


@pytest.fixture
def point_a(regions):
    return f.ServicePointFactory(name="象湖镇就业之家", region=regions["xianghu"])


@pytest.fixture
def point_b(regions):
    return f.ServicePointFactory(name="九堡镇就业之家", region=regions["jiubao"], lat=25.937, lon=115.905)


@pytest.fixture
def staff_a(point_a):
    return f.make_staff(point_a, "staff_a")


@pytest.fixture
def staff_b(point_b):
    return f.make_staff(point_b, "staff_b")


@pytest.fixture
def enterprise(regions):
    return f.EnterpriseFactory(name="瑞金红都服饰有限公司")


@pytest.fixture
def other_enterprise(regions):
    return f.EnterpriseFactory(name="瑞金绿野电子有限公司")


@pytest.fixture
def hr(enterprise):
    return f.make_hr(enterprise, "hr_a")


@pytest.fixture
def other_hr(other_enterprise):
    return f.make_hr(other_enterprise, "hr_b")


@pytest.fixture
def posting(enterprise, occupations):
    return f.JobPostingFactory(enterprise=enterprise)


@pytest.fixture
def seeker_user(regions, occupations, point_a):
    user = f.UserFactory(username="13900000001", phone="13900000001", display_name="刘小红")
    f.SeekerFactory(user=user, name="刘小红", phone="13900000001", service_point=point_a)
    return user


@pytest.fixture
def seeker(seeker_user):
    return seeker_user.seeker


@pytest.fixture
def bureau(db):
    return f.UserFactory(username="bureau", is_bureau=True, is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    return f.UserFactory(username="outsider")


@pytest.fixture
def sms(settings):
    """The texts sent during the test (hongniang.testing.sms): `sms.code(phone)` is the code a person reads."""
    from hongniang.testing.sms import Inbox

    settings.SMS_SENDER = "hongniang.testing.sms.KeepingSender"
    inbox = Inbox()
    inbox.clear()
    yield inbox
    inbox.clear()
