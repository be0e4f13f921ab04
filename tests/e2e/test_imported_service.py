"""Issue 20: a partner's record, imported with import_oruk, read by a resident on a phone.

The operator imports a record shaped like the HSDS 3.0 example (fixtures/oruk/); the resident
searches the directory for it and finds what the partner wrote about applying: the steps, the
documents to bring, the wait, how to get there, and the phone extension. The partner's
impossible coordinates and markup never reach the page.
"""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import check_accessibility, dismiss_cookie_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEED = settings.BASE_DIR / "fixtures" / "oruk" / "hsds3_service_full.json"


def test_a_resident_reads_how_to_apply_for_an_imported_service(demo_council, browser):
    out = io.StringIO()
    call_command("import_oruk", str(FEED), "--no-progress", stdout=out)
    assert "Created 1, updated 0, unchanged 0, rejected 0." in out.getvalue()

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(demo_council + "/")
    dismiss_cookie_banner(page)
    page.goto(demo_council + "/directory/")
    page.get_by_label("Search the directory").fill("talking therapies")
    page.get_by_label("Search the directory").press("Enter")
    page.get_by_role("link", name="Talking Therapies Drop-in").first.click()

    expect(page.locator("h1")).to_have_text("Talking Therapies Drop-in")
    apply = page.locator("#how-to-apply")
    expect(apply).to_have_text("How to apply")
    main = page.locator("main")
    expect(main).to_contain_text("Ask your GP to refer you, or phone reception")
    expect(main.get_by_role("link", name="A letter from your GP")).to_have_attribute(
        "href", "https://example.org/gp"
    )
    expect(main).to_contain_text("How long you may wait: About three weeks")
    expect(main).to_contain_text("Getting there: Buses 12 and 44 stop outside")
    phone = main.get_by_role("link", name='"+44 20 7946 0001"')
    expect(phone).to_have_attribute("href", "tel:+442079460001,201")
    expect(main).to_contain_text("(extension 201)")
    assert "<p>" not in main.inner_text()
    # 100/101 is not a place on Earth: there is no map link to it.
    expect(page.get_by_role("link", name="Map of Northbrook Civic Centre")).to_have_count(0)
    check_accessibility(page, "imported service page")
    context.close()
