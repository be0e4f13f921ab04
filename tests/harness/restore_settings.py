"""Settings for the ``manage.py`` processes the backup tests start (tests/test_backup.py).

The test settings, except that the upload folders come from the environment as they do in
production (``MEDIA_ROOT``, ``PRIVATE_MEDIA_ROOT``): the test settings pin them to the
suite's own folders, and a restore must write into folders of the test's.
"""

import os
from pathlib import Path

from cms.settings.test import *  # noqa: F403

MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
PRIVATE_MEDIA_ROOT = Path(os.environ["PRIVATE_MEDIA_ROOT"])
