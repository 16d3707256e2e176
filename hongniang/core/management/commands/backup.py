"""manage.py backup: the database and the uploaded files in one archive (hongniang.core.backup)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hongniang.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (SQLite backup API, or pg_dump custom format) and MEDIA_ROOT into one .tar.gz "
            "(default var/backups/hongniang-YYYYmmdd-HHMMSS.tar.gz, mode 600).")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="the archive to write")
        parser.add_argument("--method", choices=["auto", "sqlite", "pg_dump", "dumpdata"], default="auto",
                            help="auto: SQLite backup API on SQLite, pg_dump on PostgreSQL (dumpdata without it)")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, out=None, method="auto", database="default", **options):
        if out is None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            out = Path(settings.VAR_DIR) / "backups" / f"hongniang-{stamp}.tar.gz"
        try:
            manifest = backup(Path(out), alias=database, method=method)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"backup written: {out} ({manifest['method']}, {len(manifest['rows'])} tables, "
                          f"{rows} rows, {manifest['media_files']} uploaded files)")
