"""Personas (interaction modes) and delivery units (who owns what).

A persona describes what someone is trying to do today ("I'm helping someone stay
independent at home"), never who they are: nothing here is ever stored against a
resident, and one visit may cross several personas.

A delivery unit is the part of the council that owns content and answers requests.
Ownership, not the page tree, decides who may edit a page: the tree follows residents'
intents, while responsibility follows the organisation.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Persona(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    intent = models.CharField(
        max_length=200,
        help_text="What the resident is trying to do, in their own words, "
        "e.g. \u201cI\u2019m helping someone stay independent at home\u201d.",
    )
    description = models.TextField(blank=True)
    kinds_of_help = models.TextField(
        blank=True,
        help_text="The kinds of help this leads to, one per line.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("intent"),
        FieldPanel("description"),
        FieldPanel("kinds_of_help"),
        FieldPanel("order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("intent")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name

    @property
    def kinds_of_help_list(self):
        return [line.strip() for line in self.kinds_of_help.splitlines() if line.strip()]


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
        ordering = ["name"]

    def __str__(self):
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
