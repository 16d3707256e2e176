from . import nav
from . import roles as roles_mod


def roles(request):
    """Template flags for the navigation: which hats the current user wears."""
    user = request.user
    return {
        "role_seeker": roles_mod.seeker_of(user),
        "role_enterprise": bool(roles_mod.enterprise_ids(user)),
        "role_staff": bool(roles_mod.service_point_ids(user)),
        "role_bureau": roles_mod.is_bureau(user),
        "nav_items": nav.items_for(user),
    }


def notifications(request):
    """The unread count next to "消息" in the navigation (one indexed count query per page)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"unread_notifications": 0}
    from hongniang.notifications.services import unread_count

    return {"unread_notifications": unread_count(user)}
