"""Django's PostgreSQL backend with one change, for tests only: ``flush`` deletes rows instead
of truncating.

Every transactional test (every browser walk) is followed by two flushes: pytest-django's,
then the harness's own before it puts the migrated rows back (database_plugin.py). Django
flushes PostgreSQL with one ``TRUNCATE`` of all 150 tables, which gives each table and index a
new file: 0.7 s on a busy machine, against 0.17 s for deleting the few rows a test left. Django
makes PostgreSQL's foreign keys ``DEFERRABLE INITIALLY DEFERRED`` and the flush runs in one
transaction, so the tables can be emptied in any order. Production never flushes.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:  # a test asked for fresh ids: Django's TRUNCATE ... RESTART IDENTITY
            return super().sql_flush(
                style, tables, reset_sequences=True, allow_cascade=allow_cascade
            )
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
