"""Put back in the queue the SMS a dead task worker left behind (cron or a systemd timer, every few minutes):

    manage.py sms_recover [--minutes 10] [--wet-run]

A worker killed mid-task (kill -9, a power cut, the OOM killer) leaves its task "RUNNING" forever and the outbox
row "queued" with no task to send it. This marks such tasks (started more than --minutes ago) failed, and enqueues
every outbox row still queued after --minutes that has no task waiting. Sending again is safe: the row's
idempotency key makes the provider drop a message it already accepted, and sms_send skips rows already sent.
Without --wet-run it only says what it would do."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from hongniang.notifications.services import recover_stalled_sms


class Command(BaseCommand):
    help = "Re-enqueue SMS left queued by a dead task worker (and mark its task failed)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=float, default=10.0, help="how old a stalled task / SMS must be")
        parser.add_argument("--wet-run", action="store_true", help="really change the queue")

    def handle(self, *args, minutes: float, wet_run: bool, **options):
        before = timezone.now() - dt.timedelta(minutes=minutes)
        tasks, messages = recover_stalled_sms(before=before, wet_run=wet_run)
        verb = "re-enqueued" if wet_run else "would re-enqueue"
        self.stdout.write(f"{verb} {messages} SMS; {'marked' if wet_run else 'would mark'} {tasks} stalled "
                          f"task(s) failed")
