"""manage.py load_demo: the Ruijin demo (reference data + generated demo rows + demo log-ins)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hongniang.demo.loader import DEFAULT_SEED, load_demo


class Command(BaseCommand):
    help = ("Load everything for the Ruijin demo: regions and classifications (upsert), then demo data generated "
            "reproducibly from --seed (all rows is_demo=True): 58 就业之家 + 2 service desks, 652 enterprises, "
            "~3,000 published postings, ~20,000 seekers (enterprises/postings/seekers multiplied by --scale), and "
            "four demo log-ins printed at the end. Running it again is safe: reference data is upserted; if demo "
            "rows already exist generation is skipped (only the log-ins are refreshed) unless --reset, which deletes "
            "all is_demo rows and regenerates. Prints what it would do; changes nothing unless --wet-run.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        parser.add_argument("--scale", type=float, default=1.0, help="multiply enterprise/posting/seeker counts")
        parser.add_argument("--reset", action="store_true", help="delete existing demo rows and regenerate")
        parser.add_argument("--wet-run", action="store_true", help="actually write to the database")

    def handle(self, *args, seed, scale, reset, wet_run, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be in (0, 10]")
        load_demo(seed=seed, scale=scale, wet_run=wet_run, reset=reset, out=self.stdout.write)
