"""Issue 20, "Fuzzing in CI": schemathesis (pinned in pyproject) generates requests from the OpenAPI document
for every operation, anonymously and with a bearer token for each role (seeker, HR, staff, bureau), against a
freshly loaded small demo, through the whole WSGI stack (middleware included). No answer may be a server error
(5xx) or break the schema the document declares for it.

Bounded: FUZZ_SECONDS in all (default 90, shared equally by the five callers; an operation not reached in time is
counted, not failed), FUZZ_EXAMPLES examples per operation and caller (default 2), derandomized so a CI run is
reproducible. The figures (operations reached past 401/403 per caller, requests, seconds) are printed: run with
`pytest tests/fuzz -s` to see them."""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

SECONDS = float(os.environ.get("FUZZ_SECONDS", "90"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
CALLERS = ("anonymous", "seeker", "hr", "staff", "bureau")
# Operations that would end the caller's own session for the rest of the run (not the thing under test here).
SKIP = {("DELETE", "/api/v1/me")}


class _App(WSGIHandler):
    """The project's WSGI app as a browser-less API client meets it: CSRF is still checked by Django for
    session callers, but these callers hold no session (anonymous or bearer), as in production."""

    def get_response(self, request):
        request._dont_enforce_csrf_checks = True
        return super().get_response(request)


@pytest.fixture
def demo(db):
    from hongniang.core.models import ApiToken, User
    from hongniang.demo.loader import DEMO_SEEKER_PHONE, load_demo

    started = time.monotonic()
    load_demo(seed=2026, scale=0.01, wet_run=True, out=lambda *a, **k: None)
    names = {"seeker": DEMO_SEEKER_PHONE, "hr": "hr_demo", "staff": "staff_demo", "bureau": "admin"}
    tokens = {role: ApiToken.objects.create(user=User.objects.get(username=u), name="fuzz").key
              for role, u in names.items()}
    return tokens, time.monotonic() - started


def test_no_operation_answers_a_server_error_or_breaks_its_schema(demo, capsys):
    tokens, load_seconds = demo
    # keep the test's transaction (and its connection) across requests, as Django's test client does
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        report = _fuzz(tokens)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    lines = [f"fuzz: demo loaded in {load_seconds:.1f} s; {report['operations']} operations, "
             f"{EXAMPLES} examples each per caller, budget {SECONDS:.0f} s"]
    for who in CALLERS:
        r = report["callers"][who]
        lines.append(f"fuzz: {who:9} reached {r['reached']:3} of {report['operations']} operations past 401/403, "
                     f"{r['requests']:4} requests, {r['seconds']:5.1f} s, not reached in time {r['timed_out']}, "
                     f"statuses {dict(sorted(r['statuses'].items()))}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    failures = report["failures"]
    if os.environ.get("FUZZ_REPORT"):
        with open(os.environ["FUZZ_REPORT"], "w") as fh:
            fh.write("\n".join(lines) + "\n\n" + "\n\n".join(failures) + "\n")
    assert not failures, f"{len(failures)} failing answers:\n" + "\n\n".join(failures[:15])


def _fuzz(tokens) -> dict:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _App())
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if (op.method.upper(), op.path) not in SKIP]
    report = {"operations": len(operations), "callers": {}, "failures": []}
    budget = SECONDS / len(CALLERS)
    for who in CALLERS:
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who in tokens else {}
        # schemathesis's WSGI transport reads the body as sent and does not undo a Content-Encoding, as a real
        # client does; the API answers gzip to clients that ask (core/tests/test_compression.py tests that)
        headers["Accept-Encoding"] = "identity"
        stats = {"reached": 0, "requests": 0, "timed_out": 0, "statuses": Counter(), "seconds": 0.0}
        started = time.monotonic()
        for op in operations:
            if time.monotonic() - started > budget:
                stats["timed_out"] += 1
                continue
            statuses = _run(op, headers, who, report["failures"], started + budget)
            stats["requests"] += len(statuses)
            stats["statuses"].update(f"{s // 100}xx" for s in statuses)
            if any(s not in (401, 403) for s in statuses):
                stats["reached"] += 1
        stats["seconds"] = time.monotonic() - started
        report["callers"][who] = stats
    return report


def _run(op, headers, who, failures, stop_at) -> list[int]:
    statuses: list[int] = []

    @given(case=op.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def one(case):
        if time.monotonic() > stop_at:
            return
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                                   headers=headers)
        except Exception as exc:  # noqa: BLE001 - every failing answer is collected, then reported at once
            failures.append(f"[{who}] {op.method.upper()} {op.path} -> {response.status_code}: "
                            f"{str(exc)[:600]}\n    {case.as_curl_command(headers=headers)[:400]}")

    try:
        one()
    except Exception as exc:  # noqa: BLE001 - hypothesis re-raised something from the call itself
        failures.append(f"[{who}] {op.method.upper()} {op.path}: {type(exc).__name__}: {str(exc)[:800]}")
    return statuses
