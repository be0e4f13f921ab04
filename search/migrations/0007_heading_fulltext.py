"""The embedded engine's heading index (SQLite): the words of each document's title, residents'
questions, summary and topics, without the body.

On a large site the residents' common words ("help", "pay", "council") are in the bodies of
tens of thousands of pages; scoring and counting every one of them is what made a search slow
(150 ms and more at 100,000 pages). When enough documents carry the words in their headings,
those documents are the results (``EmbeddedEngine``), and this index finds them in a few
thousand rows rather than a few tens of thousands. PostgreSQL needs no table: it is not
searched this way. Documents already indexed are copied from ``search_fts``.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_heading USING fts5("
        "title, questions, summary, topics, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    schema_editor.execute(
        "INSERT INTO search_fts_heading (rowid, title, questions, summary, topics) "
        "SELECT rowid, title, questions, summary, topics FROM search_fts"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_heading")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_query_log_token")]

    operations = [migrations.RunPython(forwards, backwards)]
