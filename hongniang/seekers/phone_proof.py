"""A phone proven by an SMS code in this session — by logging in with one (web.login_code) or by a quick apply
(web.applying) — remembered for a short while (services.CODE_LOGIN_PROOF_WINDOW): the set-password page then
needs no second code (codes are limited to one a minute per number, and the person has just read one). Only the
session that was logged in, only its account and phone, only within the window; forgotten once a password is set.
Logout ends the session and the proof with it. The session's word is not enough on its own: the service
(services.account_set_password) also finds its own audit row of that proof for the account in the window."""

from __future__ import annotations

from django.utils import timezone

from .services import CODE_LOGIN_PROOF_WINDOW, RECENT_PHONE_PROOFS

SESSION_KEY = "phone_proven"
CODE_LOGIN = "recent_code_login"
QUICK_APPLY = "recent_quick_apply"
GIG_SIGNUP = "recent_gig_signup"


def remember(request, user, kind: str) -> None:
    """Call right after django.contrib.auth.login() (login() may replace the session); `kind` is a key of
    services.RECENT_PHONE_PROOFS."""
    assert kind in RECENT_PHONE_PROOFS, kind
    request.session[SESSION_KEY] = {"user": str(user.pk), "phone": user.phone or "",
                                    "at": timezone.now().timestamp(), "kind": kind}


def remember_code_login(request, user) -> None:
    remember(request, user, CODE_LOGIN)


def remember_quick_apply(request, user) -> None:
    remember(request, user, QUICK_APPLY)


def recent_proof(request) -> str:
    """The kind of proof ("recent_code_login", "recent_quick_apply") by which this session proved request.user's
    current phone within the window, or ""."""
    user = getattr(request, "user", None)
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or user is None or not user.is_authenticated or not user.phone:
        return ""
    if data.get("user") != str(user.pk) or data.get("phone") != user.phone:
        return ""
    kind = data.get("kind", CODE_LOGIN)
    if kind not in RECENT_PHONE_PROOFS:
        return ""
    try:
        age = timezone.now().timestamp() - float(data.get("at"))
    except (TypeError, ValueError):
        return ""
    return kind if 0 <= age <= CODE_LOGIN_PROOF_WINDOW.total_seconds() else ""


def recent_code_login(request) -> bool:
    return recent_proof(request) == CODE_LOGIN


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
