"""The folded full-text index of the embedded engine, for every language but English.

Arabic and Polish are searched with their words folded (``search.folding``: the Arabic
definite article and letter variants, Polish diacritics), the same way on both engines.
SQLite: a second FTS5 table, ``search_fts_folded``, with the same columns as ``search_fts``.
PostgreSQL: a ``folded_vector`` tsvector column ('simple' configuration) with a GIN index,
written by the engine beside each row. Documents already indexed are folded here.
"""

from django.db import migrations

from search.folding import fold, folds

COLUMNS = ("title", "questions", "summary", "topics", "body")


def _folded_values(document):
    topics = " ".join(t.replace("-", " ") for t in document.topics.split("|") if t)
    return (
        fold(document.title),
        fold(document.questions),
        fold(document.summary),
        fold(topics),
        fold(document.body),
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    IndexedDocument = apps.get_model("search", "IndexedDocument")
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_folded USING fts5("
            "title, questions, summary, topics, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_indexeddocument ADD COLUMN IF NOT EXISTS folded_vector tsvector"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_indexeddocument_folded "
            "ON search_indexeddocument USING gin (folded_vector)"
        )
    else:
        return
    with schema_editor.connection.cursor() as cursor:
        for document in IndexedDocument.objects.iterator():
            if not folds(document.locale):
                continue
            values = _folded_values(document)
            if vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO search_fts_folded (rowid, title, questions, summary, topics, body) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    (document.pk, *values),
                )
            else:
                cursor.execute(
                    "UPDATE search_indexeddocument SET folded_vector = "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'B') || "
                    "setweight(to_tsvector('simple', %s), 'C') || "
                    "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
                    (*values, document.pk),
                )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_folded")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_indexeddocument_folded")
        schema_editor.execute(
            "ALTER TABLE search_indexeddocument DROP COLUMN IF EXISTS folded_vector"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_feedback")]

    operations = [migrations.RunPython(forwards, backwards)]
