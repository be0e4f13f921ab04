"""Product owners' views in the Wagtail admin: the ranked backlog, one story with its evidence,
coverage by persona, and the backlog as CSV. Residents never reach any of it (admin login +
personas.view_userstory)."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from core.models import DeliveryUnit
from personas.models import Persona

from . import kpi, stories
from .evidence import story_evidence
from .forms import RankForm, StoryForm
from .models import UserStory

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
            "evidence": story_evidence(story),
            "changes": story.changes.select_related("user")[:50],
            "delivered": stories.is_delivered(story),
        },
    )


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
