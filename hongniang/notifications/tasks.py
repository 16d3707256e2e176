"""Background tasks (django-tasks). Run workers with `manage.py db_worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def send_sms(sms_id: int) -> str:
    from .services import sms_send  # lazy: services imports this module to enqueue the task

    message = sms_send(sms_id=sms_id)
    return message.status if message is not None else "missing"
