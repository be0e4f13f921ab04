"""Staff side: each delivery unit's inbox, one request, status changes, files, export, statistics.

Delivery-unit editors only ever see their own units' requests (SubmissionQuerySet.for_user).
Product owners get statistics only: never a resident's answers or contact details.
"""

import csv
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .analytics import form_analytics, low_use
from .fields import display
from .models import FormDefinition, Submission, UploadedFile
from .services import change_status


def _require(request, perm):
    if not request.user.has_perm(f"eforms.{perm}"):
        raise PermissionDenied


def _visible_submissions(request):
    return Submission.objects.for_user(request.user).select_related("form", "delivery_unit")


def _filtered(request):
    submissions = _visible_submissions(request)
    form_key = request.GET.get("form", "")
    status = request.GET.get("status", "")
    if form_key:
        submissions = submissions.filter(form__translation_key=form_key)
    if status == "open":
        submissions = submissions.open()
    elif status == "overdue":
        submissions = submissions.open().filter(due_date__lt=timezone.localdate())
    elif status:
        submissions = submissions.filter(status=status)
    reference = request.GET.get("q", "").strip().upper()
    if reference:
        submissions = submissions.filter(reference__icontains=reference)
    return submissions.overdue_first(), {"form": form_key, "status": status, "q": reference}


def inbox(request):
    _require(request, "view_submission")
    submissions, filters = _filtered(request)
    page = Paginator(submissions, 50).get_page(request.GET.get("p"))
    forms = FormDefinition.objects.filter(locale__language_code="en-gb").order_by("title")
    return TemplateResponse(
        request,
        "eforms/admin/inbox.html",
        {
            "page_obj": page,
            "filters": filters,
            "forms": forms,
            "statuses": [("open", "Open"), ("overdue", "Overdue"), *Submission.STATUS_CHOICES],
            "can_change": request.user.has_perm("eforms.change_submission"),
            "can_export": request.user.has_perm("eforms.export_submission"),
            "query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


def submission_detail(request, pk):
    _require(request, "view_submission")
    submission = get_object_or_404(_visible_submissions(request), pk=pk)
    if request.method == "POST":
        _require(request, "change_submission")
        to_status = request.POST.get("status", "")
        message = request.POST.get("message", "").strip()[:2000]
        if to_status not in dict(submission.allowed_next_statuses()):
            messages.error(request, "Choose a new status.")
        else:
            change_status(submission, to_status, message=message, user=request.user)
            messages.success(
                request,
                f"{submission.reference} is now {dict(Submission.STATUS_CHOICES)[to_status].lower()}.",
            )
            return redirect("eforms_admin:submission", pk=submission.pk)
    schema = submission.form.schema
    answers = []
    for name, value in submission.answers.items():
        spec = schema.questions.get(name)
        label = spec.label if spec else name
        answers.append(
            {"label": label, "value": display(spec, value) if spec else json.dumps(value)}
        )
    return TemplateResponse(
        request,
        "eforms/admin/submission.html",
        {
            "submission": submission,
            "answers": answers,
            "history": submission.history.select_related("changed_by"),
            "files": submission.files.all(),
            "outbox": submission.messages.all(),
            "can_change": request.user.has_perm("eforms.change_submission"),
        },
    )


def submission_file(request, pk, token):
    """Residents' files are only ever served here, to staff who may see the request."""
    _require(request, "view_submission")
    submission = get_object_or_404(_visible_submissions(request), pk=pk)
    upload = get_object_or_404(UploadedFile, submission=submission, token=token)
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle, content_type=upload.content_type, as_attachment=True, filename=upload.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def export_csv(request):
    _require(request, "export_submission")
    submissions, _filters = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="submissions-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["Reference", "Form", "Status", "Received", "Expected by", "Email", "Answers"])
    for submission in submissions.iterator():
        schema = submission.form.schema
        answer_text = "; ".join(
            f"{schema.questions[name].label}: {display(schema.questions[name], value)}".replace(
                "\n", ", "
            )
            for name, value in submission.answers.items()
            if name in schema.questions
        )
        writer.writerow(
            [
                submission.reference,
                submission.form_title,
                submission.get_status_display(),
                timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M"),
                submission.due_date.isoformat() if submission.due_date else "",
                submission.email,
                _safe_cell(answer_text),
            ]
        )
    return response


def _safe_cell(text):
    """Spreadsheets run cells that start with = + - @ as formulas: never let residents' text do that."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
