"""Search engine health, for /healthz and the fallback decision."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from .connection import elasticsearch_configured, get_client


class EngineStatus(TypedDict):
    """The "search" part of /healthz."""

    engine: Literal["embedded", "elasticsearch"]
    status: Literal["ok", "degraded"]
    detail: NotRequired[str]
    cluster_status: NotRequired[str | None]


def engine_status() -> EngineStatus:
    """Report which engine answers searches and whether it is working.

    Elasticsearch being down never makes the site unhealthy: search falls back to the
    embedded engine, so the status is "degraded", not "down".
    """
    if not elasticsearch_configured():
        return {"engine": "embedded", "status": "ok"}
    try:
        client = get_client()
        assert client is not None  # configured, so there is a client
        health = client.options(request_timeout=2).cluster.health()
    except Exception as error:  # any transport failure means the same thing here
        return {
            "engine": "elasticsearch",
            "status": "degraded",
            "detail": f"Elasticsearch is unreachable ({type(error).__name__}); using the embedded engine.",
        }
    return {"engine": "elasticsearch", "status": "ok", "cluster_status": health.get("status")}
