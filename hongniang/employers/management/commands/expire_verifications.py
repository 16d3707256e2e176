"""manage.py expire_verifications: verified enterprises past `verified_until` become "verification due" and are
told to renew; those within 14 days of it are warned once. Run daily."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from hongniang.core.errors import DomainError
from hongniang.employers import services
from hongniang.employers.models import Enterprise, VerificationStatus


class Command(BaseCommand):
    help = ("Flip verified enterprises whose verification ran out (verified_until in the past; every 6 months) to "
            f"'verification due' and warn them; warn {services.WARN_DAYS_BEFORE} days before, once. "
            "Prints what it would do; changes nothing unless --wet-run.")

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually change statuses and send warnings")

    def handle(self, *args, wet_run=False, **options):
        today = timezone.localdate()
        verified = Enterprise.objects.filter(verification_status=VerificationStatus.VERIFIED,
                                             verified_until__isnull=False)
        overdue = list(verified.filter(verified_until__lt=today).order_by("verified_until", "id"))
        soon = list(verified.filter(verified_until__gte=today,
                                    verified_until__lte=today + dt.timedelta(days=services.WARN_DAYS_BEFORE),
                                    verification_warned_at__isnull=True).order_by("verified_until", "id"))
        verb = "" if wet_run else "would "
        done = warned = 0
        for e in overdue:
            self.stdout.write(f"{verb}mark #{e.pk} {e.name} verification due (verified until {e.verified_until})")
            if wet_run:
                try:
                    services.verification_expire(enterprise=e)
                    done += 1
                except DomainError as exc:
                    self.stderr.write(f"  skipped #{e.pk}: {exc.message}")
        for e in soon:
            self.stdout.write(f"{verb}warn #{e.pk} {e.name}: verification runs out {e.verified_until}")
            if wet_run and services.verification_warn(enterprise=e):
                warned += 1
        if wet_run:
            self.stdout.write(f"due {done}, warned {warned}")
        else:
            self.stdout.write(f"DRY RUN (nothing changed; add --wet-run): {len(overdue)} due, {len(soon)} to warn")
