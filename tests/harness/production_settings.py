"""Settings for processes a test runs as production runs them (tests/test_scale_out.py).

``cms.settings.production`` unchanged, everything else from the environment as an operator sets
it, plus the one thing production has no environment variable for: the periodic schedule
(``SIGNPOST_TEST_SCHEDULE``, JSON as in ``tests.harness.worker_settings``), so a test can sweep
every second instead of every minute.
"""

import json
import os

from cms.settings.production import *  # noqa: F403

SIGNPOST_SCHEDULE = json.loads(os.environ.get("SIGNPOST_TEST_SCHEDULE", "{}"))
