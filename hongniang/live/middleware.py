"""The crowd's fast path: a live session's public page (for anonymous viewers) and its counter, answered straight
from the cache before the session, locale, CSRF, auth and message middleware run. Placed right after
SecurityHeadersMiddleware, so the security headers are still set on the way out. On a cache miss, or for a viewer
with a log-in cookie, the request goes through the whole stack to the views (hongniang.live.views), which fill the
cache. bench/live_crowd.py measures both."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language_from_request

from .selectors import COUNTER_TTL, counter_key

PATH = re.compile(r"^/live/(\d+)/(counts\.json)?$")
PAGE_TTL = 5  # seconds (the views use this one and page_key too)


def page_key(pk: int, language: str) -> str:
    return f"live:page:{pk}:{language}"


class LiveFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.path_info.startswith("/live/"):
            hit = self._from_cache(request)
            if hit is not None:
                return hit
        return self.get_response(request)

    @staticmethod
    def _from_cache(request):
        m = PATH.match(request.path_info)
        if m is None or request.GET:
            return None
        pk = int(m.group(1))
        if m.group(2):
            body = cache.get(counter_key(pk))
            if body is None:
                return None
            resp = HttpResponse(body, content_type="application/json")
            resp["Cache-Control"] = f"public, max-age={COUNTER_TTL}"
        else:
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                return None  # a logged-in viewer gets their own page (their name, their buttons)
            language = get_language_from_request(request)
            body = cache.get(page_key(pk, language))
            if body is None:
                return None
            resp = HttpResponse(body)
            resp["Cache-Control"] = f"public, max-age={PAGE_TTL}"
            resp["Content-Language"] = language
            resp["Vary"] = "Accept-Language, Cookie"
        resp["X-Frame-Options"] = "DENY"
        return resp
