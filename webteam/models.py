"""The web team's tools: the jargon list, content check results and A/B tests.

The tables keep the names they were created with (``cms_abtest`` and so on): the models moved
here from the cms app with a state-only migration, so no row was copied or lost.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class JargonTerm(models.Model):
    """A word or phrase to avoid, with the plain words to use instead. Editors manage the list."""

    term = models.CharField(max_length=80, unique=True, help_text=_("Lower case, e.g. “utilise”."))
    alternative = models.CharField(
        max_length=200, help_text=_("What to write instead, e.g. “use”.")
    )

    panels = [FieldPanel("term"), FieldPanel("alternative")]

    class Meta:
        db_table = "cms_jargonterm"
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
        "core.DeliveryUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=SEVERITIES)
    message = models.CharField(max_length=500)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cms_contentcheckresult"
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
        db_table = "cms_abtest"
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
        db_table = "cms_abtestvariant"
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
        db_table = "cms_abtestparticipant"
        constraints = [
            models.UniqueConstraint(
                fields=["test", "visitor_hash"], name="one_entry_per_ab_visitor"
            )
        ]

    def __str__(self):
        return f"{self.test} – {self.label}{' (converted)' if self.converted else ''}"
