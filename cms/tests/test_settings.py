"""Start-up configuration: refuse clearly on bad settings; production passes check --deploy."""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from cms.settings.environment import SQLITE_OPTIONS, database_from_url

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides, settings="cms.settings.production"):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": settings, **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_refuses_with_one_line():
    result = run_manage("check", env_overrides={"DEBUG": "0"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY is not set" in lines[0]
    assert "Traceback" not in result.stderr


def test_dev_settings_allow_missing_secret_key_with_debug_on():
    result = run_manage("check", env_overrides={}, settings="cms.settings.dev")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "url, expected",
    [
        ("not a url", "DATABASE_URL is not a database address"),
        ("mongo://db.example/signpost", "DATABASE_URL could not be read"),
        ("postgres://user@localhost:5432", "no database name"),
    ],
)
def test_malformed_database_url_gives_one_clear_line(url, expected):
    result = run_manage("check", env_overrides={"SECRET_KEY": "k" * 60, "DATABASE_URL": url})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "production-like-" + "Zq8#vT1!pR" * 6,
            "ALLOWED_HOSTS": "www.northbrook.example",
            "CSRF_TRUSTED_ORIGINS": "https://www.northbrook.example",
            "CLAMAV_URL": "unix:///run/clamav/clamd.ctl",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_virus_scanner_fails_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        env_overrides={
            "SECRET_KEY": "production-like-" + "Zq8#vT1!pR" * 6,
            "ALLOWED_HOSTS": "www.northbrook.example",
            "CSRF_TRUSTED_ORIGINS": "https://www.northbrook.example",
        },
    )
    assert result.returncode == 1
    assert "(eforms.E001) No virus scanner is set up" in result.stderr
    assert "set CLAMAV_URL" in result.stderr


def test_bad_boolean_is_explained():
    result = run_manage("check", env_overrides={"SECRET_KEY": "k" * 60, "DEBUG": "maybe"})
    assert result.returncode == 1
    assert "DEBUG must be true or false" in result.stderr


# Runs inside manage.py shell on a file database: what a real connection from the settings does.
SQLITE_PROBE = """
import json, sqlite3
from django.db import connection, transaction

with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "busy_timeout", "cache_size", "mmap_size")
    }
with transaction.atomic():
    # Nothing written yet: only BEGIN IMMEDIATE holds the write lock at this point.
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        lock_taken_at_begin = False
    except sqlite3.OperationalError as error:
        lock_taken_at_begin = "locked" in str(error)
    other.close()
print(json.dumps({**pragmas, "lock_taken_at_begin": lock_taken_at_begin,
                  "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
                  "health_checks": connection.settings_dict["CONN_HEALTH_CHECKS"]}))
"""


def test_sqlite_file_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    """The options reach a real connection: WAL, durable commits, a busy timeout, the
    write lock taken when a transaction begins (so writers queue instead of failing), and a
    page cache large enough for a search."""
    database = tmp_path / "signpost.sqlite3"
    result = run_manage(
        "shell",
        "-c",
        SQLITE_PROBE,
        env_overrides={"DATABASE_URL": f"sqlite:///{database}"},
        settings="cms.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["journal_mode"] == "wal"
    assert probe["synchronous"] == 2  # FULL
    assert probe["busy_timeout"] == SQLITE_OPTIONS["timeout"] * 1000
    # Reads: 32 MB of page cache and the file mapped, not SQLite's 2 MB and read() calls.
    assert probe["cache_size"] == -32000
    assert probe["mmap_size"] == 2147418112  # SQLite's own limit
    assert probe["lock_taken_at_begin"] is True
    assert probe["conn_max_age"] == 60 and probe["health_checks"] is True
    # WAL is stored in the file itself, so a connection without the options (sqlite3 on the
    # command line, a backup script) uses it too and cannot block the site's readers.
    with closing(sqlite3.connect(database)) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_options_can_be_overridden_in_the_url():
    config = database_from_url("sqlite:////var/lib/signpost/db.sqlite3?timeout=5")
    assert config["OPTIONS"]["timeout"] == 5
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgresql_keeps_its_own_options_and_persistent_checked_connections():
    config = database_from_url("postgres://signpost:secret@db.internal:5432/signpost", 60)
    assert "OPTIONS" not in config  # no SQLite PRAGMAs or transaction mode on PostgreSQL
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    "variable, value, expected",
    [
        ("TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal", "TRUSTED_PROXIES must list addresses"),
        ("TRUSTED_PROXIES", "10.0.0.1/8", "'10.0.0.1/8' is not one"),
        ("TRUSTED_PROXY_HOPS", "-1", "TRUSTED_PROXY_HOPS must be zero or more"),
        ("TRUSTED_PROXY_HOPS", "one", "TRUSTED_PROXY_HOPS must be a whole number"),
        ("REDIS_URL", "cache.internal:6379", "REDIS_URL is not a Redis address"),
    ],
)
def test_bad_proxy_and_redis_settings_give_one_clear_line(
    variable: str, value: str, expected: str
) -> None:
    result = run_manage("check", env_overrides={"SECRET_KEY": "k" * 60, variable: value})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr


def test_production_settings_with_redis_and_a_proxy_pass_check_deploy() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "production-like-" + "Zq8#vT1!pR" * 6,
            "ALLOWED_HOSTS": "www.northbrook.example",
            "CSRF_TRUSTED_ORIGINS": "https://www.northbrook.example",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "TRUSTED_PROXY_HOPS": "1",
            "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7",
            "CLAMAV_URL": "tcp://clamav.internal:3310",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_caches_each_setting_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    from cms.settings.environment import database_caches, env_networks, redis_caches

    monkeypatch.setenv("TRUSTED_PROXIES", " 10.0.0.0/8 , 192.0.2.7,fd00::/8")
    assert env_networks("TRUSTED_PROXIES") == ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8"]
    on_redis = redis_caches("rediss://cache.internal:6380/1")
    assert set(on_redis) == {"default", "ratelimit"}
    assert {c["BACKEND"] for c in on_redis.values()} == {
        "django.core.cache.backends.redis.RedisCache"
    }
    assert on_redis["default"]["KEY_PREFIX"] != on_redis["ratelimit"]["KEY_PREFIX"]
    on_database = database_caches()
    assert on_database["default"]["LOCATION"] != on_database["ratelimit"]["LOCATION"]
    assert on_database["ratelimit"]["OPTIONS"]["MAX_ENTRIES"] == 100_000


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({}, "2.0 60.0"),
        ({"ELASTICSEARCH_TIMEOUT": "7"}, "7.0 7.0"),  # deprecated, still the fallback for both
        ({"ELASTICSEARCH_TIMEOUT": "7", "ELASTICSEARCH_SEARCH_TIMEOUT": "1.5"}, "1.5 7.0"),
        ({"ELASTICSEARCH_ADMIN_TIMEOUT": "120"}, "2.0 120.0"),
    ],
)
def test_search_and_admin_timeouts_come_apart_with_the_old_setting_as_fallback(
    environment, expected
):
    environment = {
        "ELASTICSEARCH_TIMEOUT": "",
        "ELASTICSEARCH_SEARCH_TIMEOUT": "",
        "ELASTICSEARCH_ADMIN_TIMEOUT": "",
        **environment,
    }
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.ELASTICSEARCH_SEARCH_TIMEOUT, s.ELASTICSEARCH_ADMIN_TIMEOUT)",
        env_overrides=environment,
        settings="cms.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
