"""The resident search page, the search API and click recording. Thin: see service.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import service
from .service import KIND_LABELS, BadSearch
from .throttle import allow_search

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from .engines.base import Hit


class HitJson(TypedDict):
    kind: str
    title: str
    url: str
    summary: str
    highlight: str
    promoted: NotRequired[bool]
    distance_km: NotRequired[float]


class FacetValueJson(TypedDict):
    value: str
    count: int


class SearchJson(TypedDict):
    """The body of GET /api/v1/search/ (see the OpenAPI description)."""

    results: list[HitJson]
    total: int
    facets: dict[str, list[FacetValueJson]]
    suggestion: str | None
    page: int
    pages: int
    services_near_you: list[HitJson]
    engine: str
    notice: str


def _locale() -> str:
    return (get_language() or "en-gb").lower()


def _hit_json(hit: Hit, promoted: bool = False) -> HitJson:
    data: HitJson = {
        "kind": hit.kind,
        "title": hit.title,
        "url": hit.url,
        "summary": hit.summary,
        "highlight": hit.highlight,
    }
    if promoted:
        data["promoted"] = True
    if hit.distance_km is not None:
        data["distance_km"] = hit.distance_km
    return data


def outcome_json(outcome: service.SearchOutcome) -> SearchJson:
    return {
        "results": [_hit_json(hit, promoted=True) for hit in outcome.promoted]
        + [_hit_json(hit) for hit in outcome.hits],
        "total": outcome.total + len(outcome.promoted),
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in outcome.facets.items()
        },
        "suggestion": outcome.suggestion,
        "page": outcome.request.page,
        "pages": outcome.pages,
        "services_near_you": [_hit_json(hit) for hit in outcome.nearby],
        "engine": outcome.engine,
        "notice": outcome.notice,
    }


@require_GET
def search_api(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/search/?q=&kind=&persona=&topic=&postcode=&page= (and optional locale=)."""
    if not allow_search(request):
        return JsonResponse(
            {"error": "Too many searches from this address. Try again in a minute."}, status=429
        )
    try:
        outcome = service.search(service.parse_params(request.GET))
    except BadSearch as error:
        return JsonResponse({"error": error.message, "field": error.field}, status=400)
    return JsonResponse(outcome_json(outcome))


@require_GET
def suggest_api(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/search/suggest?q=: titles that complete what has been typed."""
    text = (request.GET.get("q") or "").strip()
    locale = (request.GET.get("locale") or "en-gb").lower()
    if len(text) > 200:
        return JsonResponse(
            {"error": "Search for 200 characters or fewer", "field": "q"}, status=400
        )
    return JsonResponse({"suggestions": service.suggest(text, locale) if text else []})


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """/search/: results of every kind, filters, services near a postcode, no-results advice."""
    if not allow_search(request):
        return render(
            request,
            "search/too_many.html",
            {"search_query": request.GET.get("q", "")[:200]},
            status=429,
        )
    errors: dict[str, str] = {}
    try:
        search_request = service.parse_params(request.GET, default_locale=_locale())
    except BadSearch as error:
        errors[error.field] = error.message
        search_request = _lenient(request.GET)
    outcome = None
    try:
        outcome = service.search(search_request)
    except BadSearch as error:  # the postcode could not be found: search without it
        errors[error.field] = error.message
        outcome = service.search(replace(search_request, postcode=""))
    first_number = (search_request.page - 1) * service.PAGE_SIZE + 1
    for position, hit in enumerate([*outcome.promoted, *outcome.hits], start=first_number):
        hit.position = position  # where the resident saw it, for click analytics
    context: dict[str, Any] = {
        "search_query": search_request.text,
        "search_request": search_request,
        "outcome": outcome,
        "errors": errors,
        "kind_options": [{"value": "", "label": "All results", "count": None}]
        + [
            {"value": value, "label": KIND_LABELS.get(value, value), "count": count}
            for value, count in outcome.facets.get("kind", [])
        ],
        "persona_facets": [
            (value, value.replace("-", " ").capitalize(), count)
            for value, count in outcome.facets.get("persona", [])
        ],
        "result_count": outcome.total + len(outcome.promoted),
        "first_number": first_number,
        "popular_journeys": service.popular_journeys(search_request.locale)
        if search_request.text and outcome.total == 0
        else [],
        "page_numbers": _page_numbers(search_request.page, outcome.pages),
    }
    return render(request, "search/search.html", context, status=200)


def _lenient(params: Mapping[str, str]) -> service.SearchRequest:
    """What can be salvaged from bad parameters, so the page still shows something useful."""
    text = (params.get("q") or "").strip()[:200]
    return service.SearchRequest(text=text, locale=_locale())


def _page_numbers(current: int, pages: int) -> list[int]:
    wanted = {1, pages, current - 1, current, current + 1}
    return [number for number in sorted(wanted) if 1 <= number <= pages]


@require_GET
def record_click(request: HttpRequest) -> HttpResponseRedirect:
    """Record which result was chosen, then go there. Works without JavaScript.

    Only paths on this site are followed, so the link can't be used to send people elsewhere.
    """
    target = request.GET.get("to", "")
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe:
        target = "/search/"
    else:
        log_id, position = request.GET.get("log", ""), request.GET.get("pos", "")
        if log_id.isdigit() and position.isdigit():
            service.log_click(int(log_id), target, int(position))
    return HttpResponseRedirect(target)
