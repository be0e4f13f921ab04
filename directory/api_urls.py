"""The Open Referral UK API (not language-prefixed). See directory/api_views.py and the README.

Paths are as the profile writes them (no trailing slash); a trailing slash is accepted too.
"""

from django.urls import path, re_path

from . import api_views

app_name = "directory_api"

ID = r"(?P<{}>[^/]+)"


def _route(collection, view, pattern="", *, name=None):
    return re_path(rf"^api/directory/{collection}{pattern}/?$", view, name=name or collection)


urlpatterns = [
    path("api/directory/", api_views.index, name="index"),
    _route("services", api_views.services),
    _route("services", api_views.service_detail, "/" + ID.format("service_id"), name="service"),
    _route("service_at_locations", api_views.service_at_locations),
    _route(
        "service_at_locations",
        api_views.service_at_location_detail,
        "/" + ID.format("link_id"),
        name="service_at_location",
    ),
    _route("organizations", api_views.organizations),
    _route(
        "organizations",
        api_views.organization_detail,
        "/" + ID.format("organization_id"),
        name="organization",
    ),
    _route("taxonomies", api_views.taxonomies),
    _route(
        "taxonomies", api_views.taxonomy_detail, "/" + ID.format("taxonomy_id"), name="taxonomy"
    ),
    _route("taxonomy_terms", api_views.taxonomy_terms),
    _route(
        "taxonomy_terms",
        api_views.taxonomy_term_detail,
        "/" + ID.format("term_id"),
        name="taxonomy_term",
    ),
]
