"""The demo's Polish and Arabic translations, made with wagtail-localize as a translator would.

Five journeys (and the forms they start), the personas and the persona pages they sit under
are translated from the catalogues in fixtures/translations/<language>.json ({English: translation}).
Each object goes through ``cms.translation.translate``: a TranslationSource, a Translation, a
StringTranslation per segment, then ``save_target(publish=True)``. An object whose translation
is already up to date is left alone, so a second run changes nothing.
"""

import json
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale

from .translation import UP_TO_DATE, translate, translation_status

CATALOGUES = Path(settings.BASE_DIR) / "fixtures" / "translations"
DEMO_LANGUAGES = ["pl", "ar"]
JOURNEYS = ["missed-bin", "report-a-pothole", "apply-for-a-school-place", "blue-badge", "crisis-support"]
FORMS = ["missed-bin-report", "pothole-report", "school-place-application", "blue-badge-application"]


def catalogue(language_code):
    path = CATALOGUES / f"{language_code}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def demo_objects():
    """What the demo translates, in an order where everything an object links to comes first."""
    from eforms.models import FormDefinition
    from journeys.models import JourneyPage, PersonaPage
    from personas.models import Persona

    english = Locale.get_default()
    objects = list(Persona.objects.filter(locale=english))
    objects += list(FormDefinition.objects.filter(locale=english, slug__in=FORMS).order_by("slug"))
    objects += list(PersonaPage.objects.filter(locale=english).order_by("path"))
    journeys = {page.slug: page for page in JourneyPage.objects.filter(locale=english, slug__in=JOURNEYS)}
    objects += [journeys[slug] for slug in JOURNEYS if slug in journeys]
    return objects


def load(stdout=None):
    objects = demo_objects()
    made = 0
    for code in DEMO_LANGUAGES:
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        strings = catalogue(code)
        for obj in objects:
            if translation_status(obj).get(code) != UP_TO_DATE:
                translate(obj, locale, strings)
                made += 1
    if stdout is not None:
        stdout.write(f"  {len(objects)} things in {len(DEMO_LANGUAGES)} languages ({made} translated or updated)")
