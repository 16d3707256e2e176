"""One bearer-token look-up, one staff check, one bureau check (hongniang.core.apiauth / access / roles)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from hongniang.core import roles
from hongniang.core.apiauth import optional_user, user_for_token
from hongniang.core.errors import PermissionDeniedError
from hongniang.core.models import ApiToken


def test_a_token_finds_its_active_user_and_nothing_else(hr):
    token = ApiToken.objects.create(user=hr)
    assert user_for_token(token.key) == hr
    assert user_for_token(f"  {token.key} ") == hr
    assert user_for_token("nope") is None and user_for_token("") is None
    hr.is_active = False
    hr.save(update_fields=["is_active"])
    assert user_for_token(token.key) is None


def test_optional_user_reads_the_bearer_header_on_public_endpoints(hr):
    from django.contrib.auth.models import AnonymousUser

    token = ApiToken.objects.create(user=hr)
    request = RequestFactory().get("/api/v1/jobs", HTTP_AUTHORIZATION=f"Bearer {token.key}")
    request.user = AnonymousUser()
    assert optional_user(request) == hr and request.user == hr
    anonymous = RequestFactory().get("/api/v1/jobs", HTTP_AUTHORIZATION="Bearer wrong")
    anonymous.user = AnonymousUser()
    assert not optional_user(anonymous).is_authenticated


def test_the_same_token_works_on_every_router(client, hr):
    token = ApiToken.objects.create(user=hr)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token.key}"}
    assert client.get("/api/v1/enterprise/jobs", **auth).status_code == 200
    assert client.get("/api/v1/notifications", **auth).status_code == 200
    assert client.get("/api/v1/enterprise/jobs", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


@pytest.mark.parametrize(("who", "is_staff", "is_bureau"), [
    ("staff_a", True, False), ("bureau", True, True), ("hr", False, False), ("seeker_user", False, False),
    ("outsider", False, False)])
def test_staff_and_bureau_checks(who, is_staff, is_bureau, request):
    user = request.getfixturevalue(who)
    assert roles.is_staff_or_bureau(user) is is_staff and roles.is_bureau(user) is is_bureau
    if is_staff:
        roles.require_staff(user)
    else:
        with pytest.raises(PermissionDeniedError, match="只有就业之家工作人员"):
            roles.require_staff(user)
    if not is_bureau:
        with pytest.raises(PermissionDeniedError, match="只有人社局"):
            roles.require_bureau(user, "只有人社局审核人员可以进行此操作")


def test_staff_pages_send_anonymous_to_log_in_and_refuse_other_roles(client, staff_a, hr):
    url = reverse("outreach:workspace")
    r = client.get(url)
    assert r.status_code == 302 and reverse("login") in r.url
    client.force_login(hr)
    assert client.get(url).status_code == 403
    client.force_login(staff_a)
    assert client.get(url).status_code == 200


def test_bureau_pages_refuse_staff(client, staff_a, bureau):
    url = reverse("moderation:index")
    client.force_login(staff_a)
    assert client.get(url).status_code == 403
    client.force_login(bureau)
    assert client.get(url).status_code == 200
