"""The one interface every search engine offers, and the pieces they share."""

from dataclasses import dataclass, field

# Journeys answer an intent from start to finish, so when one matches it should come first;
# persona pages and forms come next. Multipliers on the engine's own relevance score.
KIND_BOOST = {"journey": 1.6, "persona": 1.25, "form": 1.1, "page": 1.0, "service": 1.0}

# Field weights: titles and residents' own questions count most, then summaries, then body.
FIELD_BOOST = {"title": 6.0, "questions": 5.0, "summary": 3.0, "topics": 2.0, "body": 1.0}

FACETS = ("kind", "persona", "topic", "delivery_unit")

# Services: how quickly relevance fades with distance from the resident's postcode.
DISTANCE_SCALE_KM = 5.0
NEARBY_RADIUS_KM = 10.0

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"


@dataclass
class Query:
    text: str
    clauses: list  # see search.text.parse
    locale: str = "en-gb"
    kinds: tuple = ()
    personas: tuple = ()
    topics: tuple = ()
    delivery_units: tuple = ()
    location: tuple | None = None  # (latitude, longitude)
    offset: int = 0
    limit: int = 10


@dataclass
class Hit:
    document_id: str
    kind: str
    title: str
    url: str
    summary: str = ""
    highlight: str = ""  # safe HTML: escaped text with <mark> around matches
    score: float = 0.0
    distance_km: float | None = None


@dataclass
class Results:
    hits: list
    total: int
    facets: dict = field(default_factory=dict)  # facet -> [(value, count)], most first
    suggestion: str | None = None
    engine: str = ""
    notice: str = ""


class EngineUnavailable(Exception):
    """The engine cannot answer now (e.g. Elasticsearch is down); the caller falls back."""


class Engine:
    name = "base"

    def search(self, query):
        raise NotImplementedError

    def nearby(self, query, limit=3, within_km=NEARBY_RADIUS_KM):
        """Services matching the query (or any, for an empty query) nearest the query's location."""
        raise NotImplementedError

    def suggest(self, prefix, locale, limit=6):
        """Titles that complete what has been typed so far: [{"title", "url", "kind"}]."""
        raise NotImplementedError

    def index(self, documents):
        raise NotImplementedError

    def delete(self, document_ids):
        raise NotImplementedError

    def rebuild(self, documents, progress=None):
        """Replace the whole index with ``documents``; returns how many were indexed."""
        raise NotImplementedError

    def fingerprints(self):
        """{document_id: fingerprint} of everything in the index, for drift checks."""
        raise NotImplementedError


def distance_decay(km):
    """Gaussian decay: 1 at the door, 0.5 at DISTANCE_SCALE_KM (Elasticsearch's gauss shape)."""
    return 0.5 ** ((km / DISTANCE_SCALE_KM) ** 2)


def render_highlight(text):
    """Escape text that carries HIGHLIGHT_START/END markers and turn the markers into <mark>."""
    from django.utils.html import escape

    return escape(text).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")


def sorted_facet(counts):
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
