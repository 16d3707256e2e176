"""notify(): inbox + SMS rows, sending after commit via django-tasks, retries, rollback, masking."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from hongniang.notifications import services
from hongniang.notifications.models import SMS_MAX_ATTEMPTS, Notification, SmsMessage
from hongniang.notifications.senders import ConsoleSender

CTX = {"posting_title": "缝纫工", "enterprise_name": "瑞金红都服饰有限公司", "interview_at": "2030-01-02 09:00",
       "interview_place": "象湖镇工业园 3 号楼", "seeker_name": "刘小红", "start_date": "2030-01-10"}


def test_notify_writes_inbox_row_rendered_from_template(seeker_user, immediate_tasks):
    n = services.notify(recipient=seeker_user, template="application_interview", context=CTX, url="/me/")
    assert n.title == "面试通知：缝纫工"
    assert "象湖镇工业园 3 号楼" in n.body and n.read_at is None and n.url == "/me/"
    assert not SmsMessage.objects.exists()


def test_sms_is_sent_once_after_commit(seeker_user, immediate_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipient=seeker_user, template="application_interview", context=CTX, sms=True)
        assert immediate_tasks == []  # nothing before commit
    assert len(callbacks) == 1
    sms = SmsMessage.objects.get()
    assert (sms.phone, sms.status, sms.attempts) == ("13900000001", "sent", 1) and sms.sent_at
    assert immediate_tasks == [("13900000001", sms.body)]
    assert sms.body.startswith("【瑞金就业】") and "面试" in sms.body


def test_nothing_is_written_or_sent_when_the_change_rolls_back(seeker_user, immediate_tasks,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(recipient=seeker_user, template="application_offered", context=CTX, sms=True)
            raise RuntimeError("the business change failed")
    assert callbacks == []
    assert not Notification.objects.exists() and not SmsMessage.objects.exists()
    assert immediate_tasks == []


def test_sms_without_a_user_goes_to_the_phone(db, immediate_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify(phone="13700000002", template="applied_by_staff", context=CTX, sms=True) is None
    assert immediate_tasks[0][0] == "13700000002"
    assert not Notification.objects.exists()


def test_failed_sms_is_retried_until_sent(seeker_user, immediate_tasks, sms_failures,
                                          django_capture_on_commit_callbacks):
    sms_failures(2)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=seeker_user, template="application_hired", context=CTX, sms=True)
    sms = SmsMessage.objects.get()
    assert (sms.status, sms.attempts) == ("sent", 3)
    assert len(immediate_tasks) == 1


def test_sms_gives_up_after_five_attempts(seeker_user, immediate_tasks, sms_failures,
                                          django_capture_on_commit_callbacks):
    sms_failures(99)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=seeker_user, template="application_hired", context=CTX, sms=True)
    sms = SmsMessage.objects.get()
    assert (sms.status, sms.attempts) == ("failed", SMS_MAX_ATTEMPTS)
    assert "gateway timeout" in sms.last_error and immediate_tasks == []


def test_a_sent_sms_is_not_sent_again(seeker_user, immediate_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=seeker_user, template="application_hired", context=CTX, sms=True)
    sms = SmsMessage.objects.get()
    services.sms_send(sms_id=sms.pk)
    assert len(immediate_tasks) == 1


def test_retry_backoff_grows():
    assert [services.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]


@pytest.mark.django_db(transaction=True)  # the worker closes its DB connection: no wrapping test transaction
def test_database_backend_enqueues_a_task_row_and_the_worker_sends(seeker_user, settings,
                                                                   django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from hongniang.notifications.tests import fixtures

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SMS_SENDER = "hongniang.notifications.tests.fixtures.RecordingSender"
    fixtures.SENT.clear()
    with transaction.atomic():
        services.notify(recipient=seeker_user, template="application_offered", context=CTX, sms=True)
        assert not DBTaskResult.objects.exists()  # enqueued only after commit
    row = DBTaskResult.objects.get()
    assert row.task_path == "hongniang.notifications.tasks.send_sms" and row.status == "READY"
    assert SmsMessage.objects.get().status == "queued" and fixtures.SENT == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert SmsMessage.objects.get().status == "sent" and len(fixtures.SENT) == 1


def test_database_backend_defers_a_retry(seeker_user, settings, sms_failures,
                                         django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SMS_SENDER = "hongniang.notifications.senders.FailingSender"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=seeker_user, template="application_offered", context=CTX, sms=True)
        sms = SmsMessage.objects.get()
        services.sms_send(sms_id=sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("queued", 1)
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == 2 and retry.run_after is not None


def test_console_sender_masks_the_phone(caplog):
    with caplog.at_level(logging.WARNING, logger="hongniang.sms"):
        ConsoleSender().send("13912345678", "【瑞金就业】测试")
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


def test_inactive_recipient_gets_nothing(seeker_user, immediate_tasks):
    seeker_user.is_active = False
    seeker_user.save()
    assert services.notify(recipient=seeker_user, template="application_viewed", context=CTX) is None
    assert not Notification.objects.exists()


def test_missing_template_falls_back_to_a_generic_message(seeker_user, immediate_tasks):
    n = services.notify(recipient=seeker_user, template="no_such_template", context={})
    assert n.title == "系统通知" and "请登录查看" in n.body


TEMPLATES = Path(services.__file__).parent / "templates" / "notifications"


@pytest.mark.parametrize("name", sorted(p.stem for p in (TEMPLATES / "inbox").glob("*.txt")))
def test_every_inbox_template_renders_a_title_and_body(name):
    ctx = {**CTX, "title": "缝纫工", "enterprise": "红都服饰", "reason": "资料不全", "valid_until": "2030-01-01",
           "verified_until": "2031-01-01", "flags": ["工资偏低"], "days": 60, "text": "明天下雨停工"}
    title, body = services.render_inbox(name, ctx)
    assert title and body and "{{" not in title + body


@pytest.mark.parametrize("name", sorted(p.stem for p in (TEMPLATES / "sms").glob("*.txt")))
def test_every_sms_template_is_short_and_signed(name):
    text = services.render_sms(name, {**CTX, "text": "明天下雨停工"})
    assert text.startswith("【") and len(text) <= 140
