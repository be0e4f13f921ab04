"""The product owners' backlog and the evidence beside it.

Each delivery unit's product owner keeps a ranked list of user stories, scored with the council
against benefit to residents, the borough and the council, and set beside the evidence Signpost
gathers: searches, form use, page feedback and contact volumes by channel.

The tables keep the names they were created with (``personas_userstory`` and so on): the models
moved here from the personas app with a state-only migration, so no row was copied or lost.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import DeliveryUnit
from personas.models import Persona

from .scoring import priority_score


class UserStory(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        BACKLOG = "backlog", _("Backlog")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        WONT_DO = "wont_do", _("Won’t do")

    class MoSCoW(models.TextChoices):
        MUST = "must", _("Must have")
        SHOULD = "should", _("Should have")
        COULD = "could", _("Could have")
        WONT = "wont", _("Won’t have this time")

    ONE_TO_FIVE = [(n, str(n)) for n in range(1, 6)]

    delivery_unit = models.ForeignKey(
        DeliveryUnit, on_delete=models.PROTECT, related_name="stories"
    )
    persona = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="stories")
    story = models.TextField(
        help_text="“As a \u2026 I want \u2026 so that \u2026”, or the resident’s question in their words."
    )
    success_factors = models.TextField(
        blank=True, help_text="How we will know it works, one per line."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BACKLOG)
    moscow = models.CharField(
        "MoSCoW", max_length=10, choices=MoSCoW.choices, default=MoSCoW.SHOULD
    )
    benefit_residents = models.PositiveSmallIntegerField(choices=ONE_TO_FIVE, default=3)
    benefit_borough = models.PositiveSmallIntegerField(choices=ONE_TO_FIVE, default=3)
    benefit_council = models.PositiveSmallIntegerField(choices=ONE_TO_FIVE, default=3)
    demand = models.PositiveIntegerField(default=0, help_text="Contacts per year about this need.")
    effort = models.PositiveSmallIntegerField(choices=ONE_TO_FIVE, default=3)
    priority_score = models.FloatField(default=0, editable=False)
    manual_rank = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Set to put this story at a fixed place, overriding its score.",
    )
    manual_rank_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manual_rank_reason = models.TextField(blank=True)
    pages = models.ManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="+",
        help_text="Journeys and pages that deliver this story.",
        db_table="personas_userstory_pages",
    )
    form_slugs = models.CharField(
        max_length=500,
        blank=True,
        help_text="Slugs of the forms that deliver this story, separated by commas.",
    )
    key_phrases = models.TextField(
        blank=True,
        help_text=(
            "Words residents use for this need, one phrase per line. Searches that found "
            "nothing and hold every word of a phrase, in any form (“falling” for "
            "“falls”), count as evidence for this story."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_stories",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "personas_userstory"
        verbose_name = _("user story")
        verbose_name_plural = _("user stories")
        ordering = ["-priority_score", "pk"]

    def __str__(self):
        return self.story[:80]

    def save(self, *args, **kwargs):
        self.priority_score = priority_score(
            residents=self.benefit_residents,
            borough=self.benefit_borough,
            council=self.benefit_council,
            demand=self.demand,
            effort=self.effort,
        )
        super().save(*args, **kwargs)

    @property
    def form_slug_list(self):
        return [slug.strip() for slug in self.form_slugs.split(",") if slug.strip()]

    @property
    def key_phrase_list(self):
        return [line.strip() for line in self.key_phrases.splitlines() if line.strip()]

    @property
    def success_factor_list(self):
        return [line.strip() for line in self.success_factors.splitlines() if line.strip()]


class StoryChange(models.Model):
    """One change to a story: who made it, when, why, and the fields before and after."""

    story = models.ForeignKey(UserStory, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, help_text='{"field": ["before", "after"]}')

    class Meta:
        db_table = "personas_storychange"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.story_id} {self.changed_at:%Y-%m-%d}"


class AttachedQuery(models.Model):
    """A logged search a product owner has attached to a story by hand, as evidence for it.

    Searches also count as evidence without this, through the story's pages, forms and key
    phrases (``backlog.evidence``); this is for the ones those miss. ``query`` is as the search
    log keeps it (normalised, personal details blanked out).
    """

    story = models.ForeignKey(UserStory, on_delete=models.CASCADE, related_name="attached_queries")
    query = models.CharField(max_length=200)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["query"]
        constraints = [
            models.UniqueConstraint(fields=["story", "query"], name="unique_attached_query")
        ]

    def __str__(self):
        return f"{self.story_id}: {self.query}"


class PageFeedback(models.Model):
    """ "Is this page useful?" answers. No personal data: no user, no IP, contact details masked."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    useful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "personas_pagefeedback"
        ordering = ["-created_at"]
        verbose_name_plural = _("page feedback")

    def __str__(self):
        return f"{self.page_id}: {'useful' if self.useful else 'not useful'}"


class DemandRecord(models.Model):
    """How many times residents contacted the council about a service, by channel, in a month."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        FACE_TO_FACE = "face-to-face", _("Face to face")
        EMAIL = "email", _("Email")
        POST = "post", _("Post")
        WEB = "web", _("Web")

    service = models.CharField(max_length=120, db_index=True)
    delivery_unit = models.ForeignKey(
        DeliveryUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    month = models.DateField(help_text="The first day of the month.")
    count = models.PositiveIntegerField()

    class Meta:
        db_table = "personas_demandrecord"
        ordering = ["month", "service", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "channel", "month"], name="unique_demand_per_month"
            )
        ]

    def __str__(self):
        return f"{self.service} {self.channel} {self.month:%Y-%m}: {self.count}"


class DemandUpload(models.Model):
    """A contact-figures CSV a product owner uploaded in the admin: previewed, then imported.

    The file's text is kept so that "Import" applies exactly the file that was previewed (checked
    again at that moment, in case the figures on record changed meanwhile), and so the import
    can run in the background worker when the file is large. Demand figures are counts, never
    anything about a person.
    """

    # Labels in English only: staff see them, in the admin, which is not translated.
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        QUEUED = "queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=255)
    encoding = models.CharField(max_length=30)
    content = models.TextField()
    rows = models.PositiveIntegerField(default=0)
    default_unit = models.ForeignKey(
        DeliveryUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The delivery unit of rows that name none.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    imported_at = models.DateTimeField(null=True, blank=True)
    # {"summary": "Created 3, ...", "rejected": [[row number, reason], ...]} once imported;
    # {"error": "..."} when the import failed.
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
