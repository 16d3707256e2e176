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

Where it runs (issue 20: a crowd's request should cost little more than a static file): early in MIDDLEWARE,
after the security headers, the input edge and the live fast path, before the session, locale, CSRF,
authentication and message middleware. A hit is answered there: the CSRF middleware's own two steps run for it
(read the visitor's cookie; set it on the way out, a new one for a visitor without one) and none of the rest. A
miss goes through the whole chain and is kept with the headers it leaves with (Content-Language, Vary,
X-Frame-Options, ...), without its cookies. Entries are kept as objects (ObjectCache: no pickling of a 50 KB
body on every hit).

The response says X-Page-Cache: hit or miss (nothing for requests the cache does not handle)."""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.utils.translation import get_language_from_request

from .dbrouter import PUBLIC_PAGES
from .models import CacheGeneration

CACHE = "pages"
FRAGMENTS = "fragments"
PLACEHOLDER = "@@hongniang-csrf-token@@"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()
_TOKEN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_NOT_HERE = re.compile(r"^/live/\d+/$")  # the live app caches its viewers' page itself
# the headers a hit gets anew (its length, its cookie, the date, hit or miss)
_DROP_HEADERS = {"content-length", "set-cookie", "date", "x-page-cache"}
GENERATION = "pages"


@dataclass(frozen=True, slots=True)
class Entry:
    generation: int
    status: int
    headers: tuple[tuple[str, str], ...]
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


def kept_part(key: str, compute, ttl: int | None = None) -> str:
    """A rendered part of a page that is the same for everyone who gets the same key (the job list's results:
    hongniang.search.views), kept as `shared` keeps values, but in the "pages" cache: as the object itself (no
    pickling of 20 KB of HTML) and within its MAX_ENTRIES (a key may come from a visitor's query string). Off
    (always computed) when the page cache is."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    cache = caches[CACHE]
    generation = current_generation()
    found = cache.get(key)
    if found is not None and found[0] == generation:
        return found[1]
    value = compute()
    cache.set(key, (generation, value), ttl or settings.PAGE_CACHE_SECONDS)
    return value


# ---------------------------------------------------------------------------------------------- the cache


def _handles(request) -> bool:
    return (settings.PAGE_CACHE_SECONDS > 0 and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES
            and PUBLIC_PAGES.match(request.path_info) is not None and _NOT_HERE.match(request.path_info) is None)


def _key(request) -> str:
    query = "&".join(f"{k}={v}" for k, vs in sorted(request.GET.lists()) for v in vs)
    meta = request.META
    raw = "|".join((request.scheme, request.get_host(), get_language_from_request(request),
                    meta.get("HTTP_HX_REQUEST", ""), meta.get("HTTP_HX_TARGET", ""), request.path_info, query))
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


# ------------------------------------------------------------------------------------------- CSRF tokens

_CHARS = CSRF_ALLOWED_CHARS
_N = len(_CHARS)
_ACCEPT = 256 - 256 % _N  # random bytes below this map evenly onto the 62 characters; the rest are dropped
_BYTE_TO_CHAR = bytes(ord(_CHARS[b % _N]) if b < _ACCEPT else 0 for b in range(256))
_DROP = bytes(range(_ACCEPT, 256))
# (secret character, mask character) -> the cipher character, as django.middleware.csrf._mask_cipher_secret adds them
_CIPHER = {(x, y): _CHARS[(i + j) % _N] for i, x in enumerate(_CHARS) for j, y in enumerate(_CHARS)}


def _random_chars(n: int) -> str:
    """n characters drawn uniformly from CSRF_ALLOWED_CHARS, as Django's get_random_string draws them, from one read
    of the system's random source (get_random_string reads it once per character: 64 reads for a new visitor's
    secret and token, a third of a cached page's time)."""
    out = b""
    while len(out) < n:
        out += os.urandom(n + 8).translate(_BYTE_TO_CHAR, _DROP)
    return out[:n].decode("ascii")


def _token(request) -> str:
    """django.middleware.csrf.get_token, faster: a new masked token of the visitor's secret (a new secret when they
    have none, then set as their cookie on the way out), and the cookie renewed."""
    meta = request.META
    secret = meta.get("CSRF_COOKIE")
    if secret is None:
        secret = meta["CSRF_COOKIE"] = _random_chars(CSRF_SECRET_LENGTH)
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars(CSRF_SECRET_LENGTH)
    return mask + "".join(map(_CIPHER.__getitem__, zip(secret, mask, strict=True)))


class PageCacheMiddleware:
    """Early in the chain (see the module's doc): hits answered here, misses kept on their way out."""

    def __init__(self, get_response):
        self.get_response = get_response
        # its process_request/process_response only: the visitor's CSRF cookie read, and set on the way out
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not _handles(request):
            return self.get_response(request)
        cache = caches[CACHE]
        key = _key(request)
        generation = current_generation()  # before rendering: a page rendered during a write is kept as older
        entry = cache.get(key)
        if entry is not None and entry.generation == generation:
            return self._hit(request, entry)
        response = self.get_response(request)
        if _storable(request, response):
            body, has_token = _strip_tokens(request, response.content)
            match = getattr(request, "resolver_match", None)
            headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in _DROP_HEADERS)
            cache.set(key, Entry(generation, response.status_code, headers, body, has_token,
                                 match.view_name if match else ""), settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
        return response

    def _hit(self, request, entry: Entry) -> HttpResponse:
        request.route_name = entry.route  # for the request metrics
        self.csrf.process_request(request)  # the visitor's secret from their cookie (a new one if it is broken)
        body = entry.body
        if entry.has_token:
            body = body.replace(_PLACEHOLDER_BYTES, _token(request).encode())  # a token of their own secret
        response = HttpResponse(body, status=entry.status)
        headers = response.headers
        for name, value in entry.headers:
            headers[name] = value
        headers["Content-Length"] = str(len(body))
        headers["X-Page-Cache"] = "hit"
        return self.csrf.process_response(request, response)  # their cookie (a new visitor's new one)


class ObjectCache(LocMemCache):
    """The "pages" cache: LocMemCache keeping the values themselves instead of pickles, so a hit is a dict look-up,
    not the unpickling of a whole page. Only for immutable values (Entry is frozen); keys are the page cache's own
    (never validated for memcached)."""

    def get(self, key, default=None, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def incr(self, key, delta=1, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = self._cache[key] + delta
            self._cache[key] = value
            self._cache.move_to_end(key, last=False)
        return value
