"""The Open Referral UK directory API (/api/directory/): see directory/api_views.py.

The ORUK profile's own OpenAPI document is the full contract (the directory app's tests check
conformance against it); here the shapes are described loosely: an id on every object, the
profile's page object around every list, and Signpost's error body.
"""

from core.openapi import error, json_body, path_param, query

TAG = "Directory (Open Referral UK)"

ORUK_OBJECT = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string", "format": "uuid"}},
}

SCHEMAS = {
    "OrukObject": ORUK_OBJECT,
    "OrukPage": {
        "type": "object",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {
            "total_items": {"type": "integer", "minimum": 0},
            "total_pages": {"type": "integer", "minimum": 0},
            "page_number": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 0},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": {"$ref": "#/components/schemas/OrukObject"}},
        },
    },
}

PAGING = [
    query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 10000}),
    query(
        "per_page",
        "Items per page (values over 200 count as 200).",
        {"type": "integer", "minimum": 1, "maximum": 1000},
    ),
]
FILTERS = [
    query("search", "Words in the name or description.", {"type": "string", "maxLength": 100}),
    query(
        "text",
        "The HSDS-UK 1.0 name for search, still accepted.",
        {"type": "string", "maxLength": 100},
    ),
    query(
        "taxonomy_term_id",
        "Term ids or codes, comma separated.",
        {"type": "string", "maxLength": 200},
    ),
    query("taxonomy_id", "Only terms from this taxonomy.", {"type": "string", "format": "uuid"}),
    query(
        "organization_id",
        "Only this organisation's services.",
        {"type": "string", "format": "uuid"},
    ),
    query(
        "minimum_age", "Open to people this old.", {"type": "number", "minimum": 0, "maximum": 150}
    ),
    query(
        "maximum_age",
        "Open to people this young.",
        {"type": "number", "minimum": 0, "maximum": 150},
    ),
    query(
        "day",
        "Open on this day.",
        {
            "type": "string",
            "enum": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        },
    ),
    query(
        "start_time",
        "Open at or before this time.",
        {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
    ),
    query(
        "end_time",
        "Open at or after this time.",
        {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
    ),
    query("modified_after", "Changed since.", {"type": "string", "format": "date-time"}),
]
BAD = error("A parameter was not understood; ``parameter`` names it.")
NOT_FOUND = error("Nothing with that id.")
READ_ONLY = error("The API is read-only: use GET.")

PAGE_RESPONSE = json_body({"$ref": "#/components/schemas/OrukPage"}, "A page of results.")
ONE = json_body({"$ref": "#/components/schemas/OrukObject"}, "The object, fully nested.")


def collection(name, summary, parameters):
    item_id = path_param("id", "The object's id.", {"type": "string", "format": "uuid"})
    return {
        f"/api/directory/{name}": {
            "get": {
                "tags": [TAG],
                "operationId": f"oruk_{name}",
                "summary": summary,
                "parameters": parameters,
                "responses": {"200": PAGE_RESPONSE, "400": BAD, "405": READ_ONLY},
            }
        },
        f"/api/directory/{name}/{{id}}": {
            "get": {
                "tags": [TAG],
                "operationId": f"oruk_{name}_one",
                "summary": f"{summary}: one",
                "parameters": [item_id],
                "responses": {"200": ONE, "404": NOT_FOUND, "405": READ_ONLY},
            }
        },
    }


PATHS = {
    "/api/directory/": {
        "get": {
            "tags": [TAG],
            "operationId": "oruk_index",
            "summary": "Which ORUK profile this API follows",
            "responses": {
                "200": json_body(
                    {
                        "type": "object",
                        "required": ["version", "profile", "openapi_url"],
                        "properties": {
                            "version": {"type": "string"},
                            "profile": {"type": "string"},
                            "openapi_url": {"type": "string"},
                        },
                    },
                    "About the API.",
                )
            },
        }
    },
    **collection(
        "services",
        "Services",
        [*FILTERS, query("full", "Nest every related object.", {"type": "boolean"}), *PAGING],
    ),
    **collection(
        "service_at_locations",
        "Services at their locations",
        [
            *FILTERS,
            query(
                "postcode",
                "Nearest first from this postcode.",
                {"type": "string", "pattern": "^NB[1-9] [0-9][A-Z]{2}$"},
            ),
            query(
                "proximity",
                "Within this many metres of the postcode.",
                {"type": "number", "minimum": 0, "maximum": 100000},
            ),
            *PAGING,
        ],
    ),
    **collection(
        "organizations",
        "Organisations",
        [query("search", "Words in the name.", {"type": "string", "maxLength": 100}), *PAGING],
    ),
    **collection("taxonomies", "Taxonomies", PAGING),
    **collection(
        "taxonomy_terms",
        "Taxonomy terms",
        [
            query(
                "taxonomy_id",
                "Only terms from this taxonomy.",
                {"type": "string", "format": "uuid"},
            ),
            query("parent_id", "Only children of this term.", {"type": "string", "format": "uuid"}),
            query("top_only", "Only top-level terms.", {"type": "boolean"}),
            *PAGING,
        ],
    ),
}


_URL_NAMES = {
    "services": "/api/directory/services",
    "service_at_locations": "/api/directory/service_at_locations",
    "organizations": "/api/directory/organizations",
    "taxonomies": "/api/directory/taxonomies",
    "taxonomy_terms": "/api/directory/taxonomy_terms",
}


def accepted_parameters(url_name: str) -> set[str]:
    """The query parameters an endpoint takes, read from this description so the two agree.
    Single objects and the index take none."""
    path = _URL_NAMES.get(url_name)
    if path is None:
        return set()
    return {parameter["name"] for parameter in PATHS[path]["get"]["parameters"]}
