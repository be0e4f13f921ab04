"""Production settings plus the stock Wagtail peers (bench/stockpeer), for benchmarks only.

The e-forms rate limits are lifted: every simulated resident comes from one loopback address.
"""

from cms.settings.production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.stockpeer"]  # noqa: F405

EFORMS_RATE_LIMITS = {name: (10**9, 3600) for name in ("submit", "track", "save", "follow")}
