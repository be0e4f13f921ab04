"""The Open Referral UK read API at /api/directory/: public, no key, CORS open, paginated.

Pagination: ``page`` starts at 1; ``per_page`` defaults to 50 and values above 200 are
treated as 200. A page past the end is an empty page (``empty: true``), not an error.
Anything that can't be understood (a non-numeric page, an unknown taxonomy term, a malformed
postcode) is a 400 with ``{"error": ..., "parameter": ...}``.
"""

import datetime
import functools
import math
import uuid

from django.http import Http404, JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from core.geo import normalise_postcode

from . import oruk
from .models import DAY_CODES, Organization, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .openapi import accepted_parameters
from .query import (
    DirectoryQuery,
    QueryError,
    day_code,
    filter_services,
    location_queryset,
    ranked_locations,
)

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
PROFILE_VERSION = "HSDS-UK-3.0"  # what the ORUK validator reads at / to pick its rules
CACHE_SECONDS = 60
# ETags from the response body, and 304s for If-None-Match / If-Modified-Since, as Django's own
# middleware does them; applied here so only the ORUK API (not residents' pages) takes part.
_conditional_get = ConditionalGetMiddleware(lambda request: None)


class BadParameter(Exception):
    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def endpoint(view):
    """GET only, JSON errors, Access-Control-Allow-Origin: * on every response, and conditional
    GET. Writes get a JSON 405 (not Django's CSRF page: nothing here reads a cookie), and a
    parameter the endpoint does not take is a 400 that names it, never silently ignored."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = JsonResponse({})
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        elif request.method not in ("GET", "HEAD"):
            response = JsonResponse({"error": "This API is read-only: use GET."}, status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                _refuse_unknown_parameters(request)
                response = view(request, *args, **kwargs)
            except BadParameter as error:
                response = JsonResponse(
                    {"error": error.message, "parameter": error.parameter},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            except QueryError as error:
                response = JsonResponse(
                    {"error": error.message, "parameter": error.field},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            except Http404 as error:
                response = JsonResponse({"error": str(error) or "Not found."}, status=404)
            if response.status_code == 200:
                patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
                response = _conditional_get.process_response(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _refuse_unknown_parameters(request):
    match = request.resolver_match
    accepted = accepted_parameters(match.url_name if match else "")
    for name in request.GET:
        if name not in accepted:
            takes = ", ".join(sorted(accepted)) or "no parameters"
            raise BadParameter(
                name, f"{name} is not a parameter of this endpoint. It takes: {takes}."
            )


# --- Parameters ----------------------------------------------------------------------------------


def _int(request, name, default, *, minimum=1):
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a whole number, like 1.") from None
    if value < minimum:
        raise BadParameter(name, f"{name} must be {minimum} or more.")
    return value


def _number(request, name):
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a number.") from None
    if not math.isfinite(value) or value < 0:
        raise BadParameter(name, f"{name} must be 0 or more.")
    return value


def _time(request, name):
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return None
    try:
        value = parse_time(raw)
    except ValueError:  # looks like a time but isn't one, like 29:00
        value = None
    if value is None:
        raise BadParameter(name, f"{name} must be a time like 09:00.")
    return value


def _moment(request, name):
    """A date and time, or a date (its midnight, UTC); a 400 for one that can't exist (02-30)."""
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return None
    try:
        moment = parse_datetime(raw)
        day = None if moment else parse_date(raw)
    except ValueError:  # shaped like a date but not one, like 2024-02-30 or 2025-01-31T25:00
        raise BadParameter(
            name, f"{name} \u201c{raw}\u201d is not a real date. Give one like 2025-01-31."
        ) from None
    if moment is None and day is None:
        raise BadParameter(name, f"{name} must be a date and time, like 2025-01-31T09:00:00Z.")
    if moment is None:
        return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)  # as the database will compare it
    except OverflowError:  # 9999-12-31T23:00-05:00 is in the year 10000 in UTC
        raise BadParameter(name, f"{name} must be between the years 1 and 9999.") from None


def _uuid(raw, name):
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadParameter(name, f"{name} \u201c{raw}\u201d is not an id from this API.") from None


def _known(model, raw, name):
    pk = _uuid(raw, name)
    if not model.objects.filter(pk=pk).exists():
        raise BadParameter(name, f"There is no {model._meta.verbose_name} with id {raw}.")
    return str(pk)


def _term_codes(request):
    raw = request.GET.get("taxonomy_term_id", "").strip()
    if not raw:
        return ()
    codes = []
    for part in (piece.strip() for piece in raw.split(",")):
        if not part:
            continue
        try:
            term = TaxonomyTerm.objects.filter(pk=uuid.UUID(part)).first()
        except ValueError:
            term = TaxonomyTerm.objects.filter(code=part).first()
        if term is None:
            raise BadParameter("taxonomy_term_id", f"There is no taxonomy term with id {part}.")
        codes.append(term.code)
    return tuple(codes)


def query_from_request(request, *, with_location=False):
    """Read the profile's filter parameters into a DirectoryQuery (the one filter implementation)."""
    params = request.GET
    day = params.get("day", "").strip()
    if day and day_code(day) is None:
        raise BadParameter("day", f"day must be a day of the week, like monday or {DAY_CODES[0]}.")
    modified_after = _moment(request, "modified_after")
    taxonomy_id = params.get("taxonomy_id", "").strip()
    organization_id = params.get("organization_id", "").strip()
    postcode = proximity_km = None
    if with_location:
        raw_postcode = params.get("postcode", "").strip()
        if raw_postcode:
            postcode = normalise_postcode(raw_postcode)
            if postcode is None:
                raise BadParameter(
                    "postcode",
                    f"\u201c{raw_postcode}\u201d is not a UK postcode. Give one like NB1 1AA.",
                )
        proximity = _number(request, "proximity")
        if proximity is not None:
            if postcode is None:
                raise BadParameter("proximity", "proximity needs a postcode to measure from.")
            proximity_km = proximity / 1000
    return DirectoryQuery(
        # ``text`` is the name HSDS-UK 1.0 feeds used; consumers written for them still send it.
        text=(params.get("search", "") or params.get("text", "")).strip(),
        taxonomy_terms=_term_codes(request),
        minimum_age=_number(request, "minimum_age"),
        maximum_age=_number(request, "maximum_age"),
        start_time=_time(request, "start_time"),
        end_time=_time(request, "end_time"),
        day=day_code(day) if day else None,
        taxonomy_id=_known(Taxonomy, taxonomy_id, "taxonomy_id") if taxonomy_id else None,
        organization_id=_known(Organization, organization_id, "organization_id")
        if organization_id
        else None,
        modified_after=modified_after,
        postcode=postcode,
        proximity_km=proximity_km,
        include_inactive=True,
    )


# --- Pagination ----------------------------------------------------------------------------------


def paginate(request, items, render):
    """Slice ``items`` (a queryset or list) and wrap it in the profile's page object."""
    page = _int(request, "page", 1)
    per_page = min(_int(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    total_pages = math.ceil(total / per_page)
    start = (page - 1) * per_page
    contents = [render(item) for item in items[start : start + per_page]] if start < total else []
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": len(contents) == 0,
            "contents": contents,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _one(data):
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _get(queryset, raw_id, what):
    try:
        pk = uuid.UUID(raw_id)
    except ValueError:
        raise Http404(f"There is no {what} with id {raw_id}.") from None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(f"There is no {what} with id {raw_id}.")
    return found


# --- Endpoints -----------------------------------------------------------------------------------


@endpoint
def index(request):
    return _one(
        {
            "version": PROFILE_VERSION,
            "profile": oruk.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("api_schema")),
        }
    )


@endpoint
def services(request):
    query = query_from_request(request)
    full = request.GET.get("full", "").lower() in ("1", "true", "yes")
    queryset = filter_services(query).order_by("name", "id")
    if full:
        ids = list(queryset.values_list("pk", flat=True))
        by_id = oruk.full_service_queryset().in_bulk(_page_slice(request, ids))
        return paginate(request, ids, lambda pk: oruk.service_json(by_id[pk], full=True))
    return paginate(request, queryset.select_related("organization"), oruk.service_json)


def _page_slice(request, ids):
    page = _int(request, "page", 1)
    per_page = min(_int(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    return ids[(page - 1) * per_page : page * per_page]


@endpoint
def service_detail(request, service_id):
    service = _get(oruk.full_service_queryset(), service_id, "service")
    response = _one(oruk.service_json(service, full=True))
    response["Last-Modified"] = http_date(service.last_modified.timestamp())
    return response


@endpoint
def service_at_locations(request):
    query = query_from_request(request, with_location=True)
    related = ("location", "service", "service__organization")
    if query.postcode is None:
        links = (
            location_queryset(query)
            .select_related(*related)
            .order_by("service__name", "location__name", "id")
        )
        return paginate(request, links, oruk.service_at_location_json)
    ranked = ranked_locations(query)
    by_id = ServiceAtLocation.objects.select_related(*related).in_bulk(
        [pk for pk, _ in _page_slice(request, ranked)]
    )

    def render(pair):
        pk, distance = pair
        return oruk.service_at_location_json(by_id[pk], distance_km=distance)

    return paginate(request, ranked, render)


@endpoint
def service_at_location_detail(request, link_id):
    link = _get(
        ServiceAtLocation.objects.filter(service__live=True)
        .select_related("location", "service__organization")
        .prefetch_related(
            "service__schedules",
            "service__service_areas",
            "service__languages",
            "service__cost_options",
            "service__contacts",
            "service__phones",
            "service__taxonomy_terms__taxonomy",
        ),
        link_id,
        "service at location",
    )
    return _one(oruk.service_at_location_json(link, full=True))


@endpoint
def organizations(request):
    queryset = Organization.objects.order_by("name", "id")
    search = request.GET.get("search", "").strip()
    if search:
        queryset = queryset.filter(name__icontains=search)
    return paginate(request, queryset, oruk.organization_json)


@endpoint
def organization_detail(request, organization_id):
    organization = _get(Organization.objects.all(), organization_id, "organization")
    services = oruk.full_service_queryset().filter(organization=organization).order_by("name", "id")
    return _one(oruk.organization_full_json(organization, services=services))


@endpoint
def taxonomies(request):
    return paginate(request, Taxonomy.objects.order_by("name", "id"), oruk.taxonomy_json)


@endpoint
def taxonomy_detail(request, taxonomy_id):
    taxonomy = _get(Taxonomy.objects.all(), taxonomy_id, "taxonomy")
    data = oruk.taxonomy_json(taxonomy)
    data["taxonomy_terms"] = [
        oruk.term_json(term)
        for term in taxonomy.terms.select_related("taxonomy").order_by("name", "id")
    ]
    return _one(data)


@endpoint
def taxonomy_terms(request):
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "name", "id")
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=_known(Taxonomy, taxonomy_id, "taxonomy_id"))
    parent_id = request.GET.get("parent_id", "").strip()
    if parent_id:
        terms = terms.filter(parent_id=_known(TaxonomyTerm, parent_id, "parent_id"))
    if request.GET.get("top_only", "").lower() in ("1", "true", "yes"):
        terms = terms.filter(parent__isnull=True)
    return paginate(request, terms, oruk.term_json)


@endpoint
def taxonomy_term_detail(request, term_id):
    term = _get(TaxonomyTerm.objects.select_related("taxonomy"), term_id, "taxonomy term")
    return _one(oruk.term_json(term))
