"""Raise arrears alerts (欠薪预警) for gig pay not settled in time; the employer is blocked from new orders
until each alert is resolved. Prints what it would do; changes data only with --wet-run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hongniang.gigs import services


class Command(BaseCommand):
    help = "Raise arrears alerts for gig assignments unpaid or unconfirmed past GIG_ARREARS_HOURS (default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually raise the alerts (default: dry run)")
        parser.add_argument("--limit", type=int, default=10000)

    def handle(self, *args, wet_run: bool = False, limit: int = 10000, **options):
        rows = list(services.overdue_assignments()[:limit])
        raised = 0
        for a in rows:
            line = (f"order #{a.order_id} {a.order.date} employer #{a.order.employer_id} {a.order.employer.name} "
                    f"assignment #{a.pk} status={a.status} checked_out_at={a.checked_out_at:%Y-%m-%d %H:%M}")
            if wet_run:
                alert = services.arrears_raise(assignment=a)
                if alert:
                    raised += 1
                    self.stdout.write(f"raised alert #{alert.pk}: {line}")
            else:
                self.stdout.write(f"would raise: {line}")
        employers = len({a.order.employer_id for a in rows})
        if wet_run:
            self.stdout.write(self.style.SUCCESS(f"{raised} alert(s) raised; {employers} employer(s) blocked."))
        else:
            self.stdout.write(f"dry run: {len(rows)} alert(s) would be raised for {employers} employer(s); "
                              "nothing changed (use --wet-run).")
