"""Issue 20, Faults: the task worker (`manage.py db_worker`) killed with kill -9 while it sends an SMS, after the
provider accepted the message and before the outbox row was marked sent. `manage.py sms_recover` puts the SMS
back in the queue (and marks the dead worker's task failed); the next worker sends it again with the same
idempotency key, which the provider deduplicates: the person gets it once, and the row ends sent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from .conftest import ROOT, process_env, wait_for


def test_a_task_worker_killed_mid_send_delivers_the_sms_once(outside_db, processes, tmp_path, settings, seeker):
    from django_tasks_db.models import DBTaskResult

    from hongniang.notifications.models import SmsMessage, SmsStatus
    from hongniang.notifications.services import notify
    from tests.faults.pausing import gateway_calls

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    notify(recipient=seeker.user, template="fault_test", context={"text": "您申请的缝纫工岗位有新进展"}, sms=True)
    message = SmsMessage.objects.get()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    outside_db.publish()

    env = process_env(outside_db.url, tmp_path, SMS_SENDER="tests.faults.pausing.Gateway")
    manage = [sys.executable, str(ROOT / "manage.py")]
    (tmp_path / "pause").touch()
    worker = processes.start([*manage, "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
                             env, tmp_path, tmp_path / "worker.log")
    pid = int(wait_for(lambda: (tmp_path / "mark").exists() and (tmp_path / "mark").read_text(), 40,
                       "the worker to hand the SMS to the provider"))
    os.kill(pid, signal.SIGKILL)
    worker.wait(10)
    (tmp_path / "pause").unlink()
    calls = gateway_calls(tmp_path / "gateway.jsonl")
    assert len(calls) == 1 and calls[0]["key"] == str(message.idempotency_key)
    assert outside_db.count("SELECT count(*) FROM notifications_smsmessage WHERE status = %s", "queued") == 1

    out = subprocess.run([*manage, "sms_recover", "--minutes", "0", "--wet-run"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "1" in out.stdout, out.stdout + out.stderr
    subprocess.run([*manage, "db_worker", "--batch", "--no-startup-delay", "--no-reload"], env=env, cwd=tmp_path,
                   check=True, capture_output=True, timeout=60)

    calls = gateway_calls(tmp_path / "gateway.jsonl")
    assert len(calls) == 2 and {c["key"] for c in calls} == {str(message.idempotency_key)}  # delivered once
    assert outside_db.count("SELECT count(*) FROM notifications_smsmessage WHERE status = %s", SmsStatus.SENT) == 1
    assert outside_db.count(f"SELECT count(*) FROM {DBTaskResult._meta.db_table} WHERE status = %s",
                            "RUNNING") == 0
