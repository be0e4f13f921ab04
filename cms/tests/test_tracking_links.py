"""Issue 16: "Check the progress of a report or request" from the home page, the footer of
every page and the contact page; searches that find little offer the site's contact route."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from cms.models import Footer, SiteSettings

pytestmark = pytest.mark.django_db

TRACK = "Check the progress of a report or request"


def tracking_links(response, within="body"):
    html = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in html.select(f"{within} a") if a.get_text(strip=True) == TRACK]


def test_the_home_page_and_the_footer_link_to_tracking(client, home_page):
    response = client.get("/")
    assert tracking_links(response, "#main-content") == ["/track/"]
    assert tracking_links(response, "footer") == ["/track/"]


def test_every_page_footer_links_to_tracking(client, make_content_page):
    page = make_content_page("cookies")
    assert tracking_links(client.get(page.url), "footer") == ["/track/"]
    assert tracking_links(client.get(page.url), "#main-content") == []


def test_the_contact_page_links_to_tracking(client, make_content_page):
    contact = make_content_page("contact-us", title="Contact the council")
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_page = contact
    settings.save()
    assert tracking_links(client.get(contact.url), "#main-content") == ["/track/"]


def test_a_page_with_contact_details_links_to_tracking(client, make_content_page):
    body = [{"type": "contact", "value": {"heading": "Street scene", "phone": "020 7946 0108"}}]
    page = make_content_page("streets-team", body=body)
    assert tracking_links(client.get(page.url), "#main-content") == ["/track/"]


def test_the_contact_route_is_the_contact_page_phone_and_hours(make_content_page):
    contact = make_content_page("contact-us", title="Contact the council")
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_page, settings.phone = contact, "020 7946 0000"
    settings.save()
    Footer.objects.create(locale=contact.locale, opening_hours="Monday to Friday, 9am to 5pm")
    assert SiteSettings.contact_route_for() == {
        "url": "/contact-us/",
        "phone": "020 7946 0000",
        "hours": "Monday to Friday, 9am to 5pm",
    }
