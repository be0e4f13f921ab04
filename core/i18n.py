"""Pages in the resident's language, and English where a page has no translation yet.

A resident reading in Polish or Arabic stays in their language: a link goes to the page's
translation where there is a live one, and otherwise to the English page *under their
language's address* (``/pl/business/trade-waste/``), which the site serves in English with a
notice in their language ("This page is not available in Polish yet. Here it is in English.";
``cms.models.HomePage.route``). Their header, footer and search stay in their language, and
the next link they follow is in their language again wherever a translation exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page


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


def local_link(page: Page, request: HttpRequest | None = None) -> LocalLink:
    """The link to ``page`` for the active language (see the module docstring)."""
    language = active_language()
    shown = page.localized
    url = shown.get_url(request) or ""
    own_language = shown.locale.language_code
    if own_language != language and url:
        # Under the resident's prefix: served in English, with the notice in their language.
        with translation.override(own_language):
            url = translate_url(url, language)
    return LocalLink(
        page=shown.specific,
        url=url,
        in_other_language=own_language != language,
        language=own_language,
    )


def missing_translation(page: Page | None) -> bool:
    """Whether ``page`` is shown to a resident reading another language (it has no translation)."""
    if not isinstance(page, Page):
        return False
    language: str = page.locale.language_code
    return language != active_language()
