"""Issue 20: each outbox row has its own idempotency key, handed to the sender on every attempt; sms_recover puts
back rows a dead worker left queued (tests/faults/test_task_worker.py does it with a real kill -9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hongniang.notifications.models import SmsMessage
from hongniang.notifications.services import deliver, recover_stalled_sms

pytestmark = pytest.mark.django_db


class KeyedSender:
    def __init__(self):
        self.calls = []

    def send(self, phone, body, *, key=""):
        self.calls.append((phone, key))


class OldSender:
    def __init__(self):
        self.calls = []

    def send(self, phone, body):
        self.calls.append(phone)


def test_every_row_has_its_own_key_and_the_sender_gets_it():
    a = SmsMessage.objects.create(phone="13900000001", body="一")
    b = SmsMessage.objects.create(phone="13900000002", body="二")
    assert a.idempotency_key != b.idempotency_key
    sender = KeyedSender()
    deliver(sender, a)
    deliver(sender, a)
    assert sender.calls == [("13900000001", str(a.idempotency_key))] * 2
    old = OldSender()
    deliver(old, b)  # a sender without keys still works
    assert old.calls == ["13900000002"]


def test_sms_recover_requeues_only_old_queued_rows_without_a_waiting_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    old = SmsMessage.objects.create(phone="13900000001", body="一")
    SmsMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    SmsMessage.objects.create(phone="13900000002", body="新的")  # just queued: its task is on its way
    before = timezone.now() - dt.timedelta(minutes=10)
    assert recover_stalled_sms(before=before, wet_run=False) == (0, 1)
    assert not DBTaskResult.objects.exists()
    assert recover_stalled_sms(before=before, wet_run=True) == (0, 1)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert recover_stalled_sms(before=before, wet_run=True) == (0, 0)  # its task waits now
