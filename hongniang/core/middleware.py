from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.signals import user_logged_out
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .errors import DomainError
from .textclean import TooDeep, clean_json, clean_text, is_clean

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


class InputEdgeMiddleware:
    """The edge every request passes before the session, CSRF and the views (placed right after
    SecurityHeadersMiddleware): a body larger than the limit is refused with 413 (JSON on the API) before it is
    read; a JSON body nested deeper than textclean.MAX_JSON_DEPTH gets a Chinese 400; control characters and lone
    surrogates are removed from query strings, form fields and JSON strings (core.textclean), so they never reach
    a service, the database or an Excel export."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        meta = request.META
        ctype = (meta.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = (settings.MAX_UPLOAD_BODY_BYTES if ctype == "multipart/form-data"
                 else settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if length > limit:
            return self._refuse(request, 413, "too_large",
                                _("提交的内容太大（最大 %(limit_mb)s MB），请减少内容或分几次提交") % {"limit_mb": limit // 1024 // 1024})
        if meta.get("QUERY_STRING"):
            cleaned = _clean_querydict(request.GET)
            if cleaned is not None:
                request.GET = cleaned
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and length:
            if ctype == "application/json" or ctype.endswith("+json"):
                refused = self._clean_json(request)
                if refused is not None:
                    return refused
            elif ctype in self.FORM_TYPES and request.method == "POST":
                if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                    request.body  # noqa: B018 - kept, so a view may still read the raw body after the form
                cleaned = _clean_querydict(request.POST)
                if cleaned is not None:
                    request.POST = cleaned
        return self.get_response(request)

    def _clean_json(self, request):
        import json

        body = request.body
        try:
            data = json.loads(body, parse_constant=_no_constant, parse_float=_finite_float)
        except RecursionError:
            return self._too_deep(request)
        except _NotFinite:
            return self._refuse(request, 400, "invalid_number",
                                _("提交的 JSON 中有无效的数字（NaN、Infinity 或超出范围），请填写普通数字"))
        except ValueError:
            return None  # not JSON: the API answers that itself
        try:
            data, changed = clean_json(data)
        except TooDeep:
            return self._too_deep(request)
        if changed:
            request._body = json.dumps(data, ensure_ascii=False).encode()
        return None

    def _too_deep(self, request):
        return self._refuse(request, 400, "too_deep", _("提交的 JSON 层级太深，请检查后重新提交"))

    @staticmethod
    def _refuse(request, status: int, code: str, message: str):
        from django.http import HttpResponse, JsonResponse

        if request.path_info.startswith("/api/"):
            return JsonResponse({"code": code, "message": message, "errors": {}}, status=status,
                                json_dumps_params={"ensure_ascii": False})
        from django.utils.html import escape

        return HttpResponse(f'<!doctype html><html lang="zh-hans"><meta charset="utf-8">'
                            f'<meta name="viewport" content="width=device-width"><title>红娘</title>'
                            f"<p>{escape(message)}</p></html>", status=status, content_type="text/html; charset=utf-8")


class _NotFinite(Exception):
    pass


def _no_constant(name):
    raise _NotFinite(name)  # NaN, Infinity, -Infinity: not JSON, though Python's json reads them


def _finite_float(text):
    import math

    value = float(text)
    if not math.isfinite(value):  # 1e999
        raise _NotFinite(text)
    return value


def _clean_querydict(qd):
    """A cleaned, immutable copy of a QueryDict when any value or key carries a control character or a lone
    surrogate; None when it is clean already."""
    if all(is_clean(k) and all(is_clean(v) for v in vs if isinstance(v, str)) for k, vs in qd.lists()):
        return None
    out = qd.copy()
    out.clear()
    for k, vs in qd.lists():
        out.setlist(clean_text(k), [clean_text(v) if isinstance(v, str) else v for v in vs])
    out._mutable = False
    return out


# --- the database is down ------------------------------------------------------------------------------------

RETRY_AFTER_SECONDS = 10


def database_down(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached (a restart, a failover, a dropped connection), as
    opposed to a bug: OperationalError and InterfaceError (Django's wrappers of the driver's)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable(request):
    """503 with Retry-After: JSON {"code": "database_unavailable", ...} on the API, a page without any database
    read otherwise (no context processors, no session)."""
    from django.http import HttpResponse, JsonResponse
    from django.template import loader

    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "database_unavailable", "message": _("系统繁忙（数据库暂时连不上），请稍后再试"),
                                 "errors": {}}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that finds the database down answers a clean 503 (never a 500 with a traceback in the log as a
    bug). Django closes the broken connection at the end of the request (close_old_connections), so the next
    request connects again: recovery needs nothing. Errors raised outside views (a session save) reach
    handler500 (hongniang.web.errors.server_error), which answers the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_down(exception):
            import logging

            logging.getLogger("hongniang.db").warning("database unavailable: %s: %s",
                                                      type(exception).__name__, str(exception)[:200])
            return database_unavailable(request)
        return None


def _mark_logged_out(sender, request=None, **kwargs):
    if request is not None:
        request.logged_out = True


user_logged_out.connect(_mark_logged_out, dispatch_uid="hongniang.core.middleware.logged_out")


class PrivateAnswersMiddleware:
    """A logged-in person's pages and JSON are kept by nobody but their own browser, which asks again before
    showing a kept copy (`Cache-Control: private, no-cache`, unless the view chose its own), and logging out tells
    the browser to drop what it kept of this site (`Clear-Site-Data: "cache"`): on a phone shared at a service
    point, or a staff computer, the next person cannot page Back into the last one's data. Not no-store: Back
    within a session stays instant on a slow network."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "logged_out", False):
            response["Clear-Site-Data"] = '"cache"'
            patch_cache_control(response, private=True, no_store=True)
        elif "Cache-Control" not in response:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
        return response
