"""Throttles that stop attackers and not users.

The client address: `client_ip(request)` takes REMOTE_ADDR, unless that address is one of the configured
`TRUSTED_PROXIES` (addresses or networks); then X-Forwarded-For is read from the right, skipping trusted proxy
hops, and the first address not a trusted proxy is the client. A client cannot forge its address by sending
its own X-Forwarded-For: only hops appended by a trusted proxy are read.

Counters: `RateEvent` rows (scope, keyed hash of the key, time) in the database, so every app server sees the
same counts and no phone number, user name or address is stored in the clear. `guard()` refuses (RateLimited,
HTTP 429) when any of its rules is at its limit, else records one event per rule.

Logins (`login_blocked` / `login_failed` / `login_succeeded`) count failures three ways, so that one address
behind a proxy, or one attacker naming someone else's account, does not lock everybody out:
- per account and address pair: LOGIN_MAX_FAILURES (5) in the window → that address may not try that account;
- per address: LOGIN_MAX_FAILURES_PER_ADDRESS (30) across accounts → the address is refused (password spraying);
- per account: LOGIN_MAX_FAILURES_PER_ACCOUNT (20) from all addresses → the account is refused (a distributed
  attack); the real user then waits for the window or asks a service point for a reset.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import random
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .errors import RateLimited
from .models import RateEvent

# ------------------------------------------------------------------------------------- client address


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    nets = []
    for item in spec:
        item = item.strip()
        if item:
            nets.append(ipaddress.ip_network(item, strict=False))
    return tuple(nets)


def _trusted(addr: str, nets) -> bool:
    try:
        ip = ipaddress.ip_address(addr.strip())
    except ValueError:
        return False
    return any(ip in net for net in nets)


def _valid_ip(addr: str) -> str | None:
    try:
        return str(ipaddress.ip_address(addr.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the last X-Forwarded-For hop that is not
    itself a trusted proxy."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "")
    nets = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not remote or not nets or not _trusted(remote, nets):
        return remote
    hops = [h for h in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if h.strip()]
    for hop in reversed(hops[-20:]):
        addr = _valid_ip(hop)
        if addr is None:
            return remote  # a garbled hop: trust nothing beyond the proxy
        if not _trusted(addr, nets):
            return addr
    return remote


# ------------------------------------------------------------------------------------------- counters


def _hash(scope: str, key: str) -> str:
    return salted_hmac("hongniang.throttle", f"{scope}:{key}").hexdigest()[:40]


def count(scope: str, key: str, *, window: dt.timedelta) -> int:
    return RateEvent.objects.filter(scope=scope, key_hash=_hash(scope, key), at__gte=timezone.now() - window).count()


def record(scope: str, key: str) -> None:
    RateEvent.objects.create(scope=scope, key_hash=_hash(scope, key))
    if random.random() < 0.02:  # noqa: S311 - housekeeping, not security
        RateEvent.objects.filter(at__lt=timezone.now() - dt.timedelta(days=2)).delete()


def forget(scope: str, key: str) -> None:
    RateEvent.objects.filter(scope=scope, key_hash=_hash(scope, key)).delete()


@dataclass(frozen=True)
class Rule:
    """At most `limit` events for one key of `scope` within `window`."""

    scope: str
    limit: int
    window: dt.timedelta
    message: str = ""


def guard(checks: list[tuple[Rule, str | None]], *, message: str = "") -> None:
    """For each (rule, key) with a key: refuse when the rule's count has reached its limit; when none has,
    record one event per rule. Keys that are None or empty are skipped (no address, anonymous caller)."""
    live = [(rule, str(key)) for rule, key in checks if key]
    for rule, key in live:
        if count(rule.scope, key, window=rule.window) >= rule.limit:
            raise RateLimited(rule.message or message or None, code="rate_limited")
    for rule, key in live:
        record(rule.scope, key)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


# ---------------------------------------------------------------------------------------------- logins


def _window() -> dt.timedelta:
    return minutes(getattr(settings, "LOGIN_FAILURE_WINDOW_MINUTES", 15))


def _account(username: str) -> str:
    return (username or "").strip().lower()


def _limits() -> tuple[int, int, int]:
    pair = getattr(settings, "LOGIN_MAX_FAILURES", 5)
    return (pair, getattr(settings, "LOGIN_MAX_FAILURES_PER_ACCOUNT", 20),
            getattr(settings, "LOGIN_MAX_FAILURES_PER_ADDRESS", 30))


def login_blocked(*, username: str, ip: str | None) -> bool:
    """Whether this address may not try this account now (see the module note)."""
    pair, per_account, per_address = _limits()
    window, account = _window(), _account(username)
    if count("login:pair", f"{account}|{ip or '-'}", window=window) >= pair:
        return True
    if count("login:account", account, window=window) >= per_account:
        return True
    return bool(ip) and count("login:address", ip, window=window) >= per_address


def login_failed(*, username: str, ip: str | None) -> None:
    account = _account(username)
    record("login:pair", f"{account}|{ip or '-'}")
    record("login:account", account)
    if ip:
        record("login:address", ip)


def login_succeeded(*, username: str, ip: str | None) -> None:
    """A right password from this address clears this account's failures from it (not the address's
    failures with other accounts, nor other addresses' failures)."""
    forget("login:pair", f"{_account(username)}|{ip or '-'}")


# Old names kept for callers written before the split counters.
def is_blocked(*, username: str, ip: str | None) -> bool:
    return login_blocked(username=username, ip=ip)


def record_failure(*, username: str, ip: str | None) -> None:
    login_failed(username=username, ip=ip)
