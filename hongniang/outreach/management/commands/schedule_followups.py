"""Create the missing 7/30/90-day follow-ups of hired applications (idempotent). Prints what it would do;
changes nothing without --wet-run."""

from django.core.management.base import BaseCommand

from hongniang.outreach.services import schedule_missing_followups


class Command(BaseCommand):
    help = "为已上岗的报名补建 7/30/90 天回访（幂等）；不加 --wet-run 只打印将要做的事"

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually create the follow-ups")

    def handle(self, *args, wet_run=False, **options):
        apps, followups = schedule_missing_followups(wet_run=wet_run)
        verb = "created" if wet_run else "would create"
        self.stdout.write(f"{verb} {followups} follow-ups for {apps} hired applications"
                          + ("" if wet_run else " (dry run; pass --wet-run to write)"))
