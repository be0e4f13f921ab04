"""The demo's Polish and Arabic translations, made with wagtail-localize as a translator would.

Five journeys (and the forms they start), the personas and the persona pages they sit under,
and the words of the services the crisis-support journey lists, are translated from the catalogues in fixtures/translations/<language>.json ({English: translation}).
Each object goes through ``cms.translation.translate``: a TranslationSource, a Translation, a
StringTranslation per segment, then ``save_target(publish=True)``. An object whose translation
is already up to date is left alone, so a second run changes nothing.
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
JOURNEYS = [
    "missed-bin",
    "report-a-pothole",
    "apply-for-a-school-place",
    "blue-badge",
    "crisis-support",
]
FORMS = [
    "missed-bin-report",
    "pothole-report",
    "school-place-application",
    "blue-badge-application",
]
# The services the crisis-support journey lists: the words of each are translated too.
SERVICES = [
    "Brookside Credit Union savings and loans",
    "Citizens Advice advice line",
    "Citizens Advice drop-in",
    "Emergency homelessness line",
    "Energy and fuel debt advice",
    "Evening crisis café",
    "Food pantry at Hollowell Mosque",
    "Money mentoring",
    "Northbrook Crisis Fund",
    "Northbrook Foodbank at Eastfield Community Centre",
    "Northbrook Foodbank at Southgate Youth Centre",
    "Northbrook Foodbank at St Mark’s Church Hall",
]


def catalogue(language_code):
    path = CATALOGUES / f"{language_code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def demo_objects():
    """What the demo translates, in an order where everything an object links to comes first."""

    english = Locale.get_default()
    objects = list(HomePage.objects.filter(locale=english))
    objects += list(Footer.objects.filter(locale=english))
    objects += list(Persona.objects.filter(locale=english))
    objects += list(FormDefinition.objects.filter(locale=english, slug__in=FORMS).order_by("slug"))
    objects += list(PersonaPage.objects.filter(locale=english).order_by("path"))
    journeys = {
        page.slug: page for page in JourneyPage.objects.filter(locale=english, slug__in=JOURNEYS)
    }
    objects += [journeys[slug] for slug in JOURNEYS if slug in journeys]
    objects += list(ServiceText.objects.filter(locale=english, name__in=SERVICES).order_by("name"))
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
    objects = demo_objects()
    made = 0
    for code in DEMO_LANGUAGES:
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        strings = {**catalogue(code), **home_strings(code)}
        for obj in objects:
            if translation_status(obj).get(code) != UP_TO_DATE:
                translate(obj, locale, strings)
                made += 1
    if stdout is not None:
        stdout.write(
            f"  {len(objects)} things in {len(DEMO_LANGUAGES)} languages ({made} translated or updated)"
        )
