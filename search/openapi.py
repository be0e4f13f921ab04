"""Search (/api/v1/search/): see search/views.py. Errors name the parameter in ``field``."""

from core.openapi import STRING_OR_NULL, error, json_body, query

TAG = "Search"
KINDS = ["journey", "persona", "page", "form", "service"]

HIT = {
    "type": "object",
    "required": ["kind", "title", "url", "summary", "highlight"],
    "properties": {
        "kind": {"enum": KINDS},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "summary": {"type": "string"},
        "highlight": {
            "type": "string",
            "description": "Escaped text with <mark> around the matched words.",
        },
        "promoted": {
            "const": True,
            "description": "Present on results the web team promoted for this search.",
        },
        "distance_km": {"type": "number", "description": "Present when a postcode was given."},
    },
}

SCHEMAS = {
    "SearchHit": HIT,
    "SearchResults": {
        "type": "object",
        "required": [
            "results",
            "total",
            "facets",
            "suggestion",
            "page",
            "pages",
            "services_near_you",
            "engine",
            "notice",
        ],
        "properties": {
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
            "total": {"type": "integer", "minimum": 0},
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["value", "count"],
                        "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
                    },
                },
            },
            "suggestion": {**STRING_OR_NULL, "description": "Did you mean..."},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "services_near_you": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/SearchHit"},
            },
            "engine": {
                "type": "string",
                "description": "Which engine answered (elasticsearch, embedded, popular).",
            },
            "notice": {
                "type": "string",
                "description": "A message to show, e.g. when search is degraded.",
            },
        },
    },
    "Suggestions": {
        "type": "object",
        "required": ["suggestions"],
        "properties": {
            "suggestions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["title", "url", "kind"],
                    "properties": {
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "kind": {"enum": KINDS},
                    },
                },
            }
        },
    },
}

BAD = error("A parameter was not understood; ``field`` names it.")
LIMITED = error("Too many searches from this address; try again later.")
NOT_GET = error("Only GET is allowed.")

PATHS = {
    "/api/v1/search/": {
        "get": {
            "tags": [TAG],
            "operationId": "search",
            "summary": "Search journeys, pages, forms and services",
            "description": "An empty q returns popular journeys instead of an error.",
            "parameters": [
                query(
                    "q",
                    "What the resident typed (200 characters at most).",
                    {"type": "string", "maxLength": 200},
                ),
                query(
                    "kind",
                    "Only results of these kinds, comma separated.",
                    {"type": "string", "enum": KINDS},
                ),
                query(
                    "persona",
                    "Only results for this persona slug.",
                    {"type": "string", "pattern": "^[a-z0-9-]{1,40}$"},
                ),
                query(
                    "topic",
                    "Only results with this topic.",
                    {"type": "string", "pattern": "^[a-z0-9-]{1,40}$"},
                ),
                query(
                    "postcode",
                    "Rank services by distance from this postcode.",
                    {"type": "string", "pattern": "^NB[1-9] [0-9][A-Z]{2}$"},
                ),
                query(
                    "page",
                    "Page of results, from 1 to 100.",
                    {"type": "integer", "minimum": 1, "maximum": 100},
                ),
                query(
                    "locale",
                    "Answer in this language.",
                    {"type": "string", "enum": ["en-gb", "pl", "ar"]},
                ),
            ],
            "responses": {
                "200": json_body({"$ref": "#/components/schemas/SearchResults"}, "Results."),
                "400": BAD,
                "429": LIMITED,
            },
        }
    },
    "/api/v1/search/suggest": {
        "get": {
            "tags": [TAG],
            "operationId": "search_suggest",
            "summary": "Titles that complete what has been typed",
            "parameters": [
                query("q", "What has been typed so far.", {"type": "string", "maxLength": 200}),
                query(
                    "locale",
                    "Suggest titles in this language.",
                    {"type": "string", "enum": ["en-gb", "pl", "ar"]},
                ),
            ],
            "responses": {
                "200": json_body(
                    {"$ref": "#/components/schemas/Suggestions"}, "Up to 6 suggestions."
                ),
                "400": BAD,
                "429": LIMITED,
            },
        }
    },
}
