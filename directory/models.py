"""The service directory: one store of services, modelled on HSDS 3.0 as profiled by Open Referral UK.

Every record that Open Referral UK publishes has a UUID primary key, so ids survive export and
re-import between publishers unchanged. Signpost's own fields (personas, referral route, support
level, partner-only notes, verification) sit beside the standard ones and are never published
where the standard has no place for them, except partner notes, which are never published at all.
"""

import uuid
from dataclasses import replace

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.models import (
    DraftStateMixin,
    Locale,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.geo import normalise_postcode

# HSDS day codes, in week order, with the names residents read.
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Taxonomy(models.Model):
    """A published list of terms, e.g. Signpost's own needs taxonomy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaxonomyTerm(models.Model):
    """One category of need. Terms nest: searching a parent finds services filed under its children."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.SlugField(
        max_length=100,
        unique=True,
        help_text=_(
            "Stable code used by journeys and saved searches, e.g. “falls-prevention-classes”."
        ),
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    term_uri = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("taxonomy"),
        FieldPanel("parent"),
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("order"),
    ]

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.label

    @property
    def local_name(self):
        """The name in the active language: seeded terms are in the interface catalogues;
        a term an editor added shows its name as written."""
        return gettext(self.name)

    @property
    def label(self):
        """Hierarchical label, e.g. "Falls and mobility › Falls prevention classes"."""
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A term can’t be inside itself.")})
            ancestor = ancestor.parent


class Organization(RevisionMixin, models.Model):
    """Who runs services: a council team, a charity, a community group, a company."""

    class ProviderType(models.TextChoices):
        COUNCIL_TEAM = "council-team", _("Council team")
        NHS = "nhs", _("NHS service")
        REGISTERED_CHARITY = "registered-charity", _("Registered charity")
        COMMUNITY_GROUP = "community-group", _("Community group")
        SOCIAL_ENTERPRISE = "social-enterprise", _("Social enterprise")
        COMPANY = "company", _("Company")
        HOUSING_ASSOCIATION = "housing-association", _("Housing association")
        CREDIT_UNION = "credit-union", _("Credit union")
        FOODBANK = "foodbank", _("Foodbank")
        FAITH_GROUP = "faith-group", _("Faith group")
        SCHOOL = "school", _("School or college")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    provider_type = models.CharField(max_length=40, choices=ProviderType.choices)
    charity_number = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("Registered charity number. Two organisations can’t share one."),
    )
    company_number = models.CharField(max_length=20, blank=True)
    registered_address = models.TextField(
        blank=True,
        help_text=_(
            "Registered office. This is not where services are delivered or which areas they cover."
        ),
    )
    registered_postcode = models.CharField(max_length=10, blank=True)
    parent_organization = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="branches"
    )
    last_modified = models.DateTimeField(default=timezone.now)
    feed = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The partner feed this came from; empty when it was made in Signpost."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("provider_type"),
        FieldRowPanel([FieldPanel("charity_number"), FieldPanel("company_number")]),
        FieldPanel("email"),
        FieldPanel("website"),
        MultiFieldPanel(
            [FieldPanel("registered_address"), FieldPanel("registered_postcode")],
            heading=_("Registered office"),
        ),
        FieldPanel("parent_organization"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["charity_number"],
                condition=~Q(charity_number=""),
                name="directory_organization_unique_charity_number",
                violation_error_message=_("Another organisation already has this charity number."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, touch=True, **kwargs):
        """Record the change time, unless an import is copying another publisher's."""
        if touch:
            self.last_modified = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        self.charity_number = "".join(self.charity_number.split()).upper()
        if self.registered_postcode:
            postcode = normalise_postcode(self.registered_postcode)
            if postcode is None:
                raise ValidationError(
                    {"registered_postcode": _("Enter a real postcode, like NB1 1AA.")}
                )
            self.registered_postcode = postcode


class Location(models.Model):
    """A place where services are delivered. Several services can share one location."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("A place people visit")
        POSTAL = "postal", _("Postal address only")
        VIRTUAL = "virtual", _("Online or by phone")

    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("Where people go")
        POSTAL = "postal", _("Where letters go")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    address_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("town or city"), max_length=100, default="Northbrook", blank=True)
    state_province = models.CharField(
        _("county"), max_length=100, default="Greater London", blank=True
    )
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(
        max_length=10,
        choices=AddressType.choices,
        default=AddressType.PHYSICAL,
        help_text=_("Whether the address is where people go or only where letters go."),
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Leave blank to use the middle of the postcode."),
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    accessibility = models.TextField(
        blank=True,
        help_text=_("One fact per line, e.g. “Step-free entrance”, “Hearing loop at reception”."),
    )
    external_identifier = models.CharField(
        max_length=40, blank=True, help_text=_("UPRN, if known.")
    )
    transportation = models.TextField(
        _("getting there"), blank=True, help_text=_("e.g. “Buses 12 and 44 stop outside”")
    )
    feed = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The partner feed this came from; empty when it was made in Signpost."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("location_type"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address_1"),
                FieldPanel("address_2"),
                FieldPanel("city"),
                FieldPanel("state_province"),
                FieldPanel("postal_code"),
            ],
            heading=_("Address"),
        ),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("accessibility"),
        FieldPanel("external_identifier"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        if self.postal_code:
            return f"{self.name}, {self.postal_code}"
        return self.name

    def save(self, *args, **kwargs):
        if self.latitude is None and self.postal_code:
            # directory.postcodes imports these models at its top, so they import it when called
            from .postcodes import locate_postcode

            point = locate_postcode(self.postal_code)
            if point is not None:
                self.latitude, self.longitude = point
        super().save(*args, **kwargs)

    def clean(self):
        if self.postal_code:
            postcode = normalise_postcode(self.postal_code)
            if postcode is None:
                raise ValidationError({"postal_code": _("Enter a real postcode, like NB1 1AA.")})
            self.postal_code = postcode
        if self.location_type == self.LocationType.PHYSICAL and not self.address_1:
            raise ValidationError({"address_1": _("Enter the first line of the address.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": _("Enter both latitude and longitude, or neither.")}
            )

    @property
    def point(self):
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def address_lines(self):
        return [
            part for part in (self.address_1, self.address_2, self.city, self.postal_code) if part
        ]

    @property
    def accessibility_list(self):
        return [line.strip() for line in self.accessibility.splitlines() if line.strip()]


class LiveServiceQuerySet(models.QuerySet):
    def live(self):
        """What residents, the search index and the Open Referral UK API see: published services."""
        return self.filter(live=True)


class Service(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """Something a resident can use: a class, a helpline, a drop-in, a grant.

    Services have drafts and go through the approval workflow like pages: what an editor types
    (and what the admin autosaves) stays a draft until it is published, so a half-typed service
    is never live. Importers and the demo create services live, as a publisher's feed is.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Closed for good")

    class ReferralRoute(models.TextChoices):
        SELF = "self", _("People can refer themselves")
        PROFESSIONAL = "professional", _("Professional referral only")
        BOTH = "both", _("Self-referral or professional referral")

    class SupportLevel(models.TextChoices):
        CRISIS = "crisis", _("Immediate crisis support")
        ONGOING = "ongoing", _("Ongoing support")
        PREVENTION = "prevention", _("Prevention and wellbeing")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(help_text=_("What the service does, in plain English."))
    url = models.URLField(_("web address"), blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees_description = models.CharField(
        _("cost summary"), max_length=300, blank=True, help_text=_("e.g. “Free” or “£3 a session”")
    )
    accreditations = models.CharField(max_length=300, blank=True)
    alert = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Something residents must know now, e.g. a temporary closure."),
    )

    # Eligibility
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.TextField(
        _("who it is for"),
        blank=True,
        help_text=_("e.g. “People aged 65 and over who live in Northbrook”"),
    )
    application_process = models.TextField(
        _("how to apply"),
        blank=True,
        help_text=_("The steps to get help, e.g. “Ask your GP to refer you, or phone us”."),
    )
    wait_time = models.CharField(
        _("how long people wait"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “About 3 weeks for a first appointment”"),
    )

    # Signpost's own fields
    personas = ParentalManyToManyField("personas.Persona", blank=True, related_name="+")
    taxonomy_terms = ParentalManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    referral_route = models.CharField(
        max_length=20, choices=ReferralRoute.choices, default=ReferralRoute.SELF
    )
    support_level = models.CharField(
        max_length=20, choices=SupportLevel.choices, default=SupportLevel.ONGOING
    )
    same_day = models.BooleanField(_("can help the same day"), default=False)
    out_of_hours = models.BooleanField(_("available out of hours"), default=False)
    bookable = models.BooleanField(default=False)
    booking_url = models.URLField(_("booking link"), blank=True)
    referral_email = models.EmailField(
        blank=True,
        help_text=_(
            "For professionals making referrals. Shown to signed-in staff and partners only."
        ),
    )
    partner_notes = models.TextField(
        _("notes for partners"),
        blank=True,
        help_text=_("Shown to signed-in staff and partners only, never to the public."),
    )

    # Verification
    owner = models.ForeignKey(
        "core.DeliveryUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The delivery unit that keeps this listing right and answers problem reports."),
    )
    last_verified = models.DateField(
        null=True,
        blank=True,
        help_text=_("When someone last checked this listing with the provider."),
    )
    assurer_email = models.EmailField(blank=True)
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)
    feed = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The partner feed this came from; empty when it was made in Signpost."),
    )

    objects = LiveServiceQuerySet.as_manager()

    service_panels = [
        FieldPanel("name"),
        FieldPanel("organization"),
        FieldPanel("description"),
        FieldPanel("status"),
        FieldPanel("alert"),
        FieldPanel("taxonomy_terms", widget=forms.CheckboxSelectMultiple),
        FieldPanel("personas"),
        InlinePanel("service_at_locations", label=_("Where"), heading=_("Where it happens")),
        FieldPanel("opening_hours"),
    ]
    eligibility_panels = [
        FieldPanel("eligibility_description"),
        FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")], heading=_("Ages")),
        FieldPanel("fees_description"),
        InlinePanel("cost_options", label=_("Cost")),
        InlinePanel("service_areas", label=_("Area served")),
        InlinePanel("languages", label=_("Language")),
        FieldPanel("application_process"),
        FieldPanel("wait_time"),
        InlinePanel("required_documents", label=_("Document to bring")),
        InlinePanel("funding", label=_("Funded by")),
    ]
    access_panels = [
        FieldPanel("referral_route"),
        FieldPanel("support_level"),
        FieldRowPanel([FieldPanel("same_day"), FieldPanel("out_of_hours")]),
        FieldRowPanel([FieldPanel("bookable"), FieldPanel("booking_url")]),
        FieldPanel("url"),
        FieldPanel("email"),
        InlinePanel("phones", label=_("Phone number")),
        InlinePanel("contacts", label=_("Contact")),
        MultiFieldPanel(
            [FieldPanel("referral_email"), FieldPanel("partner_notes")],
            heading=_("For staff and partners only"),
        ),
    ]
    verification_panels = [
        FieldPanel("owner"),
        FieldPanel("last_verified"),
        FieldPanel("assurer_email"),
        FieldPanel("accreditations"),
    ]
    # The tabbed edit handler is built in wagtail_hooks, with the form that adds opening hours.

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, touch=True, **kwargs):
        """Record the change time, unless an import is copying another publisher's, and keep the
        English ``ServiceText`` (what translators translate) the same as the service's own words."""
        if getattr(self, "shown_in_language", None):
            raise RuntimeError(
                "This service was loaded with translated text for display. Load it again before saving it."
            )
        if touch:
            self.last_modified = timezone.now()
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        # A draft is saved as a revision, with only bookkeeping fields written to the row: the
        # words in this object are the draft's, which translators must not see yet.
        if update_fields is None or set(update_fields) & set(ServiceText.FIELDS):
            ServiceText.sync_from_services([self], new=adding)

    def clean(self):
        errors = {}
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            errors["maximum_age"] = _(
                "Maximum age must be the same as or more than the minimum age."
            )
        if self.bookable and not self.booking_url:
            errors["booking_url"] = _("Enter the booking link, or untick “bookable”.")
        if errors:
            raise ValidationError(errors)

    def get_url(self):
        return reverse("directory:service", kwargs={"service_id": self.pk})


class ServiceText(TranslatableMixin, models.Model):
    """The words residents read about a service (name, description, who it is for, cost, alert),
    in one language.

    The service's own fields hold the English words: they are what the Open Referral UK API
    publishes and what every filter reads. A service can't be translated by copying it, the way
    wagtail-localize translates pages and snippets, because a copy would be a second service to
    the API, the search index and every filter. So the words are also kept here, one row per
    language sharing the service's id as their ``translation_key``: the English row is rewritten
    from the service whenever it is saved, and translators translate it with wagtail-localize like
    any snippet (the same "Translate" button, editor and "source changed" state as pages).
    """

    FIELDS = (
        "name",
        "description",
        "eligibility_description",
        "fees_description",
        "alert",
        "application_process",
        "wait_time",
    )

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="texts", editable=False
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    fees_description = models.CharField(_("cost summary"), max_length=300, blank=True)
    alert = models.CharField(max_length=300, blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    wait_time = models.CharField(_("how long people wait"), max_length=200, blank=True)

    # What translators translate; the link to the service is copied unchanged into every language.
    translatable_fields = [TranslatableField(field) for field in FIELDS] + [
        SynchronizedField("service")
    ]

    panels = [
        FieldPanel("name", read_only=True),
        FieldPanel("description", read_only=True),
        FieldPanel("eligibility_description", read_only=True),
        FieldPanel("fees_description", read_only=True),
        FieldPanel("alert", read_only=True),
        FieldPanel("application_process", read_only=True),
        FieldPanel("wait_time", read_only=True),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("service text for translation")
        verbose_name_plural = _("service texts for translation")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def sync_from_services(cls, services, *, new: bool = False):
        """Write each service's English words into its English ServiceText, creating it if needed
        (``new``: the services were only just created, so none has one to read first).

        Rows whose words are already the same are left alone, so a save that changes no words
        (a new verification date) doesn't mark translations as out of date.
        """
        services = list(services)
        if not services:
            return 0
        try:
            locale = Locale.get_default()
        except Locale.DoesNotExist:  # before the first locale exists (early migrations)
            return 0
        existing = (
            {}
            if new
            else {
                text.service_id: text
                for text in cls.objects.filter(locale=locale, service__in=services)
            }
        )
        written = 0
        for service in services:
            text = existing.get(service.pk) or cls(
                service=service, locale=locale, translation_key=service.pk
            )
            values = {field: getattr(service, field) or "" for field in cls.FIELDS}
            if text.pk and all(getattr(text, field) == value for field, value in values.items()):
                continue
            for field, value in values.items():
                setattr(text, field, value)
            text.save()
            written += 1
        return written


class ServicePart(models.Model):
    """A record that belongs to one service: an HSDS child table (phones, schedules, costs…).

    Each has a UUID id, as Open Referral UK requires, so a phone number keeps its id through
    export and re-import; and the order editors gave it in the service's inline panels.
    Subclasses add their ``service = ParentalKey(...)`` with their own ``related_name``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sort_order = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["sort_order"]


class ServiceAtLocation(ServicePart):
    """A service delivered at a location (the HSDS link record)."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.CharField(max_length=300, blank=True)

    panels = [FieldPanel("location"), FieldPanel("description")]

    class Meta(ServicePart.Meta):
        verbose_name = _("service at location")

    def __str__(self):
        return f"{self.service} at {self.location}"


class Schedule(ServicePart):
    """When a service is open, stored in the shape of the HSDS RRULE fields.

    Simple weekly opening ("Mon–Fri 9:00–17:00") is a WEEKLY rule with BYDAY, so it publishes
    to Open Referral UK without translation and the opening-hours field can edit it.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", _("Weekly")
        MONTHLY = "MONTHLY", _("Monthly")

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    freq = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(default=1)
    byday = models.CharField(
        max_length=40, blank=True, help_text=_("HSDS day codes, e.g. MO,TU,WE")
    )
    bymonthday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    attending_type = models.CharField(max_length=300, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    def __str__(self):
        # directory.opening_hours imports these models at its top, so they import it when called
        from .opening_hours import format_schedule

        return format_schedule(self) or self.description or "Schedule"

    def for_residents(self):
        """The opening times in the active language (see opening_hours.describe_schedule)."""
        # directory.opening_hours imports these models at its top, so they import it when called
        from .opening_hours import describe_schedule

        return describe_schedule(self)

    @property
    def days(self):
        return [code for code in self.byday.split(",") if code in DAY_CODES]

    @property
    def is_simple_weekly(self):
        """True when the opening-hours field can show and edit this rule."""
        return (
            self.freq == self.Frequency.WEEKLY
            and self.interval == 1
            and bool(self.days)
            and self.opens_at is not None
            and self.closes_at is not None
            and not self.bymonthday
            and self.service_at_location_id is None
            and self.valid_from is None
            and self.valid_to is None
        )


class Phone(ServicePart):
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    extension = models.PositiveIntegerField(null=True, blank=True)
    description = models.CharField(max_length=200, blank=True, help_text=_("e.g. “Advice line”"))

    panels = [FieldPanel("number"), FieldPanel("extension"), FieldPanel("description")]

    def __str__(self):
        return self.number


class Contact(ServicePart):
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("department"),
        FieldPanel("email"),
    ]

    def __str__(self):
        return self.name or self.title or self.email


class CostOption(ServicePart):
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True, help_text=_("e.g. “Per session”"))
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    amount_description = models.CharField(max_length=300, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    panels = [FieldPanel("option"), FieldPanel("amount"), FieldPanel("amount_description")]

    def __str__(self):
        return self.option or str(self.amount)


class ServiceArea(ServicePart):
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200, help_text=_("e.g. “Northbrook borough”"))
    description = models.CharField(max_length=300, blank=True)
    uri = models.URLField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    def __str__(self):
        return self.name


class Language(ServicePart):
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, blank=True, help_text=_("ISO 639 code, e.g. “pl”"))

    panels = [FieldPanel("name"), FieldPanel("code")]

    def __str__(self):
        return self.name


class RequiredDocument(ServicePart):
    """Something people must bring or send to use a service (HSDS ``required_document``)."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="required_documents")
    document = models.CharField(max_length=300, help_text=_("e.g. “Proof of address”"))
    uri = models.URLField(blank=True, help_text=_("A page that explains it, if there is one."))

    panels = [FieldPanel("document"), FieldPanel("uri")]

    def __str__(self):
        return self.document


class Funding(ServicePart):
    """Who pays for a service (HSDS ``funding``): commissioners ask partners for this."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(max_length=300, help_text=_("e.g. “Council wellbeing grant”"))

    panels = [FieldPanel("source")]

    class Meta(ServicePart.Meta):
        verbose_name = _("funding")

    def __str__(self):
        return self.source


class Postcode(models.Model):
    """A postcode's centre, from the ONS Postcode Directory, Code-Point Open, or demo data."""

    postcode = models.CharField(max_length=8, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    source = models.CharField(max_length=20, default="onspd")

    class Meta:
        ordering = ["postcode"]

    def __str__(self):
        return self.postcode


class PostcodeArea(models.Model):
    """The middle of a postcode district ("NB2") or sector ("NB2 4"): the mean of its postcodes.

    Residents who give only the first part of their postcode still see the nearest places first.
    The rows are worked out from the postcode table (``directory.postcodes.rebuild_areas``) by
    ``import_postcodes`` and the demo loader, so a lookup is one primary-key read.
    """

    code = models.CharField(max_length=6, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    postcodes = models.PositiveIntegerField(
        help_text=_("How many postcodes the middle is taken from.")
    )

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class DirectoryView(ClusterableModel):
    """A named view over the one directory, e.g. "Local Offer", defined as a saved filter."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, unique=True, help_text=_("Its address: /directory/<slug>/")
    )
    intro = models.TextField(blank=True)
    taxonomy_terms = ParentalManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="+",
        help_text=_("Services in any of these categories, including child categories."),
    )
    personas = ParentalManyToManyField("personas.Persona", blank=True, related_name="+")
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Leave out services only for people younger than this.")
    )
    maximum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Leave out services only for people older than this.")
    )
    free_only = models.BooleanField(default=False)
    owner = models.ForeignKey(
        "core.DeliveryUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldPanel("taxonomy_terms"),
        FieldPanel("personas"),
        FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")]),
        FieldPanel("free_only"),
        FieldPanel("owner"),
    ]

    RESERVED_SLUGS = {"services", "report", "search"}

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("Choose another address: this one is used by the directory itself.")}
            )

    def get_url(self):
        return reverse("directory:view", kwargs={"slug": self.slug})

    def scoped(self, query):
        """The resident's query, narrowed to this view's saved filter."""

        return replace(
            query,
            scope_terms=tuple(term.code for term in self.taxonomy_terms.all()),
            scope_personas=tuple(persona.slug for persona in self.personas.all()),
            age_range_from=self.minimum_age,
            age_range_to=self.maximum_age,
            free_only=query.free_only or self.free_only,
        )


class ListingProblem(models.Model):
    """A resident's report that a listing is wrong, queued for the listing's owner."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("The service has closed")
        CONTACT = "contact", _("The phone number, email or website is wrong")
        TIMES = "times", _("The opening times are wrong")
        ADDRESS = "address", _("The address is wrong")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in-progress", _("Being checked")
        RESOLVED = "resolved", _("Resolved")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind.choices)
    details = models.TextField(blank=True)
    reporter_email = models.EmailField(
        blank=True, help_text=_("Only used to reply about this report.")
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    staff_notes = models.TextField(
        blank=True, help_text=_("For staff only: never sent to the reporter.")
    )
    # The reporter's language, for the emails they get; and when they were told it is resolved.
    language = models.CharField(max_length=10, default="en-gb", editable=False)
    reporter_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("service", read_only=True),
        FieldPanel("kind", read_only=True),
        FieldPanel("details", read_only=True),
        FieldPanel("reporter_email", read_only=True),
        FieldPanel("status"),
        FieldPanel("staff_notes"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("listing problem report")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.service}"

    def save(self, *args, **kwargs):
        if self.status == self.Status.RESOLVED and self.resolved_at is None:
            self.resolved_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def owner(self):
        return self.service.owner


class PartnerFeedQuerySet(models.QuerySet):
    def with_last_run(self):
        """Feeds with their newest run's start and status (``last_pull`` reads them)."""
        newest = FeedRun.objects.filter(feed=models.OuterRef("pk")).order_by("-started_at")
        return self.annotate(
            last_run_started=models.Subquery(newest.values("started_at")[:1]),
            last_run_status=models.Subquery(newest.values("status")[:1]),
        )


class PartnerFeed(models.Model):
    """A partner's Open Referral UK API that the worker pulls on a schedule.

    The records a feed brings in belong to it (``Service.feed`` holds its ``label``): it may
    change only those, never the council's own or another feed's (directory/importer.py).
    After the first pull, each pull asks only for what changed since the last good one
    (``modified_after``).
    """

    name = models.CharField(max_length=100, unique=True, help_text=_("e.g. “Age UK Northbrook”"))
    url = models.URLField(
        _("feed address"),
        help_text=_(
            "The address of the partner’s Open Referral UK API, e.g. "
            "https://partner.example/api/. Signpost reads its /services."
        ),
    )
    owner = models.ForeignKey(
        "core.DeliveryUnit",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The delivery unit that answers for this feed’s listings."),
    )
    alert_email = models.EmailField(
        _("who to tell when a pull fails"),
        help_text=_("They get an email when the feed can’t be read or records are refused."),
    )
    every_hours = models.PositiveSmallIntegerField(
        _("pull every (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 7)],
    )
    active = models.BooleanField(default=True, help_text=_("Untick to stop pulling this feed."))
    label = models.CharField(max_length=200, editable=False, unique=True)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnerFeedQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("owner"),
        FieldPanel("alert_email"),
        FieldPanel("every_hours"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The records' owner: fixed when the feed is made, so renaming it never orphans them.
        if not self.label:
            self.label = f"partner-feed:{uuid.uuid4()}"
        super().save(*args, **kwargs)

    @property
    def last_pull(self):
        """For the admin list (``with_last_run``): how the last pull went, in a few words."""
        started = getattr(self, "last_run_started", None)
        if started is None:
            return gettext("Not pulled yet")
        status = FeedRun.Status(self.last_run_status).label
        return f"{status}, {timezone.localtime(started):%d %b %H:%M}"


class FeedRun(models.Model):
    """One pull of a partner feed and its report, for the run history."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        SOME_REFUSED = "some-refused", _("Some records refused")
        FAILED = "failed", _("Failed")

    feed = models.ForeignKey(PartnerFeed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    modified_after = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}"
