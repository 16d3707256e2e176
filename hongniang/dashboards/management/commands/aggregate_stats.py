"""The daily aggregation behind the dashboard and the monthly report (cron: shortly after midnight).

    manage.py aggregate_stats                      # what it would write (the days since the last run)
    manage.py aggregate_stats --wet-run            # write them (yesterday on a normal night)
    manage.py aggregate_stats --from 2025-01-01 --to 2025-06-30 --wet-run   # backfill (rewrites those days)

Idempotent: a day's rows are replaced as a whole; running twice writes the same rows."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hongniang.dashboards import aggregate, hirestats, snapshots
from hongniang.dashboards.models import FactDay


class Command(BaseCommand):
    help = "汇总每日数据（看板与月报的依据）；不加 --wet-run 只显示将要汇总的日期"

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="真正写入")
        parser.add_argument("--from", dest="start", help="从这一天起重算（YYYY-MM-DD）")
        parser.add_argument("--to", dest="end", help="到这一天止（默认昨天）")
        parser.add_argument("--day", help="只算这一天")

    def handle(self, *args, **opts):
        today = timezone.localdate()
        yesterday = today - dt.timedelta(days=1)
        try:
            day = dt.date.fromisoformat(opts["day"]) if opts["day"] else None
            start = dt.date.fromisoformat(opts["start"]) if opts["start"] else None
            end = dt.date.fromisoformat(opts["end"]) if opts["end"] else None
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        if day:
            days = [day]
        elif start:
            days = aggregate.days_between(start, end or yesterday)
        else:
            days = aggregate.pending_days(today)
        if any(d >= today for d in days) and not day:
            raise CommandError("不能汇总今天或以后的日期（当天还没结束）；要看当天可用 --day")
        if not days:
            stale = aggregate.stale_rows()  # rows an earlier run put under no township (a village's code prefix)
            if stale and opts["wet_run"]:
                report = {"townships_repaired": aggregate.repair_townships(), **hirestats.rebuild(),
                          **snapshots.write(today)}
                self.stdout.write("every day up to yesterday is written; moved to their townships: "
                                  + ", ".join(f"{k} {v}" for k, v in report.items()))
            elif stale:
                self.stdout.write(f"would move {stale} row(s) to their townships\nDRY RUN: nothing written; add --wet-run")
            else:
                self.stdout.write("nothing to do: every day up to yesterday is written")
            return
        already = FactDay.objects.filter(day__in=days).count()
        plan = f"{len(days)} day(s) {days[0]}..{days[-1]}" + (f" ({already} rewritten)" if already else "")
        if not opts["wet_run"]:
            self.stdout.write(f"would write facts for {plan}")
            self.stdout.write("DRY RUN: nothing written; add --wet-run")
            return
        report = aggregate.aggregate(days, today=today)
        report.update(snapshots.write(today))  # the county's preset periods, computed ahead of the first view
        self.stdout.write(f"wrote {plan}: " + ", ".join(f"{k} {v}" for k, v in report.items()))
