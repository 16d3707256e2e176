"""One constant per fact. The platform reads the minimum wage from the settings (through hongniang.core.wages) and
the working month from the posting parser; the pure libraries (zh, matching) may not import core, so they keep
their own defaults, which must agree with the settings' defaults."""

from __future__ import annotations

import runpy
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

import hongniang
from hongniang.core import wages
from hongniang.jobs.services import minimum_pay, monthly_estimate
from hongniang.matching import MatchConfig
from hongniang.matching import config as matching_config
from hongniang.recommend.config import base_config
from hongniang.zh import posting as zh_posting

SETTINGS_FILE = Path(hongniang.__file__).parent / "settings.py"


@pytest.fixture
def default_settings(monkeypatch):
    """The settings module's values when the environment does not set the minimum wage."""
    monkeypatch.delenv("MINIMUM_WAGE_MONTHLY", raising=False)
    monkeypatch.delenv("MINIMUM_WAGE_HOURLY", raising=False)
    return runpy.run_path(str(SETTINGS_FILE))


def test_the_pure_libraries_default_minimum_wage_is_the_settings_default(default_settings):
    monthly, hourly = default_settings["MINIMUM_WAGE_MONTHLY"], Decimal(default_settings["MINIMUM_WAGE_HOURLY"])
    assert zh_posting.MINIMUM_WAGE_MONTHLY == matching_config.MINIMUM_WAGE_MONTHLY == monthly
    assert MatchConfig().minimum_wage_monthly == monthly
    assert Decimal(str(zh_posting.MINIMUM_WAGE_HOURLY)) == hourly


def test_the_platform_reads_the_minimum_wage_from_the_settings(settings):
    settings.MINIMUM_WAGE_MONTHLY = 2000
    settings.MINIMUM_WAGE_HOURLY = "20.5"
    assert wages.minimum_monthly() == 2000 and wages.minimum_hourly() == Decimal("20.5")
    assert wages.minimum_daily() == Decimal("91.95")  # 2000 / 21.75
    assert base_config().minimum_wage_monthly == 2000  # every JobIndex of the platform is built from it
    assert minimum_pay("monthly") == 2000 and minimum_pay("hourly") == Decimal("20.5")
    page = Template("{% load wages %}{% minimum_wage_monthly %} {% minimum_wage_hourly %}").render(Context())
    assert page == "2000 20.5"


def test_a_working_month_is_the_parsers(settings):
    assert wages.DAYS_PER_MONTH is zh_posting.DAYS_PER_MONTH and wages.HOURS_PER_DAY is zh_posting.HOURS_PER_DAY
    # a form's estimate and a pasted ad's estimate agree: 150 a day, 20 an hour
    parsed = zh_posting.parse_posting("招普工，日薪150元")
    assert parsed.monthly_min == monthly_estimate("daily", Decimal(150)) == 150 * wages.DAYS_PER_MONTH
    parsed = zh_posting.parse_posting("招普工，时薪20元")
    assert parsed.monthly_min == monthly_estimate("hourly", Decimal(20)) == 20 * 8 * wages.DAYS_PER_MONTH
