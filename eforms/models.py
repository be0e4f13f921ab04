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
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.models import OwnedMixin
from core.permissions import restricted_unit_ids

from .blocks import FormPagesBlock
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
    TranslatableMixin,
    OwnedMixin,
    index.Indexed,
    models.Model,
):
    """A form residents fill in, and the promise the council makes when they do."""

    KNOWN_ISSUE_NONE = ""
    KNOWN_ISSUE_SAME_STREET_TODAY = "same_street_today"
    KNOWN_ISSUE_NEARBY = "nearby"
    KNOWN_ISSUE_CHOICES = [
        (KNOWN_ISSUE_NONE, _("No check")),
        (KNOWN_ISSUE_SAME_STREET_TODAY, _("Already reported for the same street today")),
        (KNOWN_ISSUE_NEARBY, _("Already reported nearby and still open")),
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
    known_issue_check = models.CharField(max_length=30, blank=True, choices=KNOWN_ISSUE_CHOICES)
    known_issue_field = models.CharField(
        max_length=50,
        blank=True,
        help_text=_("The name of the address or location question to check."),
    )
    known_issue_radius_m = models.PositiveIntegerField(default=30)
    pages = StreamField(FormPagesBlock(), use_json_field=True)

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
                FieldPanel("known_issue_radius_m"),
            ],
            heading=_("Known issues and duplicates"),
        ),
        FieldPanel("pages"),
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
        SynchronizedField("known_issue_radius_m", overridable=False),
        SynchronizedField("delivery_unit", overridable=False),
        SynchronizedField("review_by", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("form")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]
        ordering = ["title"]

    def __str__(self):
        return self.title

    @cached_property
    def schema(self):

        return FormSchema.from_definition(self)

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


class Subscription(models.Model):
    """Someone who found their problem already reported and asked for its updates instead."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="subscriptions"
    )
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("submission", "email")]

    def __str__(self):
        return f"{self.email} follows {self.submission_id}"


def upload_path(instance, filename):
    return f"eforms/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


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

    def __str__(self):
        return self.original_name

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
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.channel} to {self.to}: {self.subject}"
