"""The site's own pages and settings: home page, information pages, site settings and alerts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, Site, TranslatableMixin
from wagtail.search import index

from core import pagecache
from core.blocks import ContactRouteBlock, FooterColumnBlock, SharedContentBlocks, TopTaskBlock
from core.forms import OwnedPageForm
from core.i18n import local_link
from core.models import OwnedMixin
from core.permissions import OwnedPagePermissionsMixin, UnownedPagePermissionsMixin
from core.public_pages import RememberedViewRestrictionsMixin
from journeys.api import persona_page_urls, step_by_step_for
from personas.models import Persona
from search.api import ContactRoute


class HomePage(UnownedPagePermissionsMixin, RememberedViewRestrictionsMixin, Page):
    """The front door: top tasks, ways in by what people are trying to do, and search."""

    heading = models.CharField(max_length=120, default="How can we help you today?")
    intro = models.TextField(blank=True)
    top_tasks = StreamField([("task", TopTaskBlock())], blank=True, use_json_field=True)

    content_panels = Page.content_panels + [
        FieldPanel("heading"),
        FieldPanel("intro"),
        FieldPanel("top_tasks"),
    ]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """A page with no translation in this language is served in English at this address.

        Residents following a link from a Polish or Arabic page to one nobody has translated
        yet keep their language's header, footer and search, and the page says it is in
        English (``templates/base.html``); links from it lead back into their language.
        """
        try:
            return super().route(request, path_components)
        except Http404:
            english = self.get_translation_or_none(Locale.get_default())
            if not path_components or english is None or english.pk == self.pk:
                raise
            result = english.specific.route(request, path_components)
            # Served in English until a translation is published, then in the language.
            pagecache.depends_on(pagecache.translations_tag(result[0]))
            return result

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Worked out when the sections are rendered, not when they come from the fragment
        # cache (core.fragments).
        context["top_tasks"] = lambda: [self._task_link(t.value, request) for t in self.top_tasks]
        context["personas"] = lambda: persona_entry_points(self.locale_id, request)
        return context

    @staticmethod
    def _task_link(task, request):
        labels = dict(TopTaskBlock.base_blocks["category"].field.choices)
        page = task.get("page")
        link = local_link(page, request) if page else None
        return {
            "category": task["category"],
            "category_label": labels.get(task["category"], task["category"]),
            "label": task["label"],
            "url": link.url if link else task["url"],
            # No translation yet: the link says the page is in English (and where it leads).
            "in_other_language": bool(link and link.in_other_language),
            "language": link.language if link else "",
        }


def persona_entry_points(locale_id, request=None):
    """Each persona in this language with the page that serves it, in the editors' order."""

    personas = list(Persona.objects.filter(locale_id=locale_id))
    urls = persona_page_urls(personas, request)
    return [
        {"intent": p.intent, "name": p.name, "description": p.description, "url": urls.get(p.pk)}
        for p in personas
    ]


class ContentPage(OwnedPagePermissionsMixin, OwnedMixin, RememberedViewRestrictionsMixin, Page):
    """An information page, built from the shared blocks."""

    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences shown in search results.")
    )
    body = StreamField(SharedContentBlocks(), use_json_field=True)

    base_form_class = OwnedPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(OwnedMixin.ownership_panels, heading=_("Ownership")),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = _("content page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["part_of_journeys"] = step_by_step_for(self, request)
        context["offers_tracking"] = self.offers_tracking(request)
        return context

    def offers_tracking(self, request=None):
        """Whether residents reading this page are told how to check a request's progress.

        The site's contact page (in every language) and any page with the council's contact
        details: people often call to ask how something they reported is going.
        """
        if any(block.block_type == "contact" for block in self.body):
            return True
        site = self.get_site()
        return site is not None and SiteSettings.for_site(site).is_contact_page(self)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    council_name = models.CharField(max_length=120, default="Northbrook Borough Council")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(max_length=40, blank=True)
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The page with every way to contact the council. Searches that find little offer "
            "it, in the resident's language where it is translated."
        ),
    )

    panels = [
        FieldPanel("council_name"),
        FieldPanel("logo"),
        FieldPanel("phone"),
        FieldPanel("contact_page"),
        HelpPanel(
            content=_(
                "The footer's words (opening hours, contact routes, links) are in Snippets › Footer, one for each language."
            )
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def council_name_for(cls, request: HttpRequest | None = None) -> str:
        """The council's name on the request's site, or on the default site without a request.

        Residents' text messages are signed with it (eforms asks through the function registered
        in CmsConfig.ready), and status changes made by staff have no resident's request.
        """
        site = Site.find_for_request(request) if request is not None else None
        site = site or Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site).council_name if site is not None else ""

    @classmethod
    def contact_route_for(cls, request: HttpRequest | None = None) -> ContactRoute | None:
        """The contact page (in the active language when translated), phone and its hours.

        Search offers it beside results that could not help (registered in CmsConfig.ready).
        """
        site = Site.find_for_request(request) if request is not None else None
        site = site or Site.objects.filter(is_default_site=True).first()
        if site is None:
            return None
        settings_ = cls.for_site(site)
        url = ""
        if settings_.contact_page_id:
            page = settings_.contact_page.localized
            if page.live:
                url = page.get_url(request) or ""
        footer = Footer.for_language()
        return {
            "url": url,
            "phone": settings_.phone,
            "hours": footer.opening_hours if footer is not None else "",
        }

    def is_contact_page(self, page: Page) -> bool:
        return bool(self.contact_page_id) and (
            page.pk == self.contact_page_id
            or page.translation_key == self.contact_page.translation_key
        )


class Footer(TranslatableMixin, models.Model):
    """The words at the foot of every page: opening hours, ways to get in touch and links.

    A snippet rather than site settings (which have one value for every language) so that it
    goes through the same wagtail-localize workflow as pages: the Polish footer is a translation
    of the English one. Pages use the footer in their language, or the English one until it is
    translated (``Footer.for_language``).
    """

    opening_hours = models.CharField(
        max_length=200, blank=True, help_text=_("When the phone line is open.")
    )
    contact_routes = StreamField([("route", ContactRouteBlock())], blank=True, use_json_field=True)
    columns = StreamField([("column", FooterColumnBlock())], blank=True, use_json_field=True)
    text = RichTextField(blank=True, features=["link"])

    panels = [
        FieldPanel("opening_hours"),
        FieldPanel("contact_routes"),
        FieldPanel("columns"),
        FieldPanel("text"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer")
        verbose_name_plural = _("footers")

    def __str__(self):
        return str(_("Footer (%(language)s)") % {"language": self.locale.get_display_name()})

    @classmethod
    def for_language(cls, language_code=None):
        """The footer in the active language, else the default language's, else None."""

        code = (language_code or translation.get_language() or "").lower()
        footers = {
            footer.locale.language_code.lower(): footer
            for footer in cls.objects.select_related("locale")
        }
        default = settings.LANGUAGE_CODE.lower()
        return footers.get(code) or footers.get(code.split("-")[0]) or footers.get(default)


class AlertBannerQuerySet(models.QuerySet):
    def showing(self, at=None):
        """Banners switched on and inside their scheduled window, most severe first."""
        at = at or timezone.now()
        severity = models.Case(
            models.When(level=AlertBanner.EMERGENCY, then=0),
            models.When(level=AlertBanner.MINOR, then=1),
            default=2,
        )
        return (
            self.filter(live=True)
            .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=at))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
            .annotate(severity=severity)
            .order_by("severity", "-starts_at")
        )

    def next_change(self, locale, at=None):
        """The soonest future moment a live banner in ``locale`` starts or ends, or None."""
        at = at or timezone.now()
        live = self.filter(live=True, locale=locale)
        moments = live.filter(starts_at__gt=at).aggregate(first=models.Min("starts_at"))
        ends = live.filter(ends_at__gt=at).aggregate(first=models.Min("ends_at"))
        return min((m for m in (moments["first"], ends["first"]) if m is not None), default=None)


class AlertBanner(TranslatableMixin, models.Model):
    """A site-wide message, e.g. bin collections delayed by snow, shown between two times."""

    ANNOUNCEMENT = "announcement"
    MINOR = "minor"
    EMERGENCY = "emergency"
    LEVELS = [
        (ANNOUNCEMENT, _("Announcement")),
        (MINOR, _("Minor disruption")),
        (EMERGENCY, _("Emergency")),
    ]

    level = models.CharField(max_length=20, choices=LEVELS, default=ANNOUNCEMENT)
    title = models.CharField(max_length=120)
    message = models.TextField(max_length=500)
    link_url = models.CharField(max_length=300, blank=True)
    link_text = models.CharField(max_length=80, blank=True)
    live = models.BooleanField(default=True, help_text=_("Untick to hide the banner at once."))
    starts_at = models.DateTimeField(null=True, blank=True, help_text=_("Leave blank to show now."))
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Leave blank to show until switched off.")
    )

    objects = AlertBannerQuerySet.as_manager()

    panels = [
        FieldPanel("level"),
        FieldPanel("title"),
        FieldPanel("message"),
        FieldPanel("link_url"),
        FieldPanel("link_text"),
        FieldPanel("live"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("alert banner")

    def __str__(self):
        return f"{self.get_level_display()}: {self.title}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})
