"""Issue 20, Faults: the server killed (`kill -9` of the gunicorn worker) in the middle of an apply and of an
Excel import commit, after the rows are written and before the transaction commits. No partial rows survive;
the master starts a new worker; the retried request gives the right result once, and a second retry changes
nothing."""

from __future__ import annotations

import os
import signal
import threading

from .conftest import bearer, start_gunicorn, wait_for


def _kill_mid_request(server, tmp_path, method, path, body, headers):
    """Send the request with the pause on, wait until its worker sits inside the transaction, kill -9 it;
    returns what the client got (a dropped connection or a 5xx from the master, never a success)."""
    (tmp_path / "pause").touch()
    answer = {}
    t = threading.Thread(target=lambda: answer.update(r=server.request(method, path, body, headers)))
    t.start()
    pid = int(wait_for(lambda: (tmp_path / "mark").exists() and (tmp_path / "mark").read_text(), 30,
                       "the worker to reach the pause"))
    os.kill(pid, signal.SIGKILL)
    t.join(30)
    (tmp_path / "pause").unlink()
    (tmp_path / "mark").unlink()
    return answer["r"]


def test_kill_9_during_an_apply_leaves_no_row_and_the_retry_applies_once(outside_db, processes, tmp_path,
                                                                          seeker, posting):
    auth = bearer(seeker.user)
    outside_db.publish()
    server = start_gunicorn(processes, outside_db.url, tmp_path)
    path = f"/api/v1/jobs/{posting.pk}/apply"
    status, _ = _kill_mid_request(server, tmp_path, "POST", path, {}, auth)
    assert status == 0 or status >= 500
    assert outside_db.count("SELECT count(*) FROM applications_application") == 0
    assert outside_db.count("SELECT count(*) FROM core_auditevent WHERE action = %s", "application.apply") == 0

    status, body = wait_for(lambda: (r := server.request("POST", path, {}, auth))[0] != 0 and r, 30,
                            "a new worker")
    assert status == 201, body
    status, again = server.request("POST", path, {}, auth)
    assert status == 200 and again["id"] == body["id"]
    assert outside_db.count("SELECT count(*) FROM applications_application") == 1
    assert outside_db.count("SELECT count(*) FROM core_auditevent WHERE action = %s", "application.apply") == 1


def test_kill_9_during_an_import_commit_leaves_no_row_and_the_retry_imports_once(outside_db, processes, tmp_path,
                                                                                 staff_a, point_a, occupations):
    from hongniang.outreach import services
    from hongniang.outreach.tests.conftest import HEADERS, person, xlsx

    rows = [person(i) for i in range(1, 41)]
    batch = services.import_upload(actor=staff_a, kind="seekers", data=xlsx([HEADERS, *rows]), filename="名单.xlsx")
    assert batch.valid_rows == 40
    auth = bearer(staff_a)
    outside_db.publish()
    server = start_gunicorn(processes, outside_db.url, tmp_path)
    path = f"/api/v1/outreach/imports/{batch.pk}/commit"
    status, _ = _kill_mid_request(server, tmp_path, "POST", path, {}, auth)
    assert status == 0 or status >= 500
    assert outside_db.count("SELECT count(*) FROM seekers_seeker") == 0
    assert outside_db.count("SELECT count(*) FROM outreach_importbatch WHERE status = %s", "committed") == 0

    status, body = wait_for(lambda: (r := server.request("POST", path, {}, auth))[0] != 0 and r, 30,
                            "a new worker")
    assert status == 200 and body["created_rows"] == 40, body
    status, body = server.request("POST", path, {}, auth)
    assert 400 <= status < 500 and body["code"], body
    assert outside_db.count("SELECT count(*) FROM seekers_seeker") == 40

