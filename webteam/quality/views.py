"""The web team dashboard in the Wagtail admin, with every list downloadable as CSV."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.models import DeliveryUnit
from core.permissions import may_read_reports
from webteam.models import AbTest

from . import dashboard


def webteam_dashboard(request):
    if not may_read_reports(request.user):
        raise PermissionDenied
    unit_slug = request.GET.get("unit") or ""
    unit = get_object_or_404(DeliveryUnit, slug=unit_slug) if unit_slug else None
    reports = dashboard.reports(unit)
    export = request.GET.get("export")
    if export:
        report = next((r for r in reports if r.slug == export), None)
        if report is None:
            raise Http404("No such list")
        return _csv(report, unit)
    return render(
        request,
        "webteam/dashboard.html",
        {
            "unit": unit,
            "units": DeliveryUnit.objects.all(),
            "severity_counts": dashboard.findings_by_severity(unit),
            "reports": reports,
            "tests": AbTest.objects.order_by("-started_at", "name")[:50],
        },
    )


def _csv(report, unit):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{report.slug}-{unit.slug if unit else 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(report.headings)
    writer.writerows(report.rows)
    return response
