"""Domain errors: raised by services, turned into a Chinese message in one place for pages
(DomainErrorMiddleware / form errors) and one place for the API (hongniang.api)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule was broken. `code` is stable for API clients; `message` is Chinese for people."""

    code = "domain_error"
    status = 400
    message = _("操作无法完成")

    def __init__(self, message: str | None = None, *, code: str | None = None, field: str | None = None,
                 errors: dict[str, list[str]] | None = None):
        self.message = str(message or self.message)  # a lazy text becomes the request's language now
        if code:
            self.code = code
        self.field = field
        self.errors = errors or ({field: [self.message]} if field else {})
        super().__init__(self.message)


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    message = _("输入有误，请检查后重新提交")


class PermissionDeniedError(DomainError):
    code = "forbidden"
    status = 403
    message = _("您没有权限进行此操作")


class NotFoundError(DomainError):
    code = "not_found"
    status = 404
    message = _("找不到该内容")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    message = _("该记录已存在")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    message = _("操作太频繁，请稍后再试")


class FieldErrors:
    """Collects what is wrong with each field, so a form shows every field's error at once (not only the first):
    `add(field, message)` keeps the first message per field, `check(field, fn, ...)` runs a check that raises
    InvalidInput and keeps its messages, `raise_if_any()` raises one InvalidInput with all of them (its message
    and field are the first found, so a single mistake reads exactly as before)."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, [message])

    def add_error(self, exc: DomainError, field: str = "__all__") -> None:
        """Keep `exc`'s messages under their fields (under `field` when it names none)."""
        for name, messages in (exc.errors or {field: [exc.message]}).items():
            self.add(name, messages[0])

    def check(self, field: str, fn, *args, **kwargs):
        """fn(*args, **kwargs), or None when it raised InvalidInput (its messages kept, under `field` when the
        error names no field)."""
        try:
            return fn(*args, **kwargs)
        except InvalidInput as exc:
            self.add_error(exc, field)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            field, messages = next(iter(self.errors.items()))
            raise InvalidInput(messages[0], field=None if field == "__all__" else field, errors=dict(self.errors))
