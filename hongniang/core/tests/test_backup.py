"""manage.py backup / restore: a backup restored into an empty database has the same rows and the same uploaded
files; a database that holds records is not overwritten without --wet-run. On SQLite and on PostgreSQL (the
suite's database decides which)."""

from __future__ import annotations

import sqlite3
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hongniang.applications.models import Application
from hongniang.core.backup import read_manifest, table_counts
from hongniang.jobs.models import JobPosting


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    licence = settings.MEDIA_ROOT / "licences" / "7" / "a1b2c3.pdf"
    licence.parent.mkdir(parents=True)
    licence.write_bytes(b"%PDF-1.4 licence of enterprise 7\n")
    return settings.MEDIA_ROOT


def _counts_in_sqlite_file(path, tables):
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()


def _pg_url(name: str) -> str:
    d = connection.settings_dict
    auth = d["USER"] + (f":{d['PASSWORD']}" if d["PASSWORD"] else "")
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as db:
        db.execute(sql)


def _counts_in_pg(name, tables):
    import psycopg

    with psycopg.connect(_pg_url(name)) as db:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_the_same_rows_and_files(seeker, posting, media, tmp_path):
    Application.objects.create(seeker=seeker, posting=posting)
    before = table_counts()
    assert before["jobs_jobposting"] == 1 and before["applications_application"] == 1
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", out=str(archive))
    manifest = read_manifest(archive)
    assert manifest["rows"] == before
    assert manifest["method"] == ("sqlite" if connection.vendor == "sqlite" else "pg_dump")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # personal data inside

    restored_media = tmp_path / "media-restored"
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        call_command("restore", str(archive), database_url=f"sqlite:///{target}", media_root=str(restored_media))
        after = _counts_in_sqlite_file(target, before)
        title = sqlite3.connect(target).execute("SELECT title FROM jobs_jobposting").fetchone()[0]
    else:
        name = connection.settings_dict["NAME"] + "_restore"
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
        _pg_admin(f'CREATE DATABASE "{name}"')
        try:
            call_command("restore", str(archive), database_url=_pg_url(name), media_root=str(restored_media))
            after = _counts_in_pg(name, before)
            import psycopg

            with psycopg.connect(_pg_url(name)) as db:
                title = db.execute("SELECT title FROM jobs_jobposting").fetchone()[0]
        finally:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert after == before
    assert title == posting.title
    assert (restored_media / "licences" / "7" / "a1b2c3.pdf").read_bytes() == b"%PDF-1.4 licence of enterprise 7\n"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_records_unless_wet_run(posting, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", out=str(archive))
    JobPosting.objects.filter(pk=posting.pk).update(title="改过的标题")
    with pytest.raises(CommandError, match="--wet-run"):
        call_command("restore", str(archive), media_root=str(tmp_path / "m"))
    assert JobPosting.objects.get(pk=posting.pk).title == "改过的标题"  # nothing touched
    assert not (tmp_path / "m").exists()
    if connection.vendor == "sqlite":  # over the suite's own PostgreSQL database pg_restore would race the suite
        call_command("restore", str(archive), media_root=str(tmp_path / "m"), wet_run=True)
        assert JobPosting.objects.get(pk=posting.pk).title == posting.title


@pytest.mark.django_db(transaction=True)
def test_an_archive_with_paths_outside_media_is_not_written_outside(tmp_path, settings):
    """A doctored archive (../ in a member name) cannot write outside the media folder."""
    archive = tmp_path / "evil.tar.gz"
    call_command("backup", out=str(archive))
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
    evil = tmp_path / "evil2.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        import io

        for m, data in members:
            tar.addfile(m, io.BytesIO(data) if data is not None else None)
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    if connection.vendor == "sqlite":
        target = tmp_path / "t.sqlite3"
        call_command("restore", str(evil), database_url=f"sqlite:///{target}", media_root=str(tmp_path / "m" / "x"))
        assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "m" / "escaped.txt").exists()
