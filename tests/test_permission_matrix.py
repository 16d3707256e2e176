"""The role-by-endpoint permission matrix (issue 13), generated from the URL configuration and the OpenAPI
document and classified by hongniang.exposure: every route is classified; every personal GET route refuses an
anonymous caller (personal POST/PUT/PATCH/DELETE API routes too); and routes with `allowed` roles are requested
as anonymous, seeker, another seeker, HR of the enterprise, HR of another enterprise, staff of the point, staff
of another point and the bureau — exactly the allowed ones succeed. A new route joins without editing this
file: it is unclassified (fails here) until hongniang.exposure says what it is."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from hongniang.applications.models import Application
from hongniang.exposure import classify
from hongniang.testing import factories as f

ROLES = ("anon", "seeker", "other_seeker", "hr", "other_hr", "staff", "other_staff", "bureau")
REFUSED = {401, 403, 404, 405}


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def routes() -> list[str]:
    from hongniang.api import api

    pages = [f"PAGE /{p}" for p in _walk(get_resolver()) if not p.startswith(("api/", "admin/"))]
    schema = api.get_openapi_schema()
    ops = [f"{m.upper()} {path}" for path, methods in schema["paths"].items() for m in methods]
    return pages + ops


ROUTES = routes()


def test_every_route_is_classified():
    unclassified = [r for r in ROUTES if classify(r) is None]
    assert unclassified == [], "classify these in hongniang/exposure.py: " + ", ".join(unclassified)


@pytest.fixture
def world(seeker, posting, staff_a, staff_b, hr, other_hr, bureau, regions, point_b):
    other = f.UserFactory(username="13900000002", phone="13900000002", display_name="王二")
    f.SeekerFactory(user=other, name="王二", phone="13900000002", service_point=point_b)
    application = Application.objects.create(seeker=seeker, posting=posting)
    users = {"anon": None, "seeker": seeker.user, "other_seeker": other, "hr": hr, "other_hr": other_hr,
             "staff": staff_a, "other_staff": staff_b, "bureau": bureau}
    ids = {"pk": application.pk, "application_id": application.pk, "seeker_id": seeker.pk, "posting_id": posting.pk,
           "posting_pk": posting.pk, "enterprise_id": posting.enterprise_id}
    return users, ids


def _url(route: str, ids: dict, *, page_pk_is: str) -> str:
    path = route.split(" ", 1)[1]
    if route.startswith("PAGE"):
        def fill(m):
            name = m.group(1)
            return str(ids[page_pk_is] if name == "pk" else ids.get(name, 1))
        return re.sub(r"<(?:\w+:)?(\w+)>", fill, path)
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)


# which object a page's <pk> is, for the pages of the matrix
PAGE_PK = {"/me/staff/seekers/": "seeker_id", "/applications/": "application_id", "/enterprise/jobs/": "posting_id",
           "/recommend/jobs/": "posting_id", "/staff/jobs/": "posting_id", "/moderation/postings/": "posting_id"}


def _page_pk(route: str) -> str:
    return next((v for k, v in PAGE_PK.items() if route.split(" ", 1)[1].startswith(k)), "pk")


def _ok(response) -> bool:
    if response.status_code in REFUSED:
        return False
    if response.status_code in (301, 302):
        return "/accounts/login/" not in response.get("Location", "")
    return response.status_code < 300


PERSONAL_GET = [r for r in ROUTES if (c := classify(r)) and c.kind == "personal"
                and (r.startswith("PAGE") or r.startswith("GET"))]
PERSONAL_WRITE = [r for r in ROUTES if (c := classify(r)) and c.kind == "personal"
                  and r.split(" ")[0] in ("POST", "PUT", "PATCH", "DELETE")]
MATRIX = [r for r in ROUTES if (c := classify(r)) and c.allowed is not None]


@pytest.mark.parametrize("route", PERSONAL_GET)
def test_anonymous_callers_get_no_personal_page_or_endpoint(route, world):
    _users, ids = world
    r = Client().get(_url(route, ids, page_pk_is=_page_pk(route)))
    assert not _ok(r), f"{route} answered {r.status_code} to an anonymous caller"


@pytest.mark.parametrize("route", PERSONAL_WRITE)
def test_anonymous_callers_cannot_write_personal_data(route, world):
    _users, ids = world
    method, _ = route.split(" ", 1)
    r = getattr(Client(), method.lower())(_url(route, ids, page_pk_is="pk"), "{}", content_type="application/json")
    assert r.status_code in (401, 403, 404, 405), f"{route} answered {r.status_code} to an anonymous caller"


@pytest.mark.parametrize("route", MATRIX)
def test_only_the_right_roles_succeed(route, world):
    users, ids = world
    expected = classify(route).allowed
    got = set()
    for role in ROLES:
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        method = "post" if route.startswith("POST") else "get"
        if _ok(getattr(client, method)(_url(route, ids, page_pk_is=_page_pk(route)))):
            got.add(role)
    assert got == set(expected), f"{route}: succeeded for {sorted(got)}, expected {sorted(expected)}"
