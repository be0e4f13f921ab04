"""Reports › Residents' data (subject access and erasure) and Reports › Audit trail.

For the central web team only (``core.permissions.may_handle_personal_data``). Every app that
holds residents' data registered a source with ``core.privacy``; these pages ask them all. The
email address searched for is personal data, so it is always posted, never put in an address
(no access log or browser history records it), and the audit trail keeps it masked.

Each search, export and erasure is an entry in the audit trail (``core.audit``). Erasure asks
for confirmation first, and is a POST with Django's CSRF check like every change in the admin.
"""

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from core import audit, privacy
from core.logs import mask_email_addresses
from core.models import AuditEntry
from core.permissions import may_handle_personal_data


def _require(request: HttpRequest) -> None:
    if not may_handle_personal_data(request.user):
        raise PermissionDenied


def _posted_email(request: HttpRequest) -> tuple[str, str]:
    """The address posted and an error in plain English ("" when it is a real address)."""
    email = privacy.normalise_email(request.POST.get("email", ""))[:254]
    if not email:
        return "", "Enter the resident's email address"
    try:
        validate_email(email)
    except ValidationError:
        return email, "Enter an email address in the correct format, like name@example.com"
    return email, ""


def _ask_again(request: HttpRequest, email: str, error: str) -> HttpResponse:
    """The search page again with the address and what is wrong with it; nothing was done."""
    return render(
        request,
        "cms/admin/residents_data.html",
        {"email": email, "error": error, "found": None},
        status=400,
    )


def residents_data(request: HttpRequest) -> HttpResponse:
    """Find everything held about an email address."""
    _require(request)
    context: dict[str, object] = {"email": "", "error": "", "found": None}
    if request.method == "POST":
        email, error = _posted_email(request)
        context.update(email=email, error=error)
        if not error:
            found = privacy.find(email)
            total = sum(len(held) for _source, held in found)
            audit.record(
                request,
                AuditEntry.SEARCHED,
                f"resident {email}",
                detail="subject access search",
                row_count=total,
            )
            context.update(found=found, total=total)
    return render(request, "cms/admin/residents_data.html", context)


@require_POST
def export_residents_data(request: HttpRequest) -> HttpResponse:
    """Everything held about the address as one zip: data.json and the files they uploaded."""
    _require(request)
    email, error = _posted_email(request)
    if error:
        return _ask_again(request, email, error)
    content, count = privacy.export_zip(email)
    audit.record(
        request,
        AuditEntry.EXPORTED,
        f"resident {email}",
        detail="subject access export",
        row_count=count,
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="residents-data-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def erase_residents_data(request: HttpRequest) -> HttpResponse:
    """First a page saying what will go; then, confirmed, erase it and say so."""
    _require(request)
    email, error = _posted_email(request)
    if error:
        return _ask_again(request, email, error)
    if request.POST.get("confirm") != "yes":
        found = privacy.find(email)
        return render(
            request,
            "cms/admin/erase_confirm.html",
            {"email": email, "found": found, "total": sum(len(held) for _s, held in found)},
        )
    erased = privacy.erase(email)
    audit.record(
        request, AuditEntry.ERASED, f"resident {email}", detail="erasure", row_count=erased
    )
    messages.success(
        request,
        f"Erased {erased} record{'s' if erased != 1 else ''} held about "
        f"{mask_email_addresses(email)}.",
    )
    return redirect("residents_data")


# --- Reports › Audit trail -------------------------------------------------------------------

AUDIT_CSV_HEADINGS = ["When", "Who", "Action", "About", "Detail", "Rows", "From address"]


def _audit_filtered(request: HttpRequest) -> tuple[QuerySet[AuditEntry], dict[str, str]]:
    filters = {
        name: request.GET.get(name, "").strip()[:200]
        for name in ("action", "user", "about", "since", "until")
    }
    entries = AuditEntry.objects.all()
    if filters["action"] in dict(AuditEntry.ACTION_CHOICES):
        entries = entries.filter(action=filters["action"])
    if filters["user"]:
        entries = entries.filter(username__icontains=filters["user"])
    if filters["about"]:
        entries = entries.filter(subject__icontains=filters["about"])
    since, until = parse_date(filters["since"] or "x"), parse_date(filters["until"] or "x")
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries, filters


def audit_trail(request: HttpRequest) -> HttpResponse:
    """Who viewed, downloaded, exported, changed or erased what, when and from where."""
    _require(request)
    try:
        entries, filters = _audit_filtered(request)
    except ValueError:  # a date like 2026-02-31
        entries, filters = AuditEntry.objects.none(), {}
        messages.error(request, "Enter a real date, like 2026-03-01.")
    if request.GET.get("format") == "csv":
        return _audit_csv(request, entries)
    page = Paginator(entries.select_related("user"), 50).get_page(request.GET.get("p"))
    query = "&".join(f"{key}={value}" for key, value in filters.items() if value)
    return render(
        request,
        "cms/admin/audit_trail.html",
        {
            "page_obj": page,
            "filters": filters,
            "actions": AuditEntry.ACTION_CHOICES,
            "query": query,
            "keep_days": audit.keep_days(),
        },
    )


def _audit_csv(request: HttpRequest, entries: QuerySet[AuditEntry]) -> StreamingHttpResponse:
    count = entries.count()
    audit.record(request, AuditEntry.EXPORTED, "audit trail (CSV)", row_count=count)
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-trail-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


class _Line:
    def write(self, value: str) -> str:
        return value


def _csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(AUDIT_CSV_HEADINGS)
    labels = dict(AuditEntry.ACTION_CHOICES)
    for entry in entries.iterator(chunk_size=500):
        yield writer.writerow(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.username,
                str(labels.get(entry.action, entry.action)),
                entry.subject,
                entry.detail,
                "" if entry.row_count is None else entry.row_count,
                entry.client_address,
            ]
        )
