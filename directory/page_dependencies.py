"""What the page cache must know about the directory (core/pagecache.py).

Services are tracked one by one: a page that lists a service is purged when that service
changes, and a page with a listing is purged when a service is added. The rest of a service's
record (its organisation, places, opening hours, taxonomy) is many rows per listing and changes
rarely, so any change to any of them purges every page that showed one.
"""

from core import pagecache

from .models import (
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceText,
    TaxonomyTerm,
)

WHOLE_MODELS = (
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    ServiceText,
    TaxonomyTerm,
)


def register() -> None:
    pagecache.register(Service)
    for model in WHOLE_MODELS:
        pagecache.register(model, each=False)


def purge_all() -> None:
    """After an import: its bulk writes send no signals, so every directory page is forgotten."""
    for model in (Service, *WHOLE_MODELS):
        pagecache.purge_model(model)
