"""Per-address limits on the things people could abuse: submitting, saving, and guessing references.

The counting is core.ratelimit's (shared across workers, addresses hashed). This module names the
e-forms limits and their defaults; EFORMS_RATE_LIMITS changes them without a deploy of code.
"""

from django.conf import settings

from core.ratelimit import RateLimit, client_address

DEFAULTS = {
    # name: (how many, per how many seconds)
    "submit": (30, 60 * 60),
    "track": (10, 15 * 60),
    "save": (10, 60 * 60),
    # Asking for updates on a report someone else made ("already reported").
    "follow": (10, 60 * 60),
    # Street and postcode searches on the location map.
    "places": (30, 60),
}

client_ip = client_address  # the name this module has always offered


def limit_for(name):
    configured = getattr(settings, "EFORMS_RATE_LIMITS", {}) or {}
    return configured.get(name, DEFAULTS[name])


def _rate_limit(name):
    count, seconds = limit_for(name)
    return RateLimit(f"eforms-{name}", count, seconds)


def hit(request, name):
    """Count one attempt. Returns False once the limit is reached for this window."""
    return _rate_limit(name).hit(client_address(request))


def is_limited(request, name):
    """True when this client has already used up the window (without counting a new attempt)."""
    return _rate_limit(name).is_limited(client_address(request))
