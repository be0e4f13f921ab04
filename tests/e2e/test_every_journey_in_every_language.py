"""Issue 16: a Polish and an Arabic resident can reach every journey in their own language.

From their language's home page the resident opens each persona page and each journey it
lists; every journey in the demo is reached, none is marked "in English", and each page says
it is in their language (``lang``, and ``dir`` right to left for Arabic) with its own title.
One test per language: translating the whole demo into one language takes a while.
"""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from cms.demo_translations import catalogue, demo_objects, home_strings
from cms.translation import translate
from journeys.models import JourneyPage

from .conftest import dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def translate_everything(language):
    """What load_demo does for one language."""
    strings = {**catalogue(language), **home_strings(language)}
    for obj in demo_objects():
        translate(obj, language, strings)


@pytest.mark.parametrize(("language", "direction"), [("pl", "ltr"), ("ar", "rtl")])
def test_resident_walks_every_journey_in_their_language(
    demo_council, browser_page, language, direction
):
    translate_everything(language)
    locale = Locale.objects.get(language_code=language)
    english = JourneyPage.objects.live().filter(locale=Locale.get_default())
    titles = {}
    for journey in english:
        translated = journey.get_translation(locale)
        titles[translated.url] = translated.title
    assert len(titles) == english.count() >= 30

    page = browser_page
    page.goto(f"{demo_council}/{language}/")
    dismiss_cookie_banner(page)
    persona_urls = page.eval_on_selector_all(
        ".sp-card__link", "links => links.map(link => link.getAttribute('href'))"
    )
    assert len(persona_urls) == 5
    reached = set()
    for persona_url in persona_urls:
        page.goto(demo_council + persona_url)
        assert page.locator("html").get_attribute("lang") == language
        expect(page.locator(".sp-in-english")).to_have_count(0)
        reached |= set(
            page.eval_on_selector_all(
                "main .sp-list--links a.sp-heading-s",
                "links => links.map(link => link.getAttribute('href'))",
            )
        )
    assert reached == set(titles), set(titles) ^ reached

    for url, title in sorted(titles.items()):
        page.goto(demo_council + url)
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (language, direction), url
        expect(page.locator("h1").first).to_have_text(title)
        expect(page.locator(".sp-language-notice")).to_have_count(0)
