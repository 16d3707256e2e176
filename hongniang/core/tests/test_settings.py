"""Settings fail closed (issue 13 item 7): DEBUG off unless asked for, production refuses to start without its
keys, the demo keeps generated keys in var/, friendly Chinese error pages, FIELD_KEY rotation."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory

from hongniang.core import crypto
from hongniang.seekers.models import Seeker
from hongniang.seekers.services import seeker_find_by_id_number
from hongniang.testing import factories as f
from hongniang.web import errors

KEY_A = "a" * 40
KEY_B = "b" * 40


def _settings_in_subprocess(env_extra: dict, code: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "SECRET_KEY", "FIELD_KEY", "FIELD_KEY_PREVIOUS", "HONGNIANG_ENV")}
    env.update({"DJANGO_SETTINGS_MODULE": "hongniang.settings", "HONGNIANG_VAR_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


SHOW = ("from django.conf import settings as s; import django; django.setup(); "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, getattr(s, 'SECURE_HSTS_SECONDS', 0) > 0)")


def test_debug_is_off_unless_asked_for(tmp_path):
    out = _settings_in_subprocess({}, SHOW, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "False"
    assert _settings_in_subprocess({"DEBUG": "1"}, SHOW, tmp_path).stdout.split()[0] == "True"
    assert _settings_in_subprocess({"HONGNIANG_ENV": "demo"}, SHOW, tmp_path).stdout.split()[0] == "False"


def test_production_is_secure(tmp_path):
    out = _settings_in_subprocess({"HONGNIANG_ENV": "production", "SECRET_KEY": KEY_A, "FIELD_KEY": KEY_B}, SHOW,
                                  tmp_path)
    assert out.stdout.split() == ["False", "True", "True", "True"], out.stderr


@pytest.mark.parametrize("env,needle", [
    ({"FIELD_KEY": KEY_B}, "SECRET_KEY"),
    ({"SECRET_KEY": KEY_A}, "FIELD_KEY"),
    ({"SECRET_KEY": KEY_A, "FIELD_KEY": KEY_A}, "FIELD_KEY must differ"),
    ({"SECRET_KEY": "short", "FIELD_KEY": KEY_B}, "SECRET_KEY"),
    ({"SECRET_KEY": KEY_A, "FIELD_KEY": KEY_B, "DEBUG": "1"}, "DEBUG=1"),
])
def test_production_refuses_to_start_without_its_keys(tmp_path, env, needle):
    out = _settings_in_subprocess({"HONGNIANG_ENV": "production", **env}, "import hongniang.settings", tmp_path)
    assert out.returncode != 0 and needle in out.stderr


def test_the_web_server_entry_point_is_production_by_default(tmp_path):
    out = _settings_in_subprocess({}, "import hongniang.wsgi", tmp_path)
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr
    out = _settings_in_subprocess({"HONGNIANG_ENV": "demo"}, "import hongniang.wsgi", tmp_path)
    assert out.returncode == 0, out.stderr


def test_demo_keys_are_generated_private_and_kept(tmp_path):
    code = "from django.conf import settings as s; import django; django.setup(); print(s.SECRET_KEY, s.FIELD_KEY)"
    first = _settings_in_subprocess({"HONGNIANG_ENV": "demo"}, code, tmp_path).stdout.split()
    again = _settings_in_subprocess({"HONGNIANG_ENV": "demo"}, code, tmp_path).stdout.split()
    assert first == again and len(first) == 2 and first[0] != first[1]
    assert "dev-only-insecure" not in first[0] and len(first[0]) >= 32
    for name in ("secret_key", "field_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    other = tmp_path / "other"
    other.mkdir()
    assert _settings_in_subprocess({"HONGNIANG_ENV": "demo"}, code, other).stdout.split() != first


# --- error pages -----------------------------------------------------------------------------------------


def test_a_missing_page_is_a_friendly_chinese_404(client, db):
    r = client.get("/no-such-page/")
    body = r.content.decode()
    assert r.status_code == 404 and "找不到该页面" in body and "回到首页" in body
    assert "URLconf" not in body and "Traceback" not in body and "api/v1/" not in body


def test_a_missing_api_path_is_json(client, db):
    r = client.get("/api/v1/no-such-endpoint")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_a_crash_is_a_friendly_chinese_500_without_details(db, settings):
    settings.ROOT_URLCONF = "hongniang.core.tests.urls_boom"
    c = Client(raise_request_exception=False)
    r = c.get("/boom/")
    body = r.content.decode()
    assert r.status_code == 500 and "服务器出了点问题" in body
    assert "ZeroDivisionError" not in body and "Traceback" not in body and "SECRET" not in body
    r = c.get("/api/boom/")
    assert r.status_code == 500 and r.json() == {"code": "server_error", "message": "服务器出了点问题，请稍后再试",
                                                 "errors": {}}


def test_the_500_page_renders_without_a_database_or_request_context():
    r = errors.server_error(RequestFactory().get("/x/"))
    assert r.status_code == 500 and "服务器出了点问题" in r.content.decode()


def test_a_csrf_failure_is_explained_in_chinese(seeker_user):
    c = Client(enforce_csrf_checks=True)
    r = c.post("/accounts/login/", {"username": "13900000001", "password": "secret-pass-1"})
    assert r.status_code == 403 and "页面已过期" in r.content.decode()


# --- key rotation ----------------------------------------------------------------------------------------


def test_field_key_rotation_keeps_old_rows_readable_and_findable_then_moves_them(settings, regions, capsys):
    settings.FIELD_KEYS = ["old-key-" + "x" * 32]
    number = f.valid_id_number(77)
    seeker = f.SeekerFactory(id_number=number)
    old_cipher, old_hash = Seeker.objects.values_list("id_number_encrypted", "id_number_hash").get(pk=seeker.pk)

    settings.FIELD_KEYS = ["new-key-" + "y" * 32, "old-key-" + "x" * 32]  # FIELD_KEY=new, FIELD_KEY_PREVIOUS=old
    assert Seeker.objects.get(pk=seeker.pk).reveal_id_number() == number
    assert seeker_find_by_id_number(number).pk == seeker.pk
    assert not crypto.is_current(old_cipher)

    call_command("reencrypt_fields")  # dry run: reports, changes nothing
    assert "would re-encrypt 1 rows" in capsys.readouterr().out
    assert Seeker.objects.get(pk=seeker.pk).id_number_encrypted == old_cipher

    call_command("reencrypt_fields", "--wet-run")
    cipher, digest = Seeker.objects.values_list("id_number_encrypted", "id_number_hash").get(pk=seeker.pk)
    assert cipher != old_cipher and digest != old_hash

    settings.FIELD_KEYS = ["new-key-" + "y" * 32]  # the old key is gone
    assert Seeker.objects.get(pk=seeker.pk).reveal_id_number() == number
    assert seeker_find_by_id_number(number).pk == seeker.pk
    call_command("reencrypt_fields")
    assert "every encrypted value is under the current FIELD_KEY" in capsys.readouterr().out


def test_a_value_under_an_unknown_key_is_reported_and_left_alone(settings, regions, capsys):
    settings.FIELD_KEYS = ["lost-key-" + "z" * 32]
    seeker = f.SeekerFactory(id_number=f.valid_id_number(78))
    cipher = Seeker.objects.get(pk=seeker.pk).id_number_encrypted
    settings.FIELD_KEYS = ["new-key-" + "y" * 32]
    call_command("reencrypt_fields", "--wet-run")
    assert "1 values no key can read" in capsys.readouterr().out
    assert Seeker.objects.get(pk=seeker.pk).id_number_encrypted == cipher
