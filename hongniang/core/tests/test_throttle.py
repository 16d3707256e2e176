"""Login throttles stop attackers and not users (issue 13 item 1): the client address from a trusted proxy hop,
separate counters per account, per address and per pair, the same throttle on /admin/login/."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from hongniang.core import throttle
from hongniang.core.errors import RateLimited

THROTTLED = "登录失败次数过多"
PROXY = "10.9.9.9"


def _login(client, username, password, *, ip="10.0.0.1", xff=None, path="/accounts/login/"):
    extra = {"REMOTE_ADDR": ip}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(path, {"username": username, "password": password}, **extra)


def _ip(remote, xff=None, **extra):
    meta = {"REMOTE_ADDR": remote, **extra}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return throttle.client_ip(RequestFactory().get("/", **meta))


# --- the client address --------------------------------------------------------------------------------


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip("203.0.113.5", "1.2.3.4") == "203.0.113.5"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY, "172.16.0.0/12"]
    assert _ip(PROXY, "203.0.113.5") == "203.0.113.5"
    # the client wrote its own X-Forwarded-For: the proxy appended the real address; the forged one is ignored
    assert _ip(PROXY, "1.2.3.4, 203.0.113.5") == "203.0.113.5"
    # two proxy hops (a CDN in 172.16/12, then ours)
    assert _ip(PROXY, "203.0.113.5, 172.16.3.4") == "203.0.113.5"
    # a request that did not come through the proxy cannot claim another address
    assert _ip("198.51.100.7", "1.2.3.4") == "198.51.100.7"
    assert _ip(PROXY, "not-an-address") == PROXY
    assert _ip(PROXY) == PROXY


# --- login attacks ---------------------------------------------------------------------------------------


def test_behind_the_proxy_failures_under_many_names_do_not_lock_everybody_out(settings, seeker_user):
    """The attack from the issue: every request has the proxy's address; 5 failures under any names used to
    block every user for 15 minutes."""
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = Client()
    for i in range(30):
        _login(attacker, f"137000000{i:02d}", "wrong", ip=PROXY, xff="203.0.113.5")
    # the sprayer's own address is now refused, even with a right password for another account
    assert THROTTLED in _login(attacker, "13900000001", "secret-pass-1", ip=PROXY, xff="203.0.113.5").content.decode()
    # the real user, through the same proxy, logs in
    assert _login(Client(), "13900000001", "secret-pass-1", ip=PROXY, xff="198.51.100.7").status_code == 302


def test_guessing_one_password_from_one_address_is_stopped(settings, seeker_user):
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = Client()
    for _ in range(5):
        _login(attacker, "13900000001", "wrong", ip=PROXY, xff="203.0.113.5")
    r = _login(attacker, "13900000001", "secret-pass-1", ip=PROXY, xff="203.0.113.5")
    assert THROTTLED in r.content.decode() and "_auth_user_id" not in attacker.session


def test_forging_forwarded_for_does_not_give_fresh_addresses(settings, seeker_user):
    settings.TRUSTED_PROXIES = []
    attacker = Client()
    for i in range(5):
        _login(attacker, "13900000001", "wrong", ip="203.0.113.5", xff=f"1.2.3.{i}")
    assert THROTTLED in _login(attacker, "13900000001", "secret-pass-1", ip="203.0.113.5",
                               xff="1.2.3.99").content.decode()


def test_a_distributed_attack_on_one_account_is_stopped(seeker_user):
    for i in range(20):
        _login(Client(), "13900000001", "wrong", ip=f"203.0.113.{i + 1}")
    assert THROTTLED in _login(Client(), "13900000001", "secret-pass-1", ip="198.51.100.7").content.decode()


def test_admin_login_has_the_same_throttle(bureau):
    bureau.set_password("right-pass-9")
    bureau.is_staff = True
    bureau.save()
    attacker = Client()
    for _ in range(5):
        r = _login(attacker, bureau.username, "wrong", path="/admin/login/?next=/admin/")
        assert r.status_code == 200
    r = _login(attacker, bureau.username, "right-pass-9", path="/admin/login/?next=/admin/")
    assert r.status_code == 200 and THROTTLED in r.content.decode()
    assert "_auth_user_id" not in attacker.session
    assert _login(Client(), bureau.username, "right-pass-9", ip="10.0.0.2",
                  path="/admin/login/?next=/admin/").status_code == 302


# --- the generic guard -----------------------------------------------------------------------------------


def test_guard_refuses_at_the_limit_and_skips_missing_keys(db):
    rule = throttle.Rule(scope="t:x", limit=2, window=throttle.minutes(5), message="太快了")
    throttle.guard([(rule, "a"), (rule, None)])
    throttle.guard([(rule, "a")])
    with pytest.raises(RateLimited) as exc:
        throttle.guard([(rule, "a")])
    assert exc.value.status == 429 and exc.value.message == "太快了"
    throttle.guard([(rule, "b")])  # another key has its own count
