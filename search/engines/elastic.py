"""The Elasticsearch engine: one index per locale behind an alias, rebuilt and swapped atomically.

The mapping uses only analysis built into the Elasticsearch server (standard tokenizer,
lowercase, stop, shingle, hunspell), so it runs on the minimal distribution used in CI as
well as on a full one. Stemming is hunspell en_GB when the node has the dictionary, the
``stemmer`` filter when it has the analysis-common module instead, and none otherwise:
``stemming_filter`` asks the node which it can do.

Languages other than English are also matched on ``*_folded`` fields: the words folded in
Python (``search.folding``: the Arabic definite article and letter variants, Polish
diacritics), on the document as it is indexed and on the query, as the embedded engine does.
The server's own Arabic and ASCII-folding filters are in a module minimal nodes lack.

Residents' searches go through the short-timeout client, everything that writes or administers
indices through the patient one (see ``search.connection``). No Elasticsearch error escapes a
write as anything but ``EngineUnavailable`` (or a per-document rejection), so the sync loop
can keep its rows and try again instead of dying.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ParamSpec, TypedDict, TypeVar

from django.conf import settings
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, NotFoundError
from elasticsearch.helpers import BulkIndexError, scan, streaming_bulk
from elasticsearch_dsl import Q, Search

from core.geo import distance_km

from .. import state
from .. import vocabulary as held_words
from ..connection import get_client
from ..folding import fold, folds
from .base import (
    DISTANCE_SCALE_KM,
    FIELD_BOOST,
    HEADING_ENOUGH,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    KIND_BOOST,
    NEARBY_RADIUS_KM,
    Engine,
    EngineRefused,
    EngineTimeout,
    EngineUnavailable,
    Hit,
    Query,
    QueryRejected,
    Results,
    render_highlight,
    required_clauses,
)

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch
    from elasticsearch.dsl.aggs import AggBase
    from elasticsearch.dsl.query import Query as DslQuery
    from elasticsearch.dsl.response import Hit as DslHit
    from elasticsearch.dsl.response import Response

    from ..registry import SearchDocument
    from .base import Progress, Query, Rejections, Suggestion
from ..text import words

P = ParamSpec("P")
T = TypeVar("T")

FACET_FIELDS = {
    "kind": "kind",
    "persona": "personas",
    "topic": "topics",
    "delivery_unit": "delivery_unit",
}
STOP_WORDS = {"en-gb": "_english_"}
# Typo tolerance for an unknown word: the first two letters must be right, and the word may
# stand for at most this many of the index's words (per field), so a typo never costs more than
# a handful of exact lookups.
FUZZY_PREFIX_LENGTH = 2
SYNONYM_WEIGHT = 0.5
FUZZY_MAX_EXPANSIONS = 10
# The fields residents' words are matched on that also have a folded twin, ``<name>_folded``.
FOLDED_FIELDS = ("title", "questions", "summary", "body")
# Documents per language index, as this process last knew them: (count, when).
_held_totals: dict[str, tuple[int, float]] = {}
TOTAL_SECONDS = 60.0
# Whether enough documents hold a query's words in their headings (``HEADING_ENOUGH``), as this
# process last counted it, and when: residents repeat each other's searches, and the count was
# a second request costing the node about a fifth of a search's CPU. Kept ``TOTAL_SECONDS`` at
# most, and forgotten whenever this process writes to the index. An answer a minute old does no
# harm: the count only decides whether pages that merely mention the words are listed too.
# Emptied when full, as core.fragments keeps its parts.
_held_headings: dict[tuple[str, str], tuple[bool, float]] = {}
HELD_HEADINGS_MAX = 5000
_stemmers: dict[tuple[int, str], dict[str, Any] | None] = {}
_folded_mappings: set[tuple[int, str]] = set()


def forget_held_counts() -> None:
    """Forget this process's document totals and heading counts (tests)."""
    _held_totals.clear()
    _held_headings.clear()


class GeoPoint(TypedDict):
    lat: float
    lon: float


class CompletionInput(TypedDict):
    input: list[str]
    weight: int


class Source(TypedDict):
    """A document as stored in Elasticsearch (the index's "_source")."""

    document_id: str
    kind: str
    locale: str
    title: str
    questions: list[str]
    summary: str
    body: str
    topics: list[str]
    topics_text: str
    personas: list[str]
    delivery_unit: str | None
    url: str
    location: GeoPoint | None
    last_updated: str | None
    live: bool
    fingerprint: str
    suggest: CompletionInput
    title_folded: str
    questions_folded: str
    summary_folded: str
    body_folded: str


# Bulk item errors that are about the node, not the document: the batch waits and is retried.
# A cluster block is what Elasticsearch sets on an index when its disk fills
# (index.blocks.read_only_allow_delete, answered 429) or an operator makes it read-only (403).
NODE_REFUSALS = {"cluster_block_exception", "es_rejected_execution_exception"}
# How long tidying up after a failed rebuild may wait per request: the node is likely unwell,
# and what cannot be deleted now is remembered and deleted later (``discard_indices``).
TIDY_TIMEOUT = 10.0


def engine_error(error: BaseException, *, writing: bool = False) -> EngineUnavailable | None:
    """The ``EngineUnavailable`` an Elasticsearch error means, or None when it is a bug of ours.

    Reading, a 4xx answer other than 404 (no index yet) or 429 (too busy) means our query is
    malformed: that should surface, not hide behind the fallback. Writing, every answer is the
    node refusing the data now (a write block, a mapping conflict on the whole request), which
    the outbox waits out: the sync must never die of it.
    """
    if isinstance(error, EngineUnavailable):
        return error
    if isinstance(error, ConnectionTimeout):
        return EngineTimeout(str(error))
    if isinstance(error, BulkIndexError):
        first = next(iter(error.errors[0].values())) if error.errors else {}
        return EngineRefused(
            f"{len(error.errors)} document(s) refused, e.g. {first.get('_id')}: {item_reason(first)}"
        )
    if isinstance(error, (TransportError, ConnectionError)):
        return EngineUnavailable(str(error))
    if isinstance(error, ApiError):
        status = error.meta.status
        if writing or isinstance(error, NotFoundError) or status == 429 or status >= 500:
            return EngineRefused(str(error))
    return None


def item_reason(result: dict[str, Any]) -> str:
    """One line for a failed bulk item: the error type and reason, and its cause if any."""
    error = result.get("error")
    if not isinstance(error, dict):
        return str(error or f"status {result.get('status')}")[:500]
    reason = f"{error.get('type')}: {error.get('reason')}"
    cause = error.get("caused_by")
    if isinstance(cause, dict) and cause.get("reason"):
        reason += f" ({cause.get('reason')})"
    return reason[:500]


def node_refusal(result: dict[str, Any]) -> bool:
    """Whether a failed bulk item was refused for the node's sake (retry) or the document's."""
    status = int(result.get("status", 500))
    error = result.get("error")
    kind = error.get("type") if isinstance(error, dict) else None
    return status == 429 or status >= 500 or kind in NODE_REFUSALS


def alias_for(locale: str) -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{locale.lower()}"


def locales() -> list[str]:
    return [code.lower() for code, _ in settings.LANGUAGES]


def stemming_filter(client: Elasticsearch, locale: str) -> dict[str, Any] | None:
    """The best stemming this node offers for a locale, as a filter definition (or None)."""
    if not locale.startswith("en"):
        return None
    key = (id(client), locale)
    if key not in _stemmers:
        chosen: dict[str, Any] | None = None
        candidate: dict[str, Any]
        for candidate in (
            {"type": "hunspell", "locale": "en_GB", "dedup": True},
            {"type": "stemmer", "language": "light_english"},
        ):
            try:
                client.indices.analyze(
                    tokenizer="standard", filter=["lowercase", candidate], text="bins"
                )
            except ApiError as error:
                if error.meta.status >= 500:
                    raise
                continue
            chosen = candidate
            break
        _stemmers[key] = chosen
    return _stemmers[key]


def index_body(client: Elasticsearch, locale: str) -> dict[str, Any]:
    stemmer = stemming_filter(client, locale)
    stem_filters = ["lowercase"]
    filters: dict[str, dict[str, Any]] = {
        "signpost_shingle": {
            "type": "shingle",
            "min_shingle_size": 2,
            "max_shingle_size": 3,
            "output_unigrams": False,
        }
    }
    if locale in STOP_WORDS:
        filters["signpost_stop"] = {"type": "stop", "stopwords": STOP_WORDS[locale]}
        stem_filters.append("signpost_stop")
    if stemmer:
        filters["signpost_stemmer"] = stemmer
        stem_filters.append("signpost_stemmer")
    analysis = {
        "filter": filters,
        "analyzer": {
            "signpost_stemmed": {"type": "custom", "tokenizer": "standard", "filter": stem_filters},
            "signpost_plain": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
            "signpost_shingles": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "signpost_shingle"],
            },
        },
    }

    def text(shingles: bool = False) -> dict[str, Any]:
        fields = {"plain": {"type": "text", "analyzer": "signpost_plain"}}
        if shingles:
            fields["shingles"] = {"type": "text", "analyzer": "signpost_shingles"}
        # Offsets in the postings let the highlighter work from the index instead of re-analysing
        # every hit's text (hunspell is slow): highlighting goes from hundreds of ms to a few.
        return {
            "type": "text",
            "analyzer": "signpost_stemmed",
            "fields": fields,
            "copy_to": "spelling",
            "index_options": "offsets",
        }

    mappings: dict[str, Any] = {
        "dynamic": "strict",
        "properties": {
            "document_id": {"type": "keyword"},
            "kind": {"type": "keyword"},
            "locale": {"type": "keyword"},
            "title": {
                **text(shingles=True),
                "fields": {**text(shingles=True)["fields"], "raw": {"type": "keyword"}},
            },
            "questions": text(shingles=True),
            "summary": text(),
            "body": text(),
            "topics": {"type": "keyword"},
            "topics_text": {"type": "text", "analyzer": "signpost_stemmed"},
            "personas": {"type": "keyword"},
            "delivery_unit": {"type": "keyword"},
            "url": {"type": "keyword"},
            "location": {"type": "geo_point"},
            "last_updated": {"type": "date"},
            "live": {"type": "boolean"},
            "fingerprint": {"type": "keyword", "index": False},
            "spelling": {"type": "text", "analyzer": "signpost_plain"},
            "suggest": {"type": "completion", "analyzer": "simple", "preserve_separators": True},
            **folded_properties(),
        },
    }
    return {
        "settings": {"number_of_shards": 1, **replica_settings(), "analysis": analysis},
        "mappings": mappings,
    }


def folded_properties() -> dict[str, Any]:
    """The folded twins' mapping (plain analysis: the words arrive folded)."""
    return {
        f"{name}_folded": {"type": "text", "analyzer": "signpost_plain"} for name in FOLDED_FIELDS
    }


# A rebuild sends bulks of this many documents, this many at a time: one bulk into a
# one-shard index is indexed by one thread of the node, so a second one in flight lets a
# second core work (and the node index while this process builds the next bulk).
REBUILD_BULK = 1000
REBUILD_STREAMS = 2


def parallel_load(
    client: Elasticsearch,
    actions: Iterable[dict[str, Any]],
    progress: Progress | None = None,
    **bulk_options: Any,
) -> int:
    """Send bulk actions REBUILD_STREAMS bulks at a time; returns how many were indexed.

    The actions are read here, in the calling thread (they come from the database, whose
    connection and transaction belong to this thread); only the sending happens in threads.
    The first failure stops the load and is raised here, after the other senders have stopped.
    """
    chunks: queue.Queue[list[dict[str, Any]] | None] = queue.Queue(maxsize=REBUILD_STREAMS)
    failures: list[BaseException] = []
    lock = threading.Lock()
    done = 0

    def send() -> None:
        nonlocal done
        while (chunk := chunks.get()) is not None:
            if failures:
                continue  # drain the queue so the reader is never left blocked
            try:
                for _ok, _item in streaming_bulk(
                    client, chunk, chunk_size=REBUILD_BULK, raise_on_error=True, **bulk_options
                ):
                    pass
            except BaseException as error:  # noqa: BLE001 - raised in the caller's thread
                failures.append(error)
                continue
            with lock:
                done += len(chunk)
                if progress:
                    progress(len(chunk))

    senders = [threading.Thread(target=send, daemon=True) for _ in range(REBUILD_STREAMS)]
    for sender in senders:
        sender.start()
    try:
        chunk: list[dict[str, Any]] = []
        for action in actions:
            chunk.append(action)
            if len(chunk) == REBUILD_BULK:
                chunks.put(chunk)
                chunk = []
                if failures:
                    break
        if chunk and not failures:
            chunks.put(chunk)
    finally:
        for _ in senders:
            chunks.put(None)
        for sender in senders:
            sender.join()
    if failures:
        raise failures[0]
    return done


# A rebuild's fresh index while it is loaded: nothing searches it until the swap, so it need
# not refresh, and copying every write to a replica would double the work.
BUILD_SETTINGS: dict[str, Any] = {"refresh_interval": "-1", "number_of_replicas": 0}


def replica_settings() -> dict[str, Any]:
    """ELASTICSEARCH_REPLICAS when set; else one replica as soon as a second node exists.

    ``auto_expand_replicas`` lets the cluster decide as nodes come and go, so a single node
    stays green (a replica it cannot place would leave it yellow) and a cluster keeps a copy
    of every shard on another node, which is what lets it lose one without losing searches.
    """
    if settings.ELASTICSEARCH_REPLICAS is None:
        return {"auto_expand_replicas": "0-1"}
    return {"number_of_replicas": int(settings.ELASTICSEARCH_REPLICAS)}


def source(document: SearchDocument) -> Source:
    """A SearchDocument as an Elasticsearch source document."""
    latitude, longitude = document.location or (None, None)
    suggest_inputs = []
    title_words = document.title.split()
    # Every tail of the title, so "bin" completes "Report a missed bin".
    for start in range(len(title_words)):
        suggest_inputs.append(" ".join(title_words[start:]))
    suggest_inputs.extend(document.questions[:10])
    folded = folds(document.locale)
    return {
        "document_id": document.id,
        "kind": document.kind,
        "locale": document.locale,
        "title": document.title,
        "questions": document.questions,
        "summary": document.summary,
        "body": document.body,
        "topics": document.topics,
        "topics_text": " ".join(topic.replace("-", " ") for topic in document.topics),
        "personas": document.personas,
        "delivery_unit": document.delivery_unit or None,
        "url": document.url,
        "location": {"lat": latitude, "lon": longitude}
        if latitude is not None and longitude is not None
        else None,
        "last_updated": document.last_updated.isoformat() if document.last_updated else None,
        "live": document.live,
        "fingerprint": document.fingerprint(),
        "suggest": {
            "input": [text[:200] for text in suggest_inputs if text],
            "weight": int(KIND_BOOST.get(document.kind, 1.0) * 10),
        },
        "title_folded": fold(document.title) if folded else "",
        "questions_folded": fold("\n".join(document.questions)) if folded else "",
        "summary_folded": fold(document.summary) if folded else "",
        "body_folded": fold(document.body) if folded else "",
    }


class ElasticsearchEngine(Engine):
    name = "elasticsearch"

    def __init__(
        self, client: Elasticsearch | None = None, admin_client: Elasticsearch | None = None
    ) -> None:
        found = client or get_client("search")
        if found is None:
            raise EngineUnavailable("Elasticsearch is not configured (ELASTICSEARCH_URL is unset).")
        self.client: Elasticsearch = found  # residents' searches: short timeout
        # Writes and index administration: a long timeout and retries (see search.connection).
        self.admin: Elasticsearch = admin_client or (
            client if client is not None else get_client("admin") or found
        )

    def _call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a read; an error meaning "can't answer now" becomes ``EngineUnavailable``."""
        try:
            return function(*args, **kwargs)
        except Exception as error:
            failure = engine_error(error)
            if failure is None and isinstance(error, ApiError) and 400 <= error.meta.status < 500:
                raise QueryRejected(error.meta.status, str(error.error)[:100]) from error
            if failure is None or failure is error:
                raise
            raise failure from error

    def _admin_call(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a write or an administration request; every Elasticsearch error becomes
        ``EngineUnavailable`` (see ``engine_error``), so callers need handle only that."""
        try:
            return function(*args, **kwargs)
        except Exception as error:
            failure = engine_error(error, writing=True)
            if failure is None or failure is error:
                raise
            raise failure from error

    # -- indices and aliases ---------------------------------------------------------

    def ensure_index(self, locale: str) -> str:
        """Create the locale's index and alias if they do not exist yet."""
        alias = alias_for(locale)
        if self._admin_call(self.admin.indices.exists_alias, name=alias):
            self._add_folded_fields(alias)
            return alias
        self._create_index(locale, alias)
        return alias

    def _add_folded_fields(self, alias: str) -> None:
        """Give an index made before the folded fields existed those fields, once per process.

        New fields may be added to a live mapping; until ``search_rebuild`` runs, documents
        indexed earlier simply have no folded words.
        """
        key = (id(self.admin), alias)
        if key in _folded_mappings:
            return
        self._admin_call(
            self.admin.indices.put_mapping, index=alias, properties=folded_properties()
        )
        _folded_mappings.add(key)

    def _create_index(
        self,
        locale: str,
        alias: str | None = None,
        into: dict[str, str] | None = None,
        building: bool = False,
    ) -> str:
        """Create a fresh index for a locale (behind ``alias`` if given).

        The name goes into ``into`` *before* the request: if the node creates the index but the
        answer is lost (a timeout), the caller still knows what to clean up. An index for a
        rebuild (``building``) starts with no refreshes and no replicas, which is what makes a
        bulk load fast; ``_finish_building`` gives it its serving settings before the swap.
        """
        name = f"{alias_for(locale)}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
        if into is not None:
            into[locale.lower()] = name
        body = self._admin_call(index_body, self.admin, locale)
        if building:
            body["settings"] = {
                **{k: v for k, v in body["settings"].items() if k != "auto_expand_replicas"},
                **BUILD_SETTINGS,
            }
        aliases: dict[str, dict[str, Any]] = {alias: {}} if alias else {}
        self._admin_call(self.admin.indices.create, index=name, aliases=aliases, **body)
        return name

    def discard_indices(self, names: Iterable[str]) -> list[str]:
        """Delete indices that no alias points at; returns those it could not reach.

        Used for a failed rebuild's unfinished indices and for the old ones a rebuild replaced.
        An index that does hold an alias is left alone: that happens when a swap succeeded but
        its answer was lost, and deleting it then would take search offline. After the first
        failure the rest are not tried (the node is unwell) and are all returned, for the
        caller to remember and try again later.
        """
        names = list(names)
        timeout = min(TIDY_TIMEOUT, float(settings.ELASTICSEARCH_ADMIN_TIMEOUT))
        quick = self.admin.options(request_timeout=timeout, max_retries=0)
        for position, name in enumerate(names):
            try:
                try:
                    held = quick.indices.get_alias(index=name)
                except NotFoundError:
                    continue  # already gone
                if any(entry.get("aliases") for entry in held.body.values()):
                    continue
                quick.indices.delete(index=name, ignore_unavailable=True)
            except Exception:  # unreachable, or refusing: keep this one and the rest for later
                return names[position:]
        return []

    # -- writing -------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> Rejections:
        aliases: dict[str, str] = {}  # one existence check per locale, not per document
        actions: list[dict[str, Any]] = []
        for document in documents:
            if not document.live:
                continue
            if document.locale not in aliases:
                aliases[document.locale] = self.ensure_index(document.locale)
            actions.append(
                {
                    "_op_type": "index",
                    "_index": aliases[document.locale],
                    "_id": document.id,
                    "_source": source(document),
                }
            )
        rejections = self._bulk(actions) if actions else {}
        _held_headings.clear()  # after the write, so no count taken meanwhile outlives it
        return rejections

    def delete(self, document_ids: Iterable[str]) -> Rejections:
        document_ids = list(document_ids)
        if not document_ids:
            return {}
        actions: list[dict[str, Any]] = []
        for locale in locales():
            alias = alias_for(locale)
            if not self._admin_call(self.admin.indices.exists_alias, name=alias):
                continue
            actions.extend(
                {"_op_type": "delete", "_index": alias, "_id": doc_id} for doc_id in document_ids
            )
        rejections = self._bulk(actions) if actions else {}
        _held_headings.clear()  # after the write, so no count taken meanwhile outlives it
        return rejections

    def _bulk(self, actions: list[dict[str, Any]]) -> Rejections:
        """Write a batch: documents refused on their own account come back, the rest is written.

        An item refused for the node's sake (``node_refusal``: a write block, a full queue, a
        failing shard) raises ``EngineRefused`` instead, so the whole batch waits for the loop's
        back-off rather than being retried here. A 404 on a delete is what we wanted anyway.
        """
        rejected: Rejections = {}
        refused: list[str] = []

        def send() -> None:
            for ok, item in streaming_bulk(
                self.admin, actions, refresh=True, raise_on_error=False, max_retries=0
            ):
                if ok:
                    continue
                op_type, result = next(iter(item.items()))
                if op_type == "delete" and result.get("status") == 404:
                    continue
                if node_refusal(result):
                    refused.append(f"{result.get('_id')}: {item_reason(result)}")
                else:
                    rejected[str(result.get("_id"))] = item_reason(result)

        self._admin_call(send)
        if refused:
            raise EngineRefused(f"{len(refused)} write(s) refused, e.g. {refused[0]}")
        return rejected

    def rebuild(self, documents: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Index everything into fresh indices, then move every alias over in one request.

        If anything fails before the swap, the fresh indices are deleted again and the aliases
        still point at the old ones; those the node is too unwell to delete are remembered
        (``search.state``) and deleted by the next sync or rebuild.
        """
        new_indices: dict[str, str] = {}
        count = 0
        per_locale: Counter[str] = Counter()

        def actions() -> Iterator[dict[str, Any]]:
            for document in documents:
                if not document.live:
                    continue
                per_locale[document.locale.lower()] += 1
                index = new_indices.get(document.locale.lower())
                if index is None:
                    index = self._create_index(document.locale, into=new_indices, building=True)
                yield {
                    "_op_type": "index",
                    "_index": index,
                    "_id": document.id,
                    "_source": source(document),
                }

        def consume() -> int:
            return parallel_load(
                self.admin,
                actions(),
                progress=progress,
                # Items a busy node turns away (429) are sent again after 2, 4, 8 ... seconds.
                max_retries=int(settings.ELASTICSEARCH_ADMIN_RETRIES),
                initial_backoff=2,
                max_backoff=30,
            )

        try:
            for locale in locales():
                self._create_index(locale, into=new_indices, building=True)
            count = self._admin_call(consume)
            self._finish_building(list(new_indices.values()))
            old = self._swap(new_indices)
        except BaseException as error:
            left = self.discard_indices(new_indices.values())
            failure = engine_error(error, writing=True) if isinstance(error, Exception) else None
            if isinstance(failure, EngineTimeout):
                # A creation whose answer was lost may still land after this clean-up looked:
                # have the next pass look again.
                left = list(new_indices.values())
            self._forget_later(left)
            if failure is None or failure is error:
                raise
            raise failure from error
        self._forget_later(self.discard_indices(old))
        _held_totals.clear()
        _held_headings.clear()
        now = time.monotonic()
        _held_totals.update({locale: (n, now) for locale, n in per_locale.items()})
        return count

    def _finish_building(self, names: list[str]) -> None:
        """Give rebuilt indices their serving settings (refreshes, replicas), then refresh them
        so the swap shows every document at once."""
        joined = ",".join(names)
        self._admin_call(
            self.admin.indices.put_settings,
            index=joined,
            settings={"refresh_interval": None, **replica_settings()},
        )
        self._admin_call(self.admin.indices.refresh, index=joined)

    @staticmethod
    def _forget_later(names: list[str]) -> None:
        """Remember indices to delete once the node answers again (best effort)."""
        if names:
            try:
                state.remember_orphans(names)
            except Exception:  # the database is unwell too; nothing more can be done now
                pass

    def _swap(self, new_indices: dict[str, str]) -> list[str]:
        """Point every alias at its new index in one request; returns the indices replaced."""
        actions: list[dict[str, Any]] = []
        old: list[str] = []
        for locale, index in new_indices.items():
            alias = alias_for(locale)
            if self._admin_call(self.admin.indices.exists_alias, name=alias):
                old.extend(self._admin_call(self.admin.indices.get_alias, name=alias).keys())
                actions.append({"remove": {"index": "*", "alias": alias}})
            elif self._admin_call(self.admin.indices.exists, index=alias):
                actions.append({"remove_index": {"index": alias}})
            actions.append({"add": {"index": index, "alias": alias}})
        self._admin_call(self.admin.indices.update_aliases, actions=actions)
        return [index for index in set(old) if index not in new_indices.values()]

    def drop(self) -> None:
        """Delete every index of this prefix (tests and ``search_rebuild --drop``)."""
        self._admin_call(
            self.admin.indices.delete,
            index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*",
            ignore_unavailable=True,
            allow_no_indices=True,
            expand_wildcards="all",
        )

    # -- reading -------------------------------------------------------------------

    def document_count(self) -> int:
        """How many documents the live indices (behind the aliases) hold, for /healthz."""
        aliases = ",".join(alias_for(locale) for locale in locales())
        response = self._call(
            self.client.count, index=aliases, ignore_unavailable=True, allow_no_indices=True
        )
        return int(response["count"])

    def fingerprints(self) -> dict[str, str]:
        found: dict[str, str] = {}

        def everything_in(index: str) -> list[dict[str, Any]]:
            return list(
                scan(
                    self.admin,
                    index=index,
                    _source=["fingerprint"],
                    query={"query": {"match_all": {}}},
                )
            )

        for locale in locales():
            alias = alias_for(locale)
            if not self._admin_call(self.admin.indices.exists_alias, name=alias):
                continue
            for hit in self._admin_call(everything_in, alias):
                found[hit["_id"]] = hit["_source"].get("fingerprint", "")
        return found

    def _text_query(
        self,
        query: Query,
        fuzzy_words: frozenset[str] = frozenset(),
        required: int = 1,
        *,
        headings: bool = False,
    ) -> DslQuery:
        """Exact and stemmed matching, with phrase and shingle boosts; ``headings``: in the
        headings alone, not the body (``HEADING_ENOUGH``).

        Typo tolerance is not part of it: a fuzzy clause over every word and field cost two
        hundred milliseconds of node CPU per search. ``fuzzy_words`` are the words the index
        has never seen (the spelling suggester says which); only they get a fuzzy clause, on
        the short fields, with a two-letter fixed prefix and few expansions (``search``'s
        second pass).
        """

        def fields(names: list[str], suffix: str = "") -> list[str]:
            return [f"{name}{suffix}^{FIELD_BOOST[name.split('_')[0]]}" for name in names]

        clauses: list[DslQuery] = []
        folded = folds(query.locale)
        for clause in query.clauses:
            alternatives: list[DslQuery] = []
            for position, alt in enumerate(clause):
                # The resident's own words count for more than the editors' synonyms for them.
                weight = 1.0 if position == 0 else SYNONYM_WEIGHT
                text = " ".join(alt)
                if folded and fold(text):
                    shape = {"type": "phrase", "slop": 1} if len(alt) > 1 else {}
                    alternatives.append(
                        Q(
                            "multi_match",
                            query=fold(text),
                            fields=fields(list(FOLDED_FIELDS), "_folded"),
                            boost=weight,
                            **shape,
                        )
                    )
                alternatives.append(
                    self._words_query(text, phrase=len(alt) > 1, boost=weight, headings=headings)
                )
                if len(alt) > 1:
                    continue
                if text in fuzzy_words:
                    alternatives.append(
                        Q(
                            "multi_match",
                            query=text,
                            fuzziness="AUTO",
                            prefix_length=FUZZY_PREFIX_LENGTH,
                            max_expansions=FUZZY_MAX_EXPANSIONS,
                            boost=0.5,
                            fields=fields(["title", "questions", "summary"], ".plain"),
                        )
                    )
            clauses.append(Q("dis_max", queries=alternatives))
        if not clauses:
            return Q("match_none")
        phrase = " ".join(word for clause in query.clauses for word in clause[0])
        shingles = Q(
            "multi_match",
            query=phrase,
            boost=2.0,
            fields=["title.shingles^3", "questions.shingles^2"],
        )
        # At least ``required`` of the words must match (``required_clauses``); the shingles
        # only add to the score of pages that have the words side by side.
        matched = Q("bool", should=clauses, minimum_should_match=min(required, len(clauses)))
        return Q("bool", must=[matched], should=[shingles])

    @staticmethod
    def _words_query(text: str, *, phrase: bool, boost: float, headings: bool = False) -> DslQuery:
        """Words matched stemmed, and as written (``.plain``) in the headings: an exact match
        there scores above a stemmed one, so "homeless" prefers "homeless" to hunspell's "home".
        The body is matched stemmed only: its as-written twin found no page the stemmed body
        does not, and iterating the body's longest postings a second time was a tenth of the
        node's CPU per search. ``headings``: every field but the body."""

        def fields(names: list[str], suffix: str = "") -> list[str]:
            return [f"{name}{suffix}^{FIELD_BOOST[name.split('_')[0]]}" for name in names]

        shape: dict[str, Any] = {"type": "phrase", "slop": 1} if phrase else {}
        plain_fields = ["title", "questions", "summary"]
        stemmed_fields = plain_fields if headings else [*plain_fields, "body"]
        if not phrase:
            stemmed_fields = [*stemmed_fields[:3], "topics_text", *stemmed_fields[3:]]
        return Q(
            "bool",
            should=[
                Q("multi_match", query=text, fields=fields(stemmed_fields), **shape),
                Q("multi_match", query=text, fields=fields(plain_fields, ".plain"), **shape),
            ],
            boost=boost,
        )

    def _filters(self, query: Query) -> list[DslQuery]:
        filters = [Q("term", live=True)]
        filters += [Q("term", personas=persona) for persona in query.personas]
        filters += [Q("term", topics=topic) for topic in query.topics]
        if query.delivery_units:
            filters.append(Q("terms", delivery_unit=list(query.delivery_units)))
        return filters

    def _scored(
        self,
        query: Query,
        fuzzy_words: frozenset[str] = frozenset(),
        required: int = 1,
        *,
        headings: bool = False,
    ) -> DslQuery:
        functions = [
            {"filter": {"term": {"kind": kind}}, "weight": weight}
            for kind, weight in KIND_BOOST.items()
        ]
        scored = Q(
            "function_score",
            query=Q(
                "bool",
                must=[self._text_query(query, fuzzy_words, required, headings=headings)],
                filter=self._filters(query),
            ),
            functions=functions,
            score_mode="max",
            boost_mode="multiply",
        )
        if query.location:
            lat, lon = query.location
            scored = Q(
                "function_score",
                query=scored,
                score_mode="sum",
                boost_mode="multiply",
                functions=[
                    {"weight": 1},
                    {
                        "filter": {"term": {"kind": "service"}},
                        "gauss": {
                            "location": {
                                "origin": {"lat": lat, "lon": lon},
                                "scale": f"{DISTANCE_SCALE_KM}km",
                            }
                        },
                    },
                ],
            )
        return scored

    def search(self, query: Query) -> Results:
        """Exact first, in one request; typo tolerance only for words the site has never seen.

        Whether a word is known is looked up in this process's copy of the vocabulary
        (``search.vocabulary``: the words of every indexed document, which the embedded
        engine keeps beside this one), not asked of the node. A query whose words are all
        known is the exact query alone, with no spelling suggester; one with an unknown word
        adds a fuzzy clause for that word and asks the suggester for "did you mean", in the
        same request. A count (``limit`` 0, as the "did you mean" check asks) skips the hits,
        highlights and facets other than kind. As on the embedded engine, a page must hold
        most of the words (``required_clauses``); only when none does is any one enough (a
        second request).
        """
        unknown = self._unknown_words(query)
        required = required_clauses(len(query.clauses))
        headings = self._enough_in_headings(query, unknown, required)
        response = self._call(
            self._request(
                query, unknown, spelling=bool(unknown), required=required, headings=headings
            ).execute
        )
        suggestion = self._suggestion(response, query.text) if unknown else None
        results = self._results(response, query, suggestion)
        if results.total or required == 1:
            return results
        # No page has most of the words: any one of them will do.
        headings = self._enough_in_headings(query, unknown, 1)
        response = self._call(
            self._request(query, unknown, spelling=False, headings=headings).execute
        )
        return self._results(response, query, suggestion)

    def _documents_in(self, locale: str) -> int:
        """How many documents the language's index holds, as this process last knew it: set
        by a rebuild here, else counted by the node at most once a ``TOTAL_SECONDS``. It only
        spares small sites the heading count, so a slightly old figure does no harm."""
        held = _held_totals.get(locale.lower())
        if held is None or time.monotonic() - held[1] > TOTAL_SECONDS:
            response = self._call(
                self.client.count,
                index=alias_for(locale),
                ignore_unavailable=True,
                allow_no_indices=True,
            )
            held = (int(response["count"]), time.monotonic())
            _held_totals[locale.lower()] = held
        return held[0]

    def _enough_in_headings(self, query: Query, fuzzy_words: frozenset[str], required: int) -> bool:
        """Whether at least ``HEADING_ENOUGH`` live documents of the language hold the words in
        their headings, counted by the node only that far (``terminate_after``). Languages
        other than English search the whole text, as on the embedded engine."""
        if folds(query.locale) or not query.clauses:
            return False
        if self._documents_in(query.locale) < HEADING_ENOUGH:
            return False  # a small site: no count can reach it
        matched = Q(
            "bool",
            must=[self._text_query(query, fuzzy_words, required, headings=True)],
            filter=[Q("term", live=True)],
        ).to_dict()
        key = (alias_for(query.locale), json.dumps(matched, sort_keys=True))
        held = _held_headings.get(key)
        if held is not None and time.monotonic() - held[1] <= TOTAL_SECONDS:
            return held[0]
        response = self._call(
            self.client.count,
            index=alias_for(query.locale),
            query=matched,
            terminate_after=HEADING_ENOUGH,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        enough = int(response["count"]) >= HEADING_ENOUGH
        if len(_held_headings) >= HELD_HEADINGS_MAX:
            _held_headings.clear()
        _held_headings[key] = (enough, time.monotonic())
        return enough

    @staticmethod
    def _unknown_words(query: Query) -> frozenset[str]:
        """The resident's single words of four letters or more that no indexed document holds.

        With no vocabulary held for the language (nothing indexed through the embedded engine
        yet), every such word counts as unknown: the query is then as tolerant as it can be.
        """
        candidates = {
            alt[0]
            for clause in query.clauses
            for alt in clause
            if len(alt) == 1 and len(alt[0]) > 3
        }
        if not candidates:
            return frozenset()
        if not held_words.vocabulary(query.locale).documents:
            return frozenset(candidates)
        return frozenset(word for word in candidates if not held_words.knows(word, query.locale))

    def _request(
        self,
        query: Query,
        fuzzy_words: frozenset[str] = frozenset(),
        *,
        spelling: bool = True,
        required: int = 1,
        headings: bool = False,
    ) -> Search[Any]:
        alias = alias_for(query.locale)
        search = Search(using=self.client, index=alias).query(
            self._scored(query, fuzzy_words, required, headings=headings)
        )
        if query.kinds:
            search = search.post_filter("terms", kind=list(query.kinds))
        search.aggs.bucket("kind", "terms", field="kind", size=10)
        # The total is the sum of the kind facet (every match is counted there anyway), so the
        # node need not count hits a second time.
        search = search.extra(track_total_hits=False)
        if query.limit == 0:
            return search[0:0]
        facet_parent: AggBase[Any] = search.aggs
        if query.kinds:
            facet_parent = search.aggs.bucket(
                "in_kind", "filter", Q("terms", kind=list(query.kinds))
            )
        for name in ("persona", "topic", "delivery_unit"):
            facet_parent.bucket(name, "terms", field=FACET_FIELDS[name], size=30)
        search = search.highlight(
            "summary",
            "body",
            "questions",
            fragment_size=160,
            number_of_fragments=1,
            pre_tags=[HIGHLIGHT_START],
            post_tags=[HIGHLIGHT_END],
        )
        if fuzzy_words:
            # Marks show the resident's own words, not every spelling the fuzzy clause tried.
            search = search.highlight_options(highlight_query=self._text_query(query).to_dict())
        search = search.source(["document_id", "kind", "title", "url", "summary", "location"])
        if spelling and query.text.strip():
            search = search.suggest(
                "spelling",
                query.text,
                term={"field": "spelling", "suggest_mode": "missing", "min_word_length": 4},
            )
        return search[query.offset : query.offset + query.limit]

    def _results(self, response: Response[Any], query: Query, suggestion: str | None) -> Results:
        hits = [self._hit(hit, query) for hit in response.hits]
        aggs = response.aggregations
        facets = {"kind": [(b.key, b.doc_count) for b in aggs.kind.buckets]}
        facet_source = aggs.in_kind if query.kinds and query.limit else aggs
        for name in ("persona", "topic", "delivery_unit"):
            if name in facet_source:  # a count asks for kinds alone
                facets[name] = [(b.key, b.doc_count) for b in getattr(facet_source, name).buckets]
        total = sum(
            count for kind, count in facets["kind"] if not query.kinds or kind in query.kinds
        )
        return Results(
            hits=hits,
            total=total,
            facets=facets,
            suggestion=suggestion,
            engine=self.name,
        )

    def _hit(self, hit: DslHit, query: Query) -> Hit:
        highlight = ""
        found = getattr(hit.meta, "highlight", None)
        if found:
            for name in ("summary", "questions", "body"):
                if name in found:
                    highlight = render_highlight(found[name][0])
                    break
        distance = None
        location = getattr(hit, "location", None)
        if query.location and location:
            distance = round(distance_km(query.location, (location["lat"], location["lon"])), 1)
        return Hit(
            document_id=hit.document_id,
            kind=hit.kind,
            title=hit.title,
            url=hit.url,
            summary=hit.summary or "",
            highlight=highlight,
            score=hit.meta.score or 0.0,
            distance_km=distance,
        )

    @staticmethod
    def _suggestion(response: Response[Any], text: str) -> str | None:
        suggestions = getattr(response, "suggest", None)
        if not suggestions or "spelling" not in suggestions:
            return None
        corrections: dict[str, str] = {}
        for entry in suggestions["spelling"]:
            if entry.options:
                corrections[entry.text] = entry.options[0].text
        if not corrections:
            return None

        return " ".join(corrections.get(word, word) for word in words(text))

    def suggest(self, prefix: str, locale: str, limit: int = 6) -> list[Suggestion]:
        prefix = prefix.strip()
        if len(prefix) < 2:
            return []
        body: dict[str, Any] = {
            "suggest": {
                "titles": {
                    "prefix": prefix,
                    "completion": {
                        "field": "suggest",
                        "size": limit * 3,
                        "skip_duplicates": True,
                        "fuzzy": {"fuzziness": "AUTO", "prefix_length": 2, "min_length": 4},
                    },
                }
            },
            "_source": ["title", "url", "kind"],
        }
        response = self._call(self.client.search, index=alias_for(locale), **body)
        seen: set[str] = set()
        found: list[Suggestion] = []
        for option in response["suggest"]["titles"][0]["options"]:
            document = option["_source"]
            if document["url"] in seen:
                continue
            seen.add(document["url"])
            found.append(
                {"title": document["title"], "url": document["url"], "kind": document["kind"]}
            )
        return found[:limit]

    def nearby(
        self, query: Query, limit: int = 3, within_km: float = NEARBY_RADIUS_KM
    ) -> list[Hit]:
        if not query.location:
            return []
        lat, lon = query.location
        filters = [
            *self._filters(query),
            Q("term", kind="service"),
            Q("geo_distance", distance=f"{within_km}km", location={"lat": lat, "lon": lon}),
        ]
        must = [self._text_query(query)] if query.clauses else []
        # Nearest first. (elasticsearch.dsl types sort() for flat options only.)
        by_distance: dict[str, Any] = {
            "_geo_distance": {
                "location": {"lat": lat, "lon": lon},
                "order": "asc",
                "unit": "km",
            }
        }
        search = (
            Search(using=self.client, index=alias_for(query.locale))
            .query(Q("bool", must=must, filter=filters))
            .sort(by_distance)
            .source(["document_id", "kind", "title", "url", "summary", "location"])[:limit]
        )
        response = self._call(search.execute)
        return [self._hit(hit, query) for hit in response.hits]
