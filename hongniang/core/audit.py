"""The single write path for the audit log."""

from __future__ import annotations

from .models import AuditEvent


def audit(*, actor, action: str, target=None, reason: str = "", **detail) -> AuditEvent:
    """Record that `actor` did `action` on `target` (a model instance or None)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        reason=reason[:255],
        detail=detail,
    )
