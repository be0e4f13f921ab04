"""Journey pages and persona pages: the resident's way in, organised by intent."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from personas.models import OwnedMixin
from personas.permissions import OwnedPagePermissionsMixin


class PersonaPage(OwnedPagePermissionsMixin, OwnedMixin, Page):
    """The landing page of one persona (interaction mode)."""

    persona = models.ForeignKey("personas.Persona", on_delete=models.PROTECT, related_name="+")
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("persona"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("persona page")
