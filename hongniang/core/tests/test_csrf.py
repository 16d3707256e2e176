"""Login CSRF and session writes without CSRF (issue 13 item 8): every unsafe API request without a bearer
token passes Django's CSRF check, so another site's form can neither log a visitor in nor act on their
session."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from hongniang.core.models import ApiToken, User
from hongniang.employers.models import Enterprise
from hongniang.testing import factories as f

EVIL = "https://evil.example"


def _cross_site_text_plain(client, path, body: str):
    """What a hidden <form enctype="text/plain" action="https://site/..."> on another site sends."""
    return client.post(path, data=body, content_type="text/plain", HTTP_ORIGIN=EVIL, HTTP_REFERER=EVIL + "/x",
                       secure=True)


def _enterprise_body(regions, seq=1):
    return {"name": "瑞金测试电子有限公司", "credit_code": f.valid_credit_code(900 + seq),
            "region_code": regions["xianghu"].code, "contact_name": "王经理", "contact_phone": "13900000001"}


def test_another_site_cannot_register_and_log_in_a_visitor(db):
    c = Client(enforce_csrf_checks=True)
    r = _cross_site_text_plain(c, "/api/v1/seekers/register",
                               '{"phone": "13700000001", "password": "attacker-pw-1", "consent": true, "x": "="}')
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    assert not User.objects.filter(phone="13700000001").exists()
    assert settings.SESSION_COOKIE_NAME not in r.cookies


def test_another_site_cannot_act_on_a_logged_in_session(regions, hr):
    c = Client(enforce_csrf_checks=True)
    c.force_login(hr)
    r = _cross_site_text_plain(c, "/api/v1/enterprises", json.dumps(_enterprise_body(regions)))
    assert r.status_code == 403
    assert not Enterprise.objects.filter(name="瑞金测试电子有限公司").exists()


def test_the_site_itself_passes_with_its_token(regions, hr):
    c = Client(enforce_csrf_checks=True)
    c.force_login(hr)
    c.get("/")  # the page sets the CSRF cookie
    token = c.cookies[settings.CSRF_COOKIE_NAME].value
    r = c.post("/api/v1/enterprises", _enterprise_body(regions), content_type="application/json",
               HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201, r.content


def test_bearer_token_clients_need_no_csrf_token(regions, hr):
    c = Client(enforce_csrf_checks=True)
    key = ApiToken.objects.create(user=hr).key
    r = c.post("/api/v1/enterprises", _enterprise_body(regions, 2), content_type="application/json",
               HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 201, r.content


@pytest.mark.parametrize("path", ["/accounts/login/", "/me/register/"])
def test_session_starting_pages_check_csrf(db, path):
    c = Client(enforce_csrf_checks=True)
    assert c.post(path, {"username": "x", "password": "y"}).status_code == 403
