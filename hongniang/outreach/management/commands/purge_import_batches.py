"""Cancel import batches left in preview and drop their encrypted rows (uploaded data is not kept longer
than needed). Prints what it would do; changes nothing without --wet-run."""

import datetime as dt

from django.core.management.base import BaseCommand

from hongniang.outreach.services import import_purge_stale


class Command(BaseCommand):
    help = "取消超过保留期限、未确认的导入批次并删除其数据；不加 --wet-run 只打印"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="keep previews this many days (default 2)")
        parser.add_argument("--wet-run", action="store_true")

    def handle(self, *args, days=2, wet_run=False, **options):
        n = import_purge_stale(older_than=dt.timedelta(days=days), wet_run=wet_run)
        self.stdout.write(f"{'cancelled' if wet_run else 'would cancel'} {n} import batches older than {days} days"
                          + ("" if wet_run else " (dry run; pass --wet-run to write)"))
