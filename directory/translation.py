"""Showing services in the resident's language.

A service's translations are ``ServiceText`` rows made with wagtail-localize (see the model's
docstring). Resident pages call ``localise`` on the services they are about to show: each
service whose words have been translated into the page's language shows those words, the rest
keep their English ones. The Open Referral UK API never calls it: the standard publishes one
language.
"""

from django.utils import translation

from core.i18n import default_locale, locales

from .models import ServiceText


def content_language(language_code=None):
    """The wagtail Locale language code for ``language_code`` (default: the active language)."""
    code = (language_code or translation.get_language() or "").lower()
    for locale_code in sorted(locales.codes()):
        if locale_code.lower() == code or locale_code.lower().split("-")[0] == code.split("-")[0]:
            return locale_code
    return None


def is_default_language(language_code):
    default = default_locale()
    return default is None or language_code == default.language_code


def resident_language():
    """The active language's Locale code when it isn't the default, else None (nothing to translate)."""
    code = content_language()
    return None if code is None or is_default_language(code) else code


def localise(services, language_code=None):
    """Replace the words of ``services`` (in memory only) with their translation, where there is one.

    Marks each translated service with ``shown_in_language`` so that ``Service.save`` refuses to
    write the translated words over the English ones. Returns the services, for chaining.
    """
    services = [service for service in services if service is not None]
    code = content_language(language_code)
    if not services or code is None or is_default_language(code):
        return services
    texts = {
        text.service_id: text
        for text in ServiceText.objects.filter(
            locale__language_code=code, service_id__in={service.pk for service in services}
        )
    }
    for service in services:
        text = texts.get(service.pk)
        if text is None or getattr(service, "shown_in_language", None) == code:
            continue
        service.english_text = {field: getattr(service, field) for field in ServiceText.FIELDS}
        for field in ServiceText.FIELDS:
            # Words added to the service after it was translated stay English until translated.
            setattr(service, field, getattr(text, field) or getattr(service, field))
        service.shown_in_language = code
    return services


def english_words(service, field):
    """The English value of ``field``, whether or not the service is shown translated."""
    english = getattr(service, "english_text", None)
    return english[field] if english else getattr(service, field)
