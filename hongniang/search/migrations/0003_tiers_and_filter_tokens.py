"""Filter tokens in the full-text index, and the title text for relevance.

The entry gains `filters` (tokens of status, township, occupation, shift, benefits and pay thresholds, so a
filtered search is one index lookup) and `head` (the normalised title and occupation, which ranks title
matches first). SQLite: the FTS5 table is rebuilt with the columns tokens, filters, contentless, its rowid
minus the posting id (newest first is then FTS5's faster forward order). PostgreSQL: `tsv` becomes
strip(to_tsvector(tokens + filters)) with its GIN index — no positions: nothing reads them, and the smaller
value stays in the row, cheap to check.
Existing entries are re-indexed after migrate (search/apps.py) because their filters are empty."""

from django.db import migrations, models

SQLITE_UP = [
    "DROP TRIGGER IF EXISTS search_fts_au", "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai", "DROP TABLE IF EXISTS search_fts",
    # contentless, rowid = minus the posting id: FTS5 iterates forwards ~1.6x faster than backwards, and
    # forwards is then newest first
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, filters, content='', "
    "tokenize='unicode61 remove_diacritics 0', detail='column')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(rowid, tokens, filters) VALUES (-new.posting_id, new.tokens, new.filters); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens, filters) VALUES ('delete', -old.posting_id, old.tokens, "
    "old.filters); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens, filters) VALUES ('delete', -old.posting_id, old.tokens, "
    "old.filters); "
    "INSERT INTO search_fts(rowid, tokens, filters) VALUES (-new.posting_id, new.tokens, new.filters); END",
    "INSERT INTO search_fts(rowid, tokens, filters) SELECT -posting_id, tokens, filters "
    "FROM search_postingsearchentry",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_au", "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai", "DROP TABLE IF EXISTS search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_postingsearchentry', "
    "content_rowid='posting_id', tokenize='unicode61 remove_diacritics 0', detail='column')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.posting_id, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.posting_id, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.posting_id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.posting_id, new.tokens); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
PG_UP = [
    "DROP INDEX IF EXISTS search_entry_tsv_gin",
    "ALTER TABLE search_postingsearchentry DROP COLUMN tsv",
    "ALTER TABLE search_postingsearchentry ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (strip(to_tsvector('simple', tokens || ' ' || filters))) STORED",
    "CREATE INDEX search_entry_tsv_gin ON search_postingsearchentry USING GIN (tsv)",
    # keep tsv in the row, uncompressed, so checking a row costs no detoasting: it is only compressed (MAIN)
    # when a row passes 4 kB; the texts it is generated from, never read by a search, leave the row first
    "ALTER TABLE search_postingsearchentry ALTER COLUMN tokens SET STORAGE EXTERNAL, "
    "ALTER COLUMN filters SET STORAGE EXTERNAL, ALTER COLUMN tsv SET STORAGE MAIN",
    "ALTER TABLE search_postingsearchentry SET (toast_tuple_target = 4080)",
]
PG_DOWN = [
    "ALTER TABLE search_postingsearchentry RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS search_entry_tsv_gin",
    "ALTER TABLE search_postingsearchentry DROP COLUMN tsv",
    "ALTER TABLE search_postingsearchentry ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED",
    "CREATE INDEX search_entry_tsv_gin ON search_postingsearchentry USING GIN (tsv)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]
    operations = [
        migrations.AddField("postingsearchentry", "head", models.TextField(default="")),
        migrations.AddField("postingsearchentry", "filters", models.TextField(default="")),
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN})),
    ]
