"""The full-text side of the embedded engine, for whichever database is in use.

SQLite: an FTS5 table (porter stemming, accents folded) whose rowid is IndexedDocument.id.
PostgreSQL: a generated tsvector column, weighted A (title, questions) to D (body), with a
GIN index. Other databases get nothing and cannot use the embedded engine.
"""

from django.db import migrations

PG_VECTOR = """
ALTER TABLE search_indexeddocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(questions, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') ||
    setweight(to_tsvector('english'::regconfig,
        replace(replace(coalesce(topics, ''), '|', ' '), '-', ' ')), 'C') ||
    setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'D')
) STORED
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "title, questions, summary, topics, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(PG_VECTOR)
        schema_editor.execute(
            "CREATE INDEX search_indexeddocument_vector ON search_indexeddocument USING gin (search_vector)"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_indexeddocument_vector")
        schema_editor.execute("ALTER TABLE search_indexeddocument DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
