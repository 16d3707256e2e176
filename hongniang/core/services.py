"""Writes to core's own tables (users and their API tokens)."""

from __future__ import annotations

from .models import ApiToken


def user_deactivate(*, user, display_name: str) -> None:
    """Close a login for good: API tokens deleted, name and contact details cleared, unusable password."""
    ApiToken.objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.phone = None
    user.display_name = display_name
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
