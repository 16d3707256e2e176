"""The session store (hongniang.core.sessions): Django's database sessions, read with one plain statement."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from hongniang.core.sessions import SessionStore


def test_a_stored_session_reads_back(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    again = SessionStore(store.session_key)
    assert again["answer"] == 42 and again.session_key == store.session_key


def test_an_expired_or_deleted_session_reads_empty(db):
    store = SessionStore()
    store["answer"] = 42
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.get("answer") is None and expired.session_key is None
    assert SessionStore("no-such-session-key-at-all").load() == {}


def test_an_expired_log_in_is_anonymous(seeker_user):
    client = Client()
    client.force_login(seeker_user)
    assert client.get("/me/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    r = client.get("/me/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
