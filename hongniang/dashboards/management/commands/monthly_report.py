"""Write a month's report:  manage.py monthly_report --month YYYY-MM --out DIR
→ DIR/report-YYYY-MM.xlsx and DIR/report-YYYY-MM.pdf (from the stored daily facts: the same figures whenever
it is run). Writing two files is the whole effect, so no --wet-run is needed."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from hongniang.dashboards import report


class Command(BaseCommand):
    help = "生成月报（Excel 与 PDF）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args, **opts):
        try:
            month = report.parse_month(opts["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        t0 = time.perf_counter()
        out = report.write_report(month, opts["out"])
        if out["days_missing"]:
            self.stderr.write(f"warning: {out['days_missing']} day(s) of {month:%Y-%m} not aggregated yet "
                              "(manage.py aggregate_stats --wet-run)")
        if not out["embedded"]:
            self.stderr.write("warning: no CJK font file found; the PDF uses a font the viewer must supply")
        self.stdout.write(f"wrote {out['xlsx']} and {out['pdf']} in {time.perf_counter() - t0:.1f} s")
