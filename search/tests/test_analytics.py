"""Issue 17: a search writes nothing to the database; the worker writes what it logged.

The buffer is a spool folder on the zero-setup default and a Redis list when the caches are on
Redis (every app server pushes to one list). Both are tested for real: files on disk, a real
Redis server. A search and the click on one of its results are joined by the search's token.
"""

from __future__ import annotations

import json
import os
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import analytics, service
from search.engines.embedded import EmbeddedEngine
from search.models import QueryLog, SearchClick
from search.service import SearchRequest
from tests.caches import clear_caches

from .documents import council

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(settings):
    settings.ELASTICSEARCH_URL = ""
    settings.SEARCH_RATE_LIMIT = (10_000, 60)
    clear_caches()
    EmbeddedEngine().rebuild(council())
    yield
    clear_caches()


def search(text: str) -> str:
    outcome = service.search(SearchRequest(text=text))
    assert outcome.log_id
    return outcome.log_id


def test_a_search_and_its_click_are_written_by_the_flush(indexed, settings):
    token = search("pay council tax for jo@example.com")
    service.log_click(token, "/council-tax/pay-council-tax/", 1)
    assert not QueryLog.objects.exists()
    spooled = [line for path in analytics.spool_folder().glob("*.jsonl") for line in path.open()]
    assert len(spooled) == 2 and "jo@example.com" not in "".join(spooled)
    assert analytics.flush() == 2
    log = QueryLog.objects.get()
    assert log.query == "pay council tax for [email]" and log.token == token
    assert log.clicks.get().url == "/council-tax/pay-council-tax/"
    assert analytics.flush() == 0  # nothing is written twice
    assert not list(analytics.spool_folder().iterdir())


def test_an_unreadable_line_is_skipped_and_the_rest_are_written(indexed):
    search("bins")
    with open(analytics.spool_folder() / "999999.jsonl", "a") as spool:
        spool.write('{"type": "search", "tok\n')  # a process killed mid-write
    search("council tax")
    assert analytics.flush() == 2
    assert sorted(QueryLog.objects.values_list("query", flat=True)) == ["bins", "council tax"]


def test_many_threads_searching_while_the_worker_flushes_lose_nothing(indexed):
    """Writers append while the worker renames and reads: every line lands exactly once."""
    lines_each, writers = 200, 4

    def write(number: int) -> None:
        for n in range(lines_each):
            analytics.record_click(f"{number:02d}{n:06d}x", "/bins/", 1)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    read: list[dict] = []
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        with analytics._taken_spool_files() as paths:
            read += [entry for path in paths for entry in analytics._read(path)]
    with analytics._taken_spool_files() as paths:
        read += [entry for path in paths for entry in analytics._read(path)]
    logs = [entry["log"] for entry in read]
    assert len(logs) == lines_each * writers == len(set(logs))


def test_a_search_makes_no_write_to_the_database(indexed):
    search("bins")  # warm: the vocabulary and synonyms are read once per process
    with CaptureQueriesContext(connection) as queries:
        search("report a missed bin")
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [
        sql for sql in statements if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert len(statements) <= 3, statements


def test_on_redis_every_app_server_pushes_to_one_list(indexed, redis_caches, redis_url):
    token = search("council tax")
    service.log_click(token, "/council-tax/pay-council-tax/", 2)
    assert not list(analytics.spool_folder().glob("*.jsonl"))
    client = analytics._redis(redis_url)
    queued = [json.loads(line) for line in client.lrange(analytics.redis_key(), 0, -1)]
    assert [entry["type"] for entry in queued] == ["search", "click"]
    assert analytics.flush() == 2
    assert QueryLog.objects.get(token=token).clicks.get().position == 2
    assert client.llen(analytics.redis_key()) == 0


def test_on_redis_a_failed_write_puts_the_entries_back(
    indexed, redis_caches, redis_url, monkeypatch
):
    search("council tax")

    def refuse(entries):
        raise RuntimeError("the database is read-only")

    monkeypatch.setattr(analytics, "_write", refuse)
    with pytest.raises(RuntimeError):
        analytics.flush()
    monkeypatch.undo()
    assert analytics.flush() == 1 and QueryLog.objects.count() == 1


def test_a_click_whose_search_is_gone_is_dropped(indexed):
    service.log_click("0123456789abcdef", "/bins/", 1)
    assert analytics.flush() == 0 and not SearchClick.objects.exists()


def test_the_spool_is_per_process(indexed):
    search("bins")
    assert [path.name for path in analytics.spool_folder().glob("*.jsonl")] == [
        f"{os.getpid()}.jsonl"
    ]
