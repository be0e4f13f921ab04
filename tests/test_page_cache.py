"""The page cache (core/pagecache.py) on the real Redis, with the residents' demo council.

Each test renders real pages through the whole middleware stack, changes something the way an
editor or an import would, and asks again: the page must show the change on the very next
request, and pages that do not show it must still come from the cache.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from cms.models import AlertBanner
from core import pagecache
from core.pagecache import ENTRY_PREFIX
from directory.models import Service
from eforms.models import FormDefinition
from journeys.models import JourneyPage, PersonaPage
from tests.demo import residents_demo
from webteam.abtesting.services import create_test, start_test
from webteam.models import AbTest

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

JOURNEY = "/cusp-of-care/stay-independent-at-home/"
UNRELATED = "/cookies/"


@pytest.fixture
def page_cache(redis_caches, settings):
    """The demo council with the page cache on, on a Redis of this test's own."""
    residents_demo()
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True  # as production has it, with Redis
    settings.SIGNPOST_MFA_REQUIRED = True  # as production always has it
    return Client()


def cached(client: Client, url: str) -> str:
    """Ask twice; the second answer must come from the cache. Returns the page's HTML."""
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "stored", (url, first.get("X-Page-Cache"))
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    return second.content.decode()


def state(client: Client, url: str) -> tuple[str | None, str]:
    response = client.get(url)
    assert response.status_code == 200
    return response.get("X-Page-Cache"), response.content.decode()


def test_an_anonymous_page_is_stored_once_and_then_served_with_no_cookie(page_cache):
    cached(page_cache, JOURNEY)
    response = page_cache.get(JOURNEY)
    assert response["X-Page-Cache"] == "hit"
    assert not response.cookies
    assert "public" in response["Cache-Control"] and "s-maxage=" in response["Cache-Control"]
    # The security headers are added to a stored page as to a fresh one.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_publishing_a_service_shown_in_a_journeys_listing_purges_that_journey_only(page_cache):
    html = cached(page_cache, JOURNEY)
    cached(page_cache, UNRELATED)
    service = next(s for s in Service.objects.filter(live=True) if s.name in html)

    service.name = "Home adaptations helpline (new name)"
    service.save_revision().publish()

    status, html = state(page_cache, JOURNEY)
    assert status == "stored"  # rendered afresh, and kept again
    assert "Home adaptations helpline (new name)" in html
    assert state(page_cache, UNRELATED)[0] == "hit"


def test_a_new_journey_shows_on_its_persona_page_at_once(page_cache):
    persona_page = PersonaPage.objects.get(url_path__endswith="/cusp-of-care/")
    cached(page_cache, persona_page.url)
    cached(page_cache, UNRELATED)
    template = JourneyPage.objects.child_of(persona_page).live().first()

    journey = JourneyPage(
        title="Get help with a hearing aid",
        slug="hearing-aid",
        summary="Where to get a hearing aid checked or repaired.",
        what_happens_next="The clinic books you in.",
        service_level="2 weeks",
        delivery_unit=template.delivery_unit,
        review_by=template.review_by,
    )
    persona_page.add_child(instance=journey)
    journey.personas.add(*template.personas.all())
    journey.save_revision().publish()

    status, html = state(page_cache, persona_page.url)
    assert status == "stored"
    assert "Get help with a hearing aid" in html
    # The cookies page lists the home page's sections, not the persona's journeys.
    assert state(page_cache, UNRELATED)[0] == "hit"


def test_unpublishing_a_journey_takes_it_off_the_pages_that_listed_it(page_cache):
    persona_page = PersonaPage.objects.get(url_path__endswith="/cusp-of-care/")
    journey = JourneyPage.objects.child_of(persona_page).live().first()
    assert journey.title in cached(page_cache, persona_page.url)
    cached(page_cache, journey.url)

    journey.unpublish()

    assert journey.title not in state(page_cache, persona_page.url)[1]
    assert page_cache.get(journey.url).status_code == 404


def test_publishing_a_form_changes_the_start_box_on_the_journey(page_cache):
    journey = JourneyPage.objects.get(url_path__endswith="/blue-badge/")
    html = cached(page_cache, journey.url)
    form = next(
        f for f in FormDefinition.objects.filter(live=True) if f"/forms/{f.slug}/start/" in html
    )

    form.purpose = "Apply for a Blue Badge in about twenty minutes."
    form.save_revision().publish()

    status, html = state(page_cache, journey.url)
    assert status == "stored"
    assert "Apply for a Blue Badge in about twenty minutes." in html


def test_a_new_alert_banner_shows_on_every_cached_page_at_once(page_cache):
    cached(page_cache, JOURNEY)
    cached(page_cache, UNRELATED)
    home = Page.objects.get(depth=2, locale__language_code="en-gb")

    AlertBanner.objects.create(
        title="Bin collections delayed",
        message="Snow: collections are a day late.",
        locale=home.locale,
    )

    for url in (JOURNEY, UNRELATED):
        status, html = state(page_cache, url)
        assert status == "stored"
        assert "Bin collections delayed" in html


def test_a_banner_scheduled_to_start_shortens_how_long_pages_are_kept(page_cache, settings):
    home = Page.objects.get(depth=2, locale__language_code="en-gb")
    AlertBanner.objects.create(
        title="Planned outage",
        message="Online payments are off tonight.",
        locale=home.locale,
        starts_at=timezone.now() + datetime.timedelta(seconds=90),
    )
    cached(page_cache, UNRELATED)
    client = cache._cache.get_client()
    keys = [k for k in client.keys("*") if ENTRY_PREFIX.encode() in k]
    assert keys and all(0 < client.ttl(k) <= 90 for k in keys)


def test_a_residents_answers_and_anyone_signed_in_are_never_served_from_the_cache(page_cache):
    html = cached(page_cache, "/cusp-of-care/blue-badge/")
    assert "Start now" in html
    slug = FormDefinition.objects.filter(live=True).first().slug
    start = page_cache.post(f"/forms/{slug}/start/", HTTP_ORIGIN="http://testserver")
    assert start.status_code == 302
    question = page_cache.get(start["Location"])
    assert "X-Page-Cache" not in question
    assert "no-store" in question["Cache-Control"]
    # Now part-way through a form (a session): pages are rendered for them afresh.
    assert "sessionid" in page_cache.cookies
    assert page_cache.get("/cusp-of-care/blue-badge/").get("X-Page-Cache") is None


def test_a_page_under_a_running_ab_test_is_never_stored(page_cache):
    journey = JourneyPage.objects.get(url_path__endswith="/blue-badge/")
    cached(page_cache, journey.url)
    draft = journey.specific.save_revision()
    form = FormDefinition.objects.filter(live=True).first()
    test = create_test(
        journey, "Which start box works", AbTest.COMPLETE_FORM, [draft], goal_target=form.slug
    )
    start_test(test)

    for _ in range(2):
        assert page_cache.get(journey.url).get("X-Page-Cache") is None


def test_pages_are_still_served_when_the_page_caches_redis_is_down(page_cache, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    for _ in range(2):
        response = page_cache.get(UNRELATED)
        assert response.status_code == 200
        assert "<h1" in response.content.decode()
        assert "X-Page-Cache" not in response


def test_a_page_that_rendered_while_something_it_shows_changed_is_not_kept(page_cache):
    # The render starts; an editor's publish commits before it finishes (its purge is written);
    # the render then finishes with what it read before the publish.
    render = pagecache._Render(started_ns=time.time_ns(), tags={"directory.service:abc"})
    pagecache._write_purge(("directory.service:abc",))
    response = HttpResponse("the old description")

    pagecache._store(ENTRY_PREFIX + "race", render, response)

    assert cache.get(ENTRY_PREFIX + "race") is None
    assert "X-Page-Cache" not in response
