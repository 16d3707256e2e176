"""manage.py expire_postings: published postings past their validity expire; those expiring within 3 days warn
their enterprise (once per validity period). Run daily (cron / a scheduler)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from hongniang.core.errors import DomainError
from hongniang.jobs import services
from hongniang.jobs.models import JobPosting, PostingStatus

WARN_DAYS = 3


class Command(BaseCommand):
    help = ("Expire published postings whose valid_until has passed (POSTING_VALID_DAYS after publication or the "
            f"last refresh) and warn enterprises {WARN_DAYS} days before (once per posting and validity period). "
            "Prints what it would do; changes nothing unless --wet-run.")

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually expire and send warnings")

    def handle(self, *args, wet_run=False, **options):
        today = timezone.localdate()
        live = JobPosting.objects.filter(status=PostingStatus.PUBLISHED).select_related("enterprise")
        overdue = list(live.filter(valid_until__lt=today).order_by("valid_until", "id"))
        soon = list(live.filter(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=WARN_DAYS),
                                expiry_warned_at__isnull=True).order_by("valid_until", "id"))
        verb = "" if wet_run else "would "
        expired = warned = 0
        for p in overdue:
            self.stdout.write(f"{verb}expire #{p.pk} {p.title} ({p.enterprise.name}), valid until {p.valid_until}")
            if wet_run:
                try:
                    services.posting_expire(posting=p)
                    expired += 1
                except DomainError as exc:  # changed meanwhile
                    self.stderr.write(f"  skipped #{p.pk}: {exc.message}")
        for p in soon:
            self.stdout.write(f"{verb}warn #{p.pk} {p.title} ({p.enterprise.name}): expires {p.valid_until}")
            if wet_run and services.posting_warn_expiry(posting=p):
                warned += 1
        if wet_run:
            self.stdout.write(f"expired {expired}, warned {warned}")
        else:
            self.stdout.write(f"DRY RUN (nothing changed; add --wet-run): {len(overdue)} to expire, "
                              f"{len(soon)} to warn")
