"""API authentication, in one place: the bearer-token look-up (`Authorization: Bearer <key>`), the `AUTH` list
every router uses (a bearer token or the session), and `optional_user` for public endpoints that show more to
a known caller. Routers import AUTH from here (hongniang.api re-exports it)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken, hash_token


def user_for_token(key: str):
    """The active user an unexpired token belongs to, or None (looked up by the key's hash: the database never
    holds a usable key). The only place that reads ApiToken for authentication."""
    key = (key or "").strip()
    if not key:
        return None
    if len(key) > 200:
        return None
    row = (ApiToken.objects.select_related("user")
           .filter(key_hash=hash_token(key), user__is_active=True)
           .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())).first())
    return row.user if row else None


def bearer_key(request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]


def optional_user(request):
    """The session user, or the user of a valid bearer token (then also request.user), or the anonymous
    user: for public endpoints that show more to HR, staff or the bureau."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    found = user_for_token(bearer_key(request))
    if found is not None:
        request.user = found
        return found
    return user
