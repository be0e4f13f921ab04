"""Which engine answers, and falling back to the embedded one when Elasticsearch is down.

After a failure Elasticsearch is left alone for a short while (a simple circuit breaker),
so a dead cluster costs one timeout per ``RETRY_AFTER`` seconds, not one per search.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Literal, overload

from django.utils.translation import gettext, gettext_noop

from ..connection import elasticsearch_configured
from .base import EngineUnavailable, QueryRejected
from .embedded import EmbeddedEngine

if TYPE_CHECKING:
    from .base import Engine, Hit, Query, Results, Suggestion
    from .elastic import ElasticsearchEngine

from .elastic import ElasticsearchEngine

logger = logging.getLogger(__name__)

# What other modules may use from here (``elasticsearch_configured`` is passed on from
# ..connection so callers need only this module to choose an engine).
__all__ = [
    "FALLBACK_NOTICE",
    "RETRY_AFTER",
    "answer",
    "elasticsearch_configured",
    "elasticsearch_engine",
    "elasticsearch_resting",
    "embedded_engine",
    "mark_down",
    "mark_up",
    "primary_engine",
    "write_engines",
]

RETRY_AFTER = 15.0
# In English here; residents read it in their language (gettext when it is given out).
FALLBACK_NOTICE = gettext_noop(
    "Search is working in a simpler mode at the moment, so results may be less precise than usual."
)

_down_until = 0.0


def embedded_engine() -> EmbeddedEngine:
    return EmbeddedEngine()


def elasticsearch_engine() -> ElasticsearchEngine:

    return ElasticsearchEngine()


def write_engines() -> list[Engine]:
    """Every engine that must hear about changes: embedded always (it is the fallback)."""
    engines: list[Engine] = [embedded_engine()]
    if elasticsearch_configured():
        engines.append(elasticsearch_engine())
    return engines


def mark_down() -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER


def mark_up() -> None:
    global _down_until
    _down_until = 0.0


def elasticsearch_resting() -> bool:
    return time.monotonic() < _down_until


@overload
def answer(method: Literal["search"], query: Query) -> tuple[Results, str]: ...
@overload
def answer(
    method: Literal["nearby"], query: Query, limit: int = ..., within_km: float = ...
) -> tuple[list[Hit], str]: ...
@overload
def answer(
    method: Literal["suggest"], prefix: str, locale: str, limit: int = ...
) -> tuple[list[Suggestion], str]: ...
def answer(method: str, *args: Any, **kwargs: Any) -> tuple[Any, str]:
    """Call ``method`` on the primary engine, or on the embedded engine if it can't answer.

    Returns (result, notice); the notice is "" unless the fallback answered.
    """
    if elasticsearch_configured() and not elasticsearch_resting():
        try:
            result = getattr(elasticsearch_engine(), method)(*args, **kwargs)
        except EngineUnavailable:
            mark_down()
        except QueryRejected as rejected:
            # One request's problem, not the engine's: no rest, no notice, a log line for us.
            logger.warning("Elasticsearch refused a %s request: %s", method, rejected)
            return getattr(embedded_engine(), method)(*args, **kwargs), ""
        else:
            return result, ""
    if not elasticsearch_configured():
        return getattr(embedded_engine(), method)(*args, **kwargs), ""
    return getattr(embedded_engine(), method)(*args, **kwargs), gettext(FALLBACK_NOTICE)
