"""Settings for the processes a test starts (tests/harness/processes.py).

The test settings, with what a test must set from outside: the periodic schedule
(``SIGNPOST_TEST_SCHEDULE``, JSON such as ``{"search-drain": {"every": 1}}``, intervals in
seconds) and the mail backend (``EMAIL_BACKEND``; EMAIL_HOST, EMAIL_PORT and EMAIL_TIMEOUT are
read from the environment by the base settings already).
"""

import json
import os

from cms.settings.test import *  # noqa: F403

SIGNPOST_SCHEDULE = json.loads(os.environ.get("SIGNPOST_TEST_SCHEDULE", "{}"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
