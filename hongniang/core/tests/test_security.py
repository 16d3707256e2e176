"""Login throttling, CSRF, cookies, security headers, masked logs, the bureau's audit search."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.conf import settings as dj_settings
from django.test import Client

from hongniang.core.audit import audit
from hongniang.core.logging import MaskPersonalDataFilter, mask_text
from hongniang.core.models import AuditEvent, RateEvent

THROTTLED = "登录失败次数过多"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_from_one_address_block_that_address_for_that_account(client, seeker_user):
    for _ in range(5):
        assert "手机号或密码不正确" in _login(client, "13900000001", "wrong").content.decode()
    r = _login(client, "13900000001", "secret-pass-1")
    assert r.status_code == 200 and THROTTLED in r.content.decode()
    assert "_auth_user_id" not in client.session
    # the real owner, elsewhere, still logs in: one attacker cannot lock a person out
    assert _login(Client(), "13900000001", "secret-pass-1", ip="10.0.0.2").status_code == 302


def test_failures_expire_after_the_window(client, seeker_user):
    for _ in range(5):
        _login(client, "13900000001", "wrong")
    RateEvent.objects.update(at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert _login(client, "13900000001", "secret-pass-1").status_code == 302


def test_success_clears_the_address_counter_and_nothing_is_stored_in_the_clear(client, seeker_user):
    for _ in range(4):
        _login(client, "13900000001", "wrong")
    assert _login(client, "13900000001", "secret-pass-1").status_code == 302
    assert not RateEvent.objects.filter(scope="login:pair").exists()
    stored = str(list(RateEvent.objects.values()))
    assert "13900000001" not in stored and "10.0.0.1" not in stored  # keyed hashes only


def test_csrf_is_enforced_on_login(seeker_user):
    c = Client(enforce_csrf_checks=True)
    assert c.post("/accounts/login/", {"username": "13900000001", "password": "secret-pass-1"}).status_code == 403


def test_security_headers(client, db):
    r = client.get("/about/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]  # no inline scripts or handlers (issue 13 item 10)

    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin" and "camera=()" in r["Permissions-Policy"]


def test_no_template_has_an_inline_script_or_handler():
    """The CSP forbids them; this finds one before a browser does."""
    import re
    from pathlib import Path

    import hongniang

    root = Path(hongniang.__file__).parent
    bad = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[\"']|javascript:", re.I)
    found = [f"{p.relative_to(root)}: {m.group(0)}" for p in root.rglob("*.html") for m in bad.finditer(p.read_text())
             if "application/ld+json" not in m.group(0)]
    assert found == []


def test_api_responses_carry_headers_too(client, db):
    r = client.get("/api/v1/notifications")
    assert r.status_code == 401 and "Content-Security-Policy" in r


def test_session_cookie_is_httponly(client, seeker_user):
    _login(client, "13900000001", "secret-pass-1")
    cookie = client.cookies[dj_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# --- logs -------------------------------------------------------------------------------------------


def test_mask_text_masks_phones_and_id_numbers():
    assert mask_text("call 13912345678 now") == "call 139****5678 now"
    assert mask_text("id 36078119850307001X.") == "id 3607**********001X."
    assert mask_text("order 2024010112345678901234") == "order 2024010112345678901234"  # longer numbers alone


def test_logging_filter_masks_formatted_messages():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "seeker %s phone %s", ("刘", "13900000001"), None)
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "seeker 刘 phone 139****0001"


def test_console_handler_has_the_filter():
    handler = dj_settings.LOGGING["handlers"]["console"]
    assert "mask_personal_data" in handler["filters"]


# --- audit search -----------------------------------------------------------------------------------


@pytest.fixture
def audit_rows(seeker, staff_a, hr):
    audit(actor=staff_a, action="seeker.view_full", target=seeker, reason="站点工作台查看详情")
    audit(actor=hr, action="view_applicants", target=None)
    old = audit(actor=staff_a, action="seeker.export", target=seeker)
    AuditEvent.objects.filter(pk=old.pk).update(at=dt.datetime(2020, 5, 1, 12, tzinfo=dt.UTC))
    return seeker


@pytest.mark.parametrize("filters,expected", [
    ({"actor": "staff_a"}, {"seeker.view_full", "seeker.export"}),
    ({"action": "seeker."}, {"seeker.view_full", "seeker.export"}),
    ({"action": "view_applicants"}, {"view_applicants"}),
    ({"date_from": "2020-05-01", "date_to": "2020-05-01"}, {"seeker.export"}),
])
def test_bureau_audit_search_page(client, bureau, audit_rows, filters, expected):
    client.force_login(bureau)
    body = client.post("/audit/", filters).content.decode()
    for action in {"seeker.view_full", "seeker.export", "view_applicants"}:
        assert (f'<span class="muted audit-code">{action}</span>' in body) == (action in expected), action


def test_audit_search_by_target(client, bureau, audit_rows):
    client.force_login(bureau)
    r = client.post("/api/v1/audit/search", {"target": f"seekers.seeker#{audit_rows.pk}"},
                    content_type="application/json").json()
    assert r["count"] == 2 and {x["action"] for x in r["results"]} == {"seeker.view_full", "seeker.export"}
    assert r["results"][0]["actor_name"]
    assert {x["action_label"] for x in r["results"]} == {"查看求职者完整信息", "导出本人数据"}


def test_audit_search_gives_the_detail_as_the_page_reads_it(client, bureau, db):
    """Next to the raw detail, detail_labels: the audit page's (label, value) pairs, in the same order."""
    audit(actor=bureau, action="posting_approve", target=None, before="pending", after="published")
    audit(actor=bureau, action="view_applicants", target=None)
    client.force_login(bureau)
    r = client.post("/api/v1/audit/search", {"action": "posting_approve"}, content_type="application/json").json()
    row = r["results"][0]
    assert row["detail"] == {"before": "pending", "after": "published"}
    assert row["detail_labels"] == [["原状态", "待审核"], ["新状态", "招聘中"]]
    r = client.post("/api/v1/audit/search", {"action": "view_applicants"}, content_type="application/json").json()
    assert r["results"][0]["detail"] == {} and r["results"][0]["detail_labels"] == []


@pytest.mark.parametrize("who", ["staff_a", "hr", "seeker_user", "outsider"])
def test_audit_is_bureau_only(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/audit/").status_code == 403
    assert client.post("/api/v1/audit/search", {}, content_type="application/json").status_code == 403


def test_audit_bad_date_is_a_message(client, bureau, db):
    client.force_login(bureau)
    assert "日期格式应为" in client.post("/audit/", {"date_from": "yesterday"}).content.decode()


def test_full_views_are_audited_with_who_what_why(client, staff_a, seeker):
    client.force_login(staff_a)
    client.get(f"/me/staff/seekers/{seeker.pk}/")
    ev = AuditEvent.objects.get(action="seeker.view_full")
    assert (ev.actor, ev.target_id, ev.reason) == (staff_a, str(seeker.pk), "站点工作台查看详情")
