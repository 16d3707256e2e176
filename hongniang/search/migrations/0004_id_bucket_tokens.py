"""Id-bucket filter tokens (engine.ID_SHIFTS): every entry's `filters` gains the bucket of its posting id at
each size, so a PostgreSQL search reads the newest matches window by window (engine._pg_newest).

Entries with empty filters are left alone: the post-migrate handler re-indexes them whole (search/apps.py).
Going back leaves the tokens in place; the older code never queries them."""

from django.db import migrations

SHIFTS = (8, 10, 12, 14, 16)  # engine.ID_SHIFTS when this migration was written

APPEND = ("UPDATE search_postingsearchentry SET filters = filters"
          + "".join(f" || ' zzfid{s}x' || (posting_id >> {s})" for s in SHIFTS)
          + " WHERE filters <> '' AND filters NOT LIKE '%zzfid%'")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_tiers_and_filter_tokens")]
    operations = [migrations.RunSQL(APPEND, migrations.RunSQL.noop)]
