from django.core.management.base import BaseCommand

from hongniang.jobs.models import JobPosting
from hongniang.search.engine import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text index of postings (after a dictionary change). Dry run unless --wet-run."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually rebuild")

    def handle(self, *args, wet_run=False, **opts):
        n = JobPosting.objects.count()
        if not wet_run:
            self.stdout.write(f"would re-index {n} postings (add --wet-run to do it)")
            return

        done = reindex_all()
        self.stdout.write(self.style.SUCCESS(f"re-indexed {done} postings"))
