"""The shift and benefit codes of the platform are the matching library's, in the same order, with the same
Chinese labels."""

from __future__ import annotations

from hongniang.catalog.codes import BENEFITS, Shift
from hongniang.jobs.models import BENEFITS as POSTING_BENEFITS
from hongniang.jobs.models import JobPosting
from hongniang.jobs.models import Shift as PostingShift
from hongniang.matching import BENEFITS as MATCHING_BENEFITS
from hongniang.matching import SHIFTS as MATCHING_SHIFTS
from hongniang.matching.types import BENEFIT_ZH, SHIFT_ZH


def test_shift_codes_and_labels_agree_with_the_matching_library():
    assert tuple(Shift.values) == MATCHING_SHIFTS
    assert {c: str(label) for c, label in Shift.choices} == SHIFT_ZH
    assert PostingShift is Shift


def test_benefit_codes_and_labels_agree_with_the_matching_library():
    assert tuple(BENEFITS) == MATCHING_BENEFITS
    assert BENEFITS == BENEFIT_ZH
    assert POSTING_BENEFITS is BENEFITS


def test_every_benefit_is_a_posting_column():
    columns = {f.name for f in JobPosting._meta.get_fields()}
    assert set(BENEFITS) <= columns
