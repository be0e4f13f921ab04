"""Issue 16, part 8: the demo's school-place journeys say one thing. The reception journey starts
the reception application and the in-year journey the in-year transfer form, and every page
about school places, journeys and forms, in English, Polish and Arabic, promises the same
number of school days: the one the in-year form counts its due date with.

The journeys used to embed the in-year form in the reception journey and promise 15 school
days on one page and 20 on the next.
"""

import io
import re

import pytest
from bs4 import BeautifulSoup

from cms.demo_translations import catalogue, home_strings
from cms.translation import translate
from eforms.models import FormDefinition
from journeys.models import JourneyPage, PersonaPage

pytestmark = pytest.mark.django_db

RECEPTION_JOURNEY = "apply-for-a-school-place"
IN_YEAR_JOURNEY = "in-year-school-admission"
RECEPTION_FORM = "reception-place-application"
IN_YEAR_FORM = "school-place-application"
PREFIXES = {"en": "", "pl": "/pl", "ar": "/ar"}
# "15 school days" as each language writes it.
SCHOOL_DAYS = {
    "en": re.compile(r"(\d+)\s+school\s+days?"),
    "pl": re.compile(r"(\d+)\s+dni\s+szkoln"),
    "ar": re.compile(r"(\d+)\s+يوم\S*\s+دراسي"),
}


@pytest.fixture
def school_demo(django_capture_on_commit_callbacks):
    """The demo council, with its school journeys and forms translated as load_demo does."""
    import cms.demo
    import directory.demo
    import eforms.demo
    import journeys.demo
    import personas.demo
    from cms.models import HomePage
    from personas.models import Persona

    quiet = io.StringIO()
    for load in (
        personas.demo.load,
        cms.demo.load,
        eforms.demo.load,
        directory.demo.load,
        journeys.demo.load,
    ):
        load(stdout=quiet)
    english = {"locale__language_code": "en-gb"}
    objects = [*HomePage.objects.filter(**english), *Persona.objects.filter(**english)]
    objects += FormDefinition.objects.filter(slug__in=[RECEPTION_FORM, IN_YEAR_FORM], **english)
    objects += PersonaPage.objects.filter(slug="parents", **english)
    objects += JourneyPage.objects.filter(slug__in=[RECEPTION_JOURNEY, IN_YEAR_JOURNEY], **english)
    for language in ("pl", "ar"):
        strings = {**catalogue(language), **home_strings(language)}
        for obj in objects:
            # One commit per object, as load_demo publishes them.
            with django_capture_on_commit_callbacks(execute=True):
                translate(obj, language, strings)


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = BeautifulSoup(response.content, "html.parser")
    return html, html.select_one("main").get_text(" ", strip=True)


def embedded_forms(html):
    """The slugs of the forms a journey page starts, from its "Start now" buttons."""
    return {
        re.search(r"/forms/([\w-]+)/", form["action"]).group(1)
        for form in html.select(".sp-step-nav__action--eform form[action]")
    }


def test_each_school_journey_starts_its_own_form_in_every_language(client, school_demo):
    for language, prefix in PREFIXES.items():
        reception, text = page_text(client, f"{prefix}/parents/{RECEPTION_JOURNEY}/?all=1")
        assert embedded_forms(reception) == {RECEPTION_FORM}, language
        in_year, _ = page_text(client, f"{prefix}/parents/{IN_YEAR_JOURNEY}/?all=1")
        assert embedded_forms(in_year) == {IN_YEAR_FORM}, language
        # Each journey points a resident who needs the other kind of place to the other one.
        assert reception.select_one(f'a[href$="/{IN_YEAR_JOURNEY}/"]') is not None, language
        assert in_year.select_one(f'a[href$="/{RECEPTION_JOURNEY}/"]') is not None, language

    forms = {
        form.slug: form for form in FormDefinition.objects.filter(locale__language_code="en-gb")
    }
    assert "reception" in forms[RECEPTION_FORM].title.lower()
    assert "during the school year" in forms[IN_YEAR_FORM].title
    assert forms[RECEPTION_FORM].pages.raw_data != forms[IN_YEAR_FORM].pages.raw_data


def test_every_school_place_page_promises_the_same_number_of_school_days(client, school_demo):
    promised = FormDefinition.objects.get(
        slug=IN_YEAR_FORM, locale__language_code="en-gb"
    ).service_level_days
    assert promised
    paths = [
        f"/parents/{RECEPTION_JOURNEY}/?all=1",
        f"/parents/{IN_YEAR_JOURNEY}/?all=1",
        f"/forms/{RECEPTION_FORM}/",
        f"/forms/{IN_YEAR_FORM}/",
    ]
    for language, prefix in PREFIXES.items():
        found = {}
        for path in paths:
            _html, text = page_text(client, prefix + path)
            found[path] = {int(n) for n in SCHOOL_DAYS[language].findall(text)}
        assert set().union(*found.values()) == {promised}, (language, found)
        # The in-year journey and its form both make the promise, in this language too.
        assert found[f"/parents/{IN_YEAR_JOURNEY}/?all=1"] == {promised}, language
        assert found[f"/forms/{IN_YEAR_FORM}/"] == {promised}, language
