"""Fixtures for notification tests (also imported by the applications and seekers tests)."""

from __future__ import annotations

import pytest

SENT: list[tuple[str, str]] = []
FAILURES = {"left": 0}


class RecordingSender:
    """Records what would be sent; fails while FAILURES["left"] > 0."""

    def send(self, phone: str, body: str) -> None:
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise RuntimeError("gateway timeout")
        SENT.append((phone, body))


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_SENDER = "hongniang.notifications.tests.fixtures.RecordingSender"
    SENT.clear()
    FAILURES["left"] = 0
    yield SENT
    SENT.clear()
    FAILURES["left"] = 0


@pytest.fixture
def sms_failures():
    def set_failures(n: int):
        FAILURES["left"] = n

    return set_failures
