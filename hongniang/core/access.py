"""Page decorators for role checks, in one place: `staff_required` (staff of a service point or the bureau) and
`bureau_required`. Anonymous visitors go to the login page; anyone else without the role gets the 403 page.
Services and endpoints use `roles.require_staff` / `roles.require_bureau` (a PermissionDeniedError)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import roles

#: the backend named when a view logs someone in after creating their account
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _role_required(test, message: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def staff_required(view=None, *, message: str = _("只有就业之家工作人员可以访问")):
    """Logged in (else the login page) and staff of a service point or the bureau (else 403)."""
    decorator = _role_required(roles.is_staff_or_bureau, message)
    return decorator(view) if view is not None else decorator


def bureau_required(view=None, *, message: str = _("只有人社局工作人员可以访问")):
    """Logged in (else the login page) and the bureau (else 403)."""
    decorator = _role_required(roles.is_bureau, message)
    return decorator(view) if view is not None else decorator
