"""Two workers writing the same document to the embedded index at once.

Two edits of one page put two outbox entries in the queue; two workers draining it may each
hold one. Both delete the old row and insert the new one: on PostgreSQL the second insert met
the first's uncommitted unique ``document_id`` and failed once the first committed, leaving a
failed drain task. The writers must take turns and the last one's row must win.
"""

import threading

import pytest
from django.db import connection, transaction

from search.engines.base import Query
from search.engines.embedded import EmbeddedEngine
from search.models import IndexedDocument
from search.text import parse

from .documents import doc

pytestmark = pytest.mark.django_db(transaction=True)


def _version(title: str):
    return doc("page:1", "page", title, "/bins/", summary="Bin collections")


def test_a_second_writer_waits_for_the_first_and_its_row_wins():
    engine = EmbeddedEngine()
    first_has_written = threading.Event()
    errors: list[BaseException] = []

    def first_writer() -> None:
        try:
            with transaction.atomic():
                engine.index([_version("Bin collection days")])
                first_has_written.set()
                # Hold the transaction open while the second writer starts its own.
                threading.Event().wait(0.5)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
            first_has_written.set()
        finally:
            connection.close()

    def second_writer() -> None:
        first_has_written.wait(5)
        try:
            engine.index([_version("Bin collection days and times")])
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert list(IndexedDocument.objects.values_list("document_id", "title")) == [
        ("page:1", "Bin collection days and times")
    ]
    assert [hit.document_id for hit in engine.search(Query("times", parse("times"))).hits] == [
        "page:1"
    ]
