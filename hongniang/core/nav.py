"""The navigation as data: each app registers its entries in its AppConfig.ready(), and the base template shows
the entries the current user's roles allow, in order. A new capability adds a link with one `register` call,
never by editing base.html.

roles: any of "anonymous", "seeker", "enterprise", "staff", "bureau", "user" (any logged-in user), "workshop"
(a workshop owner; apps may add role names by registering a role test with `register_role`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from . import roles as roles_mod


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # Chinese, wrapped with gettext_lazy by the caller
    url_name: str
    roles: frozenset[str]
    order: int = 100
    public: bool = False  # a public service shown to everyone (找工作, 零工, 招聘会, 直播, 就业之家)
    hint: str = ""  # a public service's one line on the home page tile (Chinese, gettext_lazy)


_items: dict[str, NavItem] = {}
_role_tests: dict[str, Callable] = {
    "seeker": lambda u: roles_mod.seeker_of(u) is not None,
    "enterprise": lambda u: bool(roles_mod.enterprise_ids(u)),
    "staff": lambda u: bool(roles_mod.service_point_ids(u)),
    "bureau": roles_mod.is_bureau,
}


def register(key: str, label, url_name: str, *, roles=("anonymous", "user"), order: int = 100,
             public: bool = False, hint="") -> None:
    """Add (or replace) an entry. Public services use roles=("anonymous", "user") and public=True; they show
    as one row under the header and as tiles on the home page (with `hint`, one short line)."""
    _items[key] = NavItem(key=key, label=label, url_name=url_name, roles=frozenset(roles), order=order,
                          public=public, hint=hint)


def register_role(name: str, test: Callable) -> None:
    """A role name an app defines (test(user) -> bool), e.g. "workshop" for workshop owners."""
    _role_tests[name] = test


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return {"anonymous"}
    return {"user"} | {name for name, test in _role_tests.items() if test(user)}


_reversed: dict[tuple, str | None] = {}


def _url(url_name: str) -> str | None:
    """reverse(url_name), kept per URLconf and script prefix (the same on every request; None when it does not
    resolve)."""
    key = (get_urlconf(), settings.ROOT_URLCONF, get_script_prefix(), url_name)
    try:
        return _reversed[key]
    except KeyError:
        pass
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        url = None
    _reversed[key] = url
    return url


def items_for(user) -> list[dict]:
    """The entries this user sees, in order: {key, label, url, public, hint}."""
    mine = user_roles(user)
    out = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if item.roles & mine:
            url = _url(item.url_name)
            if url is None:
                continue
            out.append({"key": item.key, "label": item.label, "url": url, "public": item.public,
                        "hint": item.hint})
    return out
