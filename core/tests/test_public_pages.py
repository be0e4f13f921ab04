"""PublicPages answers as Wagtail does, for every page: the same address, or none.

Its addresses are worked out without asking each page (that was a third of the time a search
rebuild spent building documents), so they are checked against ``page.get_url()`` itself:
languages with their own URL prefix, Polish and Arabic slugs, a second site, pages outside
every site and pages behind a view restriction.
"""

import pytest
from django.core.cache import cache
from wagtail.models import Locale, Page, PageViewRestriction, Site

from core.public_pages import PublicPages

pytestmark = pytest.mark.django_db


def child(parent: Page, title: str, slug: str) -> Page:
    page = parent.add_child(instance=Page(title=title, slug=slug))
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk)


@pytest.fixture
def pages():
    cache.clear()  # Wagtail keeps the site root paths in the cache
    root = Page.get_first_root_node()
    home = Site.objects.get(is_default_site=True).root_page
    english = [child(home, "Bins", "bins")]
    english.append(child(english[0], "Missed bin", "missed-bin"))
    found = [home, *english]
    for code, slug in (("pl", "śmieci"), ("ar", "النفايات")):
        locale, _ = Locale.objects.get_or_create(language_code=code)
        translated = home.copy_for_translation(locale)
        translated.save_revision().publish()
        found.append(child(translated, slug, slug))
    other_home = child(root, "Other council", "other-council")
    Site.objects.create(hostname="other.example", port=443, root_page=other_home)
    found += [other_home, child(other_home, "Parking", "parking")]
    outside = child(root, "Outside every site", "outside")
    found += [outside, child(outside, "Orphan", "orphan")]
    secret = child(home, "Staff only", "staff-only")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    found += [secret, child(secret, "Rota", "rota")]
    cache.clear()
    return [Page.objects.get(pk=page.pk) for page in found]


def test_every_address_is_the_one_wagtail_gives(pages):
    public = PublicPages()
    restricted = {"staff-only", "rota"}
    for page in pages:
        expected = None if page.slug in restricted else Page.objects.get(pk=page.pk).get_url()
        assert public.url(page) == expected, page.url_path
    addresses = {page.slug: public.url(page) for page in pages}
    assert addresses["missed-bin"] == "http://localhost/bins/missed-bin/"  # two sites
    assert addresses["parking"] == "https://other.example/parking/"
    assert addresses["orphan"] is None
    assert "/pl/" in addresses["śmieci"] and "%C5%9Bmieci" in addresses["śmieci"]


def test_with_one_site_addresses_are_relative(pages):
    Site.objects.filter(hostname="other.example").delete()
    cache.clear()
    public = PublicPages()
    for page in pages:
        if page.slug not in {"staff-only", "rota"}:
            assert public.url(page) == Page.objects.get(pk=page.pk).get_url(), page.url_path
    assert public.url(next(p for p in pages if p.slug == "missed-bin")) == "/bins/missed-bin/"
