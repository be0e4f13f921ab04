"""Issue 16: every demo journey, form, persona page and service text exists in Polish and
Arabic, live, with every word translated (nothing falls back to English).

The demo is built as `manage.py load_demo` builds it, then translated by
``cms.demo_translations.load``; a journey whose words the catalogues lack would come out with
English segments, and this test names it.
"""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from cms.translation import is_technical
from directory.models import ServiceText
from eforms.models import FormDefinition
from journeys.models import JourneyPage, PersonaPage
from tests.demo import WHOLE_DEMO, whole_demo

pytestmark = [pytest.mark.slow, WHOLE_DEMO, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["pl", "ar"]


def untranslated(obj, locale):
    """The words of ``obj`` that have no translation into ``locale`` (English would show)."""
    source = TranslationSource.objects.get(object_id=obj.translation_key)
    missing = []
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        if is_technical(segment.context.path):
            continue
        if not StringTranslation.objects.filter(
            translation_of=segment.string, locale=locale, context=segment.context
        ).exists():
            missing.append(segment.string.data)
    return missing


def test_every_demo_journey_form_persona_page_and_service_is_in_polish_and_arabic():
    whole_demo()  # what load_demo makes, both translations included
    english = Locale.get_default()
    journeys = list(JourneyPage.objects.live().filter(locale=english).order_by("path"))
    assert len(journeys) >= 30
    everything = [
        *journeys,
        *PersonaPage.objects.live().filter(locale=english),
        *FormDefinition.objects.filter(locale=english),
        *ServiceText.objects.filter(locale=english),
    ]
    for code in LANGUAGES:
        locale = Locale.objects.get(language_code=code)
        for journey in journeys:
            translated = journey.get_translation_or_none(locale)
            assert translated is not None and translated.live, (code, journey.slug)
            assert translated.title != journey.title, (code, journey.slug)
            # It sits under the persona page of its own language, so /pl/<persona>/<journey>/.
            assert translated.get_parent().locale_id == locale.pk
        for obj in everything:
            assert obj.get_translation_or_none(locale) is not None, (code, str(obj))
            assert untranslated(obj, locale) == [], (code, str(obj))
