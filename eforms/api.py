"""What other apps may ask of eforms. Keep this small: it is eforms' public surface."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypedDict

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from wagtail.models import Locale

# Re-exported: the site tells eforms the council's name for residents' text messages.
from .notifications import register_council_name as register_council_name

# Re-exported: the web team's A/B tests count a started or completed form as a goal.
from .signals import form_completed as form_completed
from .signals import form_started as form_started

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.safestring import SafeString

    from .models import FormDefinition
from django.utils import translation

from .analytics import form_analytics as compute
from .models import FormDefinition


class FormAnalytics(TypedDict):
    starts: int  # drafts begun
    completions: int  # submissions
    completion_rate: float | None  # None before anyone has started
    drop_off_page: str | None  # where abandoned drafts stopped most ("start" for the first page)
    median_seconds: int | None  # from start to submission


def get_form(slug: str, locale: Locale | str | None = None) -> FormDefinition | None:
    """The live form with this slug in a language (a code or a Locale), falling back to English.

    Without a language, the resident's (the active language): a Polish journey starts the Polish form.
    """

    forms = FormDefinition.objects.filter(slug=slug, live=True).select_related(
        "locale", "delivery_unit"
    )
    code = (
        getattr(locale, "language_code", locale)
        if locale is not None
        else translation.get_language()
    )
    if code:
        found = forms.filter(locale__language_code=code).first()
        if found is not None:
            return found
    default = Locale.get_default()
    found = forms.filter(locale=default).first()
    return found or forms.first()


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
    """starts, completions, completion_rate, drop_off_page and median_seconds for one form."""

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


def form_choices() -> list[tuple[str, str]]:
    """(slug, title) of every form in the default language, for editors' choice blocks."""

    forms = FormDefinition.objects.filter(locale=Locale.get_default()).order_by("title")
    return [(form.slug, form.title) for form in forms]


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
