"""How apps hand searchable things to `search`, without search importing any app.

An app calls ``register`` once (in its AppConfig.ready) with a function that turns one of
its objects into a ``SearchDocument`` (or None when the object should not be findable,
e.g. a draft). Everything else (outbox, engines, sync) belongs to `search`.
"""

from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("journey", "persona", "page", "form", "service")


@dataclass
class SearchDocument:
    """The one shape of everything searchable."""

    id: str  # stable and unique across kinds, e.g. "page:42", "service:abc-123"
    kind: str  # one of KINDS
    locale: str  # language code, e.g. "en-gb", "pl", "ar"
    title: str
    url: str  # public path, e.g. "/report-and-transact/missed-bin/"
    summary: str = ""
    body: str = ""
    questions: list[str] = field(default_factory=list)  # residents' own words
    personas: list[str] = field(default_factory=list)  # persona slugs
    topics: list[str] = field(default_factory=list)  # tags and taxonomy terms
    delivery_unit: str = ""  # delivery unit slug
    location: tuple[float, float] | None = None  # (latitude, longitude), services only
    last_updated: datetime | None = None
    live: bool = True


@dataclass
class Registration:
    model: type
    to_document: object  # callable(obj) -> SearchDocument | None
    document_id: object  # callable(obj) -> str
    queryset: object = None  # callable() -> iterable of objects to index on rebuild


_registry: dict[type, Registration] = {}


def register(model, to_document, *, document_id, queryset=None):
    """Make a model searchable. ``document_id(obj)`` must match the id in its documents."""
    _registry[model] = Registration(model, to_document, document_id, queryset)


def registration_for(model):
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    return None


def registrations():
    return list(_registry.values())
