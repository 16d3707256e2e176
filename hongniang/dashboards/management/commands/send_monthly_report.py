"""On the 2nd working day of a month, write last month's report and put it in the bureau's inbox (cron: daily,
after aggregate_stats). Any other day it does nothing; a month already delivered is not sent again.

    manage.py send_monthly_report            # what it would do today
    manage.py send_monthly_report --wet-run  # do it (only on the 2nd working day, unless --force)"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hongniang.dashboards import services


class Command(BaseCommand):
    help = "每月第 2 个工作日生成上月月报并发送到人社局收件箱"

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true")
        parser.add_argument("--today", help="当作这一天运行（YYYY-MM-DD，测试用）")
        parser.add_argument("--force", action="store_true", help="不是第 2 个工作日也生成并发送")

    def handle(self, *args, **opts):
        try:
            today = dt.date.fromisoformat(opts["today"]) if opts["today"] else timezone.localdate()
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        due = services.report_due(today)
        month = services.previous_month(today)
        if not due and not opts["force"]:
            self.stdout.write(f"{today} is not the 2nd working day of the month "
                              f"({services.second_working_day(today)}): nothing to do")
            return
        if services.already_delivered(month):
            self.stdout.write(f"the report for {month:%Y-%m} was delivered already: nothing to do")
            return
        if not opts["wet_run"]:
            self.stdout.write(f"would write the report for {month:%Y-%m} and notify "
                              f"{services.bureau_recipients().count()} bureau user(s)")
            self.stdout.write("DRY RUN: nothing written; add --wet-run")
            return
        rep = services.deliver_monthly_report(month=month)
        self.stdout.write(f"wrote {rep.pdf_path} and {rep.xlsx_path}; notified the bureau")
