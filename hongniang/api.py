"""The JSON API under /api/v1: one router per app; errors are JSON with a code and a Chinese message."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader

from hongniang.core.apiauth import AUTH, BearerToken
from hongniang.core.apierrors import invalid_message, validation_errors
from hongniang.core.errors import DomainError
from hongniang.web.api import ROUTERS

api = NinjaAPI(
    title="红娘 公共就业服务平台 API",
    version="1.0",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
_ = APIKeyHeader  # documented alternative; not used
__all__ = ["AUTH", "BearerToken", "api", "error_body"]  # AUTH lives in hongniang.core.apiauth


def error_body(code: str, message: str, **extra):
    return {"code": code, "message": message, **extra}


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, error_body(exc.code, exc.message, errors=exc.errors), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    fields = validation_errors(exc.errors)
    return api.create_response(request, error_body("invalid_input", invalid_message(fields), errors=fields),
                               status=422)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages}
    return api.create_response(request, error_body("invalid_input", invalid_message(errors), errors=errors),
                               status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(request, error_body("unauthorized", gettext("请先登录")), status=401)


HTTP_MESSAGES = {400: ("bad_request", gettext_lazy("提交的内容格式有误（不是有效的 JSON），请检查后重新提交")),
                 401: ("unauthorized", gettext_lazy("请先登录")), 403: ("forbidden", gettext_lazy("您没有权限进行此操作")),
                 404: ("not_found", gettext_lazy("找不到该内容")), 405: ("method_not_allowed", gettext_lazy("不支持该请求方法")),
                 409: ("conflict", gettext_lazy("操作与当前状态冲突")), 413: ("too_large", gettext_lazy("提交的内容太大")),
                 422: ("invalid_input", gettext_lazy("输入有误，请检查后重新提交")), 429: ("rate_limited", gettext_lazy("操作太频繁，请稍后再试"))}


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code, msg = HTTP_MESSAGES.get(exc.status_code, ("error", gettext("请求无法完成")))
    return api.create_response(request, error_body(code, msg, errors={}), status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, error_body("not_found", gettext("找不到该内容"), errors={}), status=404)


def _register_routers():
    import importlib

    for app in ("geo", "catalog", "employers", "jobs", "seekers", "applications", "gigs", "search", "recommend", "outreach",
                "moderation", "events", "live", "workshops", "notifications", "siting", "core", "dashboards"):
        try:
            module = importlib.import_module(f"hongniang.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"hongniang.{app}.api":
                raise
            continue
        api.add_router(getattr(module, "PREFIX", f"/{app}"), module.router)
    # endpoints that read several apps or run a flow (hongniang.web.api), after the apps' own routers
    for prefix, router in ROUTERS:
        api.add_router(prefix, router)


_register_routers()
