"""The web team's tools are tried on the site's own content pages, so they share its fixtures."""

from cms.tests.conftest import make_content_page, units

__all__ = ["make_content_page", "units"]
