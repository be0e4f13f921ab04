"""What other apps may ask of the directory. Keep this small: it is the directory's public surface."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.urls import reverse

from core import pagecache
from core.geo import normalise_postcode_area

from .postcodes import locate_postcode
from .problems import register_mailer as register_mailer
from .query import DirectoryQuery, QueryError, matching

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.safestring import SafeString
from dataclasses import replace
from urllib.parse import urlencode

from .models import Service, TaxonomyTerm
from .translation import resident_language

__all__ = [
    "DirectoryQuery",
    "locate_postcode",
    "register_mailer",
    "render_listing",
    "service_url",
    "term_choices",
]


def service_url(service: Service) -> str:
    """The public path of a service's page."""
    return reverse("directory:service", kwargs={"service_id": service.pk})


def term_choices() -> list[tuple[str, str]]:
    """(code, label) for every taxonomy term, parents first, children labelled "Parent › Child".

    Read as plain values in one query: a journey's blocks ask for these each time it renders,
    and terms loaded as objects would tie every cached journey to the taxonomy."""

    terms = list(TaxonomyTerm.objects.values_list("pk", "parent_id", "code", "name"))
    children: dict[object, list[tuple[str, str]]] = {}
    for _pk, parent_id, code, name in terms:
        if parent_id is not None:
            children.setdefault(parent_id, []).append((code, name))
    choices: list[tuple[str, str]] = []
    for pk, parent_id, code, name in terms:
        if parent_id is None:
            choices.append((code, name))
            choices.extend(
                (child, f"{name} \u203a {label}") for child, label in children.get(pk, [])
            )
    return choices


def render_listing(
    query: DirectoryQuery,
    request: HttpRequest | None,
    *,
    heading: str = "",
    limit: int = 5,
    listing_id: str = "directory-listing",
    step: int | None = None,
) -> SafeString:
    """Safe HTML of live matches for a journey step, with a postcode form that works without JavaScript.

    A postcode in ``request.GET["postcode"]`` replaces the query's own, so the resident sees what
    is near them; the first part alone ("NB2", "NB2 4") is placed at its district's or sector's
    middle. A malformed or unknown one is explained next to the form, never an error page.

    The form comes back to the same page at this listing's results (``#<listing_id>-results``),
    with ``step`` so the journey renders that step open; ``listing_id`` keeps the ids of two
    listings on one page apart. Each match says whether it is open now, worked out as this
    renders; a cached page holding the listing expires when those words would change
    (directory.schedules.status) and is purged when a service changes or is added.
    """

    # A new service may belong in this listing: a cached page showing it is purged when one is added.
    pagecache.depends_on_model(Service)
    error = ""
    postcode = ""
    if request is not None and request.GET.get("postcode", "").strip():
        raw = request.GET["postcode"].strip()
        postcode = normalise_postcode_area(raw) or raw
        query = replace(query, postcode=postcode)

    query = replace(query, language=resident_language())
    try:
        matches = matching(query, limit=limit)
    except QueryError as problem:
        error = problem.message
        matches = matching(replace(query, postcode=None, proximity_km=None), limit=limit)
    return render_to_string(
        "directory/includes/listing.html",
        {
            "heading": heading,
            "matches": matches,
            "postcode": postcode,
            "nearest": postcode if postcode and not error else "",
            "error": error,
            "action": request.path if request is not None else "",
            "more_url": _search_url(query),
            "listing_id": listing_id,
            "step": step,
        },
        request=request,
    )


def _search_url(query: DirectoryQuery) -> str:

    params: list[tuple[str, str | int]] = [("category", code) for code in query.taxonomy_terms]
    params += [("persona", slug) for slug in query.personas]
    if query.text:
        params.append(("q", query.text))
    if query.age is not None:
        params.append(("age", query.age))
    if query.free_only:
        params.append(("free", "on"))
    if query.postcode:
        params.append(("postcode", query.postcode))
    return reverse("directory:search") + ("?" + urlencode(params) if params else "")
