"""Close applications left unanswered (applied / viewed) for 60 days, and offers not turned into a hire for 30
days, with a reason; warn HR a week before an offer closes. Dry run unless --wet-run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hongniang.applications import services


class Command(BaseCommand):
    help = ("Close applications still applied/viewed after N days (default 60) and offers without a hire after "
            "M days (default 30; warn HR 7 days before). Prints only, unless --wet-run.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=services.STALE_DAYS)
        parser.add_argument("--offer-days", type=int, default=services.OFFER_CLOSE_DAYS,
                            help="close offers (录用) without a hire after this many days; 0: never")
        parser.add_argument("--wet-run", action="store_true", help="really close them (default: dry run)")

    def handle(self, *args, days: int, offer_days: int, wet_run: bool, **options):
        stale = list(services.stale_applications(days=days, offer_days=offer_days))
        for a in stale:
            self.stdout.write(f"{'closing' if wet_run else 'would close'} application {a.pk} "
                              f"({a.status} since {a.updated_at:%Y-%m-%d}, posting {a.posting_id})")
            if wet_run:
                services.application_close_stale(application=a, days=offer_days if a.status == "offered" else days)
        soon = list(services.offers_closing_soon(offer_days=offer_days))
        for a in soon:
            self.stdout.write(f"{'warning' if wet_run else 'would warn'} HR: offer {a.pk} closes soon "
                              f"(offered {a.updated_at:%Y-%m-%d}, posting {a.posting_id})")
            if wet_run:
                services.offer_warn_closing(application=a, offer_days=offer_days)
        verb = "closed" if wet_run else "would close (dry run; add --wet-run)"
        self.stdout.write(self.style.SUCCESS(f"{len(stale)} application(s) {verb}; "
                                             f"{len(soon)} offer(s) closing soon {'warned' if wet_run else 'to warn'}"))
