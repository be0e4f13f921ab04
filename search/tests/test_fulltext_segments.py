"""Issue 17: after a rebuild each SQLite full-text table is a single segment.

FTS5 flushes its in-memory buffer into a new segment whenever the buffer fills, so a large
rebuild leaves several, and every search then looks each word up in all of them (the
highlights for ten rows most of all). The rebuild merges them. Here the buffer is made tiny,
so a small council fills it many times over, as 100,000 pages fill the default one.
"""

import pytest
from django.db import connection

from search.engines.base import Query
from search.engines.embedded import FULLTEXT_TABLES, EmbeddedEngine
from search.text import parse

from .documents import council, doc

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 segments"),
]


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's variable-length integer (as FTS5 writes it) at ``at``; value and next offset."""
    value = 0
    for position in range(9):
        byte = data[at]
        at += 1
        if position == 8:
            return (value << 8) | byte, at
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at
    raise AssertionError("unreachable")


def segments(table: str) -> int:
    """How many segments the table's index has, from FTS5's structure record (id 10: a
    4-byte cookie, then the number of levels and the number of segments)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT block FROM {table}_data WHERE id = 10")
        row = cursor.fetchone()
    if row is None:
        return 0
    _levels, at = _varint(row[0], 4)
    count, _at = _varint(row[0], at)
    return count


@pytest.fixture
def tiny_buffers(monkeypatch):
    """Each new full-text table flushes its buffer after about a kilobyte of index."""
    made = EmbeddedEngine._remove_everything

    def remove_everything(self):
        made(self)
        with connection.cursor() as cursor:
            for table, _columns in FULLTEXT_TABLES:
                cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES('hashsize', 1024)")

    monkeypatch.setattr(EmbeddedEngine, "_remove_everything", remove_everything)


def many_pages() -> list:
    pages = list(council())
    for number in range(300):
        pages.append(
            doc(
                f"page:{1000 + number}",
                "page",
                f"Street {number} parking and waste notice",
                f"/notices/{number}/",
                summary=f"Changes to parking bays and bin days on street {number}.",
                body=" ".join(f"word{number}x{n} parking bay collection" for n in range(20)),
            )
        )
    return pages


def test_a_rebuild_leaves_one_segment_per_table_and_finds_the_same(tiny_buffers):
    engine = EmbeddedEngine()
    engine.rebuild(many_pages())
    assert segments("search_fts") == 1
    assert segments("search_fts_heading") == 1
    # Merged, the index answers as before: the parking pages, the missed-bin journey first.
    parking = engine.search(Query(text="parking bay", clauses=parse("parking bay", groups=[])))
    assert parking.total == 300
    bins = engine.search(Query(text="missed bin", clauses=parse("missed bin", groups=[])))
    assert bins.hits[0].title == "Report a missed bin collection"


def test_without_the_merge_the_tiny_buffers_do_leave_many_segments(tiny_buffers, monkeypatch):
    """The check above can fail: without the merge this rebuild leaves dozens of segments."""
    monkeypatch.setattr(EmbeddedEngine, "_merge_fulltext", lambda self: None)
    EmbeddedEngine().rebuild(many_pages())
    assert segments("search_fts") > 1
    assert segments("search_fts_heading") > 1
