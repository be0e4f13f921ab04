"""Journey pages and persona pages: the resident's way in, organised by intent.

The page tree follows what residents are trying to do (persona pages, with journeys under
them), never the council's org chart; ownership is a field (delivery unit), not a place.
"""

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from core.forms import OwnedPageForm
from core.i18n import local_link
from core.models import OwnedMixin
from core.permissions import OwnedPagePermissionsMixin
from core.public_pages import RememberedViewRestrictionsMixin

from .blocks import DirectoryListingBlock, QuestionBlock, StepBlock
from .serializers import PersonaSlugsField, TopicsField


class PersonaPage(OwnedPagePermissionsMixin, OwnedMixin, RememberedViewRestrictionsMixin, Page):
    """The landing page of one persona (interaction mode): journeys grouped by need."""

    persona = models.ForeignKey("personas.Persona", on_delete=models.PROTECT, related_name="+")
    intro = models.TextField(blank=True)
    featured_services = StreamField(
        [("directory_listing", DirectoryListingBlock())], blank=True, use_json_field=True
    )
    also_need = ParentalManyToManyField(
        "personas.Persona",
        blank=True,
        related_name="+",
        verbose_name=_("you might also need"),
        help_text=_("Other personas residents here often need too."),
    )

    base_form_class = OwnedPageForm
    content_panels = Page.content_panels + [
        FieldPanel("persona"),
        FieldPanel("intro"),
        FieldPanel("featured_services"),
        FieldPanel("also_need"),
        MultiFieldPanel(OwnedMixin.ownership_panels, heading=_("Ownership")),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["journeys.JourneyPage", "cms.ContentPage"]
    # A persona page gathers every unit's journeys: any delivery-unit editor may add one here
    # (core.permissions.OwnedPagePermissionTester), though only its owners may change the page.
    children_open_to_every_unit = True
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [
        APIField("persona_slug", serializer=PersonaSlugsField(source="persona")),
        APIField("intro"),
        APIField("featured_services"),
    ]

    class Meta:
        verbose_name = _("persona page")

    @property
    def resident_title(self):
        """The page's name as residents read it: the persona's own phrase, not the team's name.

        Used for the heading, the browser title, breadcrumbs and search results, whatever the
        page's title in the admin says ("Cusp of care" is how the council's teams say it).
        """
        return self.persona.intent or self.title

    def journeys_by_need(self):
        """This persona's live journeys, wherever they sit, grouped by need in title order.

        Every journey is listed in every language: one not yet translated into this page's
        language is listed in English, links to its English text at this language's address
        and says so (``core.i18n.local_link``), rather than silently missing.
        """
        journeys = list(
            JourneyPage.objects.live()
            .filter(personas__translation_key=self.persona.translation_key, locale=self.locale)
            .distinct()
        )
        default = Locale.get_default()
        if self.locale_id != default.pk:
            translated = {journey.translation_key for journey in journeys}
            journeys += [
                journey
                for journey in JourneyPage.objects.live()
                .filter(personas__translation_key=self.persona.translation_key, locale=default)
                .distinct()
                if journey.translation_key not in translated
            ]
        journeys.sort(key=lambda journey: (journey.need, journey.title))
        groups = {}
        for journey in journeys:
            groups.setdefault(journey.need or _("Other help"), []).append(journey)
        return list(groups.items())

    def journey_links(self, request=None):
        """``journeys_by_need`` as links for residents (``core.i18n.LocalLink``)."""
        return [
            (need, [local_link(journey, request) for journey in journeys])
            for need, journeys in self.journeys_by_need()
        ]

    def other_personas(self, request=None):
        # journeys.api imports these models at its top, so the models import it when called
        from .api import persona_page_urls

        others = list(self.also_need.all())
        urls = persona_page_urls(others, request)
        return [{"persona": p, "url": urls.get(p.pk)} for p in others if urls.get(p.pk)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Worked out when the sections are rendered, not when they come from the fragment
        # cache (core.fragments).
        context["journey_groups"] = lambda: self.journey_links(request)
        context["other_personas"] = lambda: self.other_personas(request)
        return context


class JourneyTag(TaggedItemBase):
    content_object = ParentalKey(
        "journeys.JourneyPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class JourneyPage(
    RoutablePageMixin, OwnedPagePermissionsMixin, OwnedMixin, RememberedViewRestrictionsMixin, Page
):
    """A task, written from the resident's question, as ordered steps with their actions."""

    questions = StreamField(
        [("question", QuestionBlock(max_length=200))],
        blank=True,
        use_json_field=True,
        help_text=_("The questions residents ask, in their own words. Used by search."),
    )
    summary = models.CharField(max_length=300)
    who_for = models.CharField(max_length=200, blank=True, verbose_name=_("who it’s for"))
    need = models.CharField(
        max_length=80,
        blank=True,
        help_text=_("Groups journeys on persona pages, e.g. “Bins and rubbish”."),
    )
    personas = ParentalManyToManyField("personas.Persona", related_name="journeys")
    topics = ClusterTaggableManager(through=JourneyTag, blank=True)
    steps = StreamField([("step", StepBlock())], use_json_field=True)
    what_happens_next = models.TextField(
        help_text=_("What happens after the resident has done the steps.")
    )
    service_level = models.CharField(
        max_length=200, help_text=_("How long it takes, e.g. “We’ll reply within 10 working days”.")
    )
    related_journeys = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, related_name="+"
    )
    last_reviewed = models.DateField(null=True, blank=True)

    base_form_class = OwnedPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("questions"),
        FieldPanel("who_for"),
        FieldPanel("need"),
        FieldPanel("personas"),
        FieldPanel("topics"),
        FieldPanel("steps"),
        FieldPanel("what_happens_next"),
        FieldPanel("service_level"),
        FieldPanel("related_journeys"),
        MultiFieldPanel(
            [*OwnedMixin.ownership_panels, FieldPanel("last_reviewed")], heading=_("Ownership")
        ),
    ]
    parent_page_types = ["journeys.PersonaPage", "cms.HomePage"]
    subpage_types = ["cms.ContentPage"]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("questions"),
        index.SearchField("steps"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("questions"),
        APIField("who_for"),
        APIField("need"),
        APIField("personas", serializer=PersonaSlugsField(many=True)),
        APIField("topics", serializer=TopicsField()),
        APIField("steps"),
        APIField("what_happens_next"),
        APIField("service_level"),
        APIField("last_reviewed"),
    ]

    class Meta:
        verbose_name = _("journey page")

    @property
    def question_list(self):
        return [block.value for block in self.questions]

    def get_context(self, request, *args, **kwargs):
        # journeys.api imports these models at its top, so the models import it when called
        from .api import signposts_for_journey

        context = super().get_context(request, *args, **kwargs)
        # Worked out only when the "You might also need" box is rendered, not when it comes
        # from the fragment cache (core.fragments).
        context["signposts"] = lambda: signposts_for_journey(self, request)
        context["offers_tracking"] = lambda: self.starts_a_request
        context["expand_all"] = request.GET.get("all") == "1"
        context["open_steps"] = self.steps_to_open(request)
        return context

    def steps_to_open(self, request: HttpRequest) -> set[int]:
        """Step numbers to render open as well as the first: the one whose "Show nearest" was
        pressed (its form sends ``step``), so its results are on screen without JavaScript.
        A postcode with no step (an older link) opens every step with a listing."""
        raw = request.GET.get("step", "")
        if raw.isdigit():
            return {int(raw)}
        if not request.GET.get("postcode", "").strip():
            return set()
        return {
            number
            for number, step in enumerate(self.steps, start=1)
            if any(
                action.block_type == "directory_listing"
                for action in step.value.get("actions") or []
            )
        }

    @property
    def starts_a_request(self):
        """Whether a step starts a form: every such form gives a reference residents can track."""
        return any(
            action.block_type == "eform"
            for step in self.steps
            for action in step.value.get("actions") or []
        )

    @path("print/")
    def print_view(self, request):
        """Every step expanded, no navigation: for residents who print or save as PDF."""
        return self.render(request, template="journeys/journey_page_print.html")

    @path("")
    def index_view(self, request):
        return self.render(request)
