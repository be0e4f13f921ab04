"""What search keeps in the database: the outbox, the embedded index, synonyms and the query log.

None of these hold anything about a resident: the query log stores the words searched for
(with anything that looks like an email, phone number or postcode blanked out), never who
searched.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class OutboxEntry(models.Model):
    """One change the search index has not seen yet.

    Written in the same database transaction as the content change, so a change can never
    be committed without its entry, and drained by ``search_sync``. An entry is removed
    only once every engine has taken the change: when Elasticsearch is down entries wait.
    """

    INDEX = "index"
    DELETE = "delete"
    ACTIONS = [(INDEX, "Index"), (DELETE, "Delete")]

    action = models.CharField(max_length=10, choices=ACTIONS)
    model_label = models.CharField(max_length=100)  # e.g. "cms.contentpage"
    object_pk = models.CharField(max_length=64, blank=True)
    document_id = models.CharField(max_length=200, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)  # tries that did not apply it
    last_error = models.TextField(blank=True)
    # Set when an engine has rejected this document SEARCH_SYNC_MAX_ATTEMPTS times (e.g. a value
    # its mapping refuses): the sync stops trying, so one bad document cannot hold up the rest,
    # and /healthz reports it. ``search_sync --retry-parked`` (or a rebuild) tries it again.
    parked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")

    def __str__(self) -> str:
        return f"{self.action} {self.document_id}"


class SyncState(models.Model):
    """How the search sync is doing, in one row, for /healthz and for operators.

    Kept in the database rather than in the sync process's memory so that the web processes
    (which answer /healthz) can read it, and so it survives the process: whichever process
    drains the outbox (``search_sync --forever`` or a task worker) writes here.
    """

    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # Set at the first failed pass of a run of failures, cleared by the next pass that works.
    failing_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Elasticsearch indices a failed rebuild could not delete at the time (the node was down):
    # the next sync pass or rebuild deletes them.
    orphan_indices = models.JSONField(default=list, blank=True)

    class Meta:
        # Not translated: no screen shows this model (operators read it through /healthz).
        verbose_name = "search sync state"

    def __str__(self) -> str:
        return f"search sync: {self.last_error or 'ok'}"


class IndexedDocument(models.Model):
    """One document in the embedded engine (and the store "popular" results are read from).

    The full-text side lives next to it: an FTS5 table on SQLite, a generated tsvector
    column on PostgreSQL (both made by migration 0002 for the database in use).
    Personas and topics are kept as "|a|b|" so both databases can filter them with LIKE.
    """

    document_id = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, db_index=True)
    locale = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500, db_index=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    questions = models.TextField(blank=True)  # one per line
    personas = models.TextField(blank=True)  # "|tenants|parents|"
    topics = models.TextField(blank=True)  # "|bins|recycling|"
    delivery_unit = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)
    live = models.BooleanField(default=True)
    fingerprint = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("indexed document")

    def __str__(self) -> str:
        return self.document_id

    @staticmethod
    def pack(values: Sequence[str]) -> str:
        return "|" + "|".join(values) + "|" if values else ""

    @staticmethod
    def unpack(packed: str) -> list[str]:
        return [value for value in packed.split("|") if value]


class VocabularyTerm(models.Model):
    """A word that appears in the embedded index, for "did you mean" and typo tolerance."""

    locale = models.CharField(max_length=20)
    term = models.CharField(max_length=100)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("locale", "term")]

    def __str__(self) -> str:
        return self.term


class Synonym(models.Model):
    """Words residents use for the same thing, e.g. "bin, refuse, rubbish, waste".

    Applied when a query is run, not when content is indexed, so a change works at once on
    every engine without a rebuild.
    """

    terms = models.TextField(
        help_text=_(
            "Words or phrases that mean the same thing to residents, separated by commas, "
            "e.g. \u201cblue badge, disabled parking\u201d."
        )
    )
    note = models.CharField(
        max_length=200, blank=True, help_text=_("Why this group exists (optional).")
    )

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym group")

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [term.strip().lower() for term in self.terms.split(",") if term.strip()]

    def clean(self) -> None:

        if len(self.term_list) < 2:
            raise ValidationError(
                {"terms": _("Enter at least two words or phrases, separated by commas.")}
            )


class QueryLog(models.Model):
    """One search, without personal data: the words, filters and how many results came back."""

    query = models.CharField(max_length=200, db_index=True)  # normalised and redacted
    locale = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, blank=True)
    persona = models.CharField(max_length=80, blank=True)
    with_postcode = models.BooleanField(default=False)  # the postcode itself is never kept
    result_count = models.PositiveIntegerField()
    engine = models.CharField(max_length=20)
    # The day of the search itself: rows are written later, in batches (search.analytics).
    searched_on = models.DateField(default=timezone.localdate, db_index=True)
    # Joins the resident's click to this search before the row exists (search.analytics).
    token = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        permissions = [("view_search_reports", "Can view search reports")]

    def __str__(self) -> str:
        return self.query


class SearchClick(models.Model):
    """A result a resident chose, and where it was in the list (1 = first)."""

    log = models.ForeignKey(QueryLog, on_delete=models.CASCADE, related_name="clicks")
    url = models.CharField(max_length=500)
    position = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.log.query} -> {self.url} (#{self.position})"


class SearchFeedback(models.Model):
    """What a resident told us they were looking for, from a search that found little or nothing.

    Nothing here says who wrote it: the form asks for no personal details, and emails, phone
    numbers, postcodes and long numbers are blanked out of the words before they are stored
    (``search.text.redact``). The product owners read it as evidence for their backlog.
    """

    query = models.CharField(max_length=200, blank=True)  # the search, as the query log keeps it
    text = models.CharField(max_length=500)  # what they were looking for, redacted
    locale = models.CharField(max_length=20)
    result_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("search feedback")
        verbose_name_plural = _("search feedback")

    def __str__(self) -> str:
        return self.text
