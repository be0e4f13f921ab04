"""Resident pages: the directory search, named directory views, service pages and problem reports."""

from dataclasses import replace

from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from personas.models import Persona

from .forms import DirectorySearchForm, ListingProblemForm
from .models import DirectoryView, Service
from .query import DirectoryQuery, QueryError, matching
from .translation import localise, resident_language

PER_PAGE = 20


def _personas():
    """The personas in the resident's language (their slugs are the same in every language)."""
    try:
        personas = list(Persona.objects.filter(locale=Locale.get_active()))
        return personas or list(Persona.objects.filter(locale=Locale.get_default()))
    except Locale.DoesNotExist:
        return []


def _search(request, view=None):
    form = DirectorySearchForm(request.GET or None, personas=_personas())
    query = DirectoryQuery()
    searched = bool(request.GET)
    order = "relevance"
    if searched and form.is_valid():
        query = form.to_query()
        order = form.cleaned_data.get("sort") or ("distance" if query.postcode else "relevance")
    if view is not None:
        query = view.scoped(query)
    query = replace(query, language=resident_language())
    matches = []
    if not form.errors:
        try:
            matches = matching(
                query, order="distance" if order == "distance" and query.postcode else "relevance"
            )
        except QueryError as error:
            form.add_error(error.field or None, error.message)
            matches = matching(_without_location(query))
    page = Paginator(matches, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "form": form,
        "page_obj": page,
        "total": len(matches),
        "searched": searched,
        "query_string": params.urlencode(),
        "has_postcode": bool(query.postcode) and not form.errors,
        "view": view,
    }


def _without_location(query):
    return replace(query, postcode=None, proximity_km=None)


def search(request):
    context = _search(request)
    context["title"] = _("Find local services")
    return render(request, "directory/search.html", context)


def directory_view(request, slug):
    view = get_object_or_404(DirectoryView, slug=slug)
    context = _search(request, view)
    context["title"] = view.title
    return render(request, "directory/search.html", context)


def service_detail(request, service_id):
    service = get_object_or_404(
        Service.objects.select_related("organization").prefetch_related(
            "service_at_locations__location",
            "schedules",
            "phones",
            "contacts",
            "cost_options",
            "languages",
            "service_areas",
            "taxonomy_terms",
            "personas",
        ),
        pk=service_id,
    )
    localise([service])
    if (
        service.status in (Service.Status.DEFUNCT, Service.Status.INACTIVE)
        and not request.user.is_authenticated
    ):
        return render(
            request,
            "directory/service_closed.html",
            {"service": service, "title": service.name},
            status=410,
        )
    return render(
        request,
        "directory/service.html",
        {
            "service": service,
            "title": service.name,
            "show_partner_notes": request.user.is_authenticated,
            "locations": [link.location for link in service.service_at_locations.all()],
        },
    )


@require_http_methods(["GET", "POST"])
def report_problem(request, service_id):
    service = get_object_or_404(Service, pk=service_id)
    localise([service])
    form = ListingProblemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            problem = form.save(commit=False)
            problem.service = service
            problem.save()
        return redirect(reverse("directory:report_done", kwargs={"service_id": service.pk}))
    return render(
        request,
        "directory/report_problem.html",
        {"service": service, "form": form, "title": _("Report a problem with this listing")},
    )


def report_done(request, service_id):
    service = get_object_or_404(Service, pk=service_id)
    localise([service])
    return render(
        request,
        "directory/report_done.html",
        {"service": service, "title": _("Thank you for your report")},
    )
