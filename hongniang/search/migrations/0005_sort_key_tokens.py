"""Sort-key tokens (engine.key_tokens): every published entry's `filters` gains the bucket of the hour its
posting was published in and, when the posting has a point, the grid cell of that point, at each size — so a
sorted search (newest, distance) reads its matches window by window along the key (engine.SortedResults).

Entries with empty filters are left alone: the post-migrate handler re-indexes them whole (search/apps.py).
Going back leaves the tokens in place; the older code never queries them."""

from django.db import migrations

PUB_SHIFTS = (4, 6, 8, 10, 12)  # engine.PUB_SHIFTS when this migration was written
GEO_SHIFTS = (2, 4, 6, 8, 10)  # engine.GEO_SHIFTS

EXPR = {
    "postgresql": {"hour": "floor(extract(epoch FROM p.published_at) / 3600)::bigint",
                   "x": "floor((p.lon + 180) * 1000)::bigint", "y": "floor((p.lat + 90) * 1000)::bigint"},
    "sqlite": {"hour": "(CAST(strftime('%s', p.published_at) AS INTEGER) / 3600)",
               "x": "CAST((p.lon + 180) * 1000 AS INTEGER)", "y": "CAST((p.lat + 90) * 1000 AS INTEGER)"},
}


def append_tokens(apps, schema_editor):
    conn = schema_editor.connection
    e = EXPR.get(conn.vendor)
    if e is None:
        return
    pub = "".join(f" || ' zzfpd{s}x' || ({e['hour']} >> {s})" for s in PUB_SHIFTS)
    geo = "".join(f" || ' zzfgeo{s}x' || ({e['x']} >> {s}) || 'y' || ({e['y']} >> {s})" for s in GEO_SHIFTS)
    where = ("p.id = search_postingsearchentry.posting_id AND p.status = 'published' "
             "AND search_postingsearchentry.filters <> ''")
    with conn.cursor() as cur:
        cur.execute(f"UPDATE search_postingsearchentry SET filters = filters{pub} FROM jobs_jobposting p "
                    f"WHERE {where} AND p.published_at IS NOT NULL AND filters NOT LIKE '%%zzfpd%%'")
        cur.execute(f"UPDATE search_postingsearchentry SET filters = filters{geo} FROM jobs_jobposting p "
                    f"WHERE {where} AND p.lat IS NOT NULL AND p.lon IS NOT NULL AND filters NOT LIKE '%%zzfgeo%%'")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_id_bucket_tokens"), ("jobs", "0001_initial")]
    operations = [migrations.RunPython(append_tokens, migrations.RunPython.noop)]
