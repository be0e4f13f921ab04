"""Resident pages: the directory search, named directory views, service pages and problem reports."""

from dataclasses import replace

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.i18n import active_locale, default_locale
from personas.models import Persona

from . import problems, schedules
from .forms import DirectorySearchForm, ListingProblemForm
from .models import DirectoryView, Service
from .query import DirectoryQuery, QueryError, matching
from .translation import localise, resident_language

PER_PAGE = 20


def _personas():
    """The personas in the resident's language (their slugs are the same in every language)."""
    active, default = active_locale(), default_locale()
    personas = list(Persona.objects.filter(locale=active)) if active else []
    if not personas and default is not None and default != active:
        personas = list(Persona.objects.filter(locale=default))
    return personas


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
        "nearest": query.postcode if query.postcode and not form.errors else "",
        "filter_count": _filters_chosen(request),
        "view": view,
    }


FILTERS = ("postcode", "distance", "age", "day", "time", "open_now", "free", "category", "persona")


def _filters_chosen(request):
    """How many filters the resident has set, shown on the closed "Filter results" summary."""
    return sum(1 for name in FILTERS for value in request.GET.getlist(name) if value.strip())


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
        Service.objects.live()
        .select_related("organization")
        .prefetch_related(
            "service_at_locations__location",
            "schedules",
            "phones",
            "contacts",
            "cost_options",
            "languages",
            "service_areas",
            "required_documents",
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
            # Worked out for this request in the council's time zone: never cached.
            "opening": schedules.status(service.schedules.all()),
            "week": schedules.week(service.schedules.all()),
        },
    )


@require_http_methods(["GET", "POST"])
def report_problem(request, service_id):
    service = get_object_or_404(Service, pk=service_id)
    localise([service])
    form = ListingProblemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not problems.may_report(request):
            return render(
                request,
                "directory/report_too_many.html",
                {"service": service, "title": _("Sorry, there have been too many reports")},
                status=429,
            )
        data = form.cleaned_data
        problems.report(
            service,
            kind=data["kind"],
            details=data["details"],
            reporter_email=data["reporter_email"],
            request=request,
        )
        done = reverse("directory:report_done", kwargs={"service_id": service.pk})
        return redirect(done + ("?reply=1" if data["reporter_email"] else ""))
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
        {
            "service": service,
            "title": _("Thank you for your report"),
            "reply": request.GET.get("reply") == "1",
        },
    )
