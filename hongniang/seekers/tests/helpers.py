"""Fixtures shared by the seekers and applications tests (imported by both conftest files)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse

from hongniang.core.models import ApiToken
from hongniang.testing import factories as f

BASE_URL_NAMES = ("home", "jobs:list", "geo:points", "about", "login", "logout", "employers:register")


@pytest.fixture(autouse=True)
def _base_urls_present(settings):
    """base.html links to pages of other apps; if one is not wired yet, use a urlconf with stand-ins so
    these pages can be tested on their own."""
    missing = []
    for name in BASE_URL_NAMES:
        try:
            reverse(name)
        except NoReverseMatch:
            missing.append(name)
    if missing:
        settings.ROOT_URLCONF = "hongniang.seekers.tests.stub_urls"


@pytest.fixture
def id_number(regions, occupations):
    """A valid ID number (male, born 1985-03-07) not used by any factory seeker."""
    return f.valid_id_number(901)


@pytest.fixture
def female_id_number(regions, occupations):
    return f.valid_id_number(902, birth=dt.date(1978, 11, 2), female=True)


@pytest.fixture
def seeker_b(point_b, regions, occupations):
    """A seeker registered at point B (no login account)."""
    return f.SeekerFactory(name="王九堡", service_point=point_b, home_region=regions["v_jiubao"],
                           phone="13700000002")


@pytest.fixture
def seeker_a2(point_a, regions, occupations):
    """A second seeker of point A without a login account."""
    return f.SeekerFactory(name="陈沙洲", service_point=point_a, phone="13700000003")


@pytest.fixture
def token_for():
    def make(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.create(user=user).key}"}
    return make
