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
