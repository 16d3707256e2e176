"""Static files as production and the demo serve them (hongniang.core.staticfiles): after collectstatic a phone on a
slow network gets echarts (627 kB) gzipped, about a third of its size (brotli over HTTPS: less), once, and keeps it; pages name the hashed
copies. A release whose static files changed but were not collected again falls back to the plain names (fresh,
uncompressed), never to an old copy."""

from __future__ import annotations

import gzip
import os

import brotli
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

from hongniang.core import staticfiles

ECHARTS = "vendor/echarts/echarts.custom.min.js"


STORAGE = {"BACKEND": "hongniang.core.staticfiles.CollectedStaticStorage"}


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory):
    """What production and the demo have: collectstatic run into STATIC_ROOT with their storage (once: ~2 s)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES={**django_settings.STORAGES, "staticfiles": STORAGE}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def collected(settings, collected_root):
    settings.STATIC_ROOT = collected_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": STORAGE}
    manifest = collected_root / "staticfiles.json"
    mtime = manifest.stat().st_mtime
    yield collected_root
    os.utime(manifest, (mtime, mtime))


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_pages_name_hashed_copies_served_gzipped_and_kept_for_good(collected):
    with open(staticfiles.finders.find(ECHARTS), "rb") as fh:
        original = fh.read()
    url = static(ECHARTS)
    assert url.startswith("/static/vendor/echarts/echarts.custom.min.") and url != "/static/" + ECHARTS

    client = Client()  # a new handler: WhiteNoise indexes the collected STATIC_ROOT
    r = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    assert r.status_code == 200 and r["Content-Encoding"] == "gzip"
    body = _body(r)
    assert len(body) < len(original) / 2 and gzip.decompress(body) == original
    assert "immutable" in r["Cache-Control"] and "max-age=315360000" in r["Cache-Control"]

    br = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})  # browsers over HTTPS: brotli, smaller
    assert br["Content-Encoding"] == "br"
    br_body = _body(br)
    assert len(br_body) < len(body) * 0.9 and brotli.decompress(br_body) == original

    plain = client.get(url)  # a client that does not accept gzip gets the file as it is
    assert "Content-Encoding" not in plain and _body(plain) == original

    page = client.get("/accounts/login/").content.decode()  # any page: base.html links site.css
    css = static("hongniang/site.css")
    assert f'href="{css}"' in page and css != "/static/hongniang/site.css"
    r = client.get(css, headers={"accept-encoding": "gzip"})
    assert r["Content-Encoding"] == "gzip" and r["Content-Type"].startswith("text/css")


def test_static_changed_since_collectstatic_falls_back_to_plain_names(collected, settings):
    manifest = collected / "staticfiles.json"
    an_hour_ago = staticfiles.newest_source_mtime() - 3600
    os.utime(manifest, (an_hour_ago, an_hour_ago))  # the code is newer than the last collectstatic
    settings.STATIC_ROOT = collected  # as in a new process: a new storage reads the manifest again
    assert static(ECHARTS) == "/static/" + ECHARTS
    r = Client().get("/static/" + ECHARTS, headers={"accept-encoding": "gzip"})
    assert r.status_code == 200 and "immutable" not in r["Cache-Control"]


def test_a_file_collectstatic_has_not_seen_keeps_its_plain_name(collected):
    assert static("hongniang/site.css") != "/static/hongniang/site.css"
    assert static("no/such/file.js") == "/static/no/such/file.js"
