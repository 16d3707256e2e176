"""Optional authentication for public endpoints that show more to HR and the bureau."""

from __future__ import annotations


def optional_user(request):
    """The session user, or the user of a valid bearer token, or the anonymous user."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from hongniang.core.models import ApiToken

        row = ApiToken.objects.select_related("user").filter(key=header[7:].strip(), user__is_active=True).first()
        if row:
            request.user = row.user
            return row.user
    return user
