"""The bureau's buttons on a credit-code claim and the claim's status share their Chinese words; in English a
status must not read like a button ("Uphold claim")."""

from __future__ import annotations

from django.utils import translation

from hongniang.employers.machines import CLAIM
from hongniang.employers.models import ClaimStatus


def test_a_claims_status_and_the_bureaus_button_read_differently_in_english():
    with translation.override("zh-hans"):
        assert str(ClaimStatus.GRANTED.label) == "核实属实" == str(CLAIM.action("grant").label)
    with translation.override("en"):
        assert str(ClaimStatus.GRANTED.label) == "Claim upheld"
        assert str(ClaimStatus.REJECTED.label) == "Claim rejected"
        assert str(CLAIM.action("grant").label) == "Uphold claim"
