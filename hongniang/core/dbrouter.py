"""A read replica for the anonymous public pages (docs/deployment.md).

With DATABASE_REPLICA_URL set, settings adds a "replica" database and this router. PublicReadsMiddleware marks
a request as a public read when it is a GET or HEAD of a public page (PUBLIC_PAGES) by a visitor without a
log-in cookie; during such a request every read goes to the replica, unless it runs inside a transaction on the
primary (a read that belongs to a write, or select_for_update). Every write, every logged-in page and every
other request use the primary. Without a replica the router does nothing.

PUBLIC_PAGES is also the list of pages the page cache may keep (hongniang.core.pagecache)."""

from __future__ import annotations

import re
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# the pages anyone sees the same way: home, job list and pages, service points, gigs, events, live sessions
PUBLIC_PAGES = re.compile(
    r"^/(?:|about/|figures/|jobs/|jobs/\d+/|jobs/\d+/print/|points/|points/\d+/"
    r"|gigs/|gigs/orders/\d+/|gigs/screen/|gigs/figures/"
    r"|events/|events/\d+/|events/\d+/results/|events/compare/|live/|live/\d+/)$"
)

_public_read: ContextVar[bool] = ContextVar("hongniang_public_read", default=False)


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


def is_public_read(request) -> bool:
    return (request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and PUBLIC_PAGES.match(request.path_info) is not None)


class PublicReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not has_replica() or not is_public_read(request):
            return self.get_response(request)
        token = _public_read.set(True)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and has_replica() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS  # also for an object read from the replica

    def allow_relation(self, obj1, obj2, **hints):
        both = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        return both <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
