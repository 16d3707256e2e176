"""manage.py restore ARCHIVE: a backup made by manage.py backup, into an empty database — or, with --wet-run,
over one that holds records (hongniang.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hongniang.core.backup import BackupError, database_at, read_manifest, restore


class Command(BaseCommand):
    help = ("Restore a backup (database and uploaded files). Refuses a database that already holds records "
            "unless --wet-run is given.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")
        parser.add_argument("--media-root", help="put the uploaded files here (default MEDIA_ROOT)")
        parser.add_argument("--wet-run", action="store_true",
                            help="replace what the database holds (needed unless it is empty)")

    def handle(self, *args, archive, database_url=None, media_root=None, wet_run=False, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            manifest = read_manifest(path)
            self.stdout.write(f"backup of {manifest['created_at']}: {manifest['engine']} ({manifest['method']}), "
                              f"{sum(manifest['rows'].values())} rows, {manifest['media_files']} uploaded files")
            if database_url:
                with database_at(database_url) as alias:
                    result = restore(path, alias=alias, media_root=media_root, wet_run=wet_run)
            else:
                result = restore(path, media_root=media_root, wet_run=wet_run)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        for table, (expected, got) in sorted(result.mismatched.items()):
            self.stderr.write(f"warning: {table}: {expected} rows in the backup, {got} after the restore")
        self.stdout.write(f"restored: {len(manifest['rows']) - len(result.mismatched)} tables with the backup's "
                          f"row counts, {result.media_files} uploaded files")
