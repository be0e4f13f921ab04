"""The web team dashboard in the Wagtail admin, with every list downloadable as CSV, and
"mark as reviewed" for a page or form that is still right."""

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page

from core.models import OwnedMixin
from webteam.models import AbTest

from . import dashboard, reviews

ROWS_PER_PAGE = 50


def _filters(request, scope):
    unit_slug = request.GET.get("unit") or ""
    unit = get_object_or_404(scope.units(), slug=unit_slug) if unit_slug else None
    severity = request.GET.get("severity") or ""
    if severity not in dashboard.SEVERITY_LABELS:
        severity = ""
    return dashboard.Filters(
        scope=scope,
        unit=unit,
        check=(request.GET.get("check") or "")[:40],
        severity=severity,
        today=timezone.localdate(),
    )


def webteam_dashboard(request):
    scope = dashboard.scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    filters = _filters(request, scope)
    reports = dashboard.reports(filters, request.user)
    export = request.GET.get("export")
    if export:
        report = next((r for r in reports if r.slug == export), None)
        if report is None:
            raise Http404("No such list")
        return _csv(report, filters.unit)
    kept = {
        key: value
        for key, value in (
            ("unit", filters.unit.slug if filters.unit else ""),
            ("check", filters.check),
            ("severity", filters.severity),
        )
        if value
    }
    sections = []
    for report in reports:
        page_param = f"{report.slug}-page"
        actions = report.actions or [None] * len(report.rows)
        rows = Paginator(list(zip(report.rows, actions, strict=True)), ROWS_PER_PAGE).get_page(
            request.GET.get(page_param)
        )
        others = {k: v for k, v in request.GET.items() if k not in (page_param, "export")}
        sections.append(
            {
                "report": report,
                "rows": rows,
                "page_param": page_param,
                "page_query": urlencode(others),
                "export_query": urlencode({**kept, "export": report.slug}),
                "reviewable": report.slug in ("overdue", "due-soon"),
            }
        )
    tests = AbTest.objects.order_by("-started_at", "name")
    if scope.unit_ids is not None:
        tests = [t for t in tests if _unit_id(t.page) in scope.unit_ids]
    return render(
        request,
        "webteam/dashboard.html",
        {
            "scope": scope,
            "filters": filters,
            "unit": filters.unit,
            "units": scope.units(),
            "checks": dashboard.check_codes(scope),
            "severities": dashboard.SEVERITY_LABELS,
            "severity_counts": dashboard.findings_by_severity(filters),
            "sections": sections,
            "tests": list(tests)[:50],
            "filtered": bool(kept),
        },
    )


def _unit_id(page):
    return getattr(page.specific_deferred, "delivery_unit_id", None)


def _csv(report, unit):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{report.slug}-{unit.slug if unit else 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(report.headings)
    writer.writerows([[str(cell) for cell in row] for row in report.rows])
    return response


# --- Mark as reviewed ---------------------------------------------------------------------------


class MarkReviewedForm(forms.Form):
    next_review = forms.DateField(
        label="Next review by",
        help_text="For example, 31 3 2027. A year from today is usual.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the next review.",
            "invalid": "Enter the next review date as a real date, like 31 3 2027.",
        },
    )

    def clean_next_review(self):
        value = self.cleaned_data["next_review"]
        reviews.validate_next_review(value, timezone.localdate())
        return value


def reviewed_object(content_type_id: int, object_id: int) -> OwnedMixin:
    """The page or form being marked: a live owned object, else 404."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not issubclass(model, OwnedMixin):
        raise Http404("That is not something with a review date.")
    obj = get_object_or_404(model, pk=object_id)
    if isinstance(obj, Page):
        obj = obj.specific
    return obj


def mark_reviewed_view(request, content_type_id, object_id):
    """GET: what marking means, and the next date; POST: mark it, then back to the dashboard."""
    obj = reviewed_object(content_type_id, object_id)
    if not reviews.may_mark_reviewed(request.user, obj):
        raise PermissionDenied
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    today = timezone.localdate()
    if request.method == "POST":
        form = MarkReviewedForm(request.POST)
        if form.is_valid():
            next_review = form.cleaned_data["next_review"]
            reviews.mark_reviewed(obj, request.user, next_review, today)
            messages.success(
                request,
                f"\u201c{obj.title}\u201d is marked as reviewed. "
                f"Next review by {next_review:%-d %B %Y}.",
            )
            return redirect(back or "webteam_dashboard")
    else:
        form = MarkReviewedForm(initial={"next_review": reviews.default_next_review(today)})
    return render(
        request,
        "webteam/mark_reviewed.html",
        {
            "object": obj,
            "kind": dashboard.kind_of(obj).lower(),
            "form": form,
            "next": back,
            "edit_url": AdminURLFinder(request.user).get_edit_url(obj),
            "today": today,
            "was_due": obj.review_by,
            "overdue": obj.review_by is not None and obj.review_by < today,
        },
    )
