"""manage.py load_classifications: occupations (职业分类大典 2022) and industries (GB/T 4754-2017)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hongniang.catalog.loading import ClassificationFileError, load_industries, load_occupations


class Command(BaseCommand):
    help = ("Load occupations (中华人民共和国职业分类大典 2022, hongniang/data/occupations_2022.csv, 4 levels with "
            "parent links; the ~80 in hongniang/data/common_occupations.csv marked common with a plain label) and "
            "industries (GB/T 4754-2017: section → division → group → class). Idempotent (upsert by code). "
            "Prints what it would do; changes nothing unless --wet-run.")

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually write to the database")

    def handle(self, *args, wet_run=False, **options):
        try:
            occ = load_occupations(wet_run=wet_run)
            ind = load_industries(wet_run=wet_run)
        except (ClassificationFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        prefix = "" if wet_run else "DRY RUN (nothing written; add --wet-run): would load "
        self.stdout.write(f"{prefix}occupations: {occ.summary()}")
        self.stdout.write(f"{prefix}industries: {ind.summary()}")
