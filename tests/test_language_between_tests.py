"""One test reading an Arabic page never leaves the next test in Arabic (``conftest.py``).

The two tests share an xdist group so they run in this order in one process, as they did by
chance when a directory test after an Arabic walk got /ar/ links and an Arabic page.
"""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.xdist_group("language-between-tests")


@pytest.mark.django_db
def test_a_resident_reads_the_directory_in_arabic(client):
    response = client.get("/ar/directory/")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in response.content.decode()
    assert translation.get_language() == "ar", "the request left its language in this thread"


@pytest.mark.django_db
def test_the_next_test_starts_in_english(client):
    assert translation.get_language() == "en-gb"
    assert not reverse("directory:search").startswith("/ar/")
    page = client.get(reverse("directory:search")).content.decode()
    assert '<html lang="en-GB"' in page or '<html lang="en-gb"' in page
