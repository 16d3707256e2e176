"""The full-text index for the database in use: SQLite FTS5 over the tokens (external content, kept in sync
by triggers), or a PostgreSQL generated tsvector('simple') column with a GIN index."""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_postingsearchentry', "
    "content_rowid='posting_id', tokenize='unicode61 remove_diacritics 0', detail='column')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.posting_id, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.posting_id, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_postingsearchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.posting_id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.posting_id, new.tokens); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_au", "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai", "DROP TABLE IF EXISTS search_fts",
]
PG_UP = [
    "ALTER TABLE search_postingsearchentry ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED",
    "CREATE INDEX search_entry_tsv_gin ON search_postingsearchentry USING GIN (tsv)",
]
PG_DOWN = ["DROP INDEX IF EXISTS search_entry_tsv_gin", "ALTER TABLE search_postingsearchentry DROP COLUMN tsv"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN})),
    ]
