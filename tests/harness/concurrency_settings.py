"""The development settings (what ``make demo`` serves), with the per-address limits lifted.

Every simulated resident in tests/test_sqlite_concurrency.py comes from 127.0.0.1, so the
e-forms limit (30 submissions an hour per address) would refuse all but the first 30. The limit
is a setting (``EFORMS_RATE_LIMITS``, read by eforms/ratelimit.py at each request), so the load
test raises it here instead of changing any code. Everything else, the database configuration
above all, is exactly what the demo runs with.
"""

from cms.settings.dev import *  # noqa: F403

EFORMS_RATE_LIMITS = {
    "submit": (10**9, 3600),
    "track": (10**9, 900),
    "save": (10**9, 3600),
}
