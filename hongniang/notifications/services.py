"""The one write path for notifications.

`notify()` writes an inbox row (when there is a recipient user) and an SMS outbox row (when `sms=True` and a
phone number is known) inside the caller's transaction, and enqueues the SMS sending task only after that
transaction commits (transaction.on_commit → task.enqueue). A rolled-back change leaves no rows and sends nothing.

Texts are Django templates: notifications/inbox/<template>.txt (first line the title, the rest the body) and
notifications/sms/<template>.txt (the SMS body). They are rendered without HTML escaping (plain text); pages
escape them when shown.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import QuerySet
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniang.core import viewer
from hongniang.core.errors import InvalidInput, NotFoundError

from .models import SMS_MAX_ATTEMPTS, Notification, SmsMessage, SmsStatus
from .senders import get_sender
from .tasks import send_sms

logger = logging.getLogger("hongniang.notifications")
SMS_SIGNATURE = "【瑞金就业】"
_engine = Engine(app_dirs=True, autoescape=False,
                 builtins=["django.template.defaulttags", "django.template.defaultfilters"])


def _render(kind: str, template: str, context: dict) -> str | None:
    try:
        tpl = _engine.get_template(f"notifications/{kind}/{template}.txt")
    except TemplateDoesNotExist:
        return None
    return tpl.render(Context(context, autoescape=False)).strip()


def render_inbox(template: str, context: dict) -> tuple[str, str]:
    text = _render("inbox", template, context)
    if text is None:
        logger.warning("notification template %s has no inbox text; using a generic message", template)
        text = "系统通知\n" + str(context.get("text") or "您有一条新的消息，请登录查看。")
    title, _, body = text.partition("\n")
    return title.strip()[:100], body.strip()


def render_sms(template: str, context: dict) -> str:
    text = _render("sms", template, context)
    if text is None:
        text = _render("inbox", template, context)
        text = text.replace("\n", "：", 1).replace("\n", " ") if text else str(context.get("text") or "")
    text = " ".join(text.split())
    if not text.startswith("【"):
        text = SMS_SIGNATURE + text
    return text[:500]


def _user_phone(user) -> str:
    phone = getattr(user, "phone", "") or ""
    if not phone:
        seeker = getattr(user, "seeker", None) if getattr(user, "pk", None) else None
        try:
            phone = seeker.phone if seeker else ""
        except Exception:  # noqa: BLE001 - no seeker profile
            phone = ""
    return phone or ""


def notify(*, recipient=None, phone: str | None = None, template: str, context: dict | None = None,
           sms: bool = False, url: str = "") -> Notification | None:
    """Notify one person: an inbox row for `recipient` (a user) and, with `sms=True`, an SMS to `phone`
    (default: the recipient's phone). Call inside the business transaction; SMS go out after commit."""
    context = dict(context or {})
    if recipient is not None and not getattr(recipient, "is_active", True):
        recipient = None  # deactivated (deleted) accounts get nothing
    note = None
    with transaction.atomic():
        if recipient is not None:
            title, body = render_inbox(template, context)
            note = Notification.objects.create(recipient=recipient, template=template, title=title, body=body,
                                               url=url[:300])
        if sms:
            number = phone or (_user_phone(recipient) if recipient is not None else "")
            if number:
                message = SmsMessage.objects.create(recipient=recipient, phone=number, template=template,
                                                    body=render_sms(template, context))
                transaction.on_commit(lambda: enqueue_sms(message.pk))
    return note


# --- sending ----------------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """Wait before retry number `attempts`: 1, 2, 4, 8 minutes."""
    return dt.timedelta(minutes=2 ** max(0, attempts - 1))


def enqueue_sms(sms_id: int, *, delay: dt.timedelta | None = None):
    from django_tasks import default_task_backend

    task = send_sms
    if delay and getattr(default_task_backend, "supports_defer", False):
        task = task.using(run_after=timezone.now() + delay)
    return task.enqueue(sms_id)


def deliver(sender, message: SmsMessage) -> None:
    """Hand one SMS to the provider with the row's idempotency key (the provider keeps one message per key: a
    retry after a worker died between the provider's answer and the commit does not text the person twice).
    A sender written before keys existed (send(phone, body)) still works, without that protection."""
    import inspect

    params = inspect.signature(sender.send).parameters
    if "key" in params or any(p.kind is p.VAR_KEYWORD for p in params.values()):
        sender.send(message.phone, message.body, key=str(message.idempotency_key))
    else:
        sender.send(message.phone, message.body)


def sms_send(*, sms_id: int) -> SmsMessage | None:
    """Try to send one queued SMS. On failure count the attempt and re-enqueue with backoff; after
    SMS_MAX_ATTEMPTS attempts the message is marked failed. Sent or failed messages are left alone, so a
    duplicate task run never sends twice."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=sms_id).first()
        if message is None or message.status != SmsStatus.QUEUED:
            return message
        if not message.phone:
            message.status = SmsStatus.FAILED
            message.last_error = "no phone number"
            message.save(update_fields=["status", "last_error"])
            return message
        message.attempts += 1
        try:
            deliver(get_sender(), message)
        except Exception as exc:  # noqa: BLE001 - any sender failure is retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:300]
            retry = message.attempts < SMS_MAX_ATTEMPTS
            if not retry:
                message.status = SmsStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            if retry:
                attempts = message.attempts
                transaction.on_commit(lambda: enqueue_sms(sms_id, delay=backoff(attempts)))
            logger.warning("SMS %s attempt %s failed: %s", sms_id, message.attempts, message.last_error)
            return message
        message.status = SmsStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return message


def recover_stalled_sms(*, before, wet_run: bool) -> tuple[int, int]:
    """(stalled tasks, SMS re-enqueued): send_sms tasks still RUNNING that started before `before` belong to a
    worker that died; they are marked failed. Outbox rows still queued that were created before `before` and have
    no send_sms task waiting (READY) are enqueued again. Only with `wet_run`."""
    from django_tasks_db.models import DBTaskResult

    task_path = "hongniang.notifications.tasks.send_sms"
    stalled = DBTaskResult.objects.filter(status="RUNNING", task_path=task_path, started_at__lt=before)
    waiting = set()
    for args in DBTaskResult.objects.filter(status="READY", task_path=task_path).values_list("args_kwargs",
                                                                                           flat=True):
        waiting.update(a for a in (args or {}).get("args", []) if isinstance(a, int))
    queued = [pk for pk in SmsMessage.objects.filter(status=SmsStatus.QUEUED, created_at__lt=before)
              .values_list("pk", flat=True) if pk not in waiting]
    n_stalled = stalled.count()
    if wet_run:
        for row in stalled:
            row.set_failed(RuntimeError("the task worker died while running this task (sms_recover)"))
        for pk in queued:
            enqueue_sms(pk)
        if queued:
            logger.warning("re-enqueued %s SMS left by a dead worker", len(queued))
    return n_stalled, len(queued)


def sms_retry(*, sms_id: int) -> SmsMessage:
    """Bureau: put a failed SMS back in the queue (attempts start again)."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=sms_id).first()
        if message is None:
            raise NotFoundError()
        if message.status != SmsStatus.FAILED:
            raise InvalidInput(_("只有发送失败的短信可以重发"), code="not_failed")
        message.status = SmsStatus.QUEUED
        message.attempts = 0
        message.save(update_fields=["status", "attempts"])
        transaction.on_commit(lambda: enqueue_sms(message.pk))
    return message


# --- the inbox --------------------------------------------------------------------------------------


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's messages (or all, when no id is given) read. Returns how many changed.
    Another user's message is "not found"."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(recipient=user, pk=notification_id).exists():
            raise NotFoundError(_("找不到该消息"))
        qs = qs.filter(pk=notification_id)
    changed = qs.update(read_at=timezone.now())
    if changed:
        viewer.bump_user(user.pk)  # the unread count kept with the user (a bulk update sends no signal)
    return changed


def notifications_erase(*, user, phones=()) -> None:
    """An account is deleted: its inbox goes, and the text of SMS sent to its phone numbers is blanked (the rows
    stay for the outbox's counts)."""
    for phone in {p for p in phones if p}:
        SmsMessage.objects.filter(phone=phone).update(phone="", body="（已注销）")
    Notification.objects.filter(recipient=user).delete()
