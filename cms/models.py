"""The site's own pages and settings: home page, information pages, site settings and alerts."""

from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site, TranslatableMixin
from wagtail.search import index

from personas.models import OwnedMixin
from personas.permissions import OwnedPagePermissionsMixin

from .blocks import ContactRouteBlock, FooterColumnBlock, SharedContentBlocks, TopTaskBlock


class HomePage(Page):
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["top_tasks"] = [self._task_link(task.value, request) for task in self.top_tasks]
        context["personas"] = persona_entry_points(self.locale, request)
        return context

    @staticmethod
    def _task_link(task, request):
        labels = dict(TopTaskBlock.base_blocks["category"].field.choices)
        page = task.get("page")
        return {
            "category": task["category"],
            "category_label": labels.get(task["category"], task["category"]),
            "label": task["label"],
            "url": page.localized.get_url(request) if page else task["url"],
        }


def persona_entry_points(locale, request=None):
    """Each persona in this language with the page that serves it, in the editors' order."""
    from journeys.api import persona_page_urls
    from personas.models import Persona

    personas = list(Persona.objects.filter(locale=locale))
    urls = persona_page_urls(personas, request)
    return [
        {"intent": p.intent, "name": p.name, "description": p.description, "url": urls.get(p.pk)}
        for p in personas
    ]


class ContentPage(OwnedPagePermissionsMixin, OwnedMixin, Page):
    """An information page, built from the shared blocks."""

    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences shown in search results.")
    )
    body = StreamField(SharedContentBlocks(), use_json_field=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(OwnedMixin.ownership_panels, heading=_("Ownership")),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = _("content page")

    def get_context(self, request, *args, **kwargs):
        from journeys.api import step_by_step_for

        context = super().get_context(request, *args, **kwargs)
        context["part_of_journeys"] = step_by_step_for(self, request)
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    council_name = models.CharField(max_length=120, default="Northbrook Borough Council")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(max_length=40, blank=True)

    panels = [
        FieldPanel("council_name"),
        FieldPanel("logo"),
        FieldPanel("phone"),
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
        from django.conf import settings
        from django.utils import translation

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
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})


# --- Web team tools: content checks and A/B tests -------------------------------------------


class JargonTerm(models.Model):
    """A word or phrase to avoid, with the plain words to use instead. Editors manage the list."""

    term = models.CharField(max_length=80, unique=True, help_text=_("Lower case, e.g. “utilise”."))
    alternative = models.CharField(
        max_length=200, help_text=_("What to write instead, e.g. “use”.")
    )

    panels = [FieldPanel("term"), FieldPanel("alternative")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("jargon term")

    def __str__(self):
        return f"{self.term} \u2192 {self.alternative}"


class ContentCheckResult(models.Model):
    """One finding from the last nightly content check of a page, kept for the web team's dashboards."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    SEVERITIES = [(ERROR, _("Error")), (WARNING, _("Warning")), (INFO, _("Information"))]

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    delivery_unit = models.ForeignKey(
        "personas.DeliveryUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=SEVERITIES)
    message = models.CharField(max_length=500)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["page_id", "severity", "code"]
        indexes = [models.Index(fields=["severity", "code"])]
        verbose_name = _("content check result")

    def __str__(self):
        return f"{self.severity}: {self.message}"


class AbTest(models.Model):
    """A comparison of a live page (variant A) with one or more draft revisions (B, C...) against a goal."""

    DRAFT = "draft"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    STATUSES = [
        (DRAFT, _("Draft")),
        (RUNNING, _("Running")),
        (FINISHED, _("Finished")),
        (CANCELLED, _("Cancelled")),
    ]

    REACH_PAGE = "reach-page"
    START_FORM = "start-form"
    COMPLETE_FORM = "complete-form"
    USE_ACTION = "use-action"
    CLICK_SEARCH_RESULT = "click-search-result"
    GOALS = [
        (REACH_PAGE, _("Reach a page")),
        (START_FORM, _("Start a form")),
        (COMPLETE_FORM, _("Complete a form")),
        (USE_ACTION, _("Use a step's action")),
        (CLICK_SEARCH_RESULT, _("Click a search result")),
    ]

    name = models.CharField(max_length=150)
    hypothesis = models.TextField(blank=True, help_text=_("What you expect to change, and why."))
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    goal_type = models.CharField(max_length=30, choices=GOALS)
    goal_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For “reach a page”."),
    )
    goal_target = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The form's short name, or the action's name, for other goals."),
    )
    control_share = models.PositiveSmallIntegerField(
        default=50,
        help_text=_(
            "Percentage of visitors who see the live page (A). The rest share the variants equally."
        ),
    )
    minimum_detectable_effect = models.FloatField(
        default=0.05,
        help_text=_(
            "Smallest change worth finding, in percentage points as a fraction (0.05 = 5 points)."
        ),
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=DRAFT)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    winner = models.CharField(max_length=1, blank=True)

    class Meta:
        verbose_name = _("A/B test")
        constraints = [
            models.UniqueConstraint(
                fields=["page"], condition=Q(status="running"), name="one_running_ab_test_per_page"
            ),
            models.CheckConstraint(
                condition=Q(control_share__gte=1) & Q(control_share__lte=99),
                name="ab_test_control_share_1_to_99",
            ),
        ]

    def __str__(self):
        return self.name


class AbTestVariant(models.Model):
    """One arm of a test: A is the live page (no revision); B, C... are draft revisions. Counts are totals."""

    test = models.ForeignKey(AbTest, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=1)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visitors = models.PositiveIntegerField(default=0)
    conversions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["test", "label"]
        constraints = [
            models.UniqueConstraint(fields=["test", "label"], name="one_label_per_ab_test")
        ]

    def __str__(self):
        return f"{self.test} – {self.label}"


class AbTestParticipant(models.Model):
    """One visitor in one test, known only by a hash of a random cookie token, so each counts once."""

    test = models.ForeignKey(AbTest, on_delete=models.CASCADE, related_name="participants")
    visitor_hash = models.CharField(max_length=64)
    label = models.CharField(max_length=1)
    converted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["test", "visitor_hash"], name="one_entry_per_ab_visitor"
            )
        ]

    def __str__(self):
        return f"{self.test} – {self.label}{' (converted)' if self.converted else ''}"
