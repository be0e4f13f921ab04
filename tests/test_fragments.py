"""Pages the page cache cannot answer, built cheaply: the chrome, page addresses, view
restrictions and the journeys' steps from the shared cache (core/fragments.py,
core/routing.py), on the real Redis with the residents' demo council.

Each test counts the SQL statements a resident's page costs once its parts are cached, or
changes something as an editor would and asks again: the next page must show the change.
The page cache itself is off here, so every request renders its page.
"""

from __future__ import annotations

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction

from cms.models import AlertBanner, ContentPage, Footer, HomePage, SiteSettings
from journeys.models import JourneyPage, PersonaPage
from tests.demo import residents_demo

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

#: One address of each kind of page a resident reads, with the statements it may cost.
RESIDENT_PAGES = {
    "home": "/",
    "persona": "/cusp-of-care/",
    "journey with listings": "/cusp-of-care/stay-independent-at-home/",
    "journey with a form": "/report-and-transact/missed-bin/",
    "content": "/contact-us/",
    "directory search": "/directory/?q=lunch",
    "site search": "/search/?q=bins",
}
MAX_STATEMENTS = 8


@pytest.fixture
def fragments_on(redis_caches, settings):
    residents_demo()
    settings.FRAGMENT_CACHE = True
    settings.PAGE_CACHE = False
    return Client()


def statements(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("kind", RESIDENT_PAGES)
def test_every_kind_of_resident_page_costs_at_most_eight_statements(fragments_on, kind):
    url = RESIDENT_PAGES[kind]
    cold, cold_html = statements(fragments_on, url)
    warm, warm_html = statements(fragments_on, url)
    assert warm <= MAX_STATEMENTS, (url, cold, warm)
    # The same page either way: the cached parts are the parts it rendered.
    if "?" not in url:
        assert warm_html == cold_html


def test_a_footer_change_shows_on_the_next_page(fragments_on):
    fragments_on.get("/contact-us/")
    footer = Footer.objects.get(locale__language_code="en-gb")
    footer.text = "<p>Our offices are closed on bank holidays.</p>"
    footer.save()
    _, html = statements(fragments_on, "/contact-us/")
    assert "Our offices are closed on bank holidays." in html


def test_a_new_council_name_shows_in_the_title_header_and_footer(fragments_on):
    fragments_on.get("/")
    settings_row = SiteSettings.objects.get()
    settings_row.council_name = "Upper Northbrook Council"
    settings_row.save()
    _, html = statements(fragments_on, "/")
    assert "- Upper Northbrook Council</title>" in html
    assert html.count("Upper Northbrook Council") >= 3  # title, header, footer


def test_a_new_alert_banner_shows_on_the_next_page(fragments_on):
    fragments_on.get("/contact-us/")
    AlertBanner.objects.create(
        title="Bin collections delayed", message="Collections are a day late this week."
    )
    _, html = statements(fragments_on, "/contact-us/")
    assert "Bin collections delayed" in html


def test_a_reworded_persona_changes_the_breadcrumbs_of_its_journeys(fragments_on):
    url = "/cusp-of-care/stay-independent-at-home/"
    fragments_on.get(url)
    persona = PersonaPage.objects.get(slug="cusp-of-care").persona
    persona.intent = "I'm looking after someone at home"
    persona.save()
    _, html = statements(fragments_on, url)
    crumbs = html.split('class="sp-breadcrumbs', 1)[1].split("</nav>", 1)[0]
    assert "looking after someone at home" in crumbs


def test_a_new_journey_shows_on_its_persona_page_and_at_its_address(fragments_on):
    fragments_on.get("/cusp-of-care/")
    assert fragments_on.get("/cusp-of-care/help-with-shopping/").status_code == 404
    persona_page = PersonaPage.objects.get(slug="cusp-of-care")
    template = JourneyPage.objects.live().child_of(persona_page).first()
    journey = JourneyPage(
        title="Get help with shopping",
        slug="help-with-shopping",
        summary="Someone to shop for you, or with you.",
        what_happens_next="A volunteer calls you.",
        service_level="1 week",
        delivery_unit=template.delivery_unit,
        review_by=template.review_by,
    )
    persona_page.add_child(instance=journey)
    journey.personas.set(template.personas.all())
    journey.save_revision().publish()
    _, html = statements(fragments_on, "/cusp-of-care/")
    assert "Get help with shopping" in html
    _, html = statements(fragments_on, "/cusp-of-care/help-with-shopping/")
    assert "Someone to shop for you" in html


def test_an_unpublished_page_is_gone_at_once_though_its_address_was_remembered(fragments_on):
    url = "/report-and-transact/missed-bin/"
    statements(fragments_on, url)
    statements(fragments_on, url)
    Page.objects.get(url_path__endswith="/missed-bin/").specific.unpublish()
    assert fragments_on.get(url).status_code == 404


def test_a_page_made_private_asks_for_a_sign_in_at_once(fragments_on):
    url = "/contact-us/"
    statements(fragments_on, url)
    statements(fragments_on, url)
    page = Page.objects.get(url_path__endswith="/contact-us/")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = fragments_on.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_what_a_resident_typed_into_a_journey_is_never_kept(fragments_on, redis_caches, redis_url):
    url = "/cusp-of-care/stay-independent-at-home/?postcode=NB1+2AB&step=2"
    fragments_on.get("/cusp-of-care/stay-independent-at-home/")
    client = redis.Redis.from_url(redis_url)
    before = set(client.scan_iter(match=f"{redis_caches}-*fragment:*:journey-steps:*"))
    statements(fragments_on, url)
    after = set(client.scan_iter(match=f"{redis_caches}-*fragment:*:journey-steps:*"))
    assert after == before


def test_a_published_translation_replaces_the_english_page_at_its_address(fragments_on):
    polish, _ = Locale.objects.get_or_create(language_code="pl")
    if not HomePage.objects.filter(locale=polish).exists():
        HomePage.objects.get(locale__language_code="en-gb").copy_for_translation(
            polish
        ).save_revision().publish()
    english = next(
        page
        for page in ContentPage.objects.live().filter(locale__language_code="en-gb", depth=3)
        if page.get_translation_or_none(polish) is None
    )
    address = f"/{english.slug}/"
    for _ in range(2):  # the second from the cached parts
        _, html = statements(fragments_on, f"/pl{address}")
        assert "sp-language-notice" in html  # "not in your language yet: here it is in English"
    _, html = statements(fragments_on, address)
    assert f'href="/pl{address}"' not in html  # Polski leads to the Polish home for now

    translation = english.copy_for_translation(polish)
    translation.title = "Strona po polsku"
    translation.save_revision().publish()

    _, html = statements(fragments_on, f"/pl{address}")
    assert "sp-language-notice" not in html
    assert "Strona po polsku" in html
    _, html = statements(fragments_on, address)
    assert f'href="/pl{address}"' in html


def test_addresses_outside_the_page_tree_keep_nothing_per_address(
    fragments_on, redis_caches, redis_url
):
    """A mistyped address or a tracking link's token never becomes a key or a kept fragment:
    nobody can fill the cache by asking for addresses, and no token is kept in it."""
    fragments_on.get("/")
    fragments_on.get("/track/")  # the parts every page shares, kept once
    client = redis.Redis.from_url(redis_url)

    def kept() -> set[bytes]:
        return set(client.scan_iter(match=f"{redis_caches}-*")) - set(
            client.scan_iter(match=f"{redis_caches}-*pagecache:tag:*")
        )

    before = kept()
    for n in range(3):
        assert fragments_on.get(f"/no-such-page-{n}/").status_code == 404
        fragments_on.get(f"/track/NOT-A-REAL-TOKEN-{n}/")
    after = kept()
    assert after - before == set() or all(b"ratelimit" in key for key in after - before)
    assert not any(b"NOT-A-REAL-TOKEN" in (client.get(key) or b"") for key in after)
