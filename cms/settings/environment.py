"""Reading configuration from the environment.

Every setting that differs between a laptop, CI and a council's servers comes from an
environment variable, read once here. A bad value stops start-up with one plain sentence
(``SystemExit``) rather than a traceback, because the person reading it is often an
operator, not a Python developer.
"""

import ipaddress
import os
from typing import Any

import dj_database_url

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def refuse_to_start(message):
    """Stop the process with a one-line explanation on standard error."""
    raise SystemExit(f"Signpost cannot start: {message}")


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    refuse_to_start(f"{name} must be true or false (1/0, yes/no), not {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        refuse_to_start(f"{name} must be a whole number, not {raw!r}.")


def env_float(name, default):
    """A number that may have a fraction, e.g. ELASTICSEARCH_SEARCH_TIMEOUT=1.5 (seconds)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        refuse_to_start(f"{name} must be a number, not {raw!r}.")


def env_list(name, default=()):
    """A comma-separated list, e.g. ALLOWED_HOSTS=www.northbrook.gov.uk,northbrook.gov.uk."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_numbers(name, count, meaning):
    """``count`` comma-separated numbers, e.g. SIGNPOST_MAP_CENTRE=51.531,-0.103; None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        numbers = tuple(float(part) for part in raw.split(","))
    except ValueError:
        numbers = ()
    if len(numbers) != count:
        refuse_to_start(f"{name} must be {meaning}, not {raw!r}.")
    return numbers


# SQLite is the zero-setup default (make demo, a very small council). Out of the box it lets one
# writer in at a time and fails the rest with "database is locked" after the first clash, which
# 50 residents submitting at once turned into 500s. These options make it queue writers instead:
# - WAL journal: readers never block the writer, nor the writer them (the mode is stored in the
#   file; setting it on every connection is a no-op after the first).
# - synchronous=FULL: every commit reaches the disk before the resident is given a reference,
#   so it survives a power cut. NORMAL (which syncs only at checkpoints) measured no faster with
#   50 concurrent submitters, and could lose the last commits.
# - BEGIN IMMEDIATE: a transaction takes the write lock when it starts. SQLite's default,
#   DEFERRED, reads first and asks for the lock on its first write; when another writer got
#   there in between, SQLite refuses at once, without waiting, and the request fails.
# - timeout: how long a writer waits for the lock (seconds), under gunicorn's 30 s request limit.
# - SQLITE_READ_PRAGMAS: how much of the file a connection reads without asking the kernel.
# A DATABASE_URL query string overrides any of them, e.g. sqlite:///signpost.sqlite3?timeout=5.
#
# SQLite's default page cache is 2 MB per connection. A search on 100,000 pages walks the
# full-text index and the documents it matched, several times that, so every search re-read
# most of its pages through read() calls: a sixth of the embedded engine's CPU per search
# (8.9 -> about 7.5 ms of SQL on the 46 residents' queries, 6 December). 32 MB of cache per
# connection and the file mapped into memory (address space only: the kernel shares those pages
# between gunicorn's workers) keep them at hand. Both only change how pages are read, never what.
# SQLite maps at most its compiled-in limit, about 2 GB, from the start of the file: on a site
# whose revisions fill the first gigabyte the search tables lie past a smaller window.
SQLITE_READ_PRAGMAS = "PRAGMA cache_size=-32000; PRAGMA mmap_size=2147418112"
SQLITE_OPTIONS = {
    "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; {SQLITE_READ_PRAGMAS}",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_url(url: str, conn_max_age: int = 60) -> dict:
    """Turn DATABASE_URL into Django's DATABASES entry, or refuse with a clear sentence.

    Connections are kept for ``conn_max_age`` seconds (opening one per request costs a round
    trip to PostgreSQL, and the PRAGMAs on SQLite) and checked before reuse, so a database
    restart costs no resident a 500.
    """
    example = "postgres://user:password@host:5432/name or sqlite:///path/to/file.sqlite3"
    if "://" not in url:
        refuse_to_start(f"DATABASE_URL is not a database address (expected e.g. {example}).")
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises several types for bad input.
        refuse_to_start(f"DATABASE_URL could not be read ({error}); expected e.g. {example}.")
    if not config.get("ENGINE"):
        refuse_to_start(f"DATABASE_URL uses an unknown database type; expected e.g. {example}.")
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        refuse_to_start("DATABASE_URL has no database name after the host, e.g. .../signpost.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        options = config.setdefault("OPTIONS", {})
        for name, value in SQLITE_OPTIONS.items():
            options.setdefault(name, value)
    return config


def env_networks(name: str) -> list[str]:
    """Comma-separated addresses or networks (CIDR), e.g. TRUSTED_PROXIES=10.0.0.0/8,192.0.2.7.

    Kept as strings, in the form ``ipaddress`` writes them, so a setting can be compared and
    overridden like any other; core.ratelimit turns them into networks. A network with host
    bits set (10.0.0.1/8) is refused rather than guessed at: it is usually a typing mistake.
    """
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=True)))
        except ValueError:
            refuse_to_start(
                f"{name} must list addresses or networks such as 10.0.0.0/8 or 192.0.2.7, "
                f"separated by commas; {item!r} is not one."
            )
    return networks


def env_count(name: str, default: int) -> int:
    """A whole number that is zero or more, e.g. TRUSTED_PROXY_HOPS."""
    value = env_int(name, default)
    if value < 0:
        refuse_to_start(f"{name} must be zero or more, not {value}.")
    return value


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")

# Django's database cache keeps 300 entries unless told otherwise, culling a third of them
# whenever a write finds more: a few hundred addresses searching once would push every
# rate-limit window (and the cached search synonyms) out. Entries expire on their own well
# before these numbers are reached in normal use.
DATABASE_CACHE_MAX_ENTRIES = 100_000


def database_caches() -> dict[str, dict[str, Any]]:
    """The zero-setup caches: two tables (``manage.py createcachetable`` makes both).

    Rate limits have a table of their own so the general cache never culls a window. When the
    limits' table is full (100,000 live windows: an attack from that many addresses), a write
    first deletes expired windows and then only a tenth of the rest, not Django's default third.
    """
    backend = "django.core.cache.backends.db.DatabaseCache"
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": "signpost_cache",
            "OPTIONS": {"MAX_ENTRIES": DATABASE_CACHE_MAX_ENTRIES, "CULL_FREQUENCY": 3},
        },
        "ratelimit": {
            "BACKEND": backend,
            "LOCATION": "signpost_ratelimit",
            "OPTIONS": {"MAX_ENTRIES": DATABASE_CACHE_MAX_ENTRIES, "CULL_FREQUENCY": 10},
        },
    }


def redis_caches(url: str, timeout_seconds: int = 2) -> dict[str, dict[str, Any]]:
    """Both caches on the Redis server at ``url``, apart by key prefix.

    Django's own RedisCache (the ``redis`` package underneath). Counting there is atomic and
    costs no SQL (core/ratelimit.py). The socket timeouts mean a Redis that stops answering
    makes a request fail after ``timeout_seconds`` rather than hang a worker for ever.
    """
    if not url.startswith(REDIS_SCHEMES):
        refuse_to_start(
            "REDIS_URL is not a Redis address (expected e.g. redis://cache.internal:6379/0, "
            "rediss://... for TLS, or unix:///run/redis/redis.sock)."
        )
    options = {"socket_connect_timeout": timeout_seconds, "socket_timeout": timeout_seconds}
    backend = "django.core.cache.backends.redis.RedisCache"
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": "signpost",
            "OPTIONS": options,
        },
        "ratelimit": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": "signpost-ratelimit",
            "OPTIONS": options,
        },
    }
