"""Fixtures for the end-to-end browser journeys: the whole demo council on a live server.

Browser tests need Django's live server, and so a transactional database that is emptied
after each test. Building the demo council is the expensive part (most of a minute on a busy
machine), so each test process builds it once and later walks get its rows back in a second or
two (tests/snapshots.py).
"""

import json
import re

import pytest

from tests.browser import ARTIFACTS_DIR, save_screenshot
from tests.demo import residents_demo
from tests.map_tiles import demo_tiles

# Impacts that fail a page: axe's "serious" and "critical" are the WCAG failures that block
# residents; "moderate" and "minor" are reported by axe but do not fail the build.
BLOCKING_IMPACTS = {"serious", "critical"}
REFERENCE = re.compile(r"[A-Z]{2,4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
def demo_council(live_server):
    """The live server's URL, with everything `manage.py load_demo` builds that residents see.

    Built once per test process; later walks get the same rows back in bulk (tests/demo.py).
    """
    residents_demo()
    return live_server.url


@pytest.fixture(scope="session")
def map_tiles():
    """Map tiles for the demo council, drawn once and served by the live server (no network)."""
    return demo_tiles()


PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture(params=["js", "no-js"])
def resident(request, browser):
    """A resident's phone, 390×844 with touch, with JavaScript on or off (``page.mode``)."""
    context = browser.new_context(
        viewport=PHONE_390,
        locale="en-GB",
        has_touch=True,
        is_mobile=True,
        java_script_enabled=request.param == "js",
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.mode = request.param
    yield page
    context.close()


def dismiss_cookie_banner(page):
    """A first visit shows the cookie banner; residents answer it before anything else."""
    button = page.get_by_role("button", name="Reject analytics cookies")
    if button.count():
        button.click()
        page.wait_for_load_state()


_axe = []


def axe():
    """axe-core, from the axe-playwright-python wheel (the script ships inside it: works offline)."""
    if not _axe:
        try:
            from axe_playwright_python.sync_playwright import Axe
        except ImportError:
            pytest.fail("axe-playwright-python is not installed: run pip install -e '.[dev]'")
        _axe.append(Axe())
    return _axe[0]


def check_accessibility(page, name):
    """Save a screenshot of the page, run axe-core on it, and fail on serious or critical violations."""
    save_screenshot(page, name)
    results = axe().run(page, options={"resultTypes": ["violations"]})
    # Every violation, whatever its impact, is kept beside the screenshot for reviewers.
    report = ARTIFACTS_DIR / "axe" / f"{name}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        json.dumps({"url": page.url, "violations": results.response["violations"]}, indent=1)
    )
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, (
        f"{name} ({page.url}) has serious or critical accessibility problems:\n"
        + describe(blocking)
    )
    return results


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
    return "\n".join(lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a walk fails, keep a picture of where the resident got stuck."""
    report = yield
    if report.when == "call" and report.failed:
        for name in ("browser_page", "phone_page"):
            page = getattr(item, "funcargs", {}).get(name)
            if page is not None:
                save_screenshot(page, f"failed-{item.name}")
    return report
