"""Login throttling: LOGIN_MAX_FAILURES failures within LOGIN_FAILURE_WINDOW_MINUTES per user name (phone)
and per IP address → further attempts are refused until the window passes. Stored in the database
(LoginFailure) so every app server sees the same counts; user names are stored as keyed hashes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .crypto import lookup_hash
from .models import LoginFailure


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "LOGIN_FAILURE_WINDOW_MINUTES", 15))


def _limit() -> int:
    return getattr(settings, "LOGIN_MAX_FAILURES", 5)


def _key(username: str) -> str:
    return lookup_hash("login:" + (username or "").strip().lower())


def client_ip(request) -> str | None:
    """REMOTE_ADDR (behind a proxy, configure the proxy to set it; X-Forwarded-For is not trusted here)."""
    return request.META.get("REMOTE_ADDR") or None


def is_blocked(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - _window()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username_hash=_key(username)).count() >= _limit():
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= _limit()


def record_failure(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username_hash=_key(username), ip=ip)
    # keep the table small: rows older than a day are of no use
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def clear(*, username: str) -> None:
    LoginFailure.objects.filter(Q(username_hash=_key(username))).delete()
