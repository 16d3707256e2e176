"""API tokens (issue 13 item 10), attacked: a copy of the database gave working keys, tokens lived for ever and
survived a password change. Now only a hash is stored, the key is shown once, tokens expire and end with the
password; the migration hashes existing keys so clients keep working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hongniang.core.apiauth import user_for_token
from hongniang.core.models import ApiToken


def _me(client, key):
    return client.get("/api/v1/notifications/unread-count", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_database_holds_no_usable_key(client, hr):
    token = ApiToken.objects.create(user=hr, name="对接")
    assert _me(client, token.key).status_code == 200
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key == "" and token.key not in str(ApiToken.objects.values().get(pk=token.pk))
    assert _me(client, row.key_hash).status_code == 401  # the stored hash is not a key


def test_tokens_expire(client, hr):
    token = ApiToken.objects.create(user=hr)
    assert token.expires_at > timezone.now() + dt.timedelta(days=80)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _me(client, token.key).status_code == 401


def test_a_password_change_ends_the_tokens(client, hr):
    token = ApiToken.objects.create(user=hr)
    hr.set_password("a-new-pass-77")
    hr.save()
    assert _me(client, token.key).status_code == 401 and not ApiToken.objects.filter(user=hr).exists()


def test_the_command_shows_the_key_once(hr, capsys):
    call_command("api_token", hr.username, "--name", "对接", "--days", "30")
    key = capsys.readouterr().out.strip()
    assert user_for_token(key) == hr
    assert ApiToken.objects.get().expires_at < timezone.now() + dt.timedelta(days=31)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_tokens_working(hr):
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0003_rateevent")])
    old = executor.loader.project_state([("core", "0003_rateevent")]).apps
    old.get_model("core", "ApiToken").objects.create(user_id=hr.pk, key="an-old-plain-key-0123456789")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert user_for_token("an-old-plain-key-0123456789") == hr
    row = ApiToken.objects.get()
    assert row.prefix == "an-old-p" and row.expires_at and "an-old-plain-key" not in row.key_hash
