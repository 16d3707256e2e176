"""Time the full demo load (`load_demo --wet-run`) into a fresh temporary SQLite database.

    .venv/bin/python bench/demo_load.py [--seed 2026] [--scale 1.0]

Prints the seconds taken by migrate and by load_demo, and the row counts. Uses the configured password hasher."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t1 = time.perf_counter()
    from hongniang.demo.loader import load_demo

    load_demo(seed=args.seed, scale=args.scale, wet_run=True, out=lambda s: None)
    t2 = time.perf_counter()
    from hongniang.catalog.models import Industry, Occupation
    from hongniang.employers.models import Enterprise
    from hongniang.geo.models import Region, ServicePoint
    from hongniang.jobs.models import JobPosting
    from hongniang.seekers.models import Seeker

    print(f"migrate: {t1 - t0:.1f} s")
    print(f"load_demo (seed {args.seed}, scale {args.scale}): {t2 - t1:.1f} s")
    for model in (Region, Occupation, Industry, ServicePoint, Enterprise, JobPosting, Seeker):
        print(f"  {model._meta.label:22s} {model.objects.count():>7,d}")
    print(f"database file: {os.path.getsize(f'{tmp.name}/bench.sqlite3') / 1e6:.1f} MB")
    tmp.cleanup()


if __name__ == "__main__":
    main()
