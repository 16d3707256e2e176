"""Fixtures for the job, enterprise and service-point tests."""

from __future__ import annotations

import pytest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from hongniang.testing import factories as f


@pytest.fixture(autouse=True)
def _apply_box_stub(settings, tmp_path):
    """The apply box (applications/_apply_box.html) belongs to the applications app; until it lands, render an
    empty stand-in so the job detail page can be tested on its own."""
    try:
        get_template("applications/_apply_box.html")
    except TemplateDoesNotExist:
        (tmp_path / "applications").mkdir()
        (tmp_path / "applications" / "_apply_box.html").write_text("", encoding="utf-8")
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]


@pytest.fixture
def unverified_enterprise(regions):
    return f.EnterpriseFactory(name="瑞金新开鞋业有限公司", verification_status="unverified")


@pytest.fixture
def unverified_hr(unverified_enterprise):
    return f.make_hr(unverified_enterprise, "hr_new")


@pytest.fixture
def valid_posting_data(regions, occupations):
    return {
        "title": "车间普工", "occupation": "6-25-04-01", "headcount": "10", "pay_type": "monthly",
        "pay_min": "3800", "pay_max": "5200", "shift": "two_shift", "board": True, "lodging": False,
        "shuttle": True, "social_insurance": True, "region": "360781103201", "address": "九堡工业园",
        "age_min": "18", "age_max": "50", "description": "电子厂流水线普工，两班倒。",
    }


@pytest.fixture
def make_posting(enterprise, occupations):
    def make(**kw):
        kw.setdefault("enterprise", enterprise)
        return f.JobPostingFactory(**kw)
    return make
