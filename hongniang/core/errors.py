"""Domain errors: raised by services, turned into a Chinese message in one place for pages
(DomainErrorMiddleware / form errors) and one place for the API (hongniang.api)."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule was broken. `code` is stable for API clients; `message` is Chinese for people."""

    code = "domain_error"
    status = 400
    message = "操作无法完成"

    def __init__(self, message: str | None = None, *, code: str | None = None, field: str | None = None,
                 errors: dict[str, list[str]] | None = None):
        self.message = message or self.message
        if code:
            self.code = code
        self.field = field
        self.errors = errors or ({field: [self.message]} if field else {})
        super().__init__(self.message)


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    message = "输入有误，请检查后重新提交"


class PermissionDeniedError(DomainError):
    code = "forbidden"
    status = 403
    message = "您没有权限进行此操作"


class NotFoundError(DomainError):
    code = "not_found"
    status = 404
    message = "找不到该内容"


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = "该记录已存在"


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    message = "操作太频繁，请稍后再试"
