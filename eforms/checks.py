"""Deploy checks for e-forms: residents' files must be scanned for viruses in production."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def virus_scanner(app_configs, **kwargs):
    """``manage.py check --deploy`` fails without a virus scanner: with DEBUG off, files nobody
    scanned are never offered to staff, so every upload would wait for ever."""
    if getattr(settings, "CLAMAV_URL", ""):
        return []
    return [
        checks.Error(
            "No virus scanner is set up: residents' uploads would never be offered to staff.",
            hint="Install clamav-daemon and set CLAMAV_URL, e.g. unix:///run/clamav/clamd.ctl "
            "(docs/operations.md, 'Virus scanning').",
            id="eforms.E001",
        )
    ]
