"""Walk the OpenAPI document and call every operation anonymously: nothing that carries personal data may
answer 2xx. Public operations (job search, reference data, registration, quick apply…) are allow-listed."""

from __future__ import annotations

import re

import pytest

from hongniang.applications import services as app_services

PUBLIC = [  # (method, path regex) that anyone may call
    ("get", r"^/api/v1/jobs(/\{[^}]+\})?$"), ("get", r"^/api/v1/jobs/facets$"), ("get", r"^/api/v1/jobs/.*jsonld"),
    ("get", r"^/api/v1/(geo|regions|points|service-points|catalog|occupations|industries)"),
    ("get", r"^/api/v1/enterprises"), ("get", r"^/api/v1/search"), ("get", r"^/api/v1/suggest"),
    ("get", r"^/api/v1/gigs/(orders|market|work-types|public)"), ("post", r"^/api/v1/seekers/register$"),
    ("post", r"^/api/v1/.*quick-apply"), ("post", r"^/api/v1/gigs/.*(phone-code|verify-phone|employers/individual)"),
    ("post", r"^/api/v1/(moderation/)?reports$"), ("post", r"^/api/v1/.*/report$"),
    ("get", r"^/api/v1/events(/\{[^}]+\})?$"), ("get", r"^/api/v1/live-sessions(/\{[^}]+\})?$"),
    ("post", r"^/api/v1/live-sessions/\{[^}]+\}/signups$"),
    ("get", r"^/api/v1/workshops$"),  # village workshops: no owner, no phone, no workers (hongniang.workshops)
    ("get", r"^/api/v1/stats/public$"),  # counts only, small counts suppressed (hongniang.dashboards.public)
    ("post", r"^/api/v1/logout$"),  # ends the caller's own session, if any; answers nothing
]


def _public(method: str, path: str) -> bool:
    return any(m == method and re.search(rx, path) for m, rx in PUBLIC)


@pytest.fixture
def data(seeker, posting, hr, staff_a, bureau):
    app_services.application_apply(seeker=seeker, posting=posting, actor=seeker.user)


def test_no_personal_data_endpoint_answers_anonymous_callers(client, data):
    schema = client.get("/api/v1/openapi.json").json()
    checked, leaks = 0, []
    for path, ops in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in ops:
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            r = getattr(client, method)(url, data="{}", content_type="application/json") if method != "get" \
                else client.get(url)
            checked += 1
            if 200 <= r.status_code < 300 and not _public(method, path):
                leaks.append(f"{method.upper()} {path} → {r.status_code}")
    assert checked > 40
    assert leaks == []


def test_our_endpoints_answer_401_to_anonymous(client, data):
    for method, url in [("get", "/api/v1/me/export"), ("post", "/api/v1/me/delete"),
                        ("get", "/api/v1/notifications"), ("post", "/api/v1/audit/search"),
                        ("get", "/api/v1/bureau/pay-record"), ("get", "/api/v1/applications/1"),
                        ("get", "/api/v1/applications/1/history"),
                        ("post", "/api/v1/applications/1/transitions/contact"),
                        ("post", "/api/v1/applications/1/confirm-start"), ("post", "/api/v1/applications/1/pay-report"),
                        ("get", "/api/v1/jobs/1/applications"), ("post", "/api/v1/staff/seekers/search")]:
        r = getattr(client, method)(url, data="{}", content_type="application/json") if method == "post" \
            else client.get(url)
        assert r.status_code == 401, (method, url, r.status_code)
