"""Residents search on the site; the worker writes what they searched for. A product owner in a real
browser, from the admin dashboard: upload a month's contact figures
as Excel saves them, read the dry-run preview (with a refused row and why), import, and see the
figures and the searches that are evidence on their story; the performance dashboard's pills
differ by more than colour."""

import datetime

import pytest
from django.contrib.auth.models import Group, User

from backlog.models import DemandRecord
from backlog.stories import create_story
from core.models import DeliveryUnit
from core.permissions import PRODUCT_OWNER
from personas.models import Persona
from search.models import QueryLog
from search.tasks import flush_search_log
from tests.browser import DESKTOP, save_screenshot
from tests.site import fresh_home_page
from tests.tasks import run_queued_tasks

FALLS = "How can I get help to protect my parent from falls?"
PASSWORD = "falls-prevention-2025"


@pytest.fixture
def council(live_server):
    fresh_home_page()
    adults = DeliveryUnit.objects.create(slug="adults", name="Adults and communities")
    parking = DeliveryUnit.objects.create(slug="parking", name="Parking")
    persona = Persona.objects.create(slug="cusp-of-care", name="Cusp of care", intent="Care")
    owner = User.objects.create_user("adults-po", "po@northbrook.example", PASSWORD)
    owner.groups.add(Group.objects.get(name=PRODUCT_OWNER))
    owner.delivery_units.add(adults)
    story = create_story(
        owner, delivery_unit=adults, persona=persona, story=FALLS, key_phrases="falls"
    )
    DemandRecord.objects.create(
        service="Parking permits",
        channel="phone",
        month=datetime.date(2025, 1, 1),
        count=999,
        delivery_unit=parking,
    )
    return live_server.url, story


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def sign_in(tab, url):
    tab.goto(f"{url}/admin/login/")
    tab.get_by_label("Username").fill("adults-po")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{url}/admin/")


EXCEL_CSV = (
    "Service,Channel,Month,Count\r\n"
    'Falls prevention \u2013 \u00a3 grants,Phone,Jan-25,"1,200"\r\n'
    "Falls prevention \u2013 \u00a3 grants,Online,Jan-25,300\r\n"
    "Parking permits,Phone,Jan-25,5\r\n"
).encode("cp1252")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_product_owner_uploads_figures_and_sees_the_storys_evidence(council, tab, browser):
    url, story = council
    # Residents search on the site (a phone each); the search writes nothing itself: the
    # worker's search-log-flush job writes what they searched for, a minute later at most.
    resident = browser.new_context(locale="en-GB").new_page()
    for query in ("falling at home", "domestic violence help"):
        resident.goto(f"{url}/")
        resident.get_by_label("Search this website").fill(query)
        resident.get_by_label("Search this website").press("Enter")
        resident.wait_for_url("**/search/?q=*")
    resident.context.close()
    assert not QueryLog.objects.exists()
    flush_search_log.enqueue()
    run_queued_tasks()
    assert QueryLog.objects.count() == 2

    sign_in(tab, url)
    tab.get_by_role("link", name="Backlog").click()
    tab.get_by_role("link", name="Upload contact figures").click()
    tab.get_by_label("CSV file of contact figures").set_input_files(
        {"name": "january.csv", "mimeType": "text/csv", "buffer": EXCEL_CSV}
    )
    assert tab.get_by_label("Delivery unit for rows that name none").input_value() == str(
        story.delivery_unit_id
    )
    tab.get_by_role("button", name="Check the file").click()

    tab.get_by_role("heading", name="Preview: nothing has been imported yet").wait_for()
    assert "read as Windows-1252" in tab.locator("main").inner_text()
    assert tab.locator(".demand-summary").inner_text() == (
        "Would create 2, update 0, leave 0 unchanged and reject 1."
    )
    rejected = tab.locator("table.demand-rejected tbody tr")
    assert rejected.count() == 1
    assert rejected.first.inner_text().split("\t") == [
        "4",
        "Parking permits, phone, 2025-01 belongs to Parking, not Adults and communities: not changed",
    ]
    assert (
        "Falls prevention \u2013 \u00a3 grants" in tab.locator("table.demand-changes").inner_text()
    )
    assert DemandRecord.objects.count() == 1  # the preview wrote nothing
    save_screenshot(tab, "backlog-demand-preview")

    tab.get_by_role("button", name="Import the other rows").click()
    tab.get_by_role("heading", name="Imported", exact=True).wait_for()
    assert tab.locator(".demand-summary").inner_text() == (
        "Created 2, updated 0, unchanged 0, rejected 1."
    )
    assert DemandRecord.objects.get(service="Parking permits").count == 999

    tab.get_by_role("link", name="Performance dashboard").click()
    tab.get_by_role("link", name="Back to the backlog").click()
    tab.get_by_role("link", name=FALLS).click()
    tab.get_by_role("heading", name="What residents searched for").wait_for()
    evidence = tab.locator("table.story-searches")
    assert evidence.locator("tbody tr").count() == 1
    assert "falling at home" in evidence.inner_text()
    assert "matches the key phrase \u201cfalls\u201d" in evidence.inner_text()
    assert "domestic violence help" not in evidence.inner_text()
    contacts = tab.get_by_role("heading", name="Contacts by channel (last 12 months)")
    assert contacts.is_visible()
    assert "Services: Falls prevention \u2013 \u00a3 grants\n" in tab.locator("main").inner_text()

    # The shared-word search is offered, not counted; attaching it makes it evidence, by name.
    tab.get_by_role("button", name="Attach \u201cdomestic violence help\u201d").click()
    tab.get_by_text("\u201cdomestic violence help\u201d is now evidence for this story.").wait_for()
    assert "Attached by adults-po" in tab.locator("table.story-searches").inner_text()
    tab.get_by_role("button", name="Detach \u201cdomestic violence help\u201d").click()
    tab.get_by_text("is no longer attached to this story").wait_for()
    assert "domestic violence help" not in tab.locator("table.story-searches").inner_text()
    save_screenshot(tab, "backlog-story-evidence")


def contrast(foreground, background):
    def luminance(rgb):
        channels = [int(v) / 255 for v in rgb.strip("rgba()").split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_status_pills_differ_by_words_shape_and_colour(council, tab):
    url, story = council
    unit = story.delivery_unit
    for month, web, phone in ((1, 300, 700), (2, 780, 220)):  # red, then amber (78% of 80%)
        for channel, count in (("web", web), ("phone", phone)):
            DemandRecord.objects.create(
                service="Falls prevention",
                channel=channel,
                month=datetime.date(2025, month, 1),
                count=count,
                delivery_unit=unit,
            )
    sign_in(tab, url)
    tab.get_by_role("link", name="Backlog").click()
    tab.get_by_role("link", name="Performance dashboard").click()
    tab.get_by_label("Delivery unit").select_option(unit.slug)
    tab.get_by_role("button", name="Show").click()
    pill = tab.locator(".kpi-status--amber")
    assert pill.inner_text().strip().endswith("Amber: close to target")
    # Every status the dashboard can show, styled by the page's own CSS in the real browser:
    # readable text on each, four different backgrounds and four different shapes.
    styles = tab.evaluate(
        """() => ["green", "amber", "red", "grey"].map((status) => {
            const pill = document.createElement("span");
            pill.className = `kpi-status kpi-status--${status}`;
            pill.textContent = status;
            document.querySelector("main").append(pill);
            const style = getComputedStyle(pill), shape = getComputedStyle(pill, "::before");
            return [style.color, style.backgroundColor, shape.content];
        })"""
    )
    for colour, background, _shape in styles:
        assert contrast(colour, background) >= 4.5, styles
    assert len({background for _c, background, _s in styles}) == 4
    assert len({shape for _c, _b, shape in styles}) == 4
    chart = tab.locator("figure.kpi-chart").first
    assert chart.locator(".kpi-chart__y-axis .kpi-chart__tick").all_text_contents() == [
        "0%",
        "20%",
        "40%",
        "60%",
        "80%",
        "100%",
    ]
    save_screenshot(tab, "backlog-kpis")
