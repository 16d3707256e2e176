"""Close applications left unanswered (applied / viewed) for 60 days with a reason. Dry run unless --wet-run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hongniang.applications import services


class Command(BaseCommand):
    help = "Close applications still applied/viewed after N days (default 60). Prints only, unless --wet-run."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--wet-run", action="store_true", help="really close them (default: dry run)")

    def handle(self, *args, days: int, wet_run: bool, **options):
        stale = list(services.stale_applications(days=days))
        for a in stale:
            self.stdout.write(f"{'closing' if wet_run else 'would close'} application {a.pk} "
                              f"({a.get_status_display()} since {a.updated_at:%Y-%m-%d}, posting {a.posting_id})")
            if wet_run:
                services.application_close_stale(application=a, days=days)
        verb = "closed" if wet_run else "would close (dry run; add --wet-run)"
        self.stdout.write(self.style.SUCCESS(f"{len(stale)} application(s) {verb}"))
