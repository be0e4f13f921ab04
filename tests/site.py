"""A fresh home page as the default site's root, for tests that build their own pages."""


def fresh_home_page():
    """The council's home page as the default site's root, as load_demo makes it.

    The tree's root and the default locale are there as migrating made them (the test harness
    puts them back after each transactional test); made here only if a test has removed them.
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
