"""The one interface every search engine offers, and the pieces they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from ..registry import SearchDocument
    from ..text import Clause
from django.utils.html import escape

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


Point = tuple[float, float]  # (latitude, longitude)
Facets = dict[str, list[tuple[str, int]]]  # facet -> [(value, count)], most first
Progress = Callable[[int], object]  # called with how many more documents were indexed


@dataclass
class Query:
    text: str
    clauses: list[Clause]  # see search.text.parse
    locale: str = "en-gb"
    kinds: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    delivery_units: tuple[str, ...] = ()
    location: Point | None = None
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
    position: int | None = None  # where the resident saw it (1 = first), set by the search page


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: Facets = field(default_factory=dict)
    suggestion: str | None = None
    engine: str = ""
    notice: str = ""


class Suggestion(TypedDict):
    """One completion of what has been typed, as the suggest API returns it."""

    title: str
    url: str
    kind: str


class EngineUnavailable(Exception):
    """The engine cannot answer now (e.g. Elasticsearch is down); the caller falls back.

    The subclasses say *how*, because an operator acts differently on each: a node that cannot
    be reached (this class), one that was reached but too slow (``EngineTimeout``), and one
    that answered with a refusal such as a read-only block on a full disk (``EngineRefused``).
    ``what`` is the phrase commands put in their messages.
    """

    what = "could not be reached"


class EngineTimeout(EngineUnavailable):
    """The engine was reached but did not answer in time (a busy node, not a dead one)."""

    what = "timed out"


class EngineRefused(EngineUnavailable):
    """The engine answered, but refused: a write block, a full queue (429), a failing shard.

    Searches may still work (a read-only block stops writes only), so a refused write does not
    trip the search fallback.
    """

    what = "refused the request"


class QueryRejected(Exception):
    """The engine refused one read as malformed (Elasticsearch's 400s: a fuzzy prefix too
    complex to determinize, too many clauses). Not an outage: the engine stays in use for
    everyone else, this one request is answered by the embedded engine, and the refusal is
    logged (its status and type only, never the words) so the bug behind it is seen.
    """

    def __init__(self, status: int, kind: str) -> None:
        super().__init__(f"Elasticsearch refused the query ({status} {kind})")
        self.status = status
        self.kind = kind


# What an engine could not take from one write, by document id: the reason, for the outbox row.
# Only documents refused on their own account (e.g. a value the mapping rejects) are listed;
# a refusal of the whole request raises ``EngineUnavailable`` instead.
Rejections = dict[str, str]


class Engine:
    name = "base"

    def search(self, query: Query) -> Results:
        raise NotImplementedError

    def nearby(
        self, query: Query, limit: int = 3, within_km: float = NEARBY_RADIUS_KM
    ) -> list[Hit]:
        """Services matching the query (or any, for an empty query) nearest the query's location."""
        raise NotImplementedError

    def suggest(self, prefix: str, locale: str, limit: int = 6) -> list[Suggestion]:
        """Titles that complete what has been typed so far: [{"title", "url", "kind"}]."""
        raise NotImplementedError

    def index(self, documents: Iterable[SearchDocument]) -> Rejections:
        """Write documents; returns those refused one by one (see ``Rejections``)."""
        raise NotImplementedError

    def delete(self, document_ids: Iterable[str]) -> Rejections:
        """Remove documents (absent ones are fine); returns those refused one by one."""
        raise NotImplementedError

    def rebuild(self, documents: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Replace the whole index with ``documents``; returns how many were indexed."""
        raise NotImplementedError

    def fingerprints(self) -> dict[str, str]:
        """{document_id: fingerprint} of everything in the index, for drift checks."""
        raise NotImplementedError


def distance_decay(km: float) -> float:
    """Gaussian decay: 1 at the door, 0.5 at DISTANCE_SCALE_KM (Elasticsearch's gauss shape)."""
    decay: float = 0.5 ** ((km / DISTANCE_SCALE_KM) ** 2)  # a float: the base is positive
    return decay


def render_highlight(text: str) -> str:
    """Escape text that carries HIGHLIGHT_START/END markers and turn the markers into <mark>."""

    return escape(text).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")


def sorted_facet(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# When at least this many documents of a language hold a query's words in their headings
# (title, residents' questions, summary, topics), those documents are the results: pages that
# only mention the words in their body are left out. On a large site this is what keeps a
# search over common words cheap (100,000 council pages: "home schooling" is in the body of
# 45,523 and the headings of 1,121); a small site, or a rare word, leaves nothing out. Both
# engines decide it over the language's live documents, before the resident's filters, so
# the number beside a filter is what choosing it finds.
HEADING_ENOUGH = 100


def required_clauses(count: int) -> int:
    """How many of a query's ``count`` clauses a document must match at first.

    Two words: both. Three or more: all but one, so a page that lacks one of the resident's
    words ("damp and mould in my flat" on "Report damp and mould") still counts, while pages
    that share a single common word ("help") with the query do not. When that finds nothing,
    any one word will do (each engine's ``search``).
    """
    return count if count <= 2 else count - 1
