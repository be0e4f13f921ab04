"""The web team's dashboard lists: each is a title, column headings and rows, so it can be shown or
exported as CSV.

Every row that is about a page or a form leads to its editor (``Link`` cells), so the dashboard
is where fixing starts, not a dead end. The lists are scoped: the web team and product owners
see the whole council or one unit; a delivery-unit editor sees only their own units' findings,
reviews and tests, and never residents' searches (``Scope``).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Locale, Page, get_page_models

from core.models import DeliveryUnit, OwnedMixin
from core.permissions import DELIVERY_UNIT_EDITOR, may_read_reports, restricted_unit_ids
from eforms.models import FormDefinition
from search.api import zero_result_queries
from webteam.abtesting.services import results
from webteam.models import AbTest, ContentCheckResult

DUE_SOON_DAYS = 30
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Note"}


@dataclass(frozen=True)
class Link:
    """A cell that leads somewhere: shown as a link, written to CSV as its text."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Report:
    slug: str
    title: str
    headings: list
    rows: list
    summary: str = ""
    # For each row, where to mark it reviewed (None where the user may not), or no list at all.
    actions: list | None = None


@dataclass(frozen=True)
class Scope:
    """Whose things a dashboard shows: ``unit_ids`` None means the whole council."""

    unit_ids: frozenset[int] | None
    shows_searches: bool

    def units(self) -> QuerySet[DeliveryUnit]:
        units = DeliveryUnit.objects.all()
        return units if self.unit_ids is None else units.filter(pk__in=self.unit_ids)

    def allows(self, unit: DeliveryUnit | None) -> bool:
        return self.unit_ids is None or (unit is not None and unit.pk in self.unit_ids)


def scope_for(user: User | AnonymousUser) -> Scope | None:
    """The web team and product owners see everything; a unit editor their own units; others nothing."""
    if may_read_reports(user):
        return Scope(unit_ids=None, shows_searches=True)
    if not user.is_authenticated or not user.is_active:
        return None
    if not user.groups.filter(name=DELIVERY_UNIT_EDITOR).exists():
        return None
    unit_ids = restricted_unit_ids(user)
    if not unit_ids:  # an editor in no unit owns nothing yet
        return None
    return Scope(unit_ids=unit_ids, shows_searches=False)


@dataclass
class Filters:
    """What the dashboard is narrowed to: one unit (else the whole scope), one check, one severity."""

    scope: Scope
    unit: DeliveryUnit | None = None
    check: str = ""
    severity: str = ""
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def unit_ids(self) -> frozenset[int] | None:
        if self.unit is not None:
            return frozenset({self.unit.pk})
        return self.scope.unit_ids


def _owned_by(queryset: QuerySet, unit_ids: frozenset[int] | None) -> QuerySet:
    return queryset if unit_ids is None else queryset.filter(delivery_unit_id__in=unit_ids)


def findings(filters: Filters) -> QuerySet[ContentCheckResult]:
    results = _owned_by(ContentCheckResult.objects.all(), filters.unit_ids)
    if filters.check:
        results = results.filter(code=filters.check)
    if filters.severity:
        results = results.filter(severity=filters.severity)
    return results


def findings_by_severity(filters: Filters) -> dict[str, int]:
    """Counts by severity over the unit and check chosen (not the severity: the counts pick it)."""
    results = _owned_by(ContentCheckResult.objects.all(), filters.unit_ids)
    if filters.check:
        results = results.filter(code=filters.check)
    counts = Counter(
        dict(results.values_list("severity").annotate(n=Count("id")).values_list("severity", "n"))
    )
    return {severity: counts.get(severity, 0) for severity in SEVERITY_LABELS}


def check_codes(scope: Scope) -> list[str]:
    """The checks that found something within the scope, for the filter's choices."""
    codes = _owned_by(ContentCheckResult.objects.all(), scope.unit_ids).values_list(
        "code", flat=True
    )
    return sorted(set(codes))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def failing_pages(filters: Filters, urls: AdminURLFinder) -> Report:
    results = findings(filters).order_by("severity", "page_id", "code")
    pages = {
        page.pk: page
        for page in Page.objects.filter(pk__in=results.values("page_id")).only("pk", "title")
    }
    rows = []
    for result in results:
        page = pages.get(result.page_id)
        if page is None:
            continue
        url = urls.get_edit_url(page)
        title = page.title
        rows.append(
            [
                Link(title, url) if url else title,
                SEVERITY_LABELS.get(result.severity, result.severity),
                result.code,
                result.message,
                f"{result.checked_at:%Y-%m-%d %H:%M}",
            ]
        )
    page_count = len({row_page for row_page in results.values_list("page_id", flat=True)})
    return Report(
        "findings",
        "Content check findings",
        ["Page", "Severity", "Check", "What to fix", "Checked"],
        rows,
        summary=f"{_plural(len(rows), 'finding')} on {_plural(page_count, 'page')}",
    )


def reviewable(filters: Filters, until: datetime.date) -> list[OwnedMixin]:
    """Live pages and forms of the default language with a review date on or before ``until``.

    Translations carry their source's review date (wagtail-localize synchronises it), so each
    piece of content is listed once, as its source.
    """
    locale = Locale.get_default()
    found: list[OwnedMixin] = []
    for model in get_page_models():
        if model._meta.abstract or not issubclass(model, OwnedMixin):
            continue
        pages = model.objects.live().filter(review_by__lte=until, locale=locale)
        found += list(_owned_by(pages, filters.unit_ids).select_related("delivery_unit"))
    forms = FormDefinition.objects.filter(live=True, review_by__lte=until, locale=locale)
    found += list(_owned_by(forms, filters.unit_ids).select_related("delivery_unit"))
    return sorted(found, key=lambda obj: (obj.review_by, str(obj)))


def kind_of(obj: object) -> str:
    return "Form" if isinstance(obj, FormDefinition) else "Page"


def mark_reviewed_url(obj: OwnedMixin) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("webteam_mark_reviewed", args=[content_type.pk, obj.pk])


def _review_actions(objects: list[OwnedMixin], urls: AdminURLFinder) -> list[str | None]:
    """Mark-as-reviewed for whoever may edit the object (the same rule as its editor link)."""
    return [mark_reviewed_url(obj) if urls.get_edit_url(obj) else None for obj in objects]


def _review_rows(objects: list[OwnedMixin], urls: AdminURLFinder, today: datetime.date) -> list:
    rows = []
    for obj in objects:
        url = urls.get_edit_url(obj)
        title = obj.title
        days = (obj.review_by - today).days
        when = (
            f"Overdue by {_plural(-days, 'day')}"
            if days < 0
            else ("Due today" if days == 0 else f"Due in {_plural(days, 'day')}")
        )
        rows.append(
            [
                Link(title, url) if url else title,
                kind_of(obj),
                str(obj.delivery_unit or ""),
                obj.review_by.isoformat(),
                when,
            ]
        )
    return rows


REVIEW_HEADINGS = ["Title", "Kind", "Owner", "Review by", "When"]


def overdue_reviews(filters: Filters, urls: AdminURLFinder) -> Report:
    yesterday = filters.today - datetime.timedelta(days=1)
    objects = reviewable(filters, yesterday)
    return Report(
        "overdue",
        "Overdue reviews",
        REVIEW_HEADINGS,
        _review_rows(objects, urls, filters.today),
        summary=_plural(len(objects), "page or form") if objects else "",
        actions=_review_actions(objects, urls),
    )


def due_soon_reviews(filters: Filters, urls: AdminURLFinder) -> Report:
    until = filters.today + datetime.timedelta(days=DUE_SOON_DAYS)
    objects = [obj for obj in reviewable(filters, until) if obj.review_by >= filters.today]
    return Report(
        "due-soon",
        f"Reviews due in the next {DUE_SOON_DAYS} days",
        REVIEW_HEADINGS,
        _review_rows(objects, urls, filters.today),
        summary=_plural(len(objects), "page or form") if objects else "",
        actions=_review_actions(objects, urls),
    )


def ab_tests(filters: Filters) -> Report:
    tests = AbTest.objects.select_related("page").order_by("-started_at", "name")
    rows = []
    for test in tests:
        page = test.page.specific
        unit_id = getattr(page, "delivery_unit_id", None)
        if filters.unit_ids is not None and unit_id not in filters.unit_ids:
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


def zero_result_searches() -> Report:
    rows = [[row["query"], row["count"]] for row in zero_result_queries(since=None)]
    return Report("zero-searches", "Searches that found nothing", ["Search", "Times"], rows)


def reports(filters: Filters, user: User | AnonymousUser) -> list[Report]:
    urls = AdminURLFinder(user)
    found = [
        failing_pages(filters, urls),
        overdue_reviews(filters, urls),
        due_soon_reviews(filters, urls),
        ab_tests(filters),
    ]
    if filters.scope.shows_searches:
        found.append(zero_result_searches())
    return found
