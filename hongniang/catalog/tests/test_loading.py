from __future__ import annotations

import pytest
from django.core.management import call_command

from hongniang.catalog.loading import read_common
from hongniang.catalog.models import Industry, Occupation


@pytest.fixture
def loaded(db):
    call_command("load_classifications", "--wet-run")


def test_dry_run_changes_nothing(db):
    call_command("load_classifications")
    assert Occupation.objects.count() == 0


def test_occupation_hierarchy(loaded):
    sewing = Occupation.objects.get(code="6-05-01-03")
    assert sewing.name == "缝纫工" and sewing.level == 4
    chain = [sewing.parent.code, sewing.parent.parent.code, sewing.parent.parent.parent.code]
    assert chain == ["6-05-01", "6-05", "6"]
    assert sewing.parent.parent.parent.parent is None


def test_common_list_size_and_codes_are_level_4(loaded):
    common = read_common()
    assert 70 <= len(common) <= 90
    assert Occupation.objects.filter(common=True).count() == len(common)
    assert set(Occupation.objects.filter(common=True).values_list("level", flat=True)) == {4}
    assert Occupation.objects.get(code="4-09-08-01").common_label == "保洁"
    labels = set(common.values())
    assert {"普工", "缝纫工", "电子装配工", "叉车司机", "保洁", "保安", "厨师", "快递员", "脐橙种植"} <= labels


def test_industry_hierarchy(loaded):
    c = Industry.objects.get(code="1811")
    assert [c.parent.code, c.parent.parent.code, c.parent.parent.parent.code] == ["181", "18", "C"]
    assert Industry.objects.get(code="0190").parent.code == "01"  # group not listed separately
    assert not Industry.objects.filter(level__gt=1, parent=None).exists()


def test_loading_twice_is_idempotent(loaded):
    counts = (Occupation.objects.count(), Industry.objects.count())
    call_command("load_classifications", "--wet-run")
    assert (Occupation.objects.count(), Industry.objects.count()) == counts == (2176, 1771)
