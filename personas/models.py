"""Personas: interaction modes, what someone is trying to do today.

A persona describes what someone is trying to do today ("I'm helping someone stay
independent at home"), never who they are: nothing here is ever stored against a
resident, and one visit may cross several personas.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Persona(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    intent = models.CharField(
        max_length=200,
        help_text="What the resident is trying to do, in their own words, "
        "e.g. “I’m helping someone stay independent at home”.",
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
