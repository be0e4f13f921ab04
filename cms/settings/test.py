"""Tests: the real database named by DATABASE_URL (SQLite by default), mail captured in memory."""

import os

from tests.harness.database import sqlite_test_database_name

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "signpost-test-key-" + "x" * 40)

from .base import *  # noqa: E402,F403
from .environment import database_caches  # noqa: E402

# The database caches whatever REDIS_URL says, so every test starts from an empty cache (the
# tables roll back with each test). Tests on Redis ask for the harness's `redis_caches` fixture.
CACHES = database_caches()

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".cache" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".cache" / "test-private-media"  # noqa: F405

# On SQLite the test database is a file named after a fingerprint of the migrations and the
# installed packages, which pytest reuses between runs (--reuse-db): migrating takes ~30 s.
# See tests/harness/README.md. It is scratch data, so SQLite need not wait for the disk.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = sqlite_test_database_name(  # noqa: F405
        BASE_DIR,  # noqa: F405
        INSTALLED_APPS,  # noqa: F405
    )
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF"  # noqa: F405

# Static files come from the finders in tests; whitenoise needs the folder to exist.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
