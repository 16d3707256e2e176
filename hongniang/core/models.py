from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Roles come from memberships (seeker profile, enterprise HR,
    service-point staff) plus `is_bureau` for the county bureau's admins."""

    phone = models.CharField(_("手机号码"), max_length=11, unique=True, null=True, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    is_bureau = models.BooleanField(_("人社局管理员"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class AuditEvent(models.Model):
    """Who saw or changed personal or important data, when, and why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    reason = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target_type}#{self.target_id}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A bearer token for API clients (`Authorization: Bearer <key>`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key = models.CharField(max_length=64, unique=True, default=_new_token)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")


class RateEvent(models.Model):
    """One counted event for a throttle (a failed login, a code sent, a report filed): the scope and a keyed
    hash of the key (an account, an address, a phone number; never stored in the clear). See
    hongniang.core.throttle."""

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("频率计数")
        verbose_name_plural = _("频率计数")
        indexes = [models.Index(fields=["scope", "key_hash", "at"], name="rate_event_lookup")]
