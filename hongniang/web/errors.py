"""Friendly Chinese error pages (DEBUG is off everywhere but development): no traceback, no URL list, no
settings for a visitor. The API gets its usual JSON body instead of a page."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import requires_csrf_token

from hongniang.core.middleware import database_down, database_unavailable

MESSAGES = {
    400: ("bad_request", gettext_lazy("请求有误，请返回重试")),
    403: ("forbidden", gettext_lazy("您没有权限进行此操作")),
    404: ("not_found", gettext_lazy("找不到该内容")),
    500: ("server_error", gettext_lazy("服务器出了点问题，请稍后再试")),
}


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _json(status: int) -> JsonResponse:
    code, message = MESSAGES[status]
    return JsonResponse({"code": code, "message": message, "errors": {}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _page(request, status: int, template: str) -> HttpResponse:
    if _api(request):
        return _json(status)
    body = loader.get_template(template).render({"status": status, "message": MESSAGES[status][1]}, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(request, 400, "400.html")


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, 403, "403.html")


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, 404, "404.html")


@requires_csrf_token
def server_error(request):
    """No context processors, no database: whatever broke must not break the error page too. The database
    being down (outside a view: a session save) is a clean 503 like DatabaseUnavailableMiddleware's."""
    import sys

    if database_down(sys.exc_info()[1]):
        return database_unavailable(request)
    if _api(request):
        return _json(500)
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request, reason=""):
    """The CSRF check failed (an old page, cookies blocked, or a forged cross-site request)."""
    if _api(request):
        return JsonResponse({"code": "csrf_failed", "message": _("请求已过期或来源不明，请刷新页面后重试"),
                             "errors": {}}, status=403, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(loader.get_template("403_csrf.html").render({}, request), status=403)
