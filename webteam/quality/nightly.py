"""The nightly run: every live page checked, and the findings stored for the dashboards.

One function for the worker's nightly job (``webteam.tasks.run_content_checks``) and for
``manage.py content_checks`` (which adds a progress bar and can check one unit's pages).
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Page

from .content import read_page
from .links import LinkChecker
from .runner import CheckContext, check_page, store_results


@dataclass
class NightlyRun:
    """What a run found: pages checked, pages with something to fix, findings by kind."""

    total: int = 0
    pages_with_problems: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)


def check_live_pages(
    *,
    unit: str | None = None,
    external_links: bool = False,
    timeout: float = 5.0,
    progress: Callable[[Iterable[Page]], Iterable[Page]] = iter,
) -> NightlyRun:
    """Check every live page (only ``unit``'s, given its slug) and store what each one needs."""
    pages = Page.objects.live().filter(depth__gt=1).order_by("path").specific()
    context = CheckContext.load()
    checked_at = timezone.now()
    link_checker = LinkChecker(timeout=timeout) if external_links else None
    run = NightlyRun()
    for page in progress(pages):
        if unit and getattr(getattr(page, "delivery_unit", None), "slug", None) != unit:
            continue
        findings = check_page(page, context)
        if link_checker is not None:
            findings += link_checker.check(read_page(page).html)
        store_results(page, findings, checked_at)
        run.total += 1
        run.pages_with_problems += bool(findings)
        run.by_severity.update(f.severity for f in findings)
        run.by_code.update(f.code for f in findings)
    return run
