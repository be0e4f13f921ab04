"""Development: DEBUG on unless the environment says otherwise; mail printed to the console."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# The demo council's map opens on Northbrook.
os.environ.setdefault("SIGNPOST_MAP_CENTRE", "51.5310,-0.1030")

from .base import *  # noqa: E402,F403

# runserver serves static files from the app folders; whitenoise looks there too.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
