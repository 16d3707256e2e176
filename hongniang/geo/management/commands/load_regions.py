"""manage.py load_regions: load county → township → village regions into geo.Region."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hongniang.geo.loading import FIELDS, RegionFileError, bundled_counties, load_regions, rows_for

HELP = f"""Load administrative regions (county → township → village) into geo.Region. Works for any county.

  load_regions --county 360781              the bundled file hongniang/data/regions_360781.csv (+ its boundary)
  load_regions --file any.csv [--boundary b.geojson]   any county in the generic format

Generic CSV format (UTF-8, header row): {','.join(FIELDS)}
  code         12-digit statistical code (区划代码), unique
  parent_code  parent's code; empty for the county
  name         full name (象湖镇, 沙洲坝村委会); short_name: 象湖, 沙洲坝 (optional)
  kind         county | township | village
  subkind      镇 / 乡 / 街道 / 开发区 / 村委会 / 居委会 … (optional)
  lat, lon     WGS-84 decimal degrees, or empty when unknown

Regions without coordinates are placed deterministically 1.5–4 km from their township seat (a township without
a seat: near the mean of its villages, else the county centre), inside the boundary when one is given, and
marked approximate. Idempotent: rows are upserted by code. Prints what it would do; changes nothing unless
--wet-run."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, *args, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(*args, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--county", help=f"6-digit county code of a bundled file ({', '.join(bundled_counties())})")
        parser.add_argument("--file", help="a region CSV in the generic format")
        parser.add_argument("--boundary", help="GeoJSON (WGS-84) county boundary for placing regions")
        parser.add_argument("--wet-run", action="store_true", help="actually write to the database")

    def handle(self, *args, county=None, file=None, boundary=None, wet_run=False, **options):
        if not county and not file:
            county = "360781"
        try:
            rows, bnd = rows_for(county=county, file=file, boundary=boundary)
        except (RegionFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        report = load_regions(rows, wet_run=wet_run)
        source = file or f"bundled county {county}"
        if wet_run:
            self.stdout.write(self.style.SUCCESS(f"regions from {source}: {report.summary()}"))
        else:
            self.stdout.write(f"DRY RUN (nothing written; add --wet-run): regions from {source} would be "
                              f"{report.summary()}")
