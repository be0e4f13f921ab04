"""The one place that builds an Elasticsearch client from settings.

Real clusters run with security on, so credentials (user/password or API key) and a CA
certificate are passed through when configured. Unset ELASTICSEARCH_URL means no client:
the embedded engine answers instead.

ELASTICSEARCH_URL may name several nodes, comma-separated: the client spreads requests over
them and, when one dies, retries on another, so losing a node costs residents nothing.

Requests come in two kinds with opposite needs, so there are two clients over one connection
pool (``purpose``): a resident's search gives up soon (ELASTICSEARCH_SEARCH_TIMEOUT) because
the embedded engine can answer instead, while index administration and bulk writes run in the
background and would rather wait for a busy node (ELASTICSEARCH_ADMIN_TIMEOUT) and retry a
429 or a timeout (ELASTICSEARCH_ADMIN_RETRIES) than fail.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from django.conf import settings
from elasticsearch import Elasticsearch

Purpose = Literal["search", "admin"]

# Answers worth trying again (on another node when there are several): overloaded, or a proxy
# or node in between that is restarting.
RETRY_STATUSES = (429, 502, 503, 504)


def elasticsearch_configured() -> bool:
    return bool(hosts())


def hosts() -> list[str]:
    """The nodes named by ELASTICSEARCH_URL (one, or several separated by commas)."""
    return [host.strip() for host in settings.ELASTICSEARCH_URL.split(",") if host.strip()]


def client_options() -> dict[str, Any]:
    """Authentication and TLS: the same for every request."""
    options: dict[str, Any] = {}
    if settings.ELASTICSEARCH_API_KEY:
        options["api_key"] = settings.ELASTICSEARCH_API_KEY
    elif settings.ELASTICSEARCH_USERNAME:
        options["basic_auth"] = (settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD)
    if settings.ELASTICSEARCH_CA_CERTS:
        options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    return options


def request_options(purpose: Purpose) -> dict[str, Any]:
    """Timeout and retries for one kind of request (see the module's docstring)."""
    nodes = len(hosts())
    if purpose == "search":
        # One try per node: with a single node a retry would only double the resident's wait
        # before the fallback answers; with several, a slow or dead node is worth skipping.
        return {
            "request_timeout": float(settings.ELASTICSEARCH_SEARCH_TIMEOUT),
            "max_retries": max(nodes - 1, 0),
            "retry_on_timeout": nodes > 1,
            "retry_on_status": RETRY_STATUSES,
        }
    return {
        "request_timeout": float(settings.ELASTICSEARCH_ADMIN_TIMEOUT),
        "max_retries": max(int(settings.ELASTICSEARCH_ADMIN_RETRIES), nodes - 1, 0),
        "retry_on_timeout": True,
        "retry_on_status": RETRY_STATUSES,
    }


@lru_cache(maxsize=4)
def _pool_for(urls: tuple[str, ...], options_key: tuple[tuple[str, Any], ...]) -> Elasticsearch:
    """One client (one connection pool, one view of which nodes are dead) per configuration."""
    return Elasticsearch(list(urls), **dict(options_key))


@lru_cache(maxsize=8)
def _client_for(
    urls: tuple[str, ...],
    options_key: tuple[tuple[str, Any], ...],
    request_key: tuple[tuple[str, Any], ...],
) -> Elasticsearch:
    return _pool_for(urls, options_key).options(**dict(request_key))


def get_client(purpose: Purpose = "search") -> Elasticsearch | None:
    """A shared client for ELASTICSEARCH_URL, or None when Elasticsearch is not configured."""
    urls = tuple(hosts())
    if not urls:
        return None
    return _client_for(
        urls,
        tuple(sorted(client_options().items())),
        tuple(sorted(request_options(purpose).items())),
    )
