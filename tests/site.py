"""A fresh home page as the default site's root, for tests that build their own pages."""


def fresh_home_page():
    """The council's home page as the default site's root, as load_demo makes it.

    A transactional test (browser tests use them) empties every table afterwards, including the
    rows Wagtail's migrations create, so the default locale and the tree's root are put back first.
    """
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    for placeholder in root.get_children():
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home
