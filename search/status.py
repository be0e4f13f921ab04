"""Search engine health, for /healthz and the fallback decision."""

from .connection import elasticsearch_configured, get_client


def engine_status():
    """Report which engine answers searches and whether it is working.

    Elasticsearch being down never makes the site unhealthy: search falls back to the
    embedded engine, so the status is "degraded", not "down".
    """
    if not elasticsearch_configured():
        return {"engine": "embedded", "status": "ok"}
    try:
        health = get_client().options(request_timeout=2).cluster.health()
    except Exception as error:  # any transport failure means the same thing here
        return {
            "engine": "elasticsearch",
            "status": "degraded",
            "detail": f"Elasticsearch is unreachable ({type(error).__name__}); using the embedded engine.",
        }
    return {"engine": "elasticsearch", "status": "ok", "cluster_status": health.get("status")}
