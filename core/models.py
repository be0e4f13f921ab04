"""Ownership: the delivery units that own content and answer requests.

A delivery unit is the part of the council that owns content and answers requests. Ownership,
not the page tree, decides who may edit something: the tree follows residents' intents, while
responsibility follows the organisation. Every app's owned objects (journeys, forms, content
pages, services, stories) point here, so the model lives in the shared kernel.

The tables keep the names they were created with (``personas_deliveryunit``): the model moved
here from the personas app with a state-only migration, so no row was copied or lost.
"""

from django.conf import settings
from django.db import models
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
