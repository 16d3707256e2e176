"""Backups in one archive: the database and the uploaded files (MEDIA_ROOT). docs/deployment.md, Backups.

    manage.py backup [--out FILE.tar.gz] [--method auto|sqlite|pg_dump|dumpdata]
    manage.py restore FILE.tar.gz [--database-url URL] [--media-root DIR] [--wet-run]

The archive (a .tar.gz, mode 600: it holds personal data, the ID numbers encrypted under FIELD_KEY) contains
manifest.json (format, method, engine, time, the row count of every table, a fingerprint of FIELD_KEY), the
database and media/…:

- SQLite: database.sqlite3, a consistent copy made with SQLite's online backup API (the site can keep running).
- PostgreSQL: database.pgdump, pg_dump's custom format (one consistent snapshot), restored with pg_restore in
  one transaction. Without pg_dump on the machine: database.json from dumpdata (slower; also the way to move a
  database between SQLite and PostgreSQL, `--method dumpdata`).

Restore refuses a database that already holds records unless given --wet-run (then the backup replaces them);
an empty database (never migrated, or migrated with no records) needs no flag. It reports each table whose row
count differs from the manifest. ID numbers are readable only with the FIELD_KEY of the backup (or with it in
FIELD_KEY_PREVIOUS): restore warns when the fingerprint differs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections

FORMAT = 1
DB_MEMBERS = {"sqlite": "database.sqlite3", "pg_dump": "database.pgdump", "dumpdata": "database.json"}
# tables whose rows are made by migrate itself, so a freshly migrated database still counts as empty
_MIGRATE_MADE = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    pass


def key_fingerprint(key: str | None = None) -> str:
    return hashlib.sha256(b"hongniang-backup-fingerprint:" + (key or settings.FIELD_KEY).encode()).hexdigest()[:16]


def _vendor(alias: str) -> str:
    return connections[alias].vendor  # "sqlite" | "postgresql"


def _tables(alias: str) -> list[str]:
    """Every table of an installed model that exists in this database (with django_migrations)."""
    conn = connections[alias]
    existing = set(conn.introspection.table_names())
    names = {m._meta.db_table for m in apps.get_models(include_auto_created=True)} | {"django_migrations"}
    return sorted(names & existing)


def table_counts(alias: str = "default") -> dict[str, int]:
    conn = connections[alias]
    counts = {}
    with conn.cursor() as cur:
        for table in _tables(alias):
            cur.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cur.fetchone()[0]
    return counts


def database_is_empty(alias: str = "default") -> bool:
    """No table holds a record (what migrate itself writes aside)."""
    conn = connections[alias]
    with conn.cursor() as cur:
        for table in _tables(alias):
            if table in _MIGRATE_MADE:
                continue
            cur.execute(f"SELECT 1 FROM {conn.ops.quote_name(table)} LIMIT 1")
            if cur.fetchone() is not None:
                return False
    return True


def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        value = settings_dict.get(key)
        if value:
            env[var] = str(value)
    return env


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()[-800:]}")


def _choose_method(alias: str, method: str) -> str:
    vendor = _vendor(alias)
    if method == "auto":
        if vendor == "sqlite":
            return "sqlite"
        return "pg_dump" if shutil.which("pg_dump") else "dumpdata"
    if method == "sqlite" and vendor != "sqlite":
        raise BackupError("--method sqlite needs a SQLite database")
    if method == "pg_dump" and vendor != "postgresql":
        raise BackupError("--method pg_dump needs a PostgreSQL database")
    return method


def _dump_database(alias: str, method: str, path: Path) -> None:
    conn = connections[alias]
    if method == "sqlite":
        conn.ensure_connection()
        dst = sqlite3.connect(path)
        try:
            conn.connection.backup(dst)  # consistent even while others write
        finally:
            dst.close()
    elif method == "pg_dump":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
             _pg_env(conn.settings_dict))
    else:
        with open(path, "w", encoding="utf-8") as out:
            call_command("dumpdata", "--natural-foreign", "--natural-primary", "--database", alias,
                         "--exclude", "contenttypes", "--exclude", "auth.permission", "--exclude", "sessions",
                         stdout=out)


def backup(out: Path, *, alias: str = "default", media_root: Path | None = None, method: str = "auto") -> dict:
    """Write the archive to `out` (atomically, mode 600) and return its manifest."""
    method = _choose_method(alias, method)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hn-backup-") as tmp:
        db_file = Path(tmp) / DB_MEMBERS[method]
        counts = table_counts(alias)  # before the dump: a busy site may add rows in between (reported on restore)
        _dump_database(alias, method, db_file)
        media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest = {
            "format": FORMAT, "method": method, "engine": _vendor(alias),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": DB_MEMBERS[method], "rows": counts, "media_files": len(media),
            "field_key_fingerprint": key_fingerprint(),
        }
        partial = out.with_name(f".{out.name}.{os.getpid()}.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(db_file, arcname=DB_MEMBERS[method])
                for path in media:
                    tar.add(path, arcname=str(PurePosixPath("media") / path.relative_to(media_root).as_posix()))
            os.replace(partial, out)
        finally:
            if partial.exists():
                partial.unlink()
    return manifest


@dataclass
class RestoreResult:
    manifest: dict
    media_files: int = 0
    mismatched: dict = field(default_factory=dict)  # table: (in the backup, after the restore)
    warnings: list = field(default_factory=list)


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("not a hongniang backup: manifest.json missing")
        manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _safe_media_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or path.parts[0] != "media":
        return None
    return PurePosixPath(*path.parts[1:])


def _restore_database(alias: str, method: str, engine: str, db_file: Path) -> None:
    conn = connections[alias]
    vendor = conn.vendor
    if method == "sqlite":
        if vendor != "sqlite":
            raise BackupError("this backup is a SQLite file: it restores into SQLite only (make a --method "
                              "dumpdata backup to move to PostgreSQL)")
        conn.close()
        conn.ensure_connection()
        src = sqlite3.connect(db_file)
        try:
            src.backup(conn.connection)  # replaces the whole database, schema and rows
        finally:
            src.close()
        conn.close()
    elif method == "pg_dump":
        if vendor != "postgresql":
            raise BackupError("this backup is a pg_dump archive: it restores into PostgreSQL only")
        if not shutil.which("pg_restore"):
            raise BackupError("pg_restore is not installed (Debian: apt-get install postgresql-client)")
        conn.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={conn.settings_dict['NAME']}", str(db_file)], _pg_env(conn.settings_dict))
    else:
        call_command("migrate", "--database", alias, "--noinput", verbosity=0)
        call_command("flush", "--database", alias, "--noinput", verbosity=0)
        call_command("loaddata", str(db_file), "--database", alias, verbosity=0)


def restore(archive: Path, *, alias: str = "default", media_root: Path | None = None,
            wet_run: bool = False) -> RestoreResult:
    archive = Path(archive)
    manifest = read_manifest(archive)
    if not database_is_empty(alias):
        if not wet_run:
            raise BackupError("the database already holds records: a restore would replace them all. Run again "
                              "with --wet-run to do so (make a backup of it first).")
    result = RestoreResult(manifest=manifest)
    if manifest.get("field_key_fingerprint") not in (None, *(key_fingerprint(k) for k in settings.FIELD_KEYS)):
        result.warnings.append("this backup was made under another FIELD_KEY: ID numbers stay unreadable until "
                               "that key is set as FIELD_KEY or in FIELD_KEY_PREVIOUS")
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="hn-restore-") as tmp, tarfile.open(archive, "r:gz") as tar:
        member = tar.getmember(manifest["database"])
        db_file = Path(tmp) / DB_MEMBERS[manifest["method"]]
        with tar.extractfile(member) as src, open(db_file, "wb") as dst:
            shutil.copyfileobj(src, dst)
        _restore_database(alias, manifest["method"], manifest["engine"], db_file)
        for info in tar.getmembers():
            rel = _safe_media_name(info.name)
            if rel is None or not info.isfile():
                continue
            target = media_root.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            result.media_files += 1
    after = table_counts(alias)
    for table, n in manifest["rows"].items():
        if manifest["method"] == "dumpdata" and table in ("django_migrations", "django_session",
                                                          "django_content_type", "auth_permission"):
            continue  # made by migrate, or left out of a dumpdata backup
        if after.get(table) != n:
            result.mismatched[table] = (n, after.get(table))
    return result


class database_at:
    """A temporary connection alias for a database URL (restore --database-url), closed and removed on exit."""

    def __init__(self, url: str):
        import dj_database_url

        self.alias = "backup_target"
        self.config = dj_database_url.parse(url)

    def __enter__(self) -> str:
        from django.db.utils import load_backend

        conf = connections.configure_settings({"default": dict(self.config, CONN_MAX_AGE=0)})["default"]
        # a connection of its own, not a configured alias (routers and the test isolation ignore it)
        connections[self.alias] = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, self.alias)
        return self.alias

    def __exit__(self, *exc) -> None:
        try:
            connections[self.alias].close()
        finally:
            del connections[self.alias]
