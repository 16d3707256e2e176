"""The JSON API under /api/v1: one router per app; errors are JSON with a code and a Chinese message."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader

from hongniang.core.apiauth import AUTH, BearerToken
from hongniang.core.errors import DomainError

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
    fields = {}
    for err in exc.errors:
        loc = ".".join(str(x) for x in err.get("loc", [])[1:]) or "body"
        fields.setdefault(loc, []).append(err.get("msg", "无效"))
    return api.create_response(request, error_body("invalid_input", "输入有误，请检查后重新提交", errors=fields),
                               status=422)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages}
    return api.create_response(request, error_body("invalid_input", "输入有误，请检查后重新提交", errors=errors),
                               status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(request, error_body("unauthorized", "请先登录"), status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    messages = {403: ("forbidden", "您没有权限进行此操作"), 404: ("not_found", "找不到该内容"),
                401: ("unauthorized", "请先登录")}
    code, msg = messages.get(exc.status_code, ("error", str(exc)))
    return api.create_response(request, error_body(code, msg), status=exc.status_code)


def _register_routers():
    import importlib

    for app in ("geo", "catalog", "employers", "jobs", "seekers", "applications", "gigs", "search", "recommend", "outreach",
                "moderation", "events", "live", "notifications", "siting", "core", "dashboards"):
        try:
            module = importlib.import_module(f"hongniang.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"hongniang.{app}.api":
                raise
            continue
        api.add_router(getattr(module, "PREFIX", f"/{app}"), module.router)
    # endpoints that read several apps or run a flow (hongniang.web.api), after the apps' own routers
    from hongniang.web.api import ROUTERS

    for prefix, router in ROUTERS:
        api.add_router(prefix, router)


_register_routers()
