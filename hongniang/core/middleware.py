from __future__ import annotations

from django.contrib import messages
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError

# Scripts: files from this site only (no inline <script>, no on*= handlers, no eval; behaviours are data-*
# attributes read by static/hongniang/site.js), so injected markup cannot run code. Styles still allow inline
# style attributes: the vendored ECharts writes its tooltips as HTML with style="..." and htmx adds its indicator
# <style>; a style cannot run code (docs/security.md).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        return response


class ApiCsrfMiddleware:
    """The JSON API is exempt from Django's CSRF middleware (django-ninja checks CSRF only on endpoints whose
    auth is the session), so an anonymous endpoint that logs the caller in (login CSRF) or that reads the
    session anyway could be driven by another site's form. Here every unsafe request to /api/ must pass
    Django's CSRF check (token in X-CSRFToken, matching Origin/Referer), unless it carries an Authorization
    header: a bearer-token client holds no session, and a cross-site form cannot set that header."""

    SAFE = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if (request.path.startswith("/api/") and request.method not in self.SAFE
                and not request.headers.get("Authorization")):
            rejected = self.csrf.process_view(request, None, (), {})
            if rejected is not None:
                return rejected
        return self.get_response(request)


class DomainErrorMiddleware:
    """Pages: a DomainError that escapes a view becomes a Chinese message, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if request.method == "POST" and request.headers.get("HX-Request") != "true":
            messages.error(request, exception.message)
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = request.path
            return redirect(back)
        return TemplateResponse(request, "error.html", {"message": exception.message}, status=exception.status)
