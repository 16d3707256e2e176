from __future__ import annotations

import datetime as dt
import hashlib
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

    def save(self, *args, **kwargs):
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:  # a new password ends the API tokens made under the old one
            ApiToken.objects.filter(user=self).delete()


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


def hash_token(key: str) -> str:
    """The stored form of an API token: a SHA-256 of the key (a random 256-bit secret needs no slow hash)."""
    return hashlib.sha256((key or "").encode()).hexdigest()


def token_days() -> int:
    return int(getattr(settings, "API_TOKEN_DAYS", 90))


class ApiToken(models.Model):
    """A bearer token for API clients (`Authorization: Bearer <key>`). Only a hash of the key is stored: the key
    itself is on the instance that made it (`token.key`), shown once. Tokens expire (API_TOKEN_DAYS, 90) and end
    when the user's password changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌开头"), max_length=8, editable=False, help_text=_("用于辨认，不能用来登录"))
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __init__(self, *args, key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._key = key or ""

    @property
    def key(self) -> str:
        """The key, only on the instance that created it (never read back from the database)."""
        return self._key

    def save(self, *args, **kwargs):
        if not self.key_hash:
            self._key = self._key or _new_token()
            self.key_hash, self.prefix = hash_token(self._key), self._key[:8]
        if self._state.adding and self.expires_at is None:
            self.expires_at = timezone.now() + dt.timedelta(days=token_days())
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user_id})"


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


class CacheGeneration(models.Model):
    """A counter bumped by every write to what cached pages show (hongniang.core.pagecache): entries made under an
    older value are stale. In the database, so every process and every app server sees a bump."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("缓存代数")
        verbose_name_plural = _("缓存代数")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
