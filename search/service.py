"""Searching, as the resident UI and the API both need it: checked parameters in, results out.

Views stay thin: they turn request parameters into a ``SearchRequest`` (``parse_params``),
call ``search`` and render the ``SearchOutcome``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from core.geo import normalise_postcode

from . import analytics, engines
from . import vocabulary as held_words
from .engines.base import Hit, Query
from .models import IndexedDocument, SearchClick
from .promotions import promoted_query_strings
from .registry import KINDS, geocode, geocoder_registered
from .text import MAX_QUERY_LENGTH, parse, redact, synonym_groups, words

if TYPE_CHECKING:
    from .engines.base import Facets, Point, Suggestion
from wagtail.contrib.search_promotions.models import Query as PromotedQuery
from wagtail.search.utils import normalise_query_string

PAGE_SIZE = 10
MAX_PAGE = 100
SLUG = re.compile(r"^[-a-z0-9_]{1,80}$")
# The search tabs, in English; residents read them in their language (``kind_label``).
KIND_LABELS = {
    "journey": gettext_noop("Step by step guides"),
    "persona": gettext_noop("Help for you"),
    "page": gettext_noop("Information"),
    "form": gettext_noop("Forms"),
    "service": gettext_noop("Local services"),
}


def kind_label(kind: str) -> str:
    """A search tab's name in the active language."""
    return gettext(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


class BadSearch(ValueError):
    """A parameter a resident or API client got wrong, with a plain-English message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# Where a search falls back to when nothing is found in the resident's language.
FALLBACK_LOCALE = "en-gb"
FALLBACK_NOTICE = gettext_noop(
    "We found nothing in your language, so these results are in English."
)


@dataclass
class SearchRequest:
    text: str = ""
    locale: str = "en-gb"
    kinds: tuple[str, ...] = ()
    personas: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    postcode: str = ""
    page: int = 1


@dataclass
class SearchOutcome:
    request: SearchRequest
    hits: list[Hit]
    total: int
    facets: Facets
    suggestion: str | None
    engine: str
    notice: str = ""
    nearby: list[Hit] = field(default_factory=list)
    promoted: list[Hit] = field(default_factory=list)
    location: Point | None = None
    log_id: str | None = None  # the search's analytics token, carried by result links

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _values(params: Mapping[str, str], name: str) -> tuple[str, ...]:
    values: list[str] = []
    for raw in params.getlist(name) if hasattr(params, "getlist") else [params.get(name, "")]:
        values.extend(part.strip().lower() for part in (raw or "").split(",") if part.strip())
    return tuple(dict.fromkeys(values))


def parse_params(params: Mapping[str, str], default_locale: str = "en-gb") -> SearchRequest:
    """Check search parameters; raise BadSearch with a message a person can act on."""
    text = (params.get("q") or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise BadSearch(
            "q", _("Search for %(count)s characters or fewer") % {"count": MAX_QUERY_LENGTH}
        )
    kinds = _values(params, "kind")
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise BadSearch("kind", _("Kind must be one of: %(kinds)s") % {"kinds": ", ".join(KINDS)})
    personas = _values(params, "persona")
    topics = _values(params, "topic")
    for name, values in (("persona", personas), ("topic", topics)):
        if any(not SLUG.match(value) for value in values):
            raise BadSearch(
                name,
                _("%(name)s must be a short name made of letters, numbers and hyphens")
                % {"name": name.capitalize()},
            )
    raw_postcode = (params.get("postcode") or "").strip()
    postcode = normalise_postcode(raw_postcode) if raw_postcode else ""
    if postcode is None:
        raise BadSearch("postcode", _("Postcode must be a real UK postcode, like NB1 1AA"))
    page_text = (params.get("page") or "1").strip()
    if not (page_text.isascii() and page_text.isdigit()) or not 1 <= int(page_text) <= MAX_PAGE:
        raise BadSearch(
            "page", _("Page must be a whole number from 1 to %(max)s") % {"max": MAX_PAGE}
        )
    locale = (params.get("locale") or default_locale).lower()
    if locale not in {code.lower() for code, _name in settings.LANGUAGES}:
        raise BadSearch(
            "locale",
            _("Locale must be one of: %(locales)s")
            % {"locales": ", ".join(code for code, _name in settings.LANGUAGES)},
        )
    return SearchRequest(
        text=text,
        locale=locale,
        kinds=kinds,
        personas=personas,
        topics=topics,
        postcode=postcode,
        page=int(page_text),
    )


def locate(postcode: str) -> Point | None:
    """The position of a checked postcode; BadSearch when it can't be found."""
    if not postcode:
        return None
    if not geocoder_registered():
        raise BadSearch("postcode", _("Searching near a postcode is not available at the moment"))
    location = geocode(postcode)
    if location is None:
        raise BadSearch("postcode", _("We could not find that postcode. Check it and try again"))
    latitude, longitude = location  # a pair, whichever kind of sequence the geocoder made
    return latitude, longitude


def search(request: SearchRequest, *, log: bool = True) -> SearchOutcome:
    """Run a checked search. An empty query returns popular items instead of an error."""
    location = locate(request.postcode)
    query = Query(
        text=request.text,
        clauses=parse(request.text),
        locale=request.locale,
        kinds=request.kinds,
        personas=request.personas,
        topics=request.topics,
        location=location,
        offset=(request.page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    if not query.clauses:
        hits = popular(request.locale, kinds=request.kinds, personas=request.personas)
        nearby, _notice = engines.answer("nearby", query) if location else ([], "")
        return SearchOutcome(
            request=request,
            hits=hits,
            total=len(hits),
            facets={},
            suggestion=None,
            engine="popular",
            nearby=nearby,
            location=location,
        )
    results, notice = engines.answer("search", query)
    if results.total == 0 and request.locale != FALLBACK_LOCALE:
        # Nothing in the resident's language yet: answer in English rather than not at all.
        english, english_notice = engines.answer("search", replace(query, locale=FALLBACK_LOCALE))
        if english.total:
            results = english
            notice = english_notice or gettext(FALLBACK_NOTICE)
    nearby = []
    if location and "service" not in request.kinds:
        nearby, _notice = engines.answer("nearby", query)
    promoted = promotions(request.text, request.locale) if request.page == 1 else []
    promoted_urls = {hit.url for hit in promoted}
    outcome = SearchOutcome(
        request=request,
        hits=[hit for hit in results.hits if hit.url not in promoted_urls],
        total=results.total,
        facets=results.facets,
        suggestion=worth_suggesting(query, results.suggestion, results.total),
        engine=results.engine,
        notice=notice,
        nearby=nearby,
        promoted=promoted,
        location=location,
    )
    if log and request.page == 1:
        outcome.log_id = log_search(outcome)
    return outcome


# "Did you mean" only when the other words find clearly more than the resident's own: at least
# this many results, and this many times what the resident's words found. A correction that
# finds about as much ("faster fell help" for "father fell help") only puts the resident's
# words in doubt. A word the site has never seen (not in any document, not in the editors'
# synonyms) found nothing of its own: its results came from the correction, so the correction
# is offered whenever it finds something ("pothole" for "pothloe").
SUGGESTION_MIN_RESULTS = 3
SUGGESTION_FACTOR = 3


def worth_suggesting(query: Query, suggestion: str | None, total: int) -> str | None:
    """The engine's "did you mean" if searching for it finds clearly more, else None."""
    if not suggestion or suggestion.strip().lower() == query.text.strip().lower():
        return None
    clauses = parse(suggestion)
    if not clauses:
        return None
    # Only the count is needed: no page of hits, so no highlights (one statement, not two).
    found, _notice = engines.answer(
        "search", replace(query, text=suggestion, clauses=clauses, offset=0, limit=0)
    )
    replaced = set(words(query.text)) - set(words(suggestion))
    if replaced and not known_words(replaced, query.locale):
        return suggestion if found.total else None
    if found.total >= max(SUGGESTION_MIN_RESULTS, SUGGESTION_FACTOR * total):
        return suggestion
    return None


def known_words(candidates: set[str], locale: str) -> set[str]:
    """The words the site knows: in an indexed document of this language, or in a synonym group."""
    known = {word for word in candidates if held_words.knows(word, locale)}
    for group in synonym_groups():
        for phrase in group:
            known.update(word for word in phrase if word in candidates)
    return known


def promotions(text: str, locale: str) -> list[Hit]:
    """Editors' promoted results for this query (Wagtail search promotions), as hits.

    Only words in this process's set of promoted queries are looked up (``promotions``).
    """
    query_string = normalise_query_string(text)
    if query_string not in promoted_query_strings():
        return []
    promoted_query = PromotedQuery.objects.filter(query_string=query_string).first()
    if promoted_query is None:
        return []
    hits: list[Hit] = []
    for pick in promoted_query.editors_picks.select_related("page").order_by("sort_order"):
        if pick.page is not None:
            page = pick.page.localized
            if not page.live:
                continue
            url = page.get_url()
            known = IndexedDocument.objects.filter(url=url).first()
            hits.append(
                Hit(
                    document_id=f"promoted:{page.pk}",
                    kind=known.kind if known else "page",
                    title=page.title,
                    url=url,
                    summary=pick.description or (known.summary if known else ""),
                )
            )
        elif pick.external_link_url:
            hits.append(
                Hit(
                    document_id=f"promoted:{pick.pk}",
                    kind="page",
                    title=pick.external_link_text or pick.external_link_url,
                    url=pick.external_link_url,
                    summary=pick.description,
                )
            )
    return hits


def popular(
    locale: str,
    limit: int = PAGE_SIZE,
    kinds: Sequence[str] = (),
    personas: Iterable[str] = (),
) -> list[Hit]:
    """What residents choose most from search lately, topped up with journeys."""
    documents = IndexedDocument.objects.filter(locale=locale, live=True)
    if kinds:
        documents = documents.filter(kind__in=kinds)
    for persona in personas:
        documents = documents.filter(personas__contains=f"|{persona}|")
    since = timezone.now().date() - timedelta(days=30)
    clicked = (
        SearchClick.objects.filter(log__locale=locale, log__searched_on__gte=since)
        .values("url")
        .annotate(n=Count("id"))
        .order_by("-n")[: limit * 3]
    )
    order = {row["url"]: position for position, row in enumerate(clicked)}
    chosen = list(documents.filter(url__in=list(order)))
    chosen.sort(key=lambda document: order[document.url])
    chosen = chosen[:limit]
    if len(chosen) < limit:
        seen = {document.pk for document in chosen}
        for kind in ("journey", "persona", "form", "page", "service"):
            for document in documents.filter(kind=kind).order_by("title")[:limit]:
                if document.pk not in seen and len(chosen) < limit:
                    chosen.append(document)
                    seen.add(document.pk)
    return [
        Hit(document_id=d.document_id, kind=d.kind, title=d.title, url=d.url, summary=d.summary)
        for d in chosen
    ]


def popular_journeys(locale: str, limit: int = 5) -> list[Hit]:
    return popular(locale, limit=limit, kinds=("journey",))


def suggest(prefix: str, locale: str) -> list[Suggestion]:
    found, _notice = engines.answer("suggest", prefix[:MAX_QUERY_LENGTH], locale)
    return found


def log_search(outcome: SearchOutcome) -> str:
    """Record a search with no personal data; returns the token its result links carry.

    Buffered, not written: the worker writes searches in batches (search.analytics).
    """
    request = outcome.request
    token = analytics.new_token()
    analytics.record_search(
        token=token,
        query=redact(request.text),
        locale=request.locale,
        kind=",".join(request.kinds),
        persona=",".join(request.personas),
        with_postcode=bool(request.postcode),
        result_count=outcome.total + len(outcome.promoted),
        engine=outcome.engine,
    )
    return token


def valid_log_reference(log: str) -> bool:
    """A search's token, or a row id from a page served before tokens (an integer that fits)."""
    return analytics.is_reference(log)


def log_click(log: str, url: str, position: int) -> None:
    """Record which result was chosen (buffered); unknown searches are dropped when written."""
    analytics.record_click(log, url, position)
