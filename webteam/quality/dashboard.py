"""The web team's dashboard lists: each is a title, column headings and rows, so it can be shown or exported as CSV.

Scoped to one delivery unit or site-wide. Page feedback is not here yet: personas has no public
function for it (see the report to the lead).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from wagtail.models import Page

from core.models import OwnedMixin
from search.api import zero_result_queries
from webteam.abtesting.services import results
from webteam.models import AbTest, ContentCheckResult


@dataclass
class Report:
    slug: str
    title: str
    headings: list
    rows: list


def findings_by_severity(unit=None):
    results = ContentCheckResult.objects.all()
    if unit is not None:
        results = results.filter(delivery_unit=unit)
    counts = Counter(
        dict(results.values_list("severity").annotate(n=Count("id")).values_list("severity", "n"))
    )
    return {severity: counts.get(severity, 0) for severity in ("error", "warning", "info")}


def failing_pages(unit=None):
    results = ContentCheckResult.objects.all()
    if unit is not None:
        results = results.filter(delivery_unit=unit)
    titles = dict(Page.objects.filter(pk__in=results.values("page_id")).values_list("pk", "title"))
    rows = [
        [titles.get(r.page_id, ""), r.severity, r.code, r.message, f"{r.checked_at:%Y-%m-%d %H:%M}"]
        for r in results.order_by("severity", "page_id", "code")
    ]
    return Report(
        "findings",
        "Pages failing content checks",
        ["Page", "Severity", "Check", "What to fix", "Checked"],
        rows,
    )


def overdue_reviews(unit=None, today=None):
    today = today or datetime.date.today()
    rows = []
    for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        if not isinstance(page, OwnedMixin) or (
            unit is not None and page.delivery_unit_id != unit.pk
        ):
            continue
        if page.review_by and page.review_by < today:
            rows.append([page.title, str(page.delivery_unit or ""), page.review_by.isoformat()])
    rows.sort(key=lambda row: row[2])
    return Report("overdue", "Overdue reviews", ["Page", "Owner", "Review by"], rows)


def ab_tests(unit=None):
    tests = AbTest.objects.select_related("page").order_by("-started_at", "name")
    rows = []
    for test in tests:
        page = test.page.specific
        if unit is not None and getattr(page, "delivery_unit_id", None) != unit.pk:
            continue
        outcome = results(test)
        counts = ", ".join(
            f"{v['label']}: {v['conversions']}/{v['visitors']}" for v in outcome["variants"]
        )
        rows.append(
            [test.name, page.title, test.get_status_display(), counts, outcome["verdict"].message]
        )
    return Report(
        "ab-tests", "A/B tests", ["Test", "Page", "Status", "Conversions/visitors", "Verdict"], rows
    )


def zero_result_searches():
    rows = [[row["query"], row["count"]] for row in zero_result_queries(since=None)]
    return Report("zero-searches", "Searches that found nothing", ["Search", "Times"], rows)


def reports(unit=None):
    return [failing_pages(unit), overdue_reviews(unit), ab_tests(unit), zero_result_searches()]
