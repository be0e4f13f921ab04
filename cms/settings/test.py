"""Tests: the real database named by DATABASE_URL (SQLite by default), mail captured in memory."""

import os

from tests.harness.database import sqlite_test_database_name

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "signpost-test-key-" + "x" * 40)
# Maps never reach the internet in tests: their tiles are a few small PNGs the tests draw
# (tests/map_tiles.py) and the live server serves. The map opens on the demo council.
os.environ.setdefault("SIGNPOST_MAP_TILE_URL", "/static/test-tiles/{z}/{x}/{y}.png")
os.environ.setdefault("SIGNPOST_MAP_ATTRIBUTION", "Test tiles")
os.environ.setdefault("SIGNPOST_MAP_CENTRE", "51.5310,-0.1030")

from .base import *  # noqa: E402,F403
from .environment import SQLITE_READ_PRAGMAS, database_caches  # noqa: E402

# The database caches whatever REDIS_URL says, so every test starts from an empty cache (the
# tables roll back with each test). Tests on Redis ask for the harness's `redis_caches` fixture.
CACHES = database_caches()
# Off, so tests that change rows behind the signals' back see their change; the page cache's
# own tests (core/tests/test_pagecache*.py) turn it on with the real Redis.
PAGE_CACHE = False
FRAGMENT_CACHE = False

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".cache" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".cache" / "test-private-media"  # noqa: F405
EFORMS_QUARANTINE_ROOT = BASE_DIR / ".cache" / "test-quarantine"  # noqa: F405
# No scanner unless a test asks for the harness's clamd (the `clamav` fixture): whatever the
# shell says, tests never send residents' test files to a developer's real ClamAV.
CLAMAV_URL = ""

# On SQLite the test database is a file named after a fingerprint of the migrations and the
# installed packages, which pytest reuses between runs (--reuse-db): migrating takes ~30 s.
# See tests/harness/README.md. It is scratch data, so SQLite need not wait for the disk.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = sqlite_test_database_name(  # noqa: F405
        BASE_DIR,  # noqa: F405
        INSTALLED_APPS,  # noqa: F405
    )
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (  # noqa: F405
        f"PRAGMA synchronous=OFF; {SQLITE_READ_PRAGMAS}"
    )

# On PostgreSQL, the same backend with a quicker way to empty the tables between tests.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.harness.postgresql"  # noqa: F405

# Static files come from the finders in tests; whitenoise needs the folder to exist.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
MAP_TEST_TILES = BASE_DIR / ".cache" / "test-tiles"  # noqa: F405
MAP_TEST_TILES.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS.append(("test-tiles", MAP_TEST_TILES))  # noqa: F405

# The second step for signing in (core/mfa.py) is off in tests unless a test turns it on with
# the `settings` fixture (core/tests/test_mfa.py, tests/e2e/test_staff_mfa.py). Dozens of browser
# walks and client tests sign staff in with a password to test something else; with the second
# step on, each would first have to set up an authenticator app, which they do not test. The
# tests that do turn it on walk it whole, and production settings always require it.
SIGNPOST_MFA_REQUIRED = False

# A resident's search gives up after 2 s in production; the test machine runs several test
# workers, Elasticsearch nodes and browsers on two cores, where a healthy node can take longer
# than that. A search that falls back there tests the load, not the code. Tests of the timeout
# itself set their own.
ELASTICSEARCH_SEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_SEARCH_TIMEOUT", "15"))
