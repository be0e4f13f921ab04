"""How apps hand searchable things to `search`, without search importing any app.

An app calls ``register`` once (in its AppConfig.ready) with a function that turns one of
its objects into a ``SearchDocument`` (or None when the object should not be findable,
e.g. a draft). Everything else (outbox, engines, sync) belongs to `search`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from django.db.models import QuerySet

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

M = TypeVar("M", bound="Model")
# ``func(postcode) -> (latitude, longitude) | None``, handed over by the directory.
Geocoder = Callable[[str], tuple[float, float] | None]

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

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, as stored by every engine."""
        # Field by field rather than ``dataclasses.asdict``, whose deep copies were a fifth of
        # a rebuild's time; the values are the same, so fingerprints do not change.
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["questions"], data["personas"] = list(self.questions), list(self.personas)
        data["topics"] = list(self.topics)
        data["location"] = list(self.location) if self.location else None
        data["last_updated"] = self.last_updated.isoformat() if self.last_updated else None
        return data

    def fingerprint(self) -> str:
        """A short hash of the content, so ``search_check`` can spot stale index entries."""
        encoded = json.dumps(self.as_dict(), sort_keys=True, default=str).encode()
        return hashlib.sha1(encoded).hexdigest()[:16]


@dataclass
class Registration(Generic[M]):
    model: type[M]
    to_document: Callable[[M], SearchDocument | None]
    document_id: Callable[[M], str]
    queryset: Callable[[], Iterable[M]] | None = None  # objects to index on rebuild
    # Documents for a batch of objects at once, in their order (None where ``to_document``
    # would give None): lets an app fetch what every object needs once per batch.
    to_documents: Callable[[list[M]], Iterable[SearchDocument | None]] | None = None


# Objects read, and handed to ``to_documents``, this many at a time during a rebuild.
REBUILD_BATCH = 1000

_registry: dict[type[Model], Registration[Any]] = {}


def register(
    model: type[M],
    to_document: Callable[[M], SearchDocument | None],
    *,
    document_id: Callable[[M], str],
    queryset: Callable[[], Iterable[M]] | None = None,
    to_documents: Callable[[list[M]], Iterable[SearchDocument | None]] | None = None,
) -> None:
    """Make a model searchable. ``document_id(obj)`` must match the id in its documents.

    ``to_documents`` is optional: the same as ``to_document`` for a batch, for apps whose
    objects need something fetched that a batch can share (a rebuild uses it).
    """
    _registry[model] = Registration(model, to_document, document_id, queryset, to_documents)
    from .outbox import watch  # late import: the outbox needs models, registration may not

    watch(model)


def registration_for(model: type[Model]) -> Registration[Any] | None:
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    return None


def registrations() -> list[Registration[Any]]:
    return list(_registry.values())


def objects_for(registration: Registration[M]) -> Iterable[M]:
    """Everything a registration may make searchable (its ``queryset`` or all objects)."""
    if registration.queryset is not None:
        return registration.queryset()
    return registration.model._default_manager.all()


def documents_for(registration: Registration[M], objects: list[M]) -> list[SearchDocument | None]:
    """One document (or None) for each object, a batch at a time where the app can."""
    if registration.to_documents is not None:
        return list(registration.to_documents(objects))
    return [registration.to_document(obj) for obj in objects]


def _batches(objects: Iterable[M]) -> Iterator[list[M]]:
    """Objects in lists of REBUILD_BATCH, streamed from the database (never all in memory)."""
    if isinstance(objects, QuerySet):
        objects = objects.iterator(chunk_size=REBUILD_BATCH)
    batch: list[M] = []
    for obj in objects:
        batch.append(obj)
        if len(batch) == REBUILD_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def current_documents() -> Iterator[SearchDocument]:
    """Every live document the database says should be searchable, across all apps."""
    for registration in registrations():
        for batch in _batches(objects_for(registration)):
            for document in documents_for(registration, batch):
                if document is not None and document.live:
                    yield document


# -- Geocoding -----------------------------------------------------------------------
# Search needs a postcode's position for "services near you", but postcode data belongs to
# the directory. The directory hands over a function instead of search importing it.

_geocoder: Geocoder | None = None


def register_geocoder(func: Geocoder) -> None:
    """``func(postcode) -> (latitude, longitude) | None``; the last registration wins."""
    global _geocoder
    _geocoder = func


def geocode(postcode: str) -> tuple[float, float] | None:
    """The position of a postcode, or None when unknown or no geocoder is registered."""
    if _geocoder is None or not postcode:
        return None
    try:
        return _geocoder(postcode)
    except Exception:  # a broken geocoder must never break search
        return None


def geocoder_registered() -> bool:
    return _geocoder is not None


# -- What the resident sees beside the results ----------------------------------------
# A search that finds little offers the council's contact route, and the filters name
# personas as residents know them. Both belong to higher apps (the site's settings, the
# personas), which hand over a function; search never imports them.


class ContactRoute(TypedDict):
    url: str  # the contact page in the resident's language ("" when there is none)
    phone: str  # the council's phone number ("" when not set)
    hours: str  # when the phone line is open ("" when not set)


ContactRouteProvider = Callable[["HttpRequest | None"], "ContactRoute | None"]
# ``func(slugs, locale) -> {slug: what residents read}``
PersonaLabeller = Callable[[Iterable[str], str], dict[str, str]]

_contact_route: ContactRouteProvider | None = None
_persona_labeller: PersonaLabeller | None = None


def register_contact_route(func: ContactRouteProvider) -> None:
    """``func(request) -> ContactRoute | None``; the last registration wins."""
    global _contact_route
    _contact_route = func


def contact_route(request: HttpRequest | None = None) -> ContactRoute | None:
    """How to reach the council, for a resident the results could not help; None if unknown."""
    if _contact_route is None:
        return None
    return _contact_route(request)


def register_persona_labeller(func: PersonaLabeller) -> None:
    """``func(slugs, locale) -> {slug: label}``; the last registration wins."""
    global _persona_labeller
    _persona_labeller = func


def persona_labels(slugs: Iterable[str], locale: str) -> dict[str, str]:
    """What residents read for each persona slug: the registered labels, else the slug in words.

    The fallback ("older-people" as "Older people") is only for a site with no personas app;
    the personas app registers the residents' own phrase for each.
    """
    slugs = list(slugs)
    labels = _persona_labeller(slugs, locale) if _persona_labeller is not None else {}
    return {slug: labels.get(slug) or slug.replace("-", " ").capitalize() for slug in slugs}
