"""Forms, the requests they start, and what the council tells residents about them.

A ``FormDefinition`` is what editors compose. Every completed form becomes a ``Submission``:
a tracked request with a reference, a promised date and a history of status changes. A resident
in the middle of a form has a ``Draft`` (which also lets them come back later). Messages to
residents go through the ``OutboxMessage`` table so a mail outage never loses or blocks one.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.forms import OwnedAdminModelForm
from core.models import OwnedMixin
from core.permissions import restricted_unit_ids

from . import logic
from .blocks import FormPagesBlock
from .panels import FormLogicPanel
from .schema import FormSchema

# Unambiguous characters for references people read aloud: no 0/O, 1/I/L, U/V, S/5, Z/2.
REFERENCE_ALPHABET = "346789ABCDEFGHJKMNPQRTWXY"


class PrivateFileStorage(FileSystemStorage):
    """No public address: ``url()`` refuses, so no template can link to a resident's file by mistake."""

    def url(self, name):
        raise ValueError(
            "Residents' files have no public URL: link to the staff download view instead."
        )


def private_storage():
    """Residents' uploads live outside MEDIA_ROOT and are only ever served through a staff view."""
    return PrivateFileStorage(location=settings.PRIVATE_MEDIA_ROOT)


def add_working_days(start, days):
    """Monday to Friday only. Bank holidays are not known to Signpost yet."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


class LookupList(models.Model):
    """An editor-managed list residents choose from, like the borough's schools."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    options = models.TextField(
        help_text=_(
            "One option per line. Write code|Label to keep a stable code, like NB-0101|Northbrook Primary School."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("options")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def choices(self):
        result = []
        for line in self.options.splitlines():
            line = line.strip()
            if not line:
                continue
            value, _sep, label = line.partition("|")
            result.append((value.strip(), (label or value).strip()))
        return result


class AddressPoint(models.Model):
    """A known address, so residents can pick theirs from a list after entering a postcode.

    A council would load this from its local land and property gazetteer; the demo loads a few.
    """

    uprn = models.CharField("UPRN", max_length=20, unique=True)
    line_1 = models.CharField(max_length=200)
    street = models.CharField(max_length=200)
    town = models.CharField(max_length=100, default="Northbrook")
    postcode = models.CharField(max_length=10, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["postcode", "street", "line_1"]

    def __str__(self):
        return f"{self.line_1}, {self.town}, {self.postcode}"


class FormDefinition(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    OwnedMixin,
    index.Indexed,
    models.Model,
):
    """A form residents fill in, and the promise the council makes when they do."""

    # The known-issue check: before a resident reports something, is it already reported?
    # Household problems (a missed bin) match the same address, never the street: a neighbour's
    # report says nothing about this house. Street faults (potholes, fly-tipping) match a place.
    KNOWN_ISSUE_NONE = ""
    KNOWN_ISSUE_SAME_ADDRESS = "same_address"
    KNOWN_ISSUE_NEARBY = "nearby"
    KNOWN_ISSUE_CHOICES = [
        (KNOWN_ISSUE_NONE, _("No check")),
        (KNOWN_ISSUE_SAME_ADDRESS, _("Same address (for a household, like a missed bin)")),
        (KNOWN_ISSUE_NEARBY, _("Near the same place (for a street fault, like a pothole)")),
    ]
    KNOWN_ISSUE_TODAY = "today"
    KNOWN_ISSUE_7_DAYS = "7_days"
    KNOWN_ISSUE_WHILE_OPEN = "open"
    KNOWN_ISSUE_WINDOW_CHOICES = [
        (KNOWN_ISSUE_TODAY, _("Reported today")),
        (KNOWN_ISSUE_7_DAYS, _("Reported in the last 7 days")),
        (KNOWN_ISSUE_WHILE_OPEN, _("Reported at any time and still open")),
    ]

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    purpose = models.TextField(help_text=_("What this form is for, in one or two sentences."))
    what_you_need = models.TextField(
        blank=True, help_text=_("What residents need before they start, one item per line.")
    )
    service_level = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The promise, like “We aim to fix potholes within 5 working days”."),
    )
    service_level_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Working days, used to work out the date residents can expect."),
    )
    what_happens_next = models.TextField(blank=True)
    acknowledgement_text = models.TextField(
        blank=True, help_text=_("Added to the acknowledgement email, after the reference.")
    )
    reference_prefix = models.CharField(
        max_length=4, default="REQ", help_text=_("Two to four capital letters, like RPT.")
    )
    retention_days = models.PositiveIntegerField(
        default=365 * 2,
        help_text=_("Delete submissions this many days after they are closed or resolved."),
    )
    notify_emails = models.TextField(
        blank=True,
        help_text=_("Staff email addresses told about each new submission, one per line."),
    )
    known_issue_check = models.CharField(
        max_length=30,
        blank=True,
        choices=KNOWN_ISSUE_CHOICES,
        verbose_name=_("Check for an earlier report"),
    )
    known_issue_field = models.CharField(
        max_length=50,
        blank=True,
        verbose_name=_("Question to compare"),
        help_text=_(
            "The name of the address question (same address) or location question (near the "
            "same place)."
        ),
    )
    known_issue_same_answer = models.CharField(
        max_length=50,
        blank=True,
        verbose_name=_("Also the same answer to"),
        help_text=_(
            "Optional: the name of a question whose answer must match too, like bin_type, so a "
            "missed recycling bin does not match a missed garden waste bin at the same address."
        ),
    )
    known_issue_radius_m = models.PositiveIntegerField(
        default=30,
        verbose_name=_("Distance in metres"),
        help_text=_("Near the same place: reports this close together count as one problem."),
    )
    known_issue_window = models.CharField(
        max_length=10,
        choices=KNOWN_ISSUE_WINDOW_CHOICES,
        default=KNOWN_ISSUE_WHILE_OPEN,
        verbose_name=_("Earlier reports to count"),
        help_text=_("Only reports that are still open count, however recent."),
    )
    pages = StreamField(FormPagesBlock(), use_json_field=True)

    base_form_class = OwnedAdminModelForm
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("purpose"),
        FieldPanel("what_you_need"),
        MultiFieldPanel(
            [
                FieldPanel("service_level"),
                FieldPanel("service_level_days"),
                FieldPanel("what_happens_next"),
            ],
            heading=_("Service level"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reference_prefix"),
                FieldPanel("acknowledgement_text"),
                FieldPanel("notify_emails"),
                FieldPanel("retention_days"),
            ],
            heading=_("After submission"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("known_issue_check"),
                FieldPanel("known_issue_field"),
                FieldPanel("known_issue_same_answer"),
                FieldPanel("known_issue_radius_m"),
                FieldPanel("known_issue_window"),
            ],
            heading=_("Known issues and duplicates"),
        ),
        FieldPanel("pages"),
        FormLogicPanel(heading=_("Routes and conditions")),
        MultiFieldPanel(OwnedMixin.ownership_panels, heading=_("Ownership")),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("purpose"),
        index.FilterField("locale_id"),
    ]
    # What translators see (wagtail-localize): the words residents read, including every
    # question's label, hint and error message and the confirmation text. The rest is kept the
    # same in every language, so references, service levels and routing never differ.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("purpose"),
        TranslatableField("what_you_need"),
        TranslatableField("service_level"),
        TranslatableField("what_happens_next"),
        TranslatableField("acknowledgement_text"),
        TranslatableField("pages"),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("service_level_days", overridable=False),
        SynchronizedField("reference_prefix", overridable=False),
        SynchronizedField("retention_days", overridable=False),
        SynchronizedField("notify_emails", overridable=False),
        SynchronizedField("known_issue_check", overridable=False),
        SynchronizedField("known_issue_field", overridable=False),
        SynchronizedField("known_issue_same_answer", overridable=False),
        SynchronizedField("known_issue_radius_m", overridable=False),
        SynchronizedField("known_issue_window", overridable=False),
        SynchronizedField("delivery_unit", overridable=False),
        SynchronizedField("review_by", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("form")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        self._check_known_issue_settings()

    def _check_known_issue_settings(self):
        """The known-issue check must name questions this form asks, of a kind it can compare."""
        if not self.known_issue_check:
            return
        questions = FormSchema.from_definition(self).questions
        wanted = (
            "address" if self.known_issue_check == self.KNOWN_ISSUE_SAME_ADDRESS else "location"
        )
        errors = {}
        compared = questions.get(self.known_issue_field)
        if compared is None or compared.type != wanted:
            names = ", ".join(name for name, q in questions.items() if q.type == wanted)
            errors["known_issue_field"] = _(
                "Enter the name of one of this form’s %(kind)s questions (%(names)s)."
            ) % {"kind": wanted, "names": names or _("it has none: add one first")}
        if self.known_issue_same_answer and self.known_issue_same_answer not in questions:
            errors["known_issue_same_answer"] = _(
                "This form has no question named “%(name)s”. Enter a question’s name, or leave it blank."
            ) % {"name": self.known_issue_same_answer}
        if errors:
            raise ValidationError(errors)

    @cached_property
    def schema(self):

        return FormSchema.from_definition(self)

    # The editor's preview: the resident's way through the form as a list, every page and every
    # route in order, so logic can be checked before it is published.
    preview_modes = [("flow", _("Flow"))]

    def get_preview_template(self, request, mode_name):
        return "eforms/flow_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        pages = logic.read(self.pages)
        context.update(form=self, steps=logic.flow(pages), problems=logic.problems(pages))
        return context

    def expected_by(self, received_at):
        if not self.service_level_days:
            return None
        return add_working_days(timezone.localdate(received_at), self.service_level_days)

    @property
    def what_you_need_list(self):
        return [line.strip() for line in self.what_you_need.splitlines() if line.strip()]

    @property
    def staff_emails(self):
        return [line.strip() for line in self.notify_emails.splitlines() if line.strip()]


def new_token():
    return secrets.token_urlsafe(24)


class Draft(models.Model):
    """A form in progress. Its token is the resident's only key, so it is long and random."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="drafts")
    answers = models.JSONField(default=dict, blank=True)
    pages_seen = models.JSONField(default=list, blank=True)
    last_page = models.CharField(max_length=50, blank=True)
    known_issue_dismissed = models.BooleanField(default=False)
    resume_email = models.EmailField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    RESUME_DAYS = 7

    class Meta:
        indexes = [models.Index(fields=["form", "submitted_at"])]

    def __str__(self):
        return f"Draft of {self.form_id} started {self.started_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = timezone.now() + datetime.timedelta(days=self.RESUME_DAYS)
        super().save(*args, **kwargs)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Submission.OPEN_STATUSES)

    def for_user(self, user):

        unit_ids = restricted_unit_ids(user)
        return self if unit_ids is None else self.filter(delivery_unit_id__in=unit_ids)

    def overdue_first(self):
        """Open and late first, then by the date promised, then newest."""
        today = timezone.localdate()
        return self.annotate(
            overdue_rank=models.Case(
                models.When(
                    status__in=Submission.OPEN_STATUSES, due_date__lt=today, then=models.Value(0)
                ),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        ).order_by("overdue_rank", models.F("due_date").asc(nulls_last=True), "-submitted_at")


class Submission(models.Model):
    """One resident's request: what they told us, what we promised and what has happened since."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    STATUS_CHOICES = [
        (RECEIVED, _("Received")),
        (ACKNOWLEDGED, _("Acknowledged")),
        (IN_PROGRESS, _("In progress")),
        (RESOLVED, _("Resolved")),
        (CLOSED, _("Closed")),
        (REJECTED, _("Rejected")),
    ]
    OPEN_STATUSES = (RECEIVED, ACKNOWLEDGED, IN_PROGRESS)
    # Which status may follow which; anything closed may be reopened to "in progress".
    NEXT_STATUSES = {
        RECEIVED: [ACKNOWLEDGED, IN_PROGRESS, RESOLVED, CLOSED, REJECTED],
        ACKNOWLEDGED: [IN_PROGRESS, RESOLVED, CLOSED, REJECTED],
        IN_PROGRESS: [RESOLVED, CLOSED, REJECTED],
        RESOLVED: [IN_PROGRESS, CLOSED],
        CLOSED: [IN_PROGRESS],
        REJECTED: [IN_PROGRESS],
    }

    reference = models.CharField(max_length=20, unique=True)
    track_token = models.CharField(max_length=64, unique=True, default=new_token)
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="submissions")
    form_title = models.CharField(max_length=200)
    # The published version of the form the resident answered: staff and exports show each
    # answer under the question as it was asked then, however the form is reworded later.
    # Protected, so Wagtail's purge_revisions keeps it as long as the request is kept.
    form_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    delivery_unit = models.ForeignKey(
        "core.DeliveryUnit", on_delete=models.PROTECT, null=True, related_name="+"
    )
    locale = models.CharField(max_length=10, default="en-gb")
    answers = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20, choices=STATUS_CHOICES, default=RECEIVED, db_index=True
    )
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=20, blank=True)
    wants_text_updates = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_date = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    seconds_to_complete = models.PositiveIntegerField(null=True, blank=True)
    draft = models.OneToOneField(
        Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="submission"
    )
    # NULL, not "", so the unique constraint ignores submissions sent without a key.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    channel = models.CharField(
        max_length=10, default="web", choices=[("web", "Web"), ("api", "API")]
    )
    street_key = models.CharField(max_length=200, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The first address answer's postcode, normalised ("NB1 1AA"), so staff can find a request
    # by the postcode a resident gives on the phone without reading every answer.
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    # The member of staff working on the request. Never shown to the resident.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the owning unit was told this open request will be deleted for its age
    # (eforms.retention.warn_open_requests); it is deleted only after the warning period.
    deletion_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "idempotency_key"], name="eforms_submission_idempotency"
            ),
        ]
        permissions = [
            ("view_submission_statistics", "Can view form statistics (no personal data)"),
            ("export_submission", "Can export submissions as CSV"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    def allowed_next_statuses(self):
        labels = dict(self.STATUS_CHOICES)
        return [(code, labels[code]) for code in self.NEXT_STATUSES[self.status]]


class StatusChange(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=Submission.STATUS_CHOICES)
    message = models.TextField(
        blank=True, help_text=_("Sent to the resident and shown on the tracking page.")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.submission_id}: {self.from_status or 'new'} -> {self.to_status}"

    @property
    def to_status_label(self):
        return dict(Submission.STATUS_CHOICES).get(self.to_status, self.to_status)


class CaseNote(models.Model):
    """A note staff keep on a request: who wrote it and when.

    Internal only. Notes are never sent to the resident and never appear on the tracking page
    or in the API; what residents are told goes in a status change's message instead.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on {self.submission_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    """Someone who found their problem already reported and asked for its updates instead.

    They never see the report itself: not its reference, its reporter or when it was made.
    Their emails say only what has changed (eforms.services).
    """

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="subscriptions"
    )
    email = models.EmailField()
    # The follower's language, which may not be the reporter's.
    locale = models.CharField(max_length=10, default="en-gb")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("submission", "email")]

    def __str__(self):
        return f"Subscription {self.pk} to {self.submission_id}"


def upload_path(instance, filename):
    return f"eforms/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def quarantine_storage():
    """Where files with a virus go (``EFORMS_QUARANTINE_ROOT``): out of the uploads folder, its
    backups and every view; kept for the council's IT security to look at, until retention."""
    return PrivateFileStorage(location=settings.EFORMS_QUARANTINE_ROOT)


class UploadedFile(models.Model):
    """A resident's file: attached to a draft while they fill in the form, then to the submission."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    draft = models.ForeignKey(
        Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    field_name = models.CharField(max_length=50)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(storage=private_storage, upload_to=upload_path, max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    # The virus check (eforms/scanning.py): every file waits for it before staff may open it.
    WAITING = "waiting"
    CLEAN = "clean"
    INFECTED = "infected"
    NOT_CHECKED = "not_checked"
    SCAN_CHOICES = [
        (WAITING, _("Waiting for a virus check")),
        (CLEAN, _("No virus found")),
        (INFECTED, _("Removed: it contained a virus")),
        (NOT_CHECKED, _("Not checked: no virus scanner is set up (development only)")),
    ]
    scan_status = models.CharField(
        max_length=20, choices=SCAN_CHOICES, default=WAITING, db_index=True
    )
    scanned_at = models.DateTimeField(null=True, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(default=0)
    # The signature ClamAV named, for the council's IT security ("Win.Test.EICAR_HDB-1").
    threat = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return self.original_name

    @property
    def offered(self):
        """Whether staff may open it: checked and clean, or (on a development site with no
        scanner, DEBUG on) marked as not checked."""
        if self.scan_status == self.CLEAN:
            return True
        return self.scan_status == self.NOT_CHECKED and settings.DEBUG

    @property
    def stored_in(self):
        """The storage holding the bytes now: the uploads folder, or quarantine."""
        return quarantine_storage() if self.scan_status == self.INFECTED else self.file.storage

    def as_answer(self):
        return {
            "file": self.token,
            "name": self.original_name,
            "size": self.size,
            "content_type": self.content_type,
        }


class OutboxMessage(models.Model):
    """A message waiting to go, or gone. Sending is retried with backoff until it succeeds."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    STATUS_CHOICES = [(PENDING, _("Waiting to send")), (SENT, _("Sent")), (FAILED, _("Gave up"))]
    EMAIL = "email"
    SMS = "sms"

    channel = models.CharField(
        max_length=10, choices=[(EMAIL, "Email"), (SMS, "Text message")], default=EMAIL
    )
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    # The saved form a "Continue your form" email links to: when the draft goes, so does the
    # email holding its link (eforms.retention).
    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When Signpost gave up on it (status "failed"); cleared when staff send it again.
    failed_at = models.DateTimeField(null=True, blank=True)
    # An alert to the owning unit that another message failed (eforms.notifications). An alert
    # that fails in turn alerts nobody, so a broken relay cannot breed alerts.
    is_failure_alert = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.channel} to {self.to}: {self.subject}"
