"""Pages in the resident's language, and English where a page has no translation yet.

A resident reading in Polish or Arabic stays in their language: a link goes to the page's
translation where there is a live one, and otherwise to the English page *under their
language's address* (``/pl/business/trade-waste/``), which the site serves in English with a
notice in their language ("This page is not available in Polish yet. Here it is in English.";
``cms.models.HomePage.route``). Their header, footer and search stay in their language, and
the next link they follow is in their language again wherever a translation exists.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

#: How long a web process trusts its copy of the locales table when another process changed it.
LOCALES_SECONDS = 60


@dataclass(frozen=True)
class LocalLink:
    """Where a link to a page goes for a resident reading in the active language."""

    page: Page  # the translation shown, or the English page
    url: str
    in_other_language: bool  # no live translation: the page is shown in ``language``
    language: str  # the page's language code (for ``lang`` on the link)


def active_language() -> str:
    return translation.get_supported_language_variant(
        translation.get_language() or settings.LANGUAGE_CODE
    )


class _Locales:
    """The handful of rows in the locales table, read once per process rather than per lookup.

    Every page asks which locale is active and which language a page is in, several times a
    page (each link on the home page asks both); the table changes only when an administrator
    adds a language. A change in this process clears the copy at once; other processes re-read
    theirs within ``LOCALES_SECONDS``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[int, Locale] = {}
        self._by_code: dict[str, Locale] = {}
        self._read_at = -float("inf")

    def _rows(self) -> tuple[dict[int, Locale], dict[str, Locale]]:
        if time.monotonic() - self._read_at > LOCALES_SECONDS:
            with self._lock:
                rows = list(Locale.objects.all())
                self._by_id = {row.pk: row for row in rows}
                self._by_code = {row.language_code.lower(): row for row in rows}
                self._read_at = time.monotonic()
        return self._by_id, self._by_code

    def by_id(self, pk: int) -> Locale | None:
        return self._rows()[0].get(pk)

    def by_code(self, code: str) -> Locale | None:
        return self._rows()[1].get(code.lower())

    def codes(self) -> list[str]:
        return [row.language_code for row in self._rows()[0].values()]

    def forget(self, **kwargs: object) -> None:
        self._read_at = -float("inf")


locales = _Locales()
post_save.connect(locales.forget, sender=Locale, dispatch_uid="signpost-locales-saved", weak=False)
post_delete.connect(
    locales.forget, sender=Locale, dispatch_uid="signpost-locales-deleted", weak=False
)


def active_locale() -> Locale | None:
    """The locale of the active language (Wagtail's ``Locale.get_active``, without a query)."""
    for language in (translation.get_language(), settings.LANGUAGE_CODE):
        code = get_supported_content_language(language) if language else None
        locale = locales.by_code(code) if code else None
        if locale is not None:
            return locale
    return None


def default_locale() -> Locale | None:
    """The site's default locale (Wagtail's ``Locale.get_default``, without a query)."""
    code = get_supported_content_language(settings.LANGUAGE_CODE)
    return locales.by_code(code) if code else None


def get_supported_content_language(code: str) -> str | None:
    try:
        return str(get_supported_content_language_variant(code))
    except LookupError:
        return None


def language_of(page: Page) -> str:
    """The language code of ``page`` (``page.locale.language_code``, without a query)."""
    locale = locales.by_id(page.locale_id)
    return str(locale.language_code if locale is not None else page.locale.language_code)


def localized(page: Page) -> Page:
    """``page.localized`` for the active language, reading the locale from memory."""
    locale = active_locale()
    if locale is None or locale.pk == page.locale_id:
        return page
    translated = page.get_translation_or_none(locale)
    return translated if translated is not None and translated.live else page


def local_link(page: Page, request: HttpRequest | None = None) -> LocalLink:
    """The link to ``page`` for the active language (see the module docstring)."""
    language = active_language()
    shown = localized(page)
    url = shown.get_url(request) or ""
    own_language = language_of(shown)
    if own_language != language and url:
        # Under the resident's prefix: served in English, with the notice in their language.
        with translation.override(own_language):
            url = translate_url(url, language)
    return LocalLink(
        # The specific page without another query: a link needs its title, rarely more.
        page=shown.specific_deferred,
        url=url,
        in_other_language=own_language != language,
        language=own_language,
    )


def missing_translation(page: Page | None) -> bool:
    """Whether ``page`` is shown to a resident reading another language (it has no translation)."""
    if not isinstance(page, Page):
        return False
    return language_of(page) != active_language()
