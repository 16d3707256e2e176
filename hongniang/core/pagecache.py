"""A per-URL cache of the public pages for anonymous visitors (issue 20: a crowd from a poster QR code or a live
stream all open the same few pages).

What is cached: a GET of a public page (hongniang.core.dbrouter.PUBLIC_PAGES: home, job list with or without
filters, job pages, service points, gigs, events, the live-session list) by a visitor without a log-in cookie
(and without a pending flash-message cookie), answered 200 as HTML without setting any cookie but the CSRF one.
Kept PAGE_CACHE_SECONDS (default 30) per URL (path and sorted query), host, scheme, language and htmx target, in
this process's memory (the "pages" cache). A live session's own page (/live/<id>/) is cached by the live app.
Values the same for every visitor (the job list's facet counts, each job card) are kept by `shared` in the
"fragments" cache under the same generation, so a logged-in visitor's page and a cache miss render faster too.

CSRF: every page carries a CSRF token (base.html gives htmx one; forms have theirs). The stored copy has each
token replaced by a placeholder, and each visitor gets a token of their own cookie's secret put back in (a new
cookie when they have none) — one visitor's token never reaches another.

Invalidation: each entry carries the generation it was rendered under; a write to what these pages show (a
posting, an enterprise, a gig order, an event or its booths, a service point, a live session) bumps the
generation in the database (hongniang.flows.pagecache connects the hooks and signals), and every process reads
it at most every PAGE_CACHE_POLL_SECONDS (default 1), so an edit shows everywhere within about a second — on
every app server, as the generation is in the shared database. Counts that change with every sign-up (gig
sign-ups, event registrations) do not bump it: they are at most PAGE_CACHE_SECONDS old.

The response says X-Page-Cache: hit or miss (nothing for requests the cache does not handle)."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.translation import get_language_from_request

from .dbrouter import PUBLIC_PAGES
from .models import CacheGeneration

CACHE = "pages"
FRAGMENTS = "fragments"
PLACEHOLDER = "@@hongniang-csrf-token@@"
_TOKEN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_NOT_HERE = re.compile(r"^/live/\d+/$")  # the live app caches its viewers' page itself
_DROP_HEADERS = {"content-length", "set-cookie", "date", "x-page-cache"}
GENERATION = "pages"


@dataclass
class Entry:
    generation: int
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    has_token: bool
    route: str


# ------------------------------------------------------------------------------------------ the generation

_seen = {"value": None, "at": 0.0}


def current_generation() -> int:
    """The shared generation, read from the database at most every PAGE_CACHE_POLL_SECONDS per process."""
    now = time.monotonic()
    poll = getattr(settings, "PAGE_CACHE_POLL_SECONDS", 1.0)
    if _seen["value"] is None or now - _seen["at"] >= poll:
        row = CacheGeneration.objects.filter(name=GENERATION).values_list("value", flat=True).first()
        _seen["value"], _seen["at"] = row or 0, now
    return _seen["value"]


def bump(*_args, **_kwargs) -> None:
    """Something the public pages show changed: every cached page is stale. Runs inside the writer's transaction
    (the new generation is seen when the change is), and this process reads it again at its next request."""
    from django.db.models import F

    if not CacheGeneration.objects.filter(name=GENERATION).update(value=F("value") + 1):
        with transaction.atomic():
            obj, created = CacheGeneration.objects.get_or_create(name=GENERATION, defaults={"value": 1})
            if not created:
                CacheGeneration.objects.filter(name=GENERATION).update(value=F("value") + 1)
    _seen["value"] = None


def shared(key: str, compute, ttl: int = 300):
    """A value that is the same for every visitor (facet counts, a job card), kept in this process under the
    current generation: computed again after any write that bumps it, or after `ttl` seconds. Off (always
    computed) when the page cache is (PAGE_CACHE_SECONDS=0)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    full = f"{key}:g{current_generation()}"
    cache = caches[FRAGMENTS]
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, ttl)
    return value


def shared_many(keys: list[str]) -> dict[str, object]:
    """The values of `shared` keys that are in the cache (one read for all of them), by key; {} when the page
    cache is off. Store the missing ones with `shared_store`."""
    if settings.PAGE_CACHE_SECONDS <= 0 or not keys:
        return {}
    suffix = f":g{current_generation()}"
    found = caches[FRAGMENTS].get_many([k + suffix for k in keys])
    return {k: found[k + suffix] for k in keys if k + suffix in found}


def shared_store(key: str, value, ttl: int = 300) -> None:
    """Keep `value` as `shared(key, ...)` would (nothing when the page cache is off)."""
    if settings.PAGE_CACHE_SECONDS > 0:
        caches[FRAGMENTS].set(f"{key}:g{current_generation()}", value, ttl)


# ---------------------------------------------------------------------------------------------- the cache


def _handles(request) -> bool:
    return (settings.PAGE_CACHE_SECONDS > 0 and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES
            and PUBLIC_PAGES.match(request.path_info) is not None and _NOT_HERE.match(request.path_info) is None)


def _key(request) -> str:
    query = "&".join(f"{k}={v}" for k, vs in sorted(request.GET.lists()) for v in vs)
    raw = "|".join((request.scheme, request.get_host(), get_language_from_request(request),
                    request.headers.get("HX-Request", ""), request.headers.get("HX-Target", ""),
                    request.path_info, query))
    return "page:" + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def _strip_tokens(request, body: bytes) -> tuple[bytes, bool]:
    """Replace every CSRF token of this visitor (a masked form of their cookie's secret) with the placeholder."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body, False
    text = body.decode("utf-8")
    found = False

    def swap(m):
        nonlocal found
        if _unmask_cipher_token(m.group(0)) == secret:
            found = True
            return PLACEHOLDER
        return m.group(0)

    text = _TOKEN_CANDIDATE.sub(swap, text)
    return text.encode("utf-8"), found


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or getattr(response, "is_rendered", True) is False:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False  # a session, a message or a language cookie: this answer is this visitor's
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _from_entry(request, entry: Entry) -> HttpResponse:
    body = entry.body
    if entry.has_token:
        body = body.replace(PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(body, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    """After the CSRF middleware (which sets each visitor's cookie on the way out), before authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _handles(request):
            return self.get_response(request)
        cache = caches[CACHE]
        key = _key(request)
        generation = current_generation()  # before rendering: a page rendered during a write is kept as older
        entry = cache.get(key)
        if entry is not None and entry.generation == generation:
            request.route_name = entry.route
            response = _from_entry(request, entry)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _storable(request, response):
            body, has_token = _strip_tokens(request, response.content)
            match = getattr(request, "resolver_match", None)
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROP_HEADERS]
            cache.set(key, Entry(generation, response.status_code, headers, body, has_token,
                                 match.view_name if match else ""), settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
        return response
