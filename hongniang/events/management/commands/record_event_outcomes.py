"""Daily: the 30-day outcome of each event intention, read from the hiring pipeline once 30 days have passed."""

from django.core.management.base import BaseCommand

from hongniang.events.services import record_outcomes


class Command(BaseCommand):
    help = "Record the 30-day outcome of event intentions from the pipeline (dry run unless --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="write the outcomes (default: print them)")

    def handle(self, *args, wet_run=False, **options):
        rows = record_outcomes(wet_run=wet_run)
        by = {}
        for _, outcome in rows:
            by[outcome] = by.get(outcome, 0) + 1
        verb = "recorded" if wet_run else "would record"
        self.stdout.write(f"{verb} {len(rows)} outcomes: " + (", ".join(f"{k} {v}" for k, v in sorted(by.items()))
                                                              or "none"))
        if not wet_run:
            self.stdout.write("DRY RUN: nothing written; add --wet-run")
