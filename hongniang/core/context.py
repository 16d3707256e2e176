from . import nav
from . import roles as roles_mod


def roles(request):
    """Template flags for the navigation: which hats the current user wears."""
    user = request.user
    items = nav.items_for(user)
    for item in items:  # the entry of the page shown (the longest URL that the path starts with)
        item["current"] = False
    here = max((i for i in items if i["url"] != "/" and request.path.startswith(i["url"])),
               key=lambda i: len(i["url"]), default=None)
    if here is not None:
        here["current"] = True
    return {
        "role_seeker": roles_mod.seeker_of(user),
        "role_enterprise": bool(roles_mod.enterprise_ids(user)),
        "role_staff": bool(roles_mod.service_point_ids(user)),
        "role_bureau": roles_mod.is_bureau(user),
        "nav_items": items,
        #: the user's own first entry (我的, 企业招聘, 站点工作台…), shown beside 菜单 in the header
        "nav_first_own": next((i for i in items if not i["public"]), None),
    }
