"""The shared inbox (every role) and the SMS outbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hongniang.zh.validators import mask_phone

SMS_MAX_ATTEMPTS = 5


class Notification(models.Model):
    """One inbox message for one user."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    template = models.CharField(max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class SmsMessage(models.Model):
    """One SMS in the outbox. Sent by a django-tasks task after the creating transaction commits; a failure
    is retried with backoff up to SMS_MAX_ATTEMPTS attempts, then the row is marked failed."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    template = models.CharField(max_length=64, blank=True)
    body = models.CharField(_("内容"), max_length=500)
    status = models.CharField(_("状态"), max_length=8, choices=SmsStatus.choices, default=SmsStatus.QUEUED,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # Sent with every attempt: the provider drops a second message with the same key, so a worker killed after
    # the provider accepted (before the row says "sent") cannot make a retry text the person twice.
    idempotency_key = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        constraints = [
            models.CheckConstraint(condition=Q(attempts__lte=SMS_MAX_ATTEMPTS), name="sms_attempts_capped"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sms_sent_has_time"),
        ]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.get_status_display()}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class PhoneCode(models.Model):
    """A one-time SMS code proving that someone holds a phone number, for one purpose (a sign-up, a log-in,
    an individual employer, a live-session lead ...). Neither the number nor the code is stored in the clear:
    both are keyed hashes. See hongniang.notifications.phone_codes."""

    phone_hash = models.CharField(max_length=40, db_index=True)
    purpose = models.CharField(_("用途"), max_length=32)
    code_hash = models.CharField(max_length=64)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
