"""Gzip for pages and JSON, without opening a BREACH side channel.

BREACH: an attacker who can make a victim's browser send many requests with the victim's cookies, and who sees
the size of the encrypted answers on the network, can guess a secret in a compressed page one character at a
time when the page also echoes text the attacker chose (a search box, say). So a response is compressed only when
no such attacker can be behind the request (docs/security.md, "Compression"):

- the request carries no session cookie: the page holds nothing secret of anybody's (Django masks the CSRF
  token anew in every response, so it cannot be guessed this way either); or
- the browser says the request came from our own pages or from the person (``Sec-Fetch-Site: same-origin`` or
  ``none``: a link or form on this site, htmx, a typed address or bookmark). Another site's page can make a
  browser send ``cross-site`` or ``same-site``, never these; a browser too old to send the header gets the
  page uncompressed.

Django's GZipMiddleware also pads each gzip header with up to 100 random bytes ("Heal the Breach"), which we
keep. Only text is compressed: images, Excel, PDF and zip files are already compressed. Static files are
compressed ahead of time by collectstatic (hongniang.core.staticfiles) and carry their own Content-Encoding.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

COMPRESSIBLE = (
    "text/", "application/json", "application/geo+json", "application/javascript", "application/xml",
    "image/svg+xml", "application/problem+json",
)
TRUSTED_FETCH_SITES = ("same-origin", "none")


def may_compress(request) -> bool:
    """True when compressing this request's answer cannot leak a logged-in person's data (module docstring)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return request.headers.get("Sec-Fetch-Site", "") in TRUSTED_FETCH_SITES


class PageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its random padding), for text answers to requests that may be compressed."""

    def process_response(self, request, response):
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not kind.startswith(COMPRESSIBLE) or kind == "text/event-stream":  # events must not wait in a buffer
            return response
        if not may_compress(request):
            # The same URL may be answered compressed to another request: a shared cache must keep both apart.
            if response.streaming or len(response.content) >= 200:
                patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)
