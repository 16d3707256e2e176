"""Pluggable SMS senders. settings.SMS_SENDER is the dotted path of a class with `send(phone, body, *, key)` that
raises on failure; `key` is the outbox row's idempotency key, to pass to the provider (e.g. its out-id / request
id), which then sends one message per key however often it is asked. The default logs the message with the phone
number masked (never in full)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from hongniang.zh.validators import mask_phone

logger = logging.getLogger("hongniang.sms")
DEFAULT_SENDER = "hongniang.notifications.senders.ConsoleSender"


class SmsSendError(Exception):
    pass


class ConsoleSender:
    """Development / demo sender: writes one log line per message; the phone number is masked."""

    def send(self, phone: str, body: str, *, key: str = "") -> None:
        logger.warning("SMS to %s: %s (key %s)", mask_phone(phone), body, key)


class FailingSender:
    """Always fails (for exercising retries)."""

    def send(self, phone: str, body: str, *, key: str = "") -> None:
        raise SmsSendError("sender unavailable")


def get_sender():
    return import_string(getattr(settings, "SMS_SENDER", DEFAULT_SENDER) or DEFAULT_SENDER)()
