"""Domain errors onto page forms: one way for every page to show a service's `InvalidInput` (or any
`DomainError`) as form errors — each field's message beside its field, the rest above the form."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import DomainError


def add_domain_errors(form, exc: DomainError, *, field_map: Mapping[str, str] | None = None) -> None:
    """Put every message of `exc` on `form`: `exc.errors` field by field (a service's field name renamed by
    `field_map` when the form calls it otherwise; a field the form does not have goes above the form), or
    `exc.message` above the form when the error names no field."""
    errors = exc.errors or {None: [exc.message]}
    for field, messages in errors.items():
        name = (field_map or {}).get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class DomainErrorsMixin:
    """A form that shows a service's errors: `form.add_domain_errors(exc)`. `domain_error_fields` renames a
    service's field names to this form's (e.g. {"contact_phone": "phone"})."""

    domain_error_fields: Mapping[str, str] = {}

    def add_domain_errors(self, exc: DomainError) -> None:
        add_domain_errors(self, exc, field_map=self.domain_error_fields)
