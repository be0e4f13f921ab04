"""Product owners' views in the Wagtail admin: the ranked backlog, one story with its evidence,
coverage by persona, the backlog as CSV and uploading contact figures. Residents never reach
any of it (admin login + backlog.view_userstory)."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from core.models import DeliveryUnit
from personas.models import Persona

from . import kpi, stories, uploads
from .demand import CREATE, REJECT, UPDATE, UnreadableFile
from .evidence import AttachError, attach_query, detach_query, story_evidence
from .forms import AttachQueryForm, DemandUploadForm, RankForm, StoryForm
from .models import DemandUpload, UserStory

PREVIEW_ROWS = 200

CSV_COLUMNS = [
    "rank",
    "score",
    "manual_rank",
    "delivery_unit",
    "persona",
    "story",
    "status",
    "moscow",
    "benefit_residents",
    "benefit_borough",
    "benefit_council",
    "demand",
    "effort",
    "forms",
    "owner",
]


def _require_view(request):
    if not stories.can_view_stories(request.user):
        raise PermissionDenied


def _filters(request):
    return {key: request.GET.get(key, "") for key in ("unit", "persona", "status", "moscow")}


def backlog_index(request):
    _require_view(request)
    filters = _filters(request)
    ranked = stories.backlog(**filters)
    if request.GET.get("format") == "csv":
        return _csv(ranked)
    return TemplateResponse(
        request,
        "backlog/admin/backlog.html",
        {
            "stories": ranked,
            "filters": filters,
            "units": DeliveryUnit.objects.all(),
            "personas": Persona.objects.all(),
            "statuses": UserStory.Status.choices,
            "moscows": UserStory.MoSCoW.choices,
            "can_add": stories.can_edit_story(request.user),
            "can_upload": uploads.can_upload(request.user),
            "query": request.GET.urlencode(),
        },
    )


def _csv(stories):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="backlog.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for rank, s in enumerate(stories, start=1):
        writer.writerow(
            [
                rank,
                s.priority_score,
                s.manual_rank or "",
                s.delivery_unit.name,
                s.persona.name,
                s.story,
                s.get_status_display(),
                s.get_moscow_display(),
                s.benefit_residents,
                s.benefit_borough,
                s.benefit_council,
                s.demand,
                s.effort,
                s.form_slugs,
                s.owner.get_username() if s.owner else "",
            ]
        )
    return response


def story_detail(request, pk):
    _require_view(request)
    story = get_object_or_404(
        UserStory.objects.select_related("delivery_unit", "persona", "owner"), pk=pk
    )
    may_edit = stories.can_edit_story(request.user, story)
    rank_form = RankForm(initial={"rank": story.manual_rank})
    attach_form = AttachQueryForm()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        rank_form = RankForm(request.POST)
        if rank_form.is_valid():
            stories.set_manual_rank(
                story,
                request.user,
                rank_form.cleaned_data["rank"],
                rank_form.cleaned_data["reason"],
            )
            messages.success(request, "Place in the backlog saved.")
            return redirect("backlog_admin:story", pk=story.pk)
    return TemplateResponse(
        request,
        "backlog/admin/story.html",
        {
            "story": story,
            "may_edit": may_edit,
            "rank_form": rank_form,
            "attach_form": attach_form,
            "evidence": story_evidence(story),
            "changes": story.changes.select_related("user")[:50],
            "delivered": stories.is_delivered(story),
        },
    )


def _story_to_change(request, pk):
    _require_view(request)
    story = get_object_or_404(UserStory, pk=pk)
    if not stories.can_edit_story(request.user, story):
        raise PermissionDenied
    return story


@require_POST
def story_attach(request, pk):
    """Attach a logged search to the story by hand (from the candidates or typed in)."""
    story = _story_to_change(request, pk)
    form = AttachQueryForm(request.POST)
    if form.is_valid():
        try:
            attached = attach_query(story, request.user, form.cleaned_data["query"])
        except AttachError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{attached.query}” is now evidence for this story.")
    else:
        messages.error(request, " ".join(form.errors["query"]))
    return redirect("backlog_admin:story", pk=story.pk)


@require_POST
def story_detach(request, pk):
    story = _story_to_change(request, pk)
    query = request.POST.get("query", "")
    if detach_query(story, request.user, query):
        messages.success(request, f"“{query}” is no longer attached to this story.")
    return redirect("backlog_admin:story", pk=story.pk)


def story_edit(request, pk=None):
    _require_view(request)
    story = get_object_or_404(UserStory, pk=pk) if pk else None
    if story is not None and not stories.can_edit_story(request.user, story):
        raise PermissionDenied
    unit_ids = stories.editable_unit_ids(request.user)
    if not unit_ids:
        raise PermissionDenied
    # The form writes into its instance as it validates: give it a copy so the change log sees "before".
    form_instance = UserStory.objects.get(pk=story.pk) if story else None
    form = StoryForm(request.POST or None, instance=form_instance, unit_ids=unit_ids)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("reason", "pages")}
        reason = form.cleaned_data["reason"]
        if story is None:
            story = stories.create_story(request.user, reason, **data)
        else:
            stories.update_story(story, request.user, reason, **data)
        story.pages.set(form.cleaned_data["pages"])
        messages.success(request, "Story saved.")
        return redirect("backlog_admin:story", pk=story.pk)
    return TemplateResponse(
        request, "backlog/admin/story_form.html", {"form": form, "story": story}
    )


def coverage(request):
    _require_view(request)
    return TemplateResponse(request, "backlog/admin/coverage.html", {"rows": stories.coverage()})


def kpi_dashboard(request):
    """Site-wide, or one delivery unit's (?unit=slug), indicators and trends; ?format=csv for figures."""
    _require_view(request)
    unit_slug = request.GET.get("unit", "")
    unit = get_object_or_404(DeliveryUnit, slug=unit_slug) if unit_slug else None
    figures = kpi.dashboard(unit)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kpis-{unit_slug or "site"}.csv"'
        writer = csv.writer(response)
        writer.writerow(["indicator", "value", "target", "status"])
        for row in figures["indicators"]:
            writer.writerow(
                [
                    row["name"],
                    "" if row["value"] is None else row["value"],
                    row["target"] or "",
                    row["status"],
                ]
            )
        writer.writerow([])
        writer.writerow(["chart", "month", "value"])
        for chart in figures["charts"]:
            for label, value in chart.points:
                writer.writerow([chart.title, label, "" if value is None else value])
        return response
    return TemplateResponse(
        request,
        "backlog/admin/kpis.html",
        {
            **figures,
            "unit": unit,
            "units": DeliveryUnit.objects.all(),
            "query": request.GET.urlencode(),
        },
    )


# --- Uploading contact figures ----------------------------------------------------------


def _require_upload(request):
    if not uploads.can_upload(request.user):
        raise PermissionDenied


def demand_upload(request):
    """Choose a CSV file; it is checked and previewed before anything is imported."""
    _require_upload(request)
    units = uploads.units_for(request.user)
    form = DemandUploadForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        superuser=request.user.is_superuser,
        initial={"delivery_unit": units.first() if units.count() == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            upload, _plan = uploads.store_upload(
                request.user, form.cleaned_data["file"], form.cleaned_data["delivery_unit"]
            )
        except UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            return redirect("backlog_admin:demand_preview", pk=upload.pk)
    recent = DemandUpload.objects.filter(uploaded_by=request.user)[:10]
    return TemplateResponse(
        request, "backlog/admin/demand_upload.html", {"form": form, "recent": recent}
    )


def demand_preview(request, pk):
    """What the upload would do, row by row; "Import" applies it. Afterwards, what it did."""
    _require_upload(request)
    upload = get_object_or_404(DemandUpload.objects.select_related("default_unit"), pk=pk)
    if upload.uploaded_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    if request.method == "POST":
        if upload.status == DemandUpload.Status.PREVIEWED:
            if uploads.request_import(upload):
                messages.success(
                    request,
                    f"{upload.file_name} is being imported in the background. "
                    "This page shows the result when it is done.",
                )
            else:
                upload.refresh_from_db()
                if upload.status == DemandUpload.Status.IMPORTED:
                    messages.success(
                        request, f"Imported {upload.file_name}: {upload.report['summary']}"
                    )
                else:
                    messages.error(request, upload.report.get("error", "The import failed."))
        return redirect("backlog_admin:demand_preview", pk=upload.pk)
    context = {"upload": upload}
    if upload.status == DemandUpload.Status.PREVIEWED:
        plan = uploads.preview(upload)
        changes = [row for row in plan.rows if row.action in (CREATE, UPDATE)]
        context.update(
            plan=plan,
            summary=plan.summary(done=False),
            rejected=plan.with_action(REJECT),
            changes=changes[:PREVIEW_ROWS],
            more_changes=max(len(changes) - PREVIEW_ROWS, 0),
            in_background=upload.rows > uploads.IN_REQUEST_ROWS,
        )
    return TemplateResponse(request, "backlog/admin/demand_preview.html", context)
