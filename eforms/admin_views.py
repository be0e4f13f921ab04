"""Staff side: each delivery unit's inbox, one request, status changes, files, export, statistics.

Delivery-unit editors only ever see their own units' requests (SubmissionQuerySet.for_user).
Product owners get statistics only: never a resident's answers or contact details.

Staff find a request by its reference, the resident's email address or a postcode. Those are
personal data, so the search box posts them and they are kept in the member of staff's session:
the inbox's address carries an opaque token (``?s=...``), and no access log, proxy log or
browser history ever records what was searched for.
"""

import json
import re
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import audit
from core.geo import normalise_postcode
from core.models import AuditEntry

from .analytics import form_analytics, low_use
from .export import csv_lines
from .fields import display
from .maps import map_link
from .models import FormDefinition, Submission, UploadedFile
from .retention import deletion_date
from .services import (
    CaseError,
    add_note,
    assign,
    assignable_staff,
    change_status,
    normalise_reference,
)
from .versions import Versions

SEARCHES_SESSION_KEY = "eforms:admin:searches"
SEARCHES_KEPT = 20
SEARCH_MAX_LENGTH = 254
# An outward code on its own ("NB1", "SW1A"): every postcode in that district.
OUTWARD_CODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
ASSIGNED_CHOICES = [("", "Anyone or nobody"), ("me", "Me"), ("nobody", "Nobody")]


def _require(request, perm):
    if not request.user.has_perm(f"eforms.{perm}"):
        raise PermissionDenied


def _visible_submissions(request):
    return Submission.objects.for_user(request.user).select_related("form", "delivery_unit")


def _search_term(request):
    """The term behind the ``s`` token, from this member of staff's own session."""
    token = request.GET.get("s", "")
    return request.session.get(SEARCHES_SESSION_KEY, {}).get(token, "") if token else ""


def _remember_search(request, term):
    """Keep the term in the session under a new token (the last few only) and return the token."""
    searches = dict(request.session.get(SEARCHES_SESSION_KEY, {}))
    token = secrets.token_urlsafe(9)
    searches[token] = term
    request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return token


def search_filter(term):
    """What a search box term finds: an email address, a postcode, or part of a reference."""
    term = term.strip()
    if "@" in term:
        return Q(email__iexact=term)
    postcode = normalise_postcode(term)
    if postcode is not None:
        return Q(postcode=postcode)
    # References are read out with spaces or without dashes: "rpt 7k3d 9q2m", "RPT7K3D9Q2M".
    words = re.sub(r"[\s\-]+", "-", term).upper()
    compact = words.replace("-", "")
    found = Q(reference__icontains=words)
    if len(compact) >= 9:
        found |= Q(reference=normalise_reference(term))
    if OUTWARD_CODE.fullmatch(compact):
        found |= Q(postcode__startswith=f"{compact} ")
    return found


def _filtered(request):
    submissions = _visible_submissions(request).select_related("assigned_to")
    form_key = request.GET.get("form", "")
    status = request.GET.get("status", "")
    assigned = request.GET.get("assigned", "")
    if form_key:
        submissions = submissions.filter(form__translation_key=form_key)
    if status == "open":
        submissions = submissions.open()
    elif status == "overdue":
        submissions = submissions.open().filter(due_date__lt=timezone.localdate())
    elif status:
        submissions = submissions.filter(status=status)
    if assigned == "me":
        submissions = submissions.filter(assigned_to=request.user)
    elif assigned == "nobody":
        submissions = submissions.filter(assigned_to__isnull=True)
    term = _search_term(request)
    if term:
        submissions = submissions.filter(search_filter(term))
    filters = {
        "form": form_key,
        "status": status,
        "assigned": assigned,
        "q": term,
        "s": request.GET.get("s", "") if term else "",
    }
    return submissions.overdue_first(), filters


def _search(request):
    """The filter form posts here, so the search term never appears in an address."""
    params = {
        name: request.POST.get(name, "")
        for name in ("form", "status", "assigned")
        if request.POST.get(name)
    }
    term = request.POST.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    if term:
        params["s"] = _remember_search(request, term)
    url = reverse("eforms_admin:inbox")
    return redirect(f"{url}?{urlencode(params)}" if params else url)


def inbox(request):
    _require(request, "view_submission")
    if request.method == "POST":
        return _search(request)
    submissions, filters = _filtered(request)
    page = Paginator(submissions, 50).get_page(request.GET.get("p"))
    for submission in page:
        # Warned that it will be deleted for its age: staff see the date beside its status.
        submission.deletion_on = (
            deletion_date(submission)
            if submission.is_open and submission.deletion_warned_at
            else None
        )
    forms = FormDefinition.objects.filter(locale__language_code="en-gb").order_by("title")
    return TemplateResponse(
        request,
        "eforms/admin/inbox.html",
        {
            "page_obj": page,
            "filters": filters,
            "forms": forms,
            "statuses": [("open", "Open"), ("overdue", "Overdue"), *Submission.STATUS_CHOICES],
            "assigned_choices": ASSIGNED_CHOICES,
            "can_change": request.user.has_perm("eforms.change_submission"),
            "can_export": request.user.has_perm("eforms.export_submission"),
            "query": urlencode({k: v for k, v in filters.items() if v and k != "q"}),
            "today": timezone.localdate(),
        },
    )


def submission_detail(request, pk):
    _require(request, "view_submission")
    submission = get_object_or_404(_visible_submissions(request), pk=pk)
    if request.method == "POST":
        _require(request, "change_submission")
        action = request.POST.get("action", "status")
        handler = {"status": _post_status, "assign": _post_assign, "note": _post_note}.get(action)
        if handler is not None and handler(request, submission):
            audit.record(
                request,
                AuditEntry.CHANGED,
                f"request {submission.reference}",
                detail=_CHANGE_DETAIL.get(action, action),
            )
            return redirect("eforms_admin:submission", pk=submission.pk)
        submission.refresh_from_db()
    else:
        audit.record(request, AuditEntry.VIEWED, f"request {submission.reference}")
    versions = Versions()
    schema = versions.schema(submission)
    current = submission.form.schema.questions if submission.form_revision_id else {}
    answers = []
    for name, value in submission.answers.items():
        spec = schema.questions.get(name) or current.get(name)
        label = spec.label if spec else name
        now = current.get(name)
        answer = {
            "label": label,
            "value": display(spec, value, staff=True) if spec else json.dumps(value),
            # The question has other words now: staff see both, the resident's first.
            "label_now": now.label if now is not None and now.label != label else "",
        }
        if spec is not None and spec.type == "location" and isinstance(value, dict):
            if value.get("latitude") is not None and value.get("longitude") is not None:
                answer["map_link"] = map_link(value["latitude"], value["longitude"])
        answers.append(answer)
    staff = list(assignable_staff(submission))
    return TemplateResponse(
        request,
        "eforms/admin/submission.html",
        {
            "submission": submission,
            "answers": answers,
            "version": versions.label(submission),
            "history": submission.history.select_related("changed_by"),
            "notes": submission.notes.select_related("author"),
            "files": submission.files.all(),
            "removed_files": submission.files.filter(scan_status=UploadedFile.INFECTED),
            "outbox": submission.messages.all(),
            "can_change": request.user.has_perm("eforms.change_submission"),
            "staff": staff,
            "may_take": request.user in staff and submission.assigned_to_id != request.user.pk,
            "deletion_on": deletion_date(submission)
            if submission.is_open and submission.deletion_warned_at
            else None,
        },
    )


_CHANGE_DETAIL = {
    "status": "changed the status",
    "assign": "changed who it is assigned to",
    "note": "added an internal note",
}


def _post_status(request, submission):
    to_status = request.POST.get("status", "")
    message = request.POST.get("message", "").strip()[:2000]
    if to_status not in dict(submission.allowed_next_statuses()):
        messages.error(request, "Choose a new status.")
        return False
    change_status(submission, to_status, message=message, user=request.user)
    messages.success(
        request,
        f"{submission.reference} is now {dict(Submission.STATUS_CHOICES)[to_status].lower()}.",
    )
    return True


def _post_assign(request, submission):
    """Assign to the member of staff chosen (``assignee``; empty for nobody) or to oneself."""
    if request.POST.get("assign_to_me"):
        assignee = request.user
    else:
        chosen = request.POST.get("assignee", "")
        assignee = None
        if chosen:
            assignee = (
                get_user_model().objects.filter(pk=chosen).first() if chosen.isdigit() else None
            )
            if assignee is None:
                messages.error(request, "Choose a member of staff from the list.")
                return False
    try:
        updated = assign(submission, assignee, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
        return False
    if updated.assigned_to is None:
        messages.success(request, f"{submission.reference} is not assigned to anyone.")
    else:
        who = "you" if updated.assigned_to == request.user else _name(updated.assigned_to)
        messages.success(request, f"{submission.reference} is assigned to {who}.")
    return True


def _post_note(request, submission):
    try:
        add_note(submission, request.POST.get("note", ""), author=request.user)
    except CaseError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, "Note added. Only staff can see it.")
    return True


def _name(user):
    return user.get_full_name() or user.get_username()


def submission_file(request, pk, token):
    """Residents' files are only ever served here, to staff who may see the request."""
    _require(request, "view_submission")
    submission = get_object_or_404(_visible_submissions(request), pk=pk)
    upload = get_object_or_404(UploadedFile, submission=submission, token=token)
    if not upload.offered:  # waiting for its virus check, or removed for a virus
        raise Http404("This file cannot be opened")
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    audit.record(
        request,
        AuditEntry.DOWNLOADED,
        f"request {submission.reference}",
        detail=f"file uploaded for {upload.field_name}",
    )
    response = FileResponse(
        handle, content_type=upload.content_type, as_attachment=True, filename=upload.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def export_csv(request):
    """The inbox's current list (same filters and search) as CSV, streamed as it is written."""
    _require(request, "export_submission")
    submissions, _filters = _filtered(request)
    audit.record(
        request,
        AuditEntry.EXPORTED,
        "requests inbox (CSV)",
        detail=_describe_filters(_filters),
        row_count=submissions.count(),
    )
    response = StreamingHttpResponse(csv_lines(submissions), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="submissions-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _describe_filters(filters):
    """The inbox filters an export used, without the search term (it may be an email address)."""
    shown = {key: value for key, value in filters.items() if value and key != "q"}
    if filters.get("q"):
        shown["search"] = "yes"
    return ", ".join(f"{key}: {value}" for key, value in sorted(shown.items())) or "no filters"


@require_POST
def bulk_close(request):
    _require(request, "change_submission")
    ids = [int(pk) for pk in request.POST.getlist("selected") if pk.isdigit()]
    message = request.POST.get("message", "").strip()[:2000]
    closed = 0
    with transaction.atomic():
        for submission in _visible_submissions(request).filter(pk__in=ids):
            if Submission.CLOSED in dict(submission.allowed_next_statuses()):
                change_status(submission, Submission.CLOSED, message=message, user=request.user)
                audit.record(
                    request,
                    AuditEntry.CHANGED,
                    f"request {submission.reference}",
                    detail="closed with others from the inbox",
                )
                closed += 1
    messages.success(request, f"Closed {closed} request{'s' if closed != 1 else ''}.")
    return redirect("eforms_admin:inbox")


def statistics(request):
    _require(request, "view_submission_statistics")
    forms = (
        FormDefinition.objects.filter(locale__language_code="en-gb")
        .select_related("delivery_unit")
        .order_by("title")
    )
    try:
        threshold = max(1, int(request.GET.get("threshold", 10)))
    except ValueError:
        threshold = 10
    rows = [{"form": form, **form_analytics(form)} for form in forms]
    return TemplateResponse(
        request,
        "eforms/admin/statistics.html",
        {"rows": rows, "low_use": low_use(threshold=threshold), "threshold": threshold},
    )
