"""The one implementation of directory filtering.

The resident search at /directory/, the named directory views, journeys' live listings and the
Open Referral UK API all describe what they want as a ``DirectoryQuery`` and ask ``matching``
(services) or ``matching_locations`` (service-at-location records) for the answer, so a filter
means the same thing everywhere.

Distances are computed in Python with the haversine formula after the database has discarded
everything outside a bounding box: SQLite has no trigonometry, and a borough's directory is
small enough that this is fast (see bench/directory_api.py).
"""

import datetime
import re
import uuid
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from core.geo import bounding_box, distance_km, is_full_postcode, normalise_postcode_area

from . import schedules
from .models import (
    DAY_CODES,
    DAY_NAMES,
    CostOption,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceText,
    TaxonomyTerm,
)
from .postcodes import locate_place
from .translation import english_words, localise


class QueryError(ValueError):
    """A query that can't be answered, with a message fit to show the person who asked."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    taxonomy_terms: tuple[str, ...] = ()  # term codes; child terms are included automatically
    age: int | None = None  # services open to someone of this age
    day: str | None = None  # "monday" … "sunday" (HSDS codes such as "MO" are accepted too)
    time: datetime.time | None = None  # open at this time (on `day`, or on any day)
    open_now: bool = False
    free_only: bool = False
    personas: tuple[str, ...] = ()  # persona slugs
    postcode: str | None = None
    proximity_km: float | None = None
    # Open Referral UK's own filters, with the meanings its openapi.json gives them.
    minimum_age: float | None = None  # services whose minimum age is at least this
    maximum_age: float | None = None  # services whose maximum age is at most this
    start_time: datetime.time | None = None  # schedules opening at or after this
    end_time: datetime.time | None = None  # schedules closing at or before this
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime.datetime | None = None
    include_inactive: bool = False  # the API publishes every status; residents see active ones
    # A directory view's own saved filter, applied on top of whatever the resident chooses.
    scope_terms: tuple[str, ...] = ()  # services in any of these terms (or their children)
    scope_personas: tuple[str, ...] = ()
    age_range_from: int | None = None  # services open to at least some people in this range
    age_range_to: int | None = None
    # The language residents read (a wagtail Locale code such as "pl"): text also matches the
    # services' translated words, and results carry them. None (the API) means English only.
    language: str | None = None


@dataclass
class ServiceMatch:
    service: Service
    distance_km: float | None = None
    location: object = None  # the nearest Location when a postcode was given, else the first
    service_at_location: object = None
    score: float = 0.0

    @cached_property
    def opening(self) -> "schedules.OpeningStatus | None":
        """What the listing says about opening (open now, closed today...), or None when unknown.

        Worked out when the listing renders, from the service's own schedules and this place's,
        so it is never older than the page."""
        place = getattr(self.service_at_location, "pk", None)
        return schedules.status(schedules.for_place(self.service.schedules.all(), place))


def day_code(day):
    """'monday' / 'Mon' / 'MO' -> 'MO'; None when it isn't a day."""
    if not day:
        return None
    text = str(day).strip().lower()
    for code, name in zip(DAY_CODES, DAY_NAMES, strict=True):
        if text in (code.lower(), name, name[:3]):
            return code
    return None


def origin_of(query):
    """The (lat, lon) of the query's postcode, or the middle of its district ("NB2") or sector
    ("NB2 4"); raises QueryError for a bad or unknown one."""
    if not query.postcode:
        return None
    place = normalise_postcode_area(query.postcode)
    if place is None:
        raise QueryError(
            _("Enter a real postcode, like NB1 1AA, or the first part of it, like NB1."),
            field="postcode",
        )
    point = locate_place(place)
    if point is None:
        if is_full_postcode(place):
            message = _(
                "We can’t find the postcode %(postcode)s. Check it and try again, or leave it blank."
            )
        else:
            message = _(
                "We can’t find the area %(postcode)s. Check it and try again, or enter your full postcode."
            )
        raise QueryError(message % {"postcode": place}, field="postcode")
    return point


def term_ids_with_descendants(codes):
    """Primary keys of the terms with these codes and of all terms beneath them."""
    ids = set(TaxonomyTerm.objects.filter(code__in=codes).values_list("pk", flat=True))
    frontier = set(ids)
    while frontier:
        frontier = (
            set(TaxonomyTerm.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return ids


def _words(text):
    return [word for word in re.split(r"\W+", text.lower()) if len(word) > 1][:8]


def filter_services(query):
    """A queryset of services satisfying every filter of the query except distance."""
    services = Service.objects.live()
    if not query.include_inactive:
        services = services.filter(status=Service.Status.ACTIVE)

    if query.taxonomy_terms:
        term_ids = term_ids_with_descendants(query.taxonomy_terms)
        through = Service.taxonomy_terms.through
        services = services.filter(
            Exists(through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=term_ids))
        )
    if query.scope_terms:
        term_ids = term_ids_with_descendants(query.scope_terms)
        through = Service.taxonomy_terms.through
        services = services.filter(
            Exists(through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=term_ids))
        )
    if query.scope_personas:
        through = Service.personas.through
        services = services.filter(
            Exists(
                through.objects.filter(
                    service_id=OuterRef("pk"), persona__slug__in=query.scope_personas
                )
            )
        )
    if query.age_range_from is not None:
        services = services.filter(
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age_range_from)
        )
    if query.age_range_to is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age_range_to)
        )
    if query.taxonomy_id:
        through = Service.taxonomy_terms.through
        services = services.filter(
            Exists(
                through.objects.filter(
                    service_id=OuterRef("pk"), taxonomyterm__taxonomy_id=query.taxonomy_id
                )
            )
        )
    if query.organization_id:
        services = services.filter(organization_id=query.organization_id)
    if query.modified_after:
        services = services.filter(last_modified__gte=query.modified_after)

    if query.personas:
        through = Service.personas.through
        services = services.filter(
            Exists(
                through.objects.filter(service_id=OuterRef("pk"), persona__slug__in=query.personas)
            )
        )

    if query.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age),
        )
    if query.minimum_age is not None:
        services = services.filter(minimum_age__gte=query.minimum_age)
    if query.maximum_age is not None:
        services = services.filter(maximum_age__lte=query.maximum_age)

    schedule_filter = _schedule_filter(query)
    if schedule_filter is not None:
        services = services.filter(
            Exists(Schedule.objects.filter(schedule_filter, service_id=OuterRef("pk")))
        )
    if query.open_now:
        services = services.filter(pk__in=open_now_ids(services))

    if query.free_only:
        services = services.exclude(
            Exists(CostOption.objects.filter(service_id=OuterRef("pk"), amount__gt=0))
        )

    for word in _words(query.text):
        through = Service.taxonomy_terms.through
        condition = (
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(organization__name__icontains=word)
            | Exists(
                through.objects.filter(
                    service_id=OuterRef("pk"), taxonomyterm__name__icontains=word
                )
            )
        )
        if query.language:
            translated = ServiceText.objects.filter(
                service_id=OuterRef("pk"), locale__language_code=query.language
            )
            condition |= Exists(
                translated.filter(Q(name__icontains=word) | Q(description__icontains=word))
            )
        services = services.filter(condition)
    return services


def open_now_ids(
    services: QuerySet[Service], now: datetime.datetime | None = None
) -> list[uuid.UUID]:
    """The services among ``services`` that are open at ``now`` at one of their places at least.

    Worked out by ``schedules.status``, the same rules a listing's "Open now, closes at 5pm"
    comes from (monthly and fortnightly schedules, openings past midnight, dates a schedule
    holds between, the council's time zone), so the filter and the listings never disagree.
    The database only narrows the candidates to services with an opening time.
    """
    timed = Schedule.objects.filter(service__in=services, opens_at__isnull=False)
    by_service: dict[uuid.UUID, list[Schedule]] = {}
    for schedule in Schedule.objects.filter(service__in=timed.values("service_id")):
        by_service.setdefault(schedule.service_id, []).append(schedule)
    open_ids = []
    for service_id, held in by_service.items():
        places = {schedule.service_at_location_id for schedule in held} | {None}
        if any(
            (opening := schedules.status(schedules.for_place(held, place), now)) is not None
            and opening.is_open
            for place in places
        ):
            open_ids.append(service_id)
    return open_ids


def _schedule_filter(query):
    day, at = day_code(query.day), query.time
    if query.open_now:  # the moment's rules are schedules.status's (open_now_ids)
        day, at = None, None
    conditions = Q()
    used = False
    if day:
        conditions &= Q(byday__contains=day)
        used = True
    if at is not None:
        conditions &= Q(opens_at__lte=at, closes_at__gt=at)
        used = True
    if query.start_time is not None:
        conditions &= Q(opens_at__gte=query.start_time)
        used = True
    if query.end_time is not None:
        conditions &= Q(closes_at__lte=query.end_time)
        used = True
    return conditions if used else None


def _score(service, words):
    """Relevance: a word in the name counts most, then in a category, then in the description."""
    if not words:
        return 0.0
    # Both the words the resident reads and the English ones: a Polish page still finds "foodbank".
    name = f"{service.name} {english_words(service, 'name')}".lower()
    description = f"{service.description} {english_words(service, 'description')}".lower()
    terms = " ".join(term.name.lower() for term in service.taxonomy_terms.all())
    score = 0.0
    for word in words:
        if word in name:
            score += 3
        if word in terms:
            score += 2
        if word in description:
            score += 1
    return score


def location_queryset(query):
    """ServiceAtLocation records whose service matches every non-distance filter."""
    return ServiceAtLocation.objects.filter(service__in=filter_services(query))


def ranked_locations(query: DirectoryQuery) -> list[tuple[uuid.UUID, float]]:
    """(service-at-location id, distance_km) pairs, nearest first, for a query with a postcode.

    Only ids and coordinates leave the database; callers fetch the records they show.
    Locations without coordinates never match a postcode search.
    """
    origin = origin_of(query)
    if origin is None:
        raise QueryError(_("Enter a postcode to sort by distance."), field="postcode")
    links = location_queryset(query).filter(
        location__latitude__isnull=False, location__longitude__isnull=False
    )
    if query.proximity_km is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(origin, query.proximity_km)
        links = links.filter(
            location__latitude__range=(min_lat, max_lat),
            location__longitude__range=(min_lon, max_lon),
        )
    ranked = []
    for pk, name, lat, lon in links.values_list(
        "pk", "service__name", "location__latitude", "location__longitude"
    ):
        distance = distance_km(origin, (lat, lon))
        if query.proximity_km is None or distance <= query.proximity_km:
            ranked.append((distance, name, str(pk), pk))
    ranked.sort()
    return [(pk, distance) for distance, _name, _key, pk in ranked]


def matching_locations(query, *, limit=None):
    """(ServiceAtLocation, distance_km or None) pairs matching the query.

    Nearest first when the query has a postcode; otherwise by service name.
    """
    related = ("location", "service", "service__organization")
    if not query.postcode:
        links = (
            location_queryset(query)
            .select_related(*related)
            .order_by("service__name", "location__name", "id")
        )
        if limit is not None:
            links = links[:limit]
        return [(link, None) for link in links]
    ranked = ranked_locations(query)
    if limit is not None:
        ranked = ranked[:limit]
    by_id = ServiceAtLocation.objects.select_related(*related).in_bulk([pk for pk, _ in ranked])
    return [(by_id[pk], distance) for pk, distance in ranked]


def matching(query, *, limit=None, order=None):
    """Services matching the query, best first, as ServiceMatch objects.

    ``order`` is "distance" (needs a postcode; the default when one is given) or "relevance"
    (the default otherwise: by how well the text matches, then by name).
    """
    origin = origin_of(query)
    words = _words(query.text)
    if origin is not None:
        nearest = {}
        for link, distance in matching_locations(query):
            if link.service_id not in nearest:
                nearest[link.service_id] = ServiceMatch(link.service, distance, link.location, link)
        matches = list(nearest.values())
        if query.proximity_km is None:
            # Without a distance limit, services with no mapped place (phone, online) still help: list them last.
            remote = (
                filter_services(query)
                .exclude(pk__in=list(nearest))
                .select_related("organization")
                .prefetch_related("service_at_locations__location")
                .order_by("name", "id")
            )
            for service in remote:
                links = list(service.service_at_locations.all())
                first = links[0] if links else None
                matches.append(
                    ServiceMatch(service, None, first.location if first else None, first)
                )
                nearest[service.pk] = matches[-1]
        if query.language:
            localise([match.service for match in matches], query.language)
        if words or order == "relevance":
            services = list(
                Service.objects.filter(pk__in=nearest).prefetch_related("taxonomy_terms")
            )
            if query.language:
                localise(services, query.language)
            for service in services:
                nearest[service.pk].score = _score(service, words)
        if order == "relevance":
            far = float("inf")
            matches.sort(
                key=lambda m: (
                    -m.score,
                    far if m.distance_km is None else m.distance_km,
                    m.service.name,
                )
            )
    else:
        services = (
            filter_services(query)
            .select_related("organization")
            .prefetch_related("taxonomy_terms", "service_at_locations__location")
            .order_by("name", "id")
        )
        services = list(services)
        if query.language:
            localise(services, query.language)
        matches = []
        for service in services:
            links = list(service.service_at_locations.all())
            first = links[0] if links else None
            matches.append(
                ServiceMatch(
                    service, None, first.location if first else None, first, _score(service, words)
                )
            )
        if words:
            matches.sort(key=lambda m: -m.score)  # stable: ties stay in name order
    if limit is not None:
        matches = matches[:limit]
    prefetch_related_objects([match.service for match in matches], "schedules")
    return matches
