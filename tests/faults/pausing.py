"""What the fault tests run in their own processes: the project's WSGI app with a pause inside the business
transaction (after the audit row of an apply or an import commit, the last write before the commit), and an SMS
gateway that keeps what it accepted and pauses after accepting. A pause starts only while the file named by
FAULT_PAUSE exists; the process then writes its pid to FAULT_MARK, so the test knows whom to kill -9 and that
the rows are written but not committed."""

from __future__ import annotations

import json
import os
import time


def _pause_here() -> None:
    if os.path.exists(os.environ.get("FAULT_PAUSE", "/nonexistent")):
        with open(os.environ["FAULT_MARK"], "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(120)  # killed long before


def _pausing_audit(original):
    def audit(*args, **kwargs):
        row = original(*args, **kwargs)
        if kwargs.get("action") in ("application.apply", "import.commit"):
            _pause_here()
        return row
    return audit


def wsgi_application():
    import importlib

    from hongniang.wsgi import application  # sets Django up: only then may the services be imported

    applications = importlib.import_module("hongniang.applications.services")
    outreach = importlib.import_module("hongniang.outreach.services")
    applications.audit = _pausing_audit(applications.audit)
    outreach.audit = _pausing_audit(outreach.audit)
    return application


class Gateway:
    """A stand-in for the SMS provider: appends every call it accepts to FAULT_GATEWAY (one JSON line: key,
    phone), then pauses when asked. A real provider deduplicates on the key; so does `delivered()`."""

    def send(self, phone: str, body: str, *, key: str = "") -> None:
        with open(os.environ["FAULT_GATEWAY"], "a") as fh:
            fh.write(json.dumps({"key": key, "phone": phone}) + "\n")
        _pause_here()


def gateway_calls(path) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return [json.loads(line) for line in fh if line.strip()]
