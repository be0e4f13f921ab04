"""The accessibility gate itself: it must fail a page with a serious problem, or a green run
of test_accessibility.py would prove nothing. No database or server needed."""

import pytest

from .conftest import check_accessibility

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>Broken on purpose</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">
</main></body></html>"""


def test_a_serious_violation_fails_with_its_id_and_node(browser_page):
    browser_page.set_content(BROKEN_PAGE)
    with pytest.raises(AssertionError) as failure:
        check_accessibility(browser_page, "axe-gate-self-check")
    message = str(failure.value)
    assert "image-alt (critical)" in message and "<img" in message
    assert "label (critical)" in message
