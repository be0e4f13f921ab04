"""The embedded engine: search inside the database the site already has.

SQLite uses an FTS5 table (porter stemming, BM25 with per-column weights); PostgreSQL uses a
generated, weighted tsvector column with a GIN index (migration 0002 makes whichever fits).
Everything else (filters, facets, distance, suggestions, "did you mean") is shared and runs on
the ``IndexedDocument`` table, so both databases behave the same way.

Languages other than English are matched in a second full-text index of folded words
(``search.folding``: the Arabic definite article and letter variants, Polish diacritics):
``search_fts_folded`` on SQLite, the ``folded_vector`` column on PostgreSQL (migration 0005).
Highlights still come from the words as written.

It is also the fallback when Elasticsearch is down, so ``search_sync`` keeps it current
whichever engine is configured.
"""

from __future__ import annotations

import difflib
import functools
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from django.db import connection, transaction
from django.db.models import Q

from core.geo import distance_km

from .. import vocabulary as held_words
from ..folding import fold, folds
from ..models import IndexedDocument, VocabularyTerm
from ..text import words
from .base import (
    FIELD_BOOST,
    HEADING_ENOUGH,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    KIND_BOOST,
    NEARBY_RADIUS_KM,
    Engine,
    Hit,
    Results,
    distance_decay,
    render_highlight,
    required_clauses,
    sorted_facet,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ..registry import SearchDocument
    from ..text import Clause
    from .base import Progress, Query, Rejections, Suggestion

FTS_TABLE = "search_fts"
FOLDED_TABLE = "search_fts_folded"
FTS_COLUMNS = ("title", "questions", "summary", "topics", "body")
# The headings of each document, without the body (migration 0007, SQLite).
HEADING_TABLE = "search_fts_heading"
HEADING_COLUMNS = FTS_COLUMNS[:4]
# PostgreSQL's search_vector weighs title and questions A, summary B, topics C, body D.
PG_HEADING_WEIGHTS = "{a,b,c}"
# Each full-text table and its columns, as migrations 0002, 0005 and 0007 made them.
FULLTEXT_TABLES = (
    (FTS_TABLE, FTS_COLUMNS),
    (HEADING_TABLE, HEADING_COLUMNS),
    (FOLDED_TABLE, FTS_COLUMNS),
)
TOKENIZER = "porter unicode61 remove_diacritics 2"
# IndexedDocument's columns but its id, in the order ``_insert_new`` gives them.
ROW_COLUMNS = (
    "document_id",
    "kind",
    "locale",
    "title",
    "url",
    "summary",
    "body",
    "questions",
    "personas",
    "topics",
    "delivery_unit",
    "latitude",
    "longitude",
    "last_updated",
    "live",
    "fingerprint",
)
BATCH = 1000

# A matching document: (pk, kind, score, latitude, longitude, personas, topics, delivery_unit),
# personas and topics packed as in IndexedDocument.
Match = tuple[int, str, float, float | None, float | None, str, str, str]
# A result to show: (score, pk, distance in km or None).
Ranked = tuple[float, int, float | None]
Vocabulary = defaultdict[str, Counter[str]]  # locale -> term -> documents
# The SQL of a set of documents and its params, as a subquery.
Compiled = tuple[str, tuple[Any, ...]]
# What ``_matched_sql`` reads of each matching document, in this order.
MATCH_COLUMNS = ("id", "kind", "latitude", "longitude", "personas", "topics", "delivery_unit")
# On SQLite, an index holding just those columns (and the filters'), made by migration 0008.
MATCH_INDEX = "search_doc_match"


def compiled(
    documents: QuerySet[IndexedDocument], columns: tuple[str, ...] = MATCH_COLUMNS
) -> Compiled:
    """The SQL and params of ``documents``' ``columns``, to go inside a full-text statement."""
    sql, params = documents.values_list(*columns).query.sql_with_params()
    return sql, tuple(params)


def scoped(
    locale: str,
    personas: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    delivery_units: tuple[str, ...] = (),
) -> QuerySet[IndexedDocument]:
    """A locale's live documents, with every persona and topic and one of the units asked for."""
    documents = IndexedDocument.objects.filter(locale=locale, live=True)
    for persona in personas:
        documents = documents.filter(personas__contains=f"|{persona}|")
    for topic in topics:
        documents = documents.filter(topics__contains=f"|{topic}|")
    if delivery_units:
        documents = documents.filter(delivery_unit__in=delivery_units)
    return documents


@functools.lru_cache(maxsize=512)
def scoped_sql(
    vendor: str,
    locale: str,
    personas: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    delivery_units: tuple[str, ...] = (),
    columns: tuple[str, ...] = MATCH_COLUMNS,
) -> Compiled:
    """``compiled(scoped(...))``, worked out once per process for each set of filters.

    Building and compiling those querysets was about a twentieth of a search's CPU on 100,000
    pages, and their SQL only ever depends on the filters (and the database: ``vendor``).

    On SQLite the documents' match columns are read from ``MATCH_INDEX``, which SQLite would
    not choose itself: the primary key looks cheaper to it, though reaching the columns after
    the body through the table costs a walk over each row's overflow pages.
    """
    sql, params = compiled(scoped(locale, personas, topics, delivery_units), columns)
    if vendor == "sqlite" and columns == MATCH_COLUMNS:
        table = f'FROM "{IndexedDocument._meta.db_table}"'
        sql = sql.replace(table, f"{table} INDEXED BY {MATCH_INDEX}", 1)
    return sql, params


def query_scope_sql(query: Query, columns: tuple[str, ...] = MATCH_COLUMNS) -> Compiled:
    """The SQL of the documents ``query`` looks in (its locale and filters)."""
    return scoped_sql(
        connection.vendor,
        query.locale,
        tuple(query.personas),
        tuple(query.topics),
        tuple(query.delivery_units),
        columns,
    )


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _row(document: SearchDocument) -> IndexedDocument:
    latitude, longitude = document.location or (None, None)
    return IndexedDocument(
        document_id=document.id,
        kind=document.kind,
        locale=document.locale,
        title=document.title,
        url=document.url,
        summary=document.summary,
        body=document.body,
        questions="\n".join(document.questions),
        personas=IndexedDocument.pack(document.personas),
        topics=IndexedDocument.pack(document.topics),
        delivery_unit=document.delivery_unit,
        latitude=latitude,
        longitude=longitude,
        last_updated=document.last_updated,
        live=document.live,
        fingerprint=document.fingerprint(),
    )


# Any number that no other advisory lock in the database uses: "SIGN" in ASCII.
WRITE_LOCK_KEY = 0x5349474E


def _lock_for_writing() -> None:
    """Make writers to the index take turns, until the current transaction ends.

    Two workers draining the outbox at once may both hold the same document (two edits of
    one page): each deletes the old row and inserts the new one, and on PostgreSQL the second
    insert then meets the first's unique ``document_id`` and fails. An advisory lock held for
    the transaction makes the second writer wait and then replace the first's row. SQLite lets
    one writer in at a time already.
    """
    if not is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])


class EmbeddedEngine(Engine):
    name = "embedded"

    # -- writing -------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> Rejections:
        """Write documents; the database takes any document, so nothing is ever rejected."""
        documents = [document for document in documents if document.live]
        if not documents:
            return {}
        with transaction.atomic():
            _lock_for_writing()
            self._remove(IndexedDocument.objects.filter(document_id__in=[d.id for d in documents]))
            rows = IndexedDocument.objects.bulk_create([_row(d) for d in documents])
            self._write_fulltext(rows)
            self._add_vocabulary(documents)
        held_words.forget()
        return {}

    def delete(self, document_ids: Iterable[str]) -> Rejections:
        with transaction.atomic():
            _lock_for_writing()
            self._remove(IndexedDocument.objects.filter(document_id__in=list(document_ids)))
        return {}

    def rebuild(self, documents: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Swap the whole index in one transaction: searches see the old one until commit."""
        count = 0
        vocabulary: Vocabulary = defaultdict(Counter)
        with transaction.atomic():
            _lock_for_writing()
            self._remove_everything()
            VocabularyTerm.objects.all().delete()
            batch: list[SearchDocument] = []
            for document in documents:
                if not document.live:
                    continue
                batch.append(document)
                if len(batch) >= BATCH:
                    count += self._rebuild_batch(batch, vocabulary, progress)
                    batch = []
            if batch:
                count += self._rebuild_batch(batch, vocabulary, progress)
            self._merge_fulltext()
            VocabularyTerm.objects.bulk_create(
                [
                    VocabularyTerm(locale=locale, term=term, documents=n)
                    for locale, terms in vocabulary.items()
                    for term, n in terms.items()
                ],
                batch_size=BATCH,
            )
        held_words.forget()
        return count

    def _merge_fulltext(self) -> None:
        """Merge each new full-text table into one segment (FTS5's ``optimize``; SQLite only).

        FTS5 writes its index in segments, a new one each time its in-memory buffer fills: a
        100,000-document rebuild left 9 in ``search_fts`` and 7 in the heading table. A search
        looks a word up in every segment, and a highlight, asked for ten rows by rowid, walks
        every segment's list for each word. Merged once here (about 1.3 s at 100,000
        documents), the highlights took 0.6 ms a search instead of 1.6, and every search's SQL
        0.8 ms less (6 December, the 46 residents' queries). Incremental writes add small
        segments again, which FTS5 merges as they accumulate.
        """
        if not is_sqlite():
            return
        with connection.cursor() as cursor:
            for table, _columns in FULLTEXT_TABLES:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")

    def _rebuild_batch(
        self, batch: list[SearchDocument], vocabulary: Vocabulary, progress: Progress | None
    ) -> int:
        rows = self._insert_new([_row(d) for d in batch])
        self._write_fulltext(rows, fresh=True)
        for document in batch:
            vocabulary[document.locale].update(self._terms(document))
        if progress:
            progress(len(batch))
        return len(batch)

    def _insert_new(self, rows: list[IndexedDocument]) -> list[IndexedDocument]:
        """Insert rows into an emptied index, giving them their ids.

        On SQLite one ``executemany`` with the values as they are: Django's ``bulk_create``
        prepared each of the 16 values of every row one by one, a sixth of a 100,000-document
        rebuild. The ids continue from the highest ever given, as AUTOINCREMENT does.
        """
        if not is_sqlite():
            return IndexedDocument.objects.bulk_create(rows)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"COALESCE((SELECT MAX(id) FROM {IndexedDocument._meta.db_table}), 0))",
                [IndexedDocument._meta.db_table],
            )
            (last,) = cursor.fetchone()
            adapt = connection.ops.adapt_datetimefield_value
            for number, row in enumerate(rows, start=last + 1):
                row.pk = number
            cursor.executemany(
                f"INSERT INTO {IndexedDocument._meta.db_table} (id, {', '.join(ROW_COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * (len(ROW_COLUMNS) + 1))})",
                [
                    (
                        row.pk,
                        row.document_id,
                        row.kind,
                        row.locale,
                        row.title,
                        row.url,
                        row.summary,
                        row.body,
                        row.questions,
                        row.personas,
                        row.topics,
                        row.delivery_unit,
                        row.latitude,
                        row.longitude,
                        adapt(row.last_updated),
                        row.live,
                        row.fingerprint,
                    )
                    for row in rows
                ],
            )
        return rows

    def _remove_everything(self) -> None:
        """Empty the index. SQLite's full-text tables are made anew rather than emptied row by
        row (a fifth of a rebuild's time at 100,000 documents); inside the rebuild's
        transaction, so searches meanwhile still see the old ones."""
        if is_sqlite():
            with connection.cursor() as cursor:
                for table, columns in FULLTEXT_TABLES:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
                    cursor.execute(
                        f"CREATE VIRTUAL TABLE {table} USING fts5("
                        f"{', '.join(columns)}, tokenize = '{TOKENIZER}')"
                    )
        IndexedDocument.objects.all().delete()

    def _remove(self, queryset: QuerySet[IndexedDocument]) -> None:
        if is_sqlite():
            ids = list(queryset.values_list("pk", flat=True))
            with connection.cursor() as cursor:
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    marks = ",".join(["%s"] * len(chunk))
                    for table in (FTS_TABLE, HEADING_TABLE, FOLDED_TABLE):
                        cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)
        queryset.delete()

    def _write_fulltext(self, rows: list[IndexedDocument], fresh: bool = False) -> None:
        """The words as written (SQLite only: PostgreSQL computes that tsvector itself), then the
        folded words of every row not in English. ``fresh``: the rows are new to empty
        tables (a rebuild), so there is nothing to replace."""
        self._write_folded([row for row in rows if folds(row.locale)], fresh)
        if not is_sqlite() or not rows:
            return
        values = [
            (
                row.pk,
                row.title,
                row.questions,
                row.summary,
                " ".join(t.replace("-", " ") for t in IndexedDocument.unpack(row.topics)),
                row.body,
            )
            for row in rows
        ]
        written = ",".join(str(v[0]) for v in values)
        with connection.cursor() as cursor:
            for table in () if fresh else (FTS_TABLE, HEADING_TABLE):
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({written})")
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",
                values,
            )
            cursor.executemany(
                f"INSERT INTO {HEADING_TABLE} (rowid, {', '.join(HEADING_COLUMNS)}) VALUES (%s, %s, %s, %s, %s)",
                [value[:5] for value in values],
            )

    def _write_folded(self, rows: list[IndexedDocument], fresh: bool = False) -> None:
        if not rows:
            return
        values = [
            (
                row.pk,
                fold(row.title),
                fold(row.questions),
                fold(row.summary),
                fold(" ".join(t.replace("-", " ") for t in IndexedDocument.unpack(row.topics))),
                fold(row.body),
            )
            for row in rows
        ]
        with connection.cursor() as cursor:
            if is_sqlite():
                if not fresh:
                    cursor.execute(
                        f"DELETE FROM {FOLDED_TABLE} WHERE rowid IN ({','.join(str(v[0]) for v in values)})"
                    )
                cursor.executemany(
                    f"INSERT INTO {FOLDED_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)",
                    values,
                )
            else:
                cursor.executemany(
                    "UPDATE search_indexeddocument SET folded_vector = "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'B') || "
                    "setweight(to_tsvector('simple', %s), 'C') || "
                    "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
                    [(*folded, pk) for pk, *folded in values],
                )

    @staticmethod
    def _terms(document: SearchDocument) -> set[str]:
        text = " ".join([document.title, *document.questions, document.summary, document.body])
        return {word for word in set(words(text)) if 2 < len(word) <= 40 and not word.isdigit()}

    def _add_vocabulary(self, documents: list[SearchDocument]) -> None:
        wanted = {(d.locale, term) for d in documents for term in self._terms(d)}
        locales = {locale for locale, _ in wanted}
        existing = set(
            VocabularyTerm.objects.filter(
                locale__in=locales, term__in={t for _, t in wanted}
            ).values_list("locale", "term")
        )
        VocabularyTerm.objects.bulk_create(
            [
                VocabularyTerm(locale=locale, term=term, documents=1)
                for locale, term in wanted - existing
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    # -- reading -------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        return dict(IndexedDocument.objects.values_list("document_id", "fingerprint"))

    def _filtered(self, query: Query) -> QuerySet[IndexedDocument]:
        return scoped(
            query.locale,
            tuple(query.personas),
            tuple(query.topics),
            tuple(query.delivery_units),
        )

    def search(self, query: Query) -> Results:
        clauses, corrections = self.correct(query.clauses, query.locale)
        suggestion = corrected_text(query.text, corrections)
        if not clauses:
            return Results(hits=[], total=0, facets={}, suggestion=None, engine=self.name)
        if not query.location and query.limit == 0 and not query.kinds:
            return self._count_in_sql(query, clauses, suggestion)
        if not query.location:
            return self._search_in_sql(query, clauses, suggestion)
        # Near a postcode: distance needs trigonometry, done here rather than in SQL.
        matches = self._match(clauses, compiled(self._filtered(query)), query.locale)
        kind_counts = Counter(row[1] for row in matches)
        if query.kinds:
            matches = [row for row in matches if row[1] in query.kinds]
        scored: list[Ranked] = []
        for pk, kind, score, latitude, longitude, *_ in matches:
            score *= KIND_BOOST.get(kind, 1.0)
            distance = None
            if query.location and latitude is not None and longitude is not None:
                distance = distance_km(query.location, (latitude, longitude))
                score *= 1 + distance_decay(distance)
            scored.append((score, pk, distance))
        scored.sort(key=lambda item: (-item[0], item[1]))
        page = scored[query.offset : query.offset + query.limit]
        hits = self._hits(page, clauses)
        facets = {"kind": sorted_facet(kind_counts)}
        packed_columns: tuple[tuple[str, Literal[5, 6]], ...] = (("persona", 5), ("topic", 6))
        for name, position in packed_columns:
            counter: Counter[str] = Counter()
            for row in matches:
                counter.update(IndexedDocument.unpack(row[position]))
            facets[name] = sorted_facet(counter)
        facets["delivery_unit"] = sorted_facet(Counter(row[7] for row in matches if row[7]))
        return Results(
            hits=hits,
            total=len(matches),
            facets=facets,
            suggestion=suggestion,
            engine=self.name,
        )

    def _matched_sql(
        self,
        clauses: list[Clause],
        documents: Compiled,
        locale: str = "en-gb",
        required: int = 1,
        heading: bool = False,
        only_if: tuple[str, tuple[Any, ...]] | None = None,
    ) -> tuple[str, tuple[Any, ...]]:
        """SQL (and params) of the matching documents with their text-relevance score.

        Columns: id, kind, latitude, longitude, personas, topics, delivery_unit, score.
        A document matches at least ``required`` of the clauses (``required_clauses``).
        Languages other than English match the folded index with folded words. ``heading``
        (English): match and score the headings only (``HEADING_TABLE`` on SQLite, weights A
        to C on PostgreSQL). ``only_if``: an SQL condition and its params; when it is false
        nothing is searched. ``documents``: the SQL of those to look in, with ``MATCH_COLUMNS``.
        """
        sql, params = documents
        folded = folds(locale)
        if folded:
            clauses = folded_clauses(clauses)
        if is_sqlite():
            table = FOLDED_TABLE if folded else FTS_TABLE
            columns: tuple[str, ...] = FTS_COLUMNS
            if heading and not folded:
                table, columns = HEADING_TABLE, HEADING_COLUMNS
            weights = ", ".join(str(FIELD_BOOST[column]) for column in columns)
            # CROSS JOIN keeps the full-text index as the outer loop: one MATCH, then each
            # match's row by primary key. Left to itself SQLite may walk the documents and
            # re-run the MATCH for each one's rowid (60x slower at 10,000 documents).
            match, match_params = "%s", ()
            if only_if:
                # SQLite opens a full-text scan before it tests a constant condition, and
                # opening one over common words is most of its cost: the condition decides
                # what is matched instead, and an empty phrase ("") matches nothing at once.
                match, match_params = f"CASE WHEN {only_if[0]} THEN %s ELSE '\"\"' END", only_if[1]
            return (
                f"SELECT d.*, -bm25({table}, {weights}) AS score FROM {table} "
                f"CROSS JOIN ({sql}) d ON d.id = {table}.rowid WHERE {table} MATCH {match}",
                (*params, *match_params, fts5_expression(clauses, required)),
            )
        vector = "folded_vector" if folded else "search_vector"
        tsquery, tsparams = pg_tsquery(clauses, "simple" if folded else "english", required)
        scored, condition, condition_params = f"x.{vector}", "", ()
        if heading and not folded:
            # The index finds the rows by the whole vector; the headings (weights A to C)
            # then decide, as the heading table does on SQLite.
            scored = f"ts_filter(x.{vector}, '{PG_HEADING_WEIGHTS}')"
            condition = f" AND {scored} @@ q.query"
        if only_if:
            condition += f" AND {only_if[0]}"
            condition_params = only_if[1]
        return (
            f"SELECT d.*, ts_rank('{{0.1, 0.3, 0.5, 1.0}}', {scored}, q.query) AS score "
            f"FROM ({sql}) d JOIN search_indexeddocument x ON x.id = d.id, "
            f"(SELECT {tsquery} AS query) q WHERE x.{vector} @@ q.query{condition}",
            (*params, *tsparams, *condition_params),
        )

    def _tiered_sql(
        self,
        clauses: list[Clause],
        documents: Compiled,
        locale: str,
        required: int,
    ) -> tuple[str, tuple[Any, ...]]:
        """SQL of the results (columns as ``_matched_sql``): the documents with the words in
        their headings when there are at least ``HEADING_ENOUGH`` of them, else every document
        with the words anywhere.

        This is what bounds a search's work on a large site. On 100,000 council pages "home
        schooling" is in the body of 45,523 and in the headings of 1,121: scoring, counting
        and grouping the 45,523 took about 150 ms; the 1,121 are the pages about it, and the
        rest mention it in passing. A small site, or a rare word, has fewer than
        ``HEADING_ENOUGH`` heading matches, and then nothing is left out. The choice is made
        inside the one statement (a capped count, read once), and the branch not chosen
        matches nothing. English only: other languages search the whole text.
        """
        if folds(locale):
            return self._matched_sql(clauses, documents, locale, required)
        # Decided over the locale's documents, not the filtered ones: the number a filter shows
        # beside itself is then what choosing it finds.
        everything = scoped_sql(connection.vendor, locale)
        if is_sqlite():
            ids, id_params = scoped_sql(connection.vendor, locale, columns=("id",))
            enough = (
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM {HEADING_TABLE} CROSS JOIN ({ids}) e "
                f"ON e.id = {HEADING_TABLE}.rowid WHERE {HEADING_TABLE} MATCH %s "
                f"LIMIT {HEADING_ENOUGH})) >= {HEADING_ENOUGH}"
            )
            enough_params: tuple[Any, ...] = (*id_params, fts5_expression(clauses, required))
        else:
            # Uncorrelated: PostgreSQL reads it once (an InitPlan) for both branches.
            in_headings, in_headings_params = self._matched_sql(
                clauses, everything, locale, required, heading=True
            )
            enough = (
                f"(SELECT COUNT(*) FROM ({in_headings} LIMIT {HEADING_ENOUGH}) h) "
                f">= {HEADING_ENOUGH}"
            )
            enough_params = in_headings_params
        heading, heading_params = self._matched_sql(
            clauses, documents, locale, required, heading=True, only_if=(enough, enough_params)
        )
        full, full_params = self._matched_sql(
            clauses, documents, locale, required, only_if=(f"NOT {enough}", enough_params)
        )
        return f"{heading} UNION ALL {full}", (*heading_params, *full_params)

    def _match(
        self, clauses: list[Clause], documents: Compiled, locale: str = "en-gb"
    ) -> list[Match]:
        """[(pk, kind, score, latitude, longitude, personas, topics, delivery_unit)] for matches:
        those with most of the words (``required_clauses``), else those with any."""
        if not clauses:
            return []
        rows = self._matched_rows(clauses, documents, locale, required_clauses(len(clauses)))
        if not rows and len(clauses) > 1:
            rows = self._matched_rows(clauses, documents, locale, 1)
        return [
            (pk, kind, float(score), latitude, longitude, personas, topics, unit)
            for pk, kind, latitude, longitude, personas, topics, unit, score in rows
        ]

    def _matched_rows(
        self,
        clauses: list[Clause],
        documents: Compiled,
        locale: str,
        required: int,
    ) -> list[Any]:
        sql, params = self._tiered_sql(clauses, documents, locale, required)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[Any] = cursor.fetchall()
        return rows

    def _search_in_sql(
        self, query: Query, clauses: list[Clause], suggestion: str | None
    ) -> Results:
        """Ranking, paging and facets done by the database, over the documents with most of
        the words (``required_clauses``), or with any of them when none has most.

        Requiring most of the words is what keeps a search fast on a large site: on 100,000
        council pages "help for carers" matched 89,544 of them word by word, every one scored
        and counted; with both words, 33,682.
        """
        results = self._ranked_in_sql(query, clauses, suggestion, required_clauses(len(clauses)))
        if results.total or len(clauses) < 2:
            return results
        return self._ranked_in_sql(query, clauses, suggestion, 1)

    def _count_in_sql(self, query: Query, clauses: list[Clause], suggestion: str | None) -> Results:
        """How many documents a query finds, in one statement and without scoring them (what
        "did you mean" asks): those with most of the words, or, only when none has most (the
        ``CASE`` reads the second count only then), those with any."""
        required = required_clauses(len(clauses))
        documents = query_scope_sql(query)
        strict, strict_params = self._tiered_sql(clauses, documents, query.locale, required)
        loose, loose_params = self._tiered_sql(clauses, documents, query.locale, 1)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH s(n) AS (SELECT COUNT(*) FROM ({strict}) m) "
                f"SELECT CASE WHEN n > 0 THEN n ELSE (SELECT COUNT(*) FROM ({loose}) l) END FROM s",
                (*strict_params, *loose_params),
            )
            (total,) = cursor.fetchone()
        return Results(
            hits=[], total=int(total), facets={}, suggestion=suggestion, engine=self.name
        )

    def _ranked_in_sql(
        self, query: Query, clauses: list[Clause], suggestion: str | None, required: int
    ) -> Results:
        matched, params = self._tiered_sql(clauses, query_scope_sql(query), query.locale, required)
        boost = " ".join(f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_BOOST.items())
        kind_filter = ""
        kind_params: list[str] = []
        if query.kinds:
            kind_filter = f"WHERE m.kind IN ({','.join(['%s'] * len(query.kinds))})"
            kind_params = list(query.kinds)
        # One statement: the matches are found and scored once (a materialised CTE) and three
        # answers read from them: counts per kind, the ranked page, and the facet groups.
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED ({matched}) "
                "SELECT 'kind', m.kind, NULL, NULL, COUNT(*), NULL FROM m GROUP BY m.kind "
                "UNION ALL SELECT * FROM ("
                f"SELECT 'hit', NULL, NULL, NULL, m.id, m.score * CASE m.kind {boost} ELSE 1 END "
                f"AS ranked FROM m {kind_filter} ORDER BY ranked DESC, m.id LIMIT %s OFFSET %s) p "
                "UNION ALL SELECT 'facet', m.personas, m.topics, m.delivery_unit, COUNT(*), NULL "
                f"FROM m {kind_filter} GROUP BY m.personas, m.topics, m.delivery_unit",
                (*params, *kind_params, query.limit, query.offset, *kind_params),
            )
            rows = cursor.fetchall()
        kind_counts = {kind: count for part, kind, _t, _u, count, _s in rows if part == "kind"}
        page: list[Ranked] = [
            (float(score), pk, None) for part, _k, _t, _u, pk, score in rows if part == "hit"
        ]
        groups = [
            (personas, topics, unit, count)
            for part, personas, topics, unit, count, _s in rows
            if part == "facet"
        ]
        personas: Counter[str] = Counter()
        topics: Counter[str] = Counter()
        units: Counter[str] = Counter()
        for packed_personas, packed_topics, unit, count in groups:
            for persona in IndexedDocument.unpack(packed_personas):
                personas[persona] += count
            for topic in IndexedDocument.unpack(packed_topics):
                topics[topic] += count
            if unit:
                units[unit] += count
        total = sum(
            count for kind, count in kind_counts.items() if not query.kinds or kind in query.kinds
        )
        return Results(
            hits=self._hits(page, clauses),
            total=total,
            facets={
                "kind": sorted_facet(kind_counts),
                "persona": sorted_facet(personas),
                "topic": sorted_facet(topics),
                "delivery_unit": sorted_facet(units),
            },
            suggestion=suggestion,
            engine=self.name,
        )

    def _hits(self, page: list[Ranked], clauses: list[Clause]) -> list[Hit]:
        """The page's documents with their highlights, read in one statement."""
        if not page:
            return []
        pks = [pk for _, pk, _ in page]
        marks = ",".join(["%s"] * len(pks))
        columns = "d.id, d.document_id, d.kind, d.title, d.url, d.summary"
        params: list[str | int]
        if is_sqlite():
            # Column 2 (summary) first, then body (4): a snippet of what residents read. A row
            # the words as written do not match (found through the folded index) has none.
            sql = (
                f"SELECT {columns}, h.summary_snippet, h.body_snippet "
                "FROM search_indexeddocument d LEFT JOIN ("
                f"SELECT rowid, snippet({FTS_TABLE}, 2, %s, %s, '…', 24) AS summary_snippet, "
                f"snippet({FTS_TABLE}, 4, %s, %s, '…', 24) AS body_snippet "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})"
                f") h ON h.rowid = d.id WHERE d.id IN ({marks})"
            )
            params = [
                *[HIGHLIGHT_START, HIGHLIGHT_END] * 2,
                fts5_expression(clauses),
                *pks,
                *pks,
            ]
        else:
            tsquery, tsparams = pg_tsquery(clauses)
            options = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=1"
            sql = (
                f"SELECT {columns}, ts_headline('english', d.summary, q.query, %s), "
                f"ts_headline('english', d.body, q.query, %s) "
                f"FROM search_indexeddocument d, (SELECT {tsquery} AS query) q WHERE d.id IN ({marks})"
            )
            params = [options, options, *tsparams, *pks]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = {row[0]: row for row in cursor.fetchall()}
        hits = []
        for score, pk, distance in page:
            if pk not in rows:
                continue  # removed between the two statements
            _pk, document_id, kind, title, url, summary, *snippets = rows[pk]
            chosen = next(
                (text for text in snippets if text and HIGHLIGHT_START in text), summary or ""
            )
            hits.append(
                Hit(
                    document_id=document_id,
                    kind=kind,
                    title=title,
                    url=url,
                    summary=summary,
                    highlight=render_highlight(chosen),
                    score=score,
                    distance_km=None if distance is None else round(distance, 1),
                )
            )
        return hits

    # -- typo tolerance and "did you mean" --------------------------------------------

    def correct(self, clauses: list[Clause], locale: str) -> tuple[list[Clause], dict[str, str]]:
        """Add close vocabulary words as alternatives for unknown words; suggest the fix.

        This is the embedded engine's fuzzy matching: a misspelt word also matches the words
        the index actually contains that are closest to it.
        """
        unknown = {
            alt[0] for clause in clauses for alt in clause if len(alt) == 1 and len(alt[0]) > 3
        }
        if not unknown:
            return clauses, {}
        corrections: dict[str, str] = {}
        for word in unknown:
            fix = self._closest(word, locale)
            if fix:
                corrections[word] = fix
        if not corrections:
            return clauses, {}
        corrected = []
        for clause in clauses:
            extra = [
                (corrections[alt[0]],) for alt in clause if len(alt) == 1 and alt[0] in corrections
            ]
            corrected.append(clause + [e for e in extra if e not in clause])
        return corrected, corrections

    def _closest(self, word: str, locale: str) -> str | None:
        """The vocabulary word nearest ``word``, or None when ``word`` is known (or nothing is near)."""
        if held_words.knows(word, locale):
            return None
        known = held_words.vocabulary(locale)
        candidates = known.near(word)
        if any(known_variant(word, term) for term in candidates):
            return None
        if folds(locale) and any(fold(term) == fold(word) for term in candidates):
            return None  # the folded index finds it as typed ("zolty" is "żółty")
        close = difflib.get_close_matches(word, candidates, n=3, cutoff=0.8)
        if not close:
            return None
        return max(
            close,
            key=lambda term: (
                difflib.SequenceMatcher(None, word, term).ratio(),
                known.documents[term],
            ),
        )

    # -- suggestions and nearby services ---------------------------------------------

    def suggest(self, prefix: str, locale: str, limit: int = 6) -> list[Suggestion]:
        prefix = " ".join(words(prefix))
        if len(prefix) < 2:
            return []
        documents = IndexedDocument.objects.filter(locale=locale, live=True).filter(
            Q(title__istartswith=prefix)
            | Q(title__icontains=" " + prefix)
            | Q(questions__icontains=prefix)
        )
        rows = list(documents.values_list("title", "url", "kind")[:200])
        rows.sort(
            key=lambda row: (
                not row[0].lower().startswith(prefix),
                -KIND_BOOST.get(row[2], 1.0),
                len(row[0]),
            )
        )
        return [{"title": title, "url": url, "kind": kind} for title, url, kind in rows[:limit]]

    def nearby(
        self, query: Query, limit: int = 3, within_km: float = NEARBY_RADIUS_KM
    ) -> list[Hit]:
        if not query.location:
            return []
        documents = self._filtered(query).filter(kind="service", latitude__isnull=False)
        # A bounding box first (about 1/111 degree per km), exact distance after.
        lat, lon = query.location
        box = within_km / 111.0
        documents = documents.filter(
            latitude__range=(lat - box, lat + box), longitude__range=(lon - box * 2, lon + box * 2)
        )
        if query.clauses:
            pks = {row[0] for row in self._match(query.clauses, compiled(documents), query.locale)}
            documents = documents.filter(pk__in=pks)
        found: list[tuple[float, IndexedDocument]] = []
        for document in documents:
            if document.latitude is None or document.longitude is None:
                continue  # the query above leaves these out already
            km = distance_km(query.location, (document.latitude, document.longitude))
            if km <= within_km:
                found.append((km, document))
        found.sort(key=lambda item: (item[0], item[1].title))
        return [
            Hit(
                document_id=d.document_id,
                kind=d.kind,
                title=d.title,
                url=d.url,
                summary=d.summary,
                distance_km=round(km, 1),
            )
            for km, d in found[:limit]
        ]


def corrected_text(text: str, corrections: dict[str, str]) -> str | None:
    """The query with misspelt words replaced, or None when nothing was corrected."""
    if not corrections:
        return None
    return " ".join(corrections.get(word, word) for word in words(text))


def known_variant(word: str, term: str) -> bool:
    """Whether two words are the same word in another form (bins/bin, emptied/empty)."""
    return crude_stem(word) == crude_stem(term)


def crude_stem(word: str) -> str:
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("es", ""),
        ("ed", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def _fts5_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _combinations(parts: list[str], required: int, conjunction: str, disjunction: str) -> str:
    """``parts`` joined so that at least ``required`` of them must hold."""
    if required <= 1 or len(parts) <= 1:
        return disjunction.join(parts)
    groups = [
        "(" + conjunction.join(group) + ")"
        for group in itertools.combinations(parts, min(required, len(parts)))
    ]
    return disjunction.join(groups)


def fts5_expression(clauses: list[Clause], required: int = 1) -> str:
    """FTS5 MATCH text: each clause's alternatives joined with OR, every word quoted, and at
    least ``required`` clauses matched (1: any)."""
    parts = []
    for clause in clauses:
        alternatives = [_fts5_quote(" ".join(alt)) for alt in clause]
        parts.append("(" + " OR ".join(alternatives) + ")")
    return _combinations(parts, required, " AND ", " OR ")


def folded_clauses(clauses: list[Clause]) -> list[Clause]:
    """The query's words folded as the folded index holds them (``search.folding``)."""
    folded: list[Clause] = []
    for clause in clauses:
        alternatives: Clause = []
        for alt in clause:
            phrase = tuple(fold(" ".join(alt)).split())
            if phrase and phrase not in alternatives:
                alternatives.append(phrase)
        if alternatives:
            folded.append(alternatives)
    return folded


def pg_tsquery(
    clauses: list[Clause], config: str = "english", required: int = 1
) -> tuple[str, list[str]]:
    """A tsquery SQL expression with its parameters: phrases as phrases, a clause's
    alternatives joined with OR, and at least ``required`` clauses matched (1: any)."""
    pieces: list[str] = []
    params: list[str] = []
    for clause in clauses:
        alternatives: list[str] = []
        for alt in clause:
            function = "phraseto_tsquery" if len(alt) > 1 else "plainto_tsquery"
            alternatives.append(f"{function}('{config}', %s)")
        pieces.append("(" + " || ".join(alternatives) + ")")
    expression = _combinations(pieces, required, " && ", " || ")
    if required > 1 and len(pieces) > 1:
        # The same clause appears in several groups: its words are passed once per appearance.
        for group in itertools.combinations(range(len(clauses)), min(required, len(clauses))):
            for index in group:
                params.extend(" ".join(alt) for alt in clauses[index])
    else:
        for clause in clauses:
            params.extend(" ".join(alt) for alt in clause)
    return "(" + expression + ")", params
