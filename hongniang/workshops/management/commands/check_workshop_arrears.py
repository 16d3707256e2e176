"""Raise arrears alerts (欠薪预警) for workshop piece wages not paid or not confirmed by their agreed date (the
gig market's check_gig_arrears, for piecework). Prints what it would do; changes data only with --wet-run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hongniang.workshops import services


class Command(BaseCommand):
    help = "Raise arrears alerts for workshop piece wages unsettled past their due date."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually raise the alerts (default: dry run)")
        parser.add_argument("--limit", type=int, default=10000)

    def handle(self, *args, wet_run: bool = False, limit: int = 10000, **options):
        rows = list(services.overdue_wages()[:limit])

        def line(w) -> str:
            return (f"order #{w.share.order_id} workshop #{w.share.workshop_id} {w.share.workshop.name} "
                    f"wage #{w.pk} status={w.status} amount={w.amount} due={w.due_date}")

        raised = 0
        if wet_run:  # one SMS per worker without an account, listing their wages (services.arrears_raise_many)
            for alert in services.arrears_raise_many(wages=rows):
                raised += 1
                self.stdout.write(f"raised alert #{alert.pk}: {line(alert.wage)}")
        else:
            for w in rows:
                self.stdout.write(f"would raise: {line(w)}")
        shops = len({w.share.workshop_id for w in rows})
        if wet_run:
            self.stdout.write(self.style.SUCCESS(f"{raised} alert(s) raised for {shops} workshop(s)."))
        else:
            self.stdout.write(f"dry run: {len(rows)} alert(s) would be raised for {shops} workshop(s); "
                              "nothing changed (use --wet-run).")
