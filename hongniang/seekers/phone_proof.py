"""A phone proven by logging in with an SMS code, remembered in that session for a short while
(services.CODE_LOGIN_PROOF_WINDOW): the set-password page then needs no second code (codes are limited to one a
minute per number, and the person has just read one). Only the session that logged in, only its account and
phone, only within the window; forgotten once a password is set. Logout ends the session and the proof with it."""

from __future__ import annotations

from django.utils import timezone

from .services import CODE_LOGIN_PROOF_WINDOW

SESSION_KEY = "phone_proven"


def remember_code_login(request, user) -> None:
    """Call right after django.contrib.auth.login() of a code login (login() may replace the session)."""
    request.session[SESSION_KEY] = {"user": str(user.pk), "phone": user.phone or "",
                                    "at": timezone.now().timestamp()}


def recent_code_login(request) -> bool:
    """Whether this session logged in request.user with an SMS code to their current phone within the window."""
    user = getattr(request, "user", None)
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or user is None or not user.is_authenticated or not user.phone:
        return False
    if data.get("user") != str(user.pk) or data.get("phone") != user.phone:
        return False
    try:
        age = timezone.now().timestamp() - float(data.get("at"))
    except (TypeError, ValueError):
        return False
    return 0 <= age <= CODE_LOGIN_PROOF_WINDOW.total_seconds()


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
