"""Admin lists say "Yes" or "No" for true/false columns, not Python's True and False."""

import pytest
from bs4 import BeautifulSoup

from cms.models import AlertBanner
from eforms.tests.factories import FormDefinitionFactory


def true_false_cells(response):
    """The texts of the list's cells that say whether something is true."""
    html = BeautifulSoup(response.content, "html.parser")
    cells = [td.get_text(strip=True) for td in html.select("table.listing tbody td")]
    return sorted(cell for cell in cells if cell in {"Yes", "No", "True", "False"})


@pytest.mark.django_db
def test_forms_and_alert_banners_lists_say_yes_or_no(admin_client):
    FormDefinitionFactory(title="Report a pothole", live=True)
    FormDefinitionFactory(title="Report graffiti", live=False)
    AlertBanner.objects.create(title="Snow", live=True)

    forms = admin_client.get("/admin/snippets/eforms/formdefinition/")
    assert true_false_cells(forms) == ["No", "Yes"]

    banners = admin_client.get("/admin/snippets/cms/alertbanner/")
    assert true_false_cells(banners) == ["Yes"]
