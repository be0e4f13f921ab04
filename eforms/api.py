"""What other apps may ask of eforms. Keep this small: it is eforms' public surface."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypedDict

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from wagtail.models import Locale

# Re-exported: the site tells the location map's search where a postcode is (the directory's
# postcode table, on eforms' floor).
from .maps import register_postcode_locator as register_postcode_locator

# Re-exported: the site tells eforms the council's name for residents' text messages, and
# where its Operations report is, for the alert that a message failed.
from .notifications import queue
from .notifications import register_council_name as register_council_name
from .notifications import register_operations_report as register_operations_report

# Re-exported: the site shows the notifications outbox in /healthz and the Operations report.
from .operations import FailedMessage as FailedMessage
from .operations import NotificationQueueHealth as NotificationQueueHealth
from .operations import failed_messages as failed_messages
from .operations import notification_queue_state as notification_queue_state
from .operations import retry_failed_messages as retry_failed_messages

# Re-exported: the web team's A/B tests count a started or completed form as a goal.
from .signals import form_completed as form_completed
from .signals import form_started as form_started

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.utils.safestring import SafeString

    from .models import FormDefinition
from django.utils import translation

from core import fragments

from .analytics import form_analytics as compute
from .models import FormDefinition, Submission
from .retention import deletion_date

# The forms API's limits: each file sent (decoded), and the whole request body, in which files
# travel as base64 (a third larger). Above either the answer is a 413 with a plain-English
# JSON body (eforms/api_views.py, cms.middleware.BodySizeLimitMiddleware), as the OpenAPI
# document says; the reverse proxy's own limit must be above the body's (docs/operations.md).
API_MAX_FILE_BYTES = 10 * 1024 * 1024
SUBMISSION_MAX_BODY_BYTES = 30 * 1024 * 1024


class FormAnalytics(TypedDict):
    starts: int  # drafts begun
    completions: int  # submissions
    completion_rate: float | None  # None before anyone has started
    drop_off_page: str | None  # where abandoned drafts stopped most ("start" for the first page)
    drop_offs: int  # drafts given up part-way (left a day, not sent, not at an exit page)
    exits: int  # drafts whose answers led to an exit page (not eligible): not drop-offs
    exit_pages: dict[str, int]  # exits by exit page name, most first
    median_seconds: int | None  # from start to submission


def queue_email(to: str, subject: str, body: str) -> None:
    """Put an email in the outbox, for the background worker to send once the transaction
    commits (with the outbox's retries). For other apps' messages that belong to no request:
    the site hands this to the directory for its problem reports."""
    queue(to, body, subject=subject)


def get_form(slug: str, locale: Locale | str | None = None) -> FormDefinition | None:
    """The live form with this slug in a language (a code or a Locale), falling back to English.

    Without a language, the resident's (the active language): a Polish journey starts the Polish form.
    The form found in the language asked for is remembered in each web process with its schema
    compiled (core.fragments.remember_in_process) until it is published, unpublished or its
    delivery unit changes: every page of a form in progress asks for it.
    """

    code = (
        getattr(locale, "language_code", locale)
        if locale is not None
        else translation.get_language()
    )
    if code:
        found = fragments.remember_in_process(
            "live-form", [slug, code], lambda: _live_form(slug, code)
        )
        if found is not None:
            return found
    forms = _live_forms(slug)
    default = Locale.get_default()
    found = forms.filter(locale=default).first()
    return found or forms.first()


def _live_forms(slug: str) -> QuerySet[FormDefinition]:
    return FormDefinition.objects.filter(slug=slug, live=True).select_related(
        "locale", "delivery_unit"
    )


def _live_form(slug: str, code: str) -> FormDefinition | None:
    form = _live_forms(slug).filter(locale__language_code=code).first()
    if form is not None:
        _ = form.schema  # compiled once, while it is remembered
    return form


def start_url(form: FormDefinition, request: HttpRequest | None = None) -> str:
    """The resident start page of a form, like /forms/missed-bin-report/ (or /pl/forms/...)."""

    language = form.locale.language_code if form.locale_id else None
    try:
        with translation.override(language):
            return reverse("eforms:start", kwargs={"slug": form.slug})
    except NoReverseMatch:
        return f"/forms/{form.slug}/"


def render_start(form: FormDefinition, request: HttpRequest) -> SafeString:
    """Safe HTML for the start of a form inside a journey step: what it's for, the promise and a start button."""

    # eforms.views imports this module at its top, so the view is imported when called
    from .views import start_html

    html: str = start_html(form, request)
    return mark_safe(html)


def form_analytics(form: FormDefinition) -> FormAnalytics:
    """starts, completions, completion_rate, drop-offs (and where), exits to exit pages (and
    which) and median_seconds for one form."""

    analytics: FormAnalytics = compute(form)
    return analytics


# Confirmation pages end with "You might also need" links. eforms does not know where they come
# from: an app above it (journeys) registers a provider from its AppConfig.ready(), as apps
# register their documents with search. A provider's own errors are not hidden.
class Signpost(TypedDict):
    """A "You might also need" link."""

    title: str
    url: str | None  # None when the page is not routable (no site)
    summary: str


SignpostProvider = Callable[["FormDefinition", "HttpRequest | None"], Iterable[Signpost]]
_signpost_providers: list[SignpostProvider] = []


def register_signpost_provider(provider: SignpostProvider) -> None:
    """Add a provider of links for confirmation pages (called from an AppConfig.ready())."""
    if provider not in _signpost_providers:
        _signpost_providers.append(provider)


def signposts_for(form: FormDefinition, request: HttpRequest | None = None) -> list[Signpost]:
    """'You might also need' links for the confirmation page, from every registered provider."""
    links: list[Signpost] = []
    for provider in _signpost_providers:
        links.extend(provider(form, request) or [])
    return links


# The page after an address question can say what an app above eforms knows about that address:
# bins tells a resident reporting a missed bin whether today is their collection day and whether
# the crew has finished. A provider returns plain text (escaped when shown) or None.
AddressNotice = Callable[["FormDefinition", str], "str | None"]
_address_notices: list[AddressNotice] = []


def register_address_notice(provider: AddressNotice) -> None:
    """Add ``provider(form, uprn) -> text | None`` (called from an AppConfig.ready())."""
    if provider not in _address_notices:
        _address_notices.append(provider)


def address_notices(form: FormDefinition, uprn: str) -> list[str]:
    """What the registered providers say about a chosen address (a UPRN) in this form."""
    notices = (provider(form, uprn) for provider in _address_notices)
    return [notice for notice in notices if notice]


def form_choices() -> list[tuple[str, str]]:
    """(slug, title) of every form in the default language, for editors' choice blocks."""

    # Plain values, not forms: a journey's blocks ask for these each time it renders, and rows
    # loaded as objects would tie every cached journey to every form (core/pagecache.py).
    forms = FormDefinition.objects.filter(locale=Locale.get_default()).order_by("title")
    return list(forms.values_list("slug", "title"))


def forms_without_privacy_notice() -> list[FormDefinition]:
    """Live forms with no consent block (the privacy notice inline), for the web team's checks."""

    def has_consent(form: FormDefinition) -> bool:
        return any(
            item.block_type == "consent"
            for page in form.pages
            if page.block_type == "page"
            for item in page.value["items"]
        )

    return [form for form in FormDefinition.objects.filter(live=True) if not has_consent(form)]


def queue_staff_email(to: str, subject: str, body: str) -> None:
    """An email to staff (a unit's reminder, say) through the notifications outbox.

    Written in the caller's transaction and sent by the background worker once it commits, with
    the outbox's retries: a mail relay that is down delays the message and never loses it.
    """
    queue(to, body, subject=subject)


class DueForDeletion(TypedDict):
    """An open request its unit was warned will be deleted for its age (eforms/retention.py)."""

    reference: str
    unit: str
    deleted_on: datetime.date


def requests_due_for_deletion() -> list[DueForDeletion]:
    """Open requests already warned about, soonest first, for the Operations report."""
    warned = Submission.objects.open().filter(deletion_warned_at__isnull=False)
    rows: list[DueForDeletion] = [
        {
            "reference": s.reference,
            "unit": s.delivery_unit.name if s.delivery_unit else "",
            "deleted_on": deletion_date(s),
        }
        for s in warned.select_related("form", "delivery_unit")
    ]
    return sorted(rows, key=lambda row: row["deleted_on"])
