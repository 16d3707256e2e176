"""Autocomplete for the search box: titles of open postings, occupations, enterprises — by Chinese prefix,
full pinyin or initials (zpg → 装配工), and inside titles by any word of them or its pinyin (装配 or zpg →
电子装配工, after the titles that start with it). One in-memory Autocompleter per process, rebuilt
in the background at most once a minute."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

from hongniang.catalog.models import Occupation
from hongniang.employers.models import Enterprise
from hongniang.jobs.models import JobPosting, PostingStatus
from hongniang.zh.autocomplete import Autocompleter

_lock = threading.Lock()
_state: dict = {"at": -1e9, "ac": None, "vocabulary": None, "building": False}
TTL_SECONDS = 60


def build_vocabulary() -> dict[str, float]:
    weights: Counter[str] = Counter()
    for title in JobPosting.objects.filter(status=PostingStatus.PUBLISHED).values_list("title", flat=True):
        weights[title] += 1
    for name, label in Occupation.objects.filter(common=True).values_list("name", "common_label"):
        weights[name] += 2
        if label:
            weights[label] += 5
    for name in Enterprise.objects.filter(postings__status=PostingStatus.PUBLISHED).distinct().values_list(
        "name", flat=True
    ):
        weights[name] += 1
    return dict(weights)


def _rebuild() -> None:
    """A new Autocompleter only when the vocabulary changed: the same one keeps its identity, so the query
    reader built on it (search.query.reader, 3-8 s of CPU at 100k titles) is not rebuilt either."""
    try:
        vocabulary = build_vocabulary()
        if vocabulary != _state.get("vocabulary") or _state["ac"] is None:
            _state["ac"], _state["vocabulary"] = Autocompleter(vocabulary, infix=True), vocabulary
        _state["at"] = time.monotonic()
    except Exception:  # keep serving the old one; the next call after the TTL retries
        logging.getLogger(__name__).exception("autocomplete rebuild failed")
        _state["at"] = time.monotonic()
    finally:
        _state["building"] = False
        from django.db import connection

        connection.close()  # this thread's own connection


def autocompleter(force: bool = False) -> Autocompleter:
    """The process's Autocompleter. The first call (or `force`) builds it inline; after TTL_SECONDS the next
    call starts a rebuild in a background thread and keeps serving the old one until it is done."""
    now = time.monotonic()
    if force or _state["ac"] is None:
        with _lock:
            if force or _state["ac"] is None:
                vocabulary = build_vocabulary()
                _state["ac"], _state["vocabulary"] = Autocompleter(vocabulary, infix=True), vocabulary
                _state["at"] = time.monotonic()
        return _state["ac"]
    if now - _state["at"] > TTL_SECONDS and not _state["building"]:
        with _lock:
            if not _state["building"] and now - _state["at"] > TTL_SECONDS:
                _state["building"] = True
                threading.Thread(target=_rebuild, name="suggest-rebuild", daemon=True).start()
    return _state["ac"]


def suggest(prefix: str, limit: int = 10) -> list[str]:
    prefix = (prefix or "").strip()[:30]
    if not prefix:
        return []
    return autocompleter().suggest(prefix, limit=limit)


def invalidate() -> None:
    _state["ac"] = None


def current() -> Autocompleter | None:
    """The autocompleter built so far, or None — never builds one nor starts a rebuild (for readers of its
    vocabulary, such as the pinyin reader of queries)."""
    return _state["ac"]
