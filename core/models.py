"""Ownership: the delivery units that own content and answer requests.

A delivery unit is the part of the council that owns content and answers requests. Ownership,
not the page tree, decides who may edit something: the tree follows residents' intents, while
responsibility follows the organisation. Every app's owned objects (journeys, forms, content
pages, services, stories) point here, so the model lives in the shared kernel.

The tables keep the names they were created with (``personas_deliveryunit``): the model moved
here from the personas app with a state-only migration, so no row was copied or lost.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class DeliveryUnit(index.Indexed, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_url = models.URLField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delivery_units",
        help_text="Staff who edit this unit's content or own its backlog.",
        db_table="personas_deliveryunit_members",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("contact_url"),
        FieldPanel("members"),
    ]
    search_fields = [index.SearchField("name")]

    class Meta:
        db_table = "personas_deliveryunit"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OwnedMixin(models.Model):
    """Every journey, form and content page has an owning delivery unit and a review-by date."""

    delivery_unit = models.ForeignKey(
        DeliveryUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="+",
        verbose_name=_("owning delivery unit"),
    )
    review_by = models.DateField(
        null=True,
        blank=False,
        help_text="When the owner must next check this is still right.",
    )

    ownership_panels = [FieldPanel("delivery_unit"), FieldPanel("review_by")]

    class Meta:
        abstract = True


class ScheduledJob(models.Model):
    """When a periodic job (core/scheduler.py) last ran, when it is next due, and how it went.

    One row per job name. Workers claim a due row with a single conditional UPDATE, so however
    many workers tick at once, each run of a job is enqueued once. The row is bookkeeping only:
    the schedule itself is registered in code by the app that owns the job.
    """

    ENQUEUED = "enqueued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    # Operators read these (``manage.py worker --list``); residents never see them.
    STATUS_CHOICES = [
        (ENQUEUED, "Waiting for a worker"),
        (RUNNING, "Running"),
        (SUCCEEDED, "Finished"),
        (FAILED, "Failed"),
    ]

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    last_error = models.TextField(blank=True)
    # The queued task of the last run, so its outcome can be written back here.
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CreationClaim(models.Model):
    """One "new object" form in the admin, and the object it made (core/create_once.py).

    Wagtail's autosave creates the object from the create form and only then points the form at
    the edit view; a save sent before that answer arrives (the editor's own "Submit", or the next
    autosave) went to the create view again and made a second object. Each create form carries
    a token; the first request to use it records the object here, in the same transaction, and
    any later one with that token edits that object instead. Rows are forgotten after a day.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.content_type} {self.object_id}"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("The audit trail is append-only: entries are never changed.")


class AuditEntry(models.Model):
    """Who looked at, downloaded, exported, changed or erased residents' data, when and from where.

    Append-only: ``save`` refuses to change an entry that exists, ``delete`` refuses, and the
    admin offers neither. Entries go only when they are older than the audit retention period
    (``SIGNPOST_AUDIT_KEEP_DAYS``, ``core.audit.prune``). What the entry names is a reference
    ("NBC-1234-ABCD") or a masked address ("s***@example.org"): the trail itself holds no
    resident's answers or full address, so erasing a resident leaves it true and harmless.
    """

    # Staff words only, in English like the inbox (residents never see the trail).
    VIEWED = "viewed"
    DOWNLOADED = "downloaded"
    EXPORTED = "exported"
    CHANGED = "changed"
    SEARCHED = "searched"
    ERASED = "erased"
    ACTION_CHOICES = [
        (VIEWED, "Viewed"),
        (DOWNLOADED, "Downloaded a file"),
        (EXPORTED, "Exported"),
        (CHANGED, "Changed"),
        (SEARCHED, "Searched for a resident"),
        (ERASED, "Erased"),
    ]

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Kept as written, so the entry still says who after the account is deleted.
    username = models.CharField(max_length=150, editable=False)
    action = models.CharField(max_length=20, choices=ACTION_CHOICES, db_index=True, editable=False)
    # What it was about: "request NBC-1234-ABCD", "resident s***@example.org", "inbox export".
    subject = models.CharField(max_length=200, db_index=True, editable=False)
    detail = models.CharField(max_length=500, blank=True, editable=False)
    row_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    client_address = models.CharField(max_length=45, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only: entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only: entries leave only by age.")
