"""Which engine answers, and falling back to the embedded one when Elasticsearch is down.

After a failure Elasticsearch is left alone for a short while (a simple circuit breaker),
so a dead cluster costs one timeout per ``RETRY_AFTER`` seconds, not one per search.
"""

import time

from ..connection import elasticsearch_configured
from .base import EngineUnavailable
from .embedded import EmbeddedEngine

RETRY_AFTER = 15.0
FALLBACK_NOTICE = (
    "Search is working in a simpler mode at the moment, so results may be less precise than usual."
)

_down_until = 0.0


def embedded_engine():
    return EmbeddedEngine()


def elasticsearch_engine():
    from .elastic import ElasticsearchEngine

    return ElasticsearchEngine()


def write_engines():
    """Every engine that must hear about changes: embedded always (it is the fallback)."""
    engines = [embedded_engine()]
    if elasticsearch_configured():
        engines.append(elasticsearch_engine())
    return engines


def mark_down():
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER


def mark_up():
    global _down_until
    _down_until = 0.0


def elasticsearch_resting():
    return time.monotonic() < _down_until


def answer(method, *args, **kwargs):
    """Call ``method`` on the primary engine, or on the embedded engine if it can't answer.

    Returns (result, notice); the notice is "" unless the fallback answered.
    """
    if elasticsearch_configured() and not elasticsearch_resting():
        try:
            result = getattr(elasticsearch_engine(), method)(*args, **kwargs)
        except EngineUnavailable:
            mark_down()
        else:
            return result, ""
    if not elasticsearch_configured():
        return getattr(embedded_engine(), method)(*args, **kwargs), ""
    return getattr(embedded_engine(), method)(*args, **kwargs), FALLBACK_NOTICE
