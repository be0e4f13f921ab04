"""Issue 16: a search that finds little offers the contact route and "tell us what you were
looking for"; the message is kept without personal details, limited per address, and thanked."""

import pytest
from wagtail.models import Site

from cms.models import SiteSettings
from search.engines.embedded import EmbeddedEngine
from search.models import SearchFeedback
from tests.caches import clear_caches

from .documents import council


@pytest.fixture
def indexed(db, settings):
    settings.ELASTICSEARCH_URL = ""
    clear_caches()
    EmbeddedEngine().rebuild(council())
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.phone = "020 7946 0000"
    site_settings.save()
    yield
    clear_caches()


def test_no_results_offers_the_contact_route_and_the_feedback_box(client, indexed):
    html = client.get("/search/", {"q": "xylophone lessons"}).content.decode()
    assert "No results found" in html
    assert 'href="tel:02079460000"' in html
    assert "Tell us what you were looking for" in html
    assert 'action="/search/feedback/"' in html and 'value="xylophone lessons"' in html
    assert "do not include your name, email, phone number or address" in html


def test_weak_results_offer_them_too_but_good_results_do_not(client, indexed):
    weak = client.get("/search/", {"q": "pothole"}).content.decode()  # one result
    assert "1 result" in weak and "Tell us what you were looking for" in weak
    good = client.get("/search/", {"q": "food bank"}).content.decode()  # three
    assert "3 results" in good
    assert "Tell us what you were looking for" not in good


def test_feedback_is_kept_redacted_and_thanked(client, indexed):
    response = client.post(
        "/search/feedback/",
        {
            "q": "xylophone lessons",
            "count": "0",
            "looking_for": "Music lessons for my son, ring me on 07700 900123",
        },
    )
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for telling us" in thanks and "Back to your search" in thanks
    feedback = SearchFeedback.objects.get()
    assert feedback.text == "music lessons for my son, ring me on [phone]"
    assert (feedback.query, feedback.result_count) == ("xylophone lessons", 0)


def test_empty_feedback_gets_a_clear_error_and_nothing_is_kept(client, indexed):
    response = client.post("/search/feedback/", {"q": "xylophone", "looking_for": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Enter what you were looking for" in html
    assert 'href="#looking-for"' in html
    assert not SearchFeedback.objects.exists()


def test_feedback_is_rate_limited_per_address(client, indexed, settings):
    settings.SEARCH_FEEDBACK_RATE_LIMIT = (2, 3600)
    for n in range(2):
        client.post("/search/feedback/", {"q": "x", "looking_for": f"thing {n}"})
    refused = client.post("/search/feedback/", {"q": "x", "looking_for": "one more"})
    assert refused.status_code == 429
    assert "Try again in an hour" in refused.content.decode()
    assert SearchFeedback.objects.count() == 2
