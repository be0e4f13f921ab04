"""What residents searched for and chose, kept without a database write on the search itself.

A search used to INSERT its query-log row (and a commit) before answering: on the zero-setup
database that was a transaction per search, the slowest part of it. Now the search adds one
line to a buffer and the worker writes the buffer to ``QueryLog`` and ``SearchClick`` in batches
(``flush``, every minute: the ``search-log-flush`` job). The buffer is:

* **Redis** when the caches are on Redis (production, and any site with more than one app
  server): one list, which every app server pushes to and the worker pops from;
* **a spool folder** otherwise (``SEARCH_LOG_SPOOL``): each web process appends JSON lines to
  its own file. The worker renames a file before reading it, and writers lock the file and
  check they still hold the named one, so a line is never written into a file already read.

A search's entry carries a random token, not a row id (there is no row yet): the result links
carry the token, and a click is buffered with it and joined to its search when both are
flushed. Entries hold only what ``QueryLog`` holds: redacted words, filters and counts, never an
address or a postcode.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import QueryLog, SearchClick

logger = logging.getLogger(__name__)

REDIS_LIST = "search-log"  # after the default cache's key prefix: one list per site
BATCH = 1000
TOKEN_BYTES = 8  # 16 hex characters: unguessable enough that nobody can add clicks to others'

Entry = dict[str, Any]


TOKEN = re.compile(rf"^[0-9a-f]{{{2 * TOKEN_BYTES}}}$")


def new_token() -> str:
    return secrets.token_hex(TOKEN_BYTES)


def row_id(log: str) -> int | None:
    """The QueryLog id in a link from a page served before tokens, if ``log`` is one."""
    return int(log) if log.isascii() and log.isdecimal() and len(log) <= 18 else None


def is_reference(log: str) -> bool:
    """Whether a result link's ``log`` can name a search: a token, or an older row id."""
    return bool(TOKEN.match(log)) or row_id(log) is not None


def record_search(
    *,
    token: str,
    query: str,
    locale: str,
    kind: str,
    persona: str,
    with_postcode: bool,
    result_count: int,
    engine: str,
) -> None:
    """Buffer one search (its words already redacted) for the worker to write."""
    _push(
        {
            "type": "search",
            "token": token,
            "query": query[:200],
            "locale": locale[:20],
            "kind": kind[:20],
            "persona": persona[:80],
            "with_postcode": with_postcode,
            "result_count": max(0, int(result_count)),
            "engine": engine[:20],
            "on": timezone.localdate().isoformat(),
        }
    )


def record_click(log: str, url: str, position: int) -> None:
    """Buffer a chosen result; ``log`` is the search's token (or an older page's row id)."""
    _push({"type": "click", "log": log[:32], "url": url[:500], "position": position})


# -- the buffer ------------------------------------------------------------------------------


def _redis_url() -> str | None:
    default = settings.CACHES.get("default", {})
    backend = default.get("BACKEND", "")
    if backend and issubclass(import_string(backend), RedisCache):
        location = default.get("LOCATION")
        return location[0] if isinstance(location, (list, tuple)) else location
    return None


def redis_key() -> str:
    """The list's name: the default cache's key prefix keeps sites sharing a Redis apart."""
    prefix = settings.CACHES.get("default", {}).get("KEY_PREFIX", "")
    return f"{prefix}:{REDIS_LIST}" if prefix else REDIS_LIST


_clients: dict[str, redis.Redis] = {}


def _redis(url: str) -> redis.Redis:
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2)
    return _clients[url]


def spool_folder() -> Path:
    folder = Path(settings.SEARCH_LOG_SPOOL)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _push(entry: Entry) -> None:
    """Add an entry to the buffer. Analytics never fail a search: a problem is logged and the
    entry dropped."""
    line = json.dumps(entry, separators=(",", ":"))
    try:
        url = _redis_url()
        if url:
            _redis(url).rpush(redis_key(), line)
        else:
            _append(spool_folder() / f"{os.getpid()}.jsonl", line)
    except (OSError, redis.RedisError) as error:
        logger.warning("A search could not be logged for analytics: %s", type(error).__name__)


def _append(path: Path, line: str) -> None:
    while True:
        with open(path, "a", encoding="utf-8") as spool:
            fcntl.flock(spool, fcntl.LOCK_EX)
            try:
                try:
                    current = os.stat(path).st_ino
                except FileNotFoundError:
                    current = None
                if current != os.fstat(spool.fileno()).st_ino:
                    continue  # the worker took this file between our open and our lock
                spool.write(line + "\n")
                spool.flush()  # onto the file while locked: not at close, after the unlock
                return
            finally:
                fcntl.flock(spool, fcntl.LOCK_UN)


@contextmanager
def _taken_spool_files() -> Iterator[list[Path]]:
    """Every spool file, renamed out of the writers' way; removed once the caller is done."""
    taken: list[Path] = []
    folder = spool_folder()
    for path in sorted(folder.glob("*.jsonl")):
        target = path.with_suffix(f".{secrets.token_hex(4)}.taken")
        try:
            path.rename(target)
        except FileNotFoundError:
            continue
        taken.append(target)
    taken.extend(p for p in sorted(folder.glob("*.taken")) if p not in taken)  # an earlier crash
    yield taken
    for path in taken:
        path.unlink(missing_ok=True)


def _read(path: Path) -> list[Entry]:
    entries = []
    with open(path, encoding="utf-8") as spool:
        fcntl.flock(spool, fcntl.LOCK_EX)  # a writer that opened it before the rename finishes
        for line in spool:
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                logger.warning("Skipped an unreadable line in the search log spool")
    return entries


# -- the worker's side -----------------------------------------------------------------------


def flush() -> int:
    """Write every buffered search and click to the database; returns how many were written."""
    url = _redis_url()
    if url:
        written = 0
        client, key = _redis(url), redis_key()
        while True:
            with client.pipeline(transaction=True) as pipe:
                pipe.lrange(key, 0, BATCH - 1)
                pipe.ltrim(key, BATCH, -1)
                lines, _trimmed = pipe.execute()
            if not lines:
                return written
            try:
                written += _write([json.loads(line) for line in lines])
            except Exception:
                client.lpush(key, *reversed(lines))  # back at the front, for the next flush
                raise
    with _taken_spool_files() as paths:
        entries = [entry for path in paths for entry in _read(path)]
        return _write(entries)


def _write(entries: list[Entry]) -> int:
    searches = [entry for entry in entries if entry.get("type") == "search"]
    clicks = [entry for entry in entries if entry.get("type") == "click"]
    with transaction.atomic():
        QueryLog.objects.bulk_create(
            [
                QueryLog(
                    token=entry["token"],
                    query=entry["query"],
                    locale=entry["locale"],
                    kind=entry["kind"],
                    persona=entry["persona"],
                    with_postcode=entry["with_postcode"],
                    result_count=entry["result_count"],
                    engine=entry["engine"],
                    searched_on=entry["on"],
                )
                for entry in searches
            ],
            batch_size=500,
        )
        tokens = [c["log"] for c in clicks]
        ids = [pk for pk in map(row_id, tokens) if pk is not None]
        by_token = dict(QueryLog.objects.filter(token__in=tokens).values_list("token", "pk"))
        known_ids = set(QueryLog.objects.filter(pk__in=ids).values_list("pk", flat=True))
        rows = []
        for click in clicks:
            pk = by_token.get(click["log"])
            if pk is None and row_id(click["log"]) in known_ids:
                pk = row_id(click["log"])
            if pk is not None:  # a click from an old link whose search is gone is dropped
                rows.append(SearchClick(log_id=pk, url=click["url"], position=click["position"]))
        SearchClick.objects.bulk_create(rows, batch_size=500)
    return len(searches) + len(rows)
