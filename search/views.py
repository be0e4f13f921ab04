"""The resident search page, the search API and click recording. Thin: see service.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict
from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.csrf import same_origin_post
from core.ratelimit import RateLimit, client_address

from . import feedback, service
from .registry import contact_route, persona_labels
from .service import BadSearch, kind_label
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
    # Only what suggest reads, checked as a search checks it: an unknown locale used to reach
    # Elasticsearch as an index name it refused (a 400 from the engine, a 500 from us).
    wanted = {name: request.GET.get(name, "") for name in ("q", "locale")}
    try:
        checked = service.parse_params(wanted)
    except BadSearch as error:
        return JsonResponse({"error": error.message, "field": error.field}, status=400)
    text = checked.text
    return JsonResponse({"suggestions": service.suggest(text, checked.locale) if text else []})


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
        "kind_options": [{"value": "", "label": _("All results"), "count": None}]
        + [
            {"value": value, "label": kind_label(value), "count": count}
            for value, count in outcome.facets.get("kind", [])
        ],
        "persona_facets": _persona_facets(outcome, search_request.locale),
        "result_count": outcome.total + len(outcome.promoted),
        "first_number": first_number,
        "popular_journeys": service.popular_journeys(search_request.locale)
        if search_request.text and outcome.total == 0
        else [],
        "page_numbers": _page_numbers(search_request.page, outcome.pages),
    }
    if search_request.text and feedback.is_weak(context["result_count"]):
        # A dead end otherwise: offer a person to talk to and a way to tell us what was missing.
        context["contact"] = contact_route(request)
        context["feedback_form"] = {"q": search_request.text, "count": context["result_count"]}
    return render(request, "search/search.html", context, status=200)


def _persona_facets(outcome: service.SearchOutcome, locale: str) -> list[tuple[str, str, int]]:
    """(slug, the persona as residents know it, count) for the "What are you trying to do?" filter."""
    values = outcome.facets.get("persona", [])
    labels = persona_labels([value for value, _count in values], locale)
    return [(value, labels[value], count) for value, count in values]


@same_origin_post
@require_http_methods(["GET", "POST"])
def search_feedback(request: HttpRequest) -> HttpResponse:
    """POST /search/feedback/: "tell us what you were looking for", from a weak results page.

    Asks for no personal details and strips any it is given. GET shows the box on its own, for
    a resident who came back to it (or a refused message, shown again with its error).
    """
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()[:200]
    count_text = (request.POST.get("count") or request.GET.get("count") or "0").strip()
    # isdecimal, not isdigit: int("²") fails; the cap keeps a made-up count within the column.
    result_count = min(int(count_text), 1_000_000) if count_text.isdecimal() else 0
    context: dict[str, Any] = {
        "search_query": query,
        "feedback_form": {"q": query, "count": result_count},
        "contact": contact_route(request),
        "error": "",
        "text": "",
    }
    if request.method != "POST":
        return render(request, "search/feedback.html", context)
    context["text"] = request.POST.get("looking_for", "")[: feedback.MAX_FEEDBACK_LENGTH * 2]
    messages, seconds = feedback.rate_limit()
    if not RateLimit("search-feedback", messages, seconds).hit(client_address(request)):
        context["error"] = _("You have sent us a lot of messages. Try again in an hour.")
        return render(request, "search/feedback.html", context, status=429)
    try:
        feedback.record(
            text=context["text"], query=query, locale=_locale(), result_count=result_count
        )
    except feedback.FeedbackError as error:
        context["error"] = error.message
        return render(request, "search/feedback.html", context, status=400)
    return redirect(f"{reverse('search:feedback_thanks')}?q={_quote(query)}")


@require_GET
def search_feedback_thanks(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    return render(
        request,
        "search/feedback_thanks.html",
        {"search_query": query, "contact": contact_route(request)},
    )


def _quote(text: str) -> str:
    return urlencode({"q": text})[2:]


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
        log, position = request.GET.get("log", ""), request.GET.get("pos", "")
        # A search's token, or an older page's row id; anything else (or a position no
        # database integer can hold) is a made-up link and ignored.
        if service.valid_log_reference(log) and position.isdecimal() and len(position) <= 9:
            service.log_click(log, target, int(position))
    return HttpResponseRedirect(target)
