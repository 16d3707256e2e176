"""The 503 the PostgreSQL restart test sees, without processes (runs on SQLite too): a view, or a middleware
outside any view (handler500), meeting OperationalError / InterfaceError answers 503 with Retry-After, JSON on the
API and a page elsewhere; any other error stays a 500."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from hongniang.core.middleware import DatabaseUnavailableMiddleware
from hongniang.web.errors import server_error


@pytest.mark.parametrize("exc", [OperationalError("server closed the connection unexpectedly"),
                                 InterfaceError("connection already closed")])
def test_a_view_that_finds_the_database_down_answers_503(exc):
    mw = DatabaseUnavailableMiddleware(lambda r: None)
    r = mw.process_exception(RequestFactory().get("/api/v1/jobs"), exc)
    assert r.status_code == 503 and r["Retry-After"] == "10"
    import json

    body = json.loads(r.content)
    assert body["code"] == "database_unavailable" and "稍后" in body["message"]
    page = mw.process_exception(RequestFactory().get("/jobs/"), exc)
    assert page.status_code == 503 and "稍后" in page.content.decode()
    assert mw.process_exception(RequestFactory().get("/jobs/"), ValueError("a bug")) is None


def test_handler500_answers_503_for_a_database_error_outside_a_view_and_500_for_a_bug():
    request = RequestFactory().get("/api/v1/jobs")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        assert server_error(request).status_code == 503
    try:
        raise KeyError("bug")
    except KeyError:
        assert server_error(request).status_code == 500
