"""The SMS the day before an event (with the bus time): run daily (cron / systemd timer) in the afternoon."""

from django.core.management.base import BaseCommand

from hongniang.events.services import send_reminders


class Command(BaseCommand):
    help = "Send the day-before SMS to everyone registered for tomorrow's events (dry run unless --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually send (default: print what would be sent)")

    def handle(self, *args, wet_run=False, **options):
        regs = send_reminders(wet_run=wet_run)
        events = sorted({r.event_id for r in regs})
        verb = "reminded" if wet_run else "would remind"
        self.stdout.write(f"{verb} {len(regs)} registrations of {len(events)} events starting tomorrow")
        if not wet_run:
            self.stdout.write("DRY RUN: nothing sent; add --wet-run")
