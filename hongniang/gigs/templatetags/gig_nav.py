"""What the gig market's tabs offer this viewer: a worker's own page or the sign-up, and the orders they posted
only when they post orders (or may: an enterprise's HR, a service point's staff)."""

from __future__ import annotations

from django import template

from hongniang.core import roles

from ..permissions import employer_ids_for, worker_of

register = template.Library()


@register.simple_tag
def gig_nav_roles(user) -> dict:
    """{"worker": bool, "employer": bool} for the logged-in user (both False for anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return {"worker": False, "employer": False}
    return {"worker": worker_of(user) is not None,
            "employer": bool(employer_ids_for(user) or roles.enterprise_ids(user) or roles.service_point_ids(user))}
