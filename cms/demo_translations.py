"""The demo's Polish and Arabic translations, made with wagtail-localize as a translator would.

Every journey and every form, the personas and the persona pages, and the resident-facing
words of every service (``directory.ServiceText``) are translated from the catalogues in
fixtures/translations/<language>.json ({English: translation}), written in plain language.
Each object goes through ``cms.translation.translate``: a TranslationSource, a Translation, a
StringTranslation per segment, then ``save_target(publish=True)``. An object whose translation
is already up to date is left alone, so a second run changes nothing. A journey or form an
editor adds later and nobody translates is still shown to Polish and Arabic residents, in
English with a notice (``core.i18n``).
"""

import json
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from directory.models import ServiceText
from eforms.models import FormDefinition
from journeys.models import JourneyPage, PersonaPage
from personas.models import Persona

from .demo import HOME_TRANSLATIONS
from .models import Footer, HomePage
from .translation import UP_TO_DATE, translate, translation_status

CATALOGUES = Path(settings.BASE_DIR) / "fixtures" / "translations"
DEMO_LANGUAGES = ["pl", "ar"]


def catalogue(language_code):
    path = CATALOGUES / f"{language_code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def demo_objects():
    """What the demo translates, in an order where everything an object links to comes first."""

    english = Locale.get_default()
    objects = list(HomePage.objects.filter(locale=english))
    objects += list(Footer.objects.filter(locale=english))
    objects += list(Persona.objects.filter(locale=english))
    # Forms before journeys: a journey's form step points at the form in its own language.
    objects += list(FormDefinition.objects.filter(locale=english).order_by("slug"))
    objects += list(PersonaPage.objects.filter(locale=english).order_by("path"))
    objects += list(JourneyPage.objects.filter(locale=english).order_by("path"))
    objects += list(ServiceText.objects.filter(locale=english).order_by("name"))
    return objects


def home_strings(language_code):
    """The home page's own words (cms/demo.py keeps them beside the page), as {English: translation}."""

    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return {}
    return {
        getattr(home, name): value
        for name, value in HOME_TRANSLATIONS.get(language_code, {}).items()
    }


def load(stdout=None):
    """Translate each object into every demo language its status says needs it. The status is
    read once per object (it covers every language): reading it is most of a second run's work."""
    objects = demo_objects()
    languages = {
        locale: {**catalogue(locale.language_code), **home_strings(locale.language_code)}
        for locale in Locale.objects.filter(language_code__in=DEMO_LANGUAGES)
    }
    made = 0
    for obj in objects:
        status = translation_status(obj)
        for locale, strings in languages.items():
            if status.get(locale.language_code) != UP_TO_DATE:
                translate(obj, locale, strings, known_out_of_date=True)
                made += 1
    if stdout is not None:
        stdout.write(
            f"  {len(objects)} things in {len(DEMO_LANGUAGES)} languages ({made} translated or updated)"
        )
