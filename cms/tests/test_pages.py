"""Site chrome: home page, information pages, languages, alerts, breadcrumbs, error pages."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Locale

from cms.models import AlertBanner
from core.blocks import AccessibleImageBlock, SharedContentBlocks


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_home_page_has_top_tasks_search_and_footer(client, home_page, make_content_page):
    contact = make_content_page("contact-us")
    home_page.top_tasks = [
        (
            "task",
            {"category": "pay", "label": "Pay your Council Tax", "page": None, "url": "/pay/"},
        ),
        (
            "task",
            {"category": "report", "label": "Report a missed bin", "page": contact, "url": ""},
        ),
    ]
    home_page.save_revision().publish()
    html = soup(client.get("/"))
    assert html.find("h1").get_text(strip=True) == "How can we help you today?"
    links = {a.get_text(strip=True): a["href"] for a in html.select("#main-content a")}
    assert links["Pay your Council Tax"] == "/pay/"
    assert links["Report a missed bin"] == "/contact-us/"
    assert html.select_one("form[role=search] input[name=q]") is not None
    assert html.select_one("footer.sp-footer") is not None
    assert html.select_one("a.sp-skip-link")["href"] == "#main-content"


@pytest.mark.django_db
def test_home_page_lists_persona_entry_points(client, home_page):
    from personas.models import Persona

    Persona.objects.create(
        name="Tenants",
        slug="tenants",
        intent="I need help with my home",
        locale=Locale.get_default(),
    )
    html = soup(client.get("/"))
    assert (
        "I need help with my home"
        in html.select_one("#personas-heading").find_parent("section").get_text()
    )


@pytest.mark.django_db
def test_unknown_url_gets_plain_english_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = soup(response)
    assert html.find("h1").get_text(strip=True) == "Page not found"
    assert "check it is correct" in html.get_text()


def test_500_page_needs_no_database():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html


@pytest.mark.django_db
def test_content_page_renders_shared_blocks_and_breadcrumbs(client, home_page, make_content_page):
    parent = make_content_page("bins-and-recycling")
    make_content_page(
        "recycling-rules",
        parent=parent,
        body=[
            {"type": "text", "value": "<p>Rinse your tins.</p>"},
            {"type": "inset", "value": {"text": "<p>Collections are weekly.</p>"}},
            {"type": "warning", "value": {"text": "You could be fined for fly-tipping."}},
            {
                "type": "details",
                "value": {
                    "summary": "What goes in which bin",
                    "body": "<p>Glass goes in the box.</p>",
                },
            },
            {
                "type": "contact",
                "value": {
                    "heading": "Street Scene",
                    "phone": "020 7946 0108",
                    "email": "",
                    "address": "",
                    "opening_hours": "",
                    "url": "",
                    "url_text": "",
                },
            },
        ],
    )
    html = soup(client.get("/bins-and-recycling/recycling-rules/"))
    crumbs = [a.get_text(strip=True) for a in html.select(".sp-breadcrumbs a")]
    assert crumbs == ["Home", "Bins and recycling"]
    assert html.select_one(".sp-inset-text").get_text(strip=True) == "Collections are weekly."
    assert "Warning" in html.select_one(".sp-warning-text").get_text()
    assert (
        html.select_one("details.sp-details summary").get_text(strip=True)
        == "What goes in which bin"
    )
    assert html.select_one(".sp-contact a[href^='tel:']")["href"] == "tel:02079460108"


def test_image_block_requires_alt_text():
    block = AccessibleImageBlock()
    with pytest.raises(ValidationError):
        block.child_blocks["alt_text"].clean("")


def test_shared_blocks_offer_every_pattern():
    assert set(SharedContentBlocks.base_blocks) == {
        "text",
        "inset",
        "warning",
        "details",
        "contact",
        "image",
        "table",
    }


@pytest.mark.django_db
def test_alert_banner_shows_only_inside_its_window(client, home_page):
    now = timezone.now()
    locale = Locale.get_default()
    AlertBanner.objects.create(
        title="Snow",
        message="Bins delayed.",
        level="minor",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        locale=locale,
    )
    AlertBanner.objects.create(
        title="Later", message="Not yet.", starts_at=now + datetime.timedelta(days=1), locale=locale
    )
    AlertBanner.objects.create(
        title="Over", message="Gone.", ends_at=now - datetime.timedelta(minutes=1), locale=locale
    )
    AlertBanner.objects.create(
        title="Flood", message="Roads closed.", level="emergency", locale=locale
    )
    AlertBanner.objects.create(title="Off", message="Switched off.", live=False, locale=locale)
    html = soup(client.get("/"))
    banners = html.select(".sp-alert")
    titles = [b.select_one(".sp-alert__title").get_text(strip=True) for b in banners]
    assert titles == ["Emergency: Flood", "Minor disruption: Snow"]
    assert banners[0]["role"] == "alert"


def test_alert_banner_end_must_follow_start():
    now = timezone.now()
    banner = AlertBanner(
        title="x", message="y", starts_at=now, ends_at=now - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        banner.clean()


@pytest.mark.django_db
def test_locales_are_served_under_their_prefix_with_lang_and_dir(client, home_page):
    from cms.demo import HOME_TRANSLATIONS, ensure_locales, ensure_translation

    locales = ensure_locales()
    for code, fields in HOME_TRANSLATIONS.items():
        ensure_translation(home_page, locales[code], fields)

    english = soup(client.get("/"))
    assert english.html["lang"] == "en-gb" and english.html["dir"] == "ltr"
    polish = soup(client.get("/pl/"))
    assert polish.html["lang"] == "pl" and polish.html["dir"] == "ltr"
    assert polish.find("h1").get_text(strip=True) == HOME_TRANSLATIONS["pl"]["heading"]
    arabic = soup(client.get("/ar/"))
    assert arabic.html["lang"] == "ar" and arabic.html["dir"] == "rtl"
    assert arabic.find("h1").get_text(strip=True) == HOME_TRANSLATIONS["ar"]["heading"]
    switcher = {a["hreflang"]: a["href"] for a in arabic.select(".sp-language-switcher a")}
    assert switcher == {"en-gb": "/", "pl": "/pl/"}


@pytest.mark.django_db
def test_cookie_banner_is_the_same_for_everyone_and_records_a_choice(client, home_page):
    """The banner is in every page, hidden: the resident's browser shows it until they answer
    (cms/static/js/cookie-banner.js), so the page itself is not personal and can be cached."""
    import json

    first_visit = client.get("/")
    assert not first_visit.cookies and "Cookie" not in first_visit.get("Vary", "")
    html = soup(first_visit)
    assert html.select_one(".sp-cookie-banner").has_attr("hidden")
    banner = html.select_one(".sp-cookie-banner form")
    assert banner["action"] == "/cookie-preferences/"
    assert not banner.select("input[name=csrfmiddlewaretoken]")
    response = client.post(
        "/cookie-preferences/",
        {"analytics": "yes", "next": "/"},
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert json.loads(response.cookies["cookies_policy"].value) == {
        "essential": True,
        "analytics": True,
    }
    # The page a resident who answered sees is the very same page.
    assert soup(client.get("/")).select_one(".sp-cookie-banner").has_attr("hidden")
    cross_site = client.post(
        "/cookie-preferences/",
        {"analytics": "yes", "next": "/"},
        HTTP_ORIGIN="https://evil.example",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert cross_site.status_code == 403 and "cookies_policy" not in cross_site.cookies
    off_site = client.post(
        "/cookie-preferences/", {"analytics": "no", "next": "https://evil.example/"}
    )
    assert off_site["Location"] == "/"
    assert json.loads(off_site.cookies["cookies_policy"].value)["analytics"] is False


@pytest.mark.django_db
def test_language_switcher_costs_the_same_for_any_number_of_languages(
    home_page, make_content_page, rf
):
    """On a page with no translations, each language links to its home page, found in one query."""
    from django.template import Context, Template
    from wagtail.models import Site

    from cms.demo import HOME_TRANSLATIONS, ensure_locales, ensure_translation

    locales = ensure_locales()
    for code, fields in HOME_TRANSLATIONS.items():
        ensure_translation(home_page, locales[code], fields)
    page = make_content_page()
    request = rf.get(page.url)
    Site.find_for_request(request)  # Wagtail keeps the site on the request, as in a real page view
    template = Template("{% load signpost_tags %}{% language_switcher page %}")
    template.render(Context({"request": request, "page": page}))  # warm Wagtail's site root paths
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"request": request, "page": page}))
    assert 'href="/pl/"' in html and 'href="/ar/"' in html
    assert len(queries) == 2  # the page's translations, then every language's home page
