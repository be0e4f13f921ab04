"""The one place that builds an Elasticsearch client from settings.

Real clusters run with security on, so credentials (user/password or API key) and a CA
certificate are passed through when configured. Unset ELASTICSEARCH_URL means no client:
the embedded engine answers instead.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch


def elasticsearch_configured() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def client_options() -> dict[str, Any]:
    options: dict[str, Any] = {"request_timeout": settings.ELASTICSEARCH_TIMEOUT}
    if settings.ELASTICSEARCH_API_KEY:
        options["api_key"] = settings.ELASTICSEARCH_API_KEY
    elif settings.ELASTICSEARCH_USERNAME:
        options["basic_auth"] = (settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD)
    if settings.ELASTICSEARCH_CA_CERTS:
        options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    return options


@lru_cache(maxsize=4)
def _client_for(url: str, options_key: tuple[tuple[str, Any], ...]) -> Elasticsearch:
    from elasticsearch import Elasticsearch

    return Elasticsearch(url, **dict(options_key))


def get_client() -> Elasticsearch | None:
    """A shared client for ELASTICSEARCH_URL, or None when Elasticsearch is not configured."""
    if not elasticsearch_configured():
        return None
    options = client_options()
    return _client_for(settings.ELASTICSEARCH_URL, tuple(sorted(options.items())))
