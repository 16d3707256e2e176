"""An SMS sender for tests that keeps what it sent, so a test can read the one-time code a person would read
on their phone (the `sms` fixture in the root conftest)."""

from __future__ import annotations

import re

SENT: list[tuple[str, str]] = []


class Inbox:
    """`sms.code(phone)`: the newest code texted to that number; `sms.sent`: every (phone, text)."""

    sent = SENT

    def code(self, phone: str) -> str:
        for number, text in reversed(SENT):
            if number == phone:
                found = re.search(r"验证码是 (\d{6})", text)
                if found:
                    return found.group(1)
        raise AssertionError(f"no code was texted to {phone}")

    def clear(self) -> None:
        SENT.clear()


class KeepingSender:
    def send(self, phone: str, body: str) -> None:
        SENT.append((phone, body))
