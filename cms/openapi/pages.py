"""Wagtail API v2 (/api/v2/): pages, images and documents, with typed journey and persona fields.

Page details use JSON Schema ``if``/``then`` on ``meta.type`` so that a journey is checked as a
journey (its ``steps``, ``actions`` and ``details`` are typed, as GOV.UK's Content API types
each format) while other page types are checked against the common fields only.
"""

from core.openapi import STRING_OR_NULL, error, json_body, nullable, path_param, query, ref

TAG = "Pages, images and documents (Wagtail API v2)"

PAGE_TYPES = [
    "wagtailcore.Page",
    "cms.HomePage",
    "cms.ContentPage",
    "journeys.PersonaPage",
    "journeys.JourneyPage",
]

LISTING_PARAMETERS = [
    query(
        "limit",
        "How many items to return (at most 100).",
        {"type": "integer", "minimum": 1, "maximum": 100},
    ),
    query(
        "offset", "How many items to skip.", {"type": "integer", "minimum": 0, "maximum": 100000}
    ),
    query("search", "Words to search for.", {"type": "string", "maxLength": 100}),
]

PAGE_LISTING_PARAMETERS = [
    query("type", "Only pages of this type.", {"type": "string", "enum": PAGE_TYPES}),
    query(
        "child_of",
        "Only children of the page with this id (400 if there is no such page).",
        {"type": "integer", "minimum": 1, "maximum": 1000000},
    ),
    query(
        "descendant_of",
        "Only descendants of the page with this id (400 if there is no such page). Not with child_of.",
        {"type": "integer", "minimum": 1, "maximum": 1000000},
    ),
    query(
        "locale", "Only pages in this language.", {"type": "string", "enum": ["en-gb", "pl", "ar"]}
    ),
    query(
        "slug", "Only the page with this slug.", {"type": "string", "pattern": "^[a-z0-9-]{1,50}$"}
    ),
    query(
        "order",
        "Sort by a field (prefix with - to reverse), or random. While searching, only by relevance: "
        "title and id are refused (400); random is refused with an offset.",
        {"type": "string", "enum": ["title", "-title", "id", "-id", "random"]},
    ),
    *LISTING_PARAMETERS,
]

ITEM_META = {
    "type": "object",
    "required": ["type", "detail_url"],
    "properties": {
        "type": {
            "type": "string",
            "description": "app_label.ModelName, e.g. journeys.JourneyPage.",
        },
        "detail_url": {"type": "string", "format": "uri"},
        "html_url": STRING_OR_NULL,
        "slug": {"type": "string"},
        "first_published_at": {"type": ["string", "null"], "format": "date-time"},
        "locale": {"type": "string"},
        "show_in_menus": {"type": "boolean"},
        "seo_title": {"type": "string"},
        "search_description": {"type": "string"},
        "alias_of": {"anyOf": [{"type": "null"}, {"type": "object"}]},
        "parent": {"anyOf": [{"type": "null"}, {"type": "object"}]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "download_url": {"type": "string"},
    },
}

RICH_TEXT = {
    "type": "object",
    "description": "Rich text as expanded HTML plus plain text, so an app can pick what it can render.",
    "required": ["html", "text"],
    "properties": {"html": {"type": "string"}, "text": {"type": "string"}},
}


def stream(block_type, value_schema):
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["type", "value", "id"],
            "properties": {
                "type": {"const": block_type},
                "value": value_schema,
                "id": {"type": "string"},
            },
        },
    }


def action(block_type, value_schema):
    return {
        "if": {"properties": {"type": {"const": block_type}}},
        "then": {"properties": {"value": value_schema}},
    }


ACTIONS = {
    "eform": {
        "type": "object",
        "required": ["form", "title", "start_url", "api_url"],
        "properties": {
            "form": {"type": "string"},
            "title": {"type": "string"},
            "start_url": STRING_OR_NULL,
            "api_url": {"type": "string", "description": "GET it for the form's questions."},
        },
    },
    "directory_listing": ref("DirectoryListing"),
    "journey_link": {
        "type": "object",
        "required": ["journey_id", "title", "url"],
        "properties": {
            "journey_id": {"type": ["integer", "null"]},
            "title": {"type": "string"},
            "url": STRING_OR_NULL,
        },
    },
    "external_service": {
        "type": "object",
        "required": ["title", "url", "why"],
        "properties": {
            "title": {"type": "string"},
            "url": {"type": "string"},
            "why": {"type": "string"},
            "cost": {"type": "string"},
        },
    },
    "contact": {
        "type": "object",
        "properties": {
            name: {"type": "string"}
            for name in ("heading", "phone", "email", "address", "opening_hours", "url", "url_text")
        },
    },
    "checklist": {
        "type": "object",
        "required": ["heading", "items"],
        "properties": {
            "heading": {"type": "string"},
            "items": {"type": "array", "items": {"type": "string"}},
        },
    },
    "self_check": {
        "type": "object",
        "required": ["question", "options"],
        "properties": {
            "question": {"type": "string"},
            "options": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["label", "outcome", "journey_id", "journey_url"],
                    "properties": {
                        "label": {"type": "string"},
                        "outcome": {"type": "string"},
                        "journey_id": {"type": ["integer", "null"]},
                        "journey_url": STRING_OR_NULL,
                    },
                },
            },
        },
    },
}

STEP = {
    "type": "object",
    "required": ["title", "body", "logic", "optional", "substeps", "actions"],
    "properties": {
        "title": {"type": "string"},
        "body": nullable(ref("RichText")),
        "logic": {"enum": ["and", "or"], "description": "How this step joins the next."},
        "optional": {"type": "boolean"},
        "substeps": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "body"],
                "properties": {"title": {"type": "string"}, "body": ref("RichText")},
            },
        },
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "value"],
                "properties": {"type": {"enum": list(ACTIONS)}, "value": {"type": "object"}},
                "allOf": [action(name, schema) for name, schema in ACTIONS.items()],
            },
        },
    },
}

JOURNEY_FIELDS = {
    "type": "object",
    "required": [
        "summary",
        "questions",
        "who_for",
        "need",
        "personas",
        "topics",
        "steps",
        "what_happens_next",
        "service_level",
        "last_reviewed",
    ],
    "properties": {
        "summary": {"type": "string"},
        "questions": stream("question", {"type": "string"}),
        "who_for": {"type": "string"},
        "need": {"type": "string"},
        "personas": {"type": "array", "items": {"type": "string"}, "description": "Persona slugs."},
        "topics": {"type": "array", "items": {"type": "string"}},
        "steps": stream("step", ref("JourneyStep")),
        "what_happens_next": {"type": "string"},
        "service_level": {"type": "string"},
        "last_reviewed": {"type": ["string", "null"], "format": "date"},
    },
}

PERSONA_FIELDS = {
    "type": "object",
    "required": ["persona_slug", "intro", "featured_services"],
    "properties": {
        "persona_slug": {"type": ["string", "null"]},
        "intro": {"type": "string"},
        "featured_services": stream("directory_listing", ref("DirectoryListing")),
    },
}


def when_type(page_type, schema_name):
    return {
        "if": {"properties": {"meta": {"properties": {"type": {"const": page_type}}}}},
        "then": ref(schema_name),
    }


SCHEMAS = {
    "RichText": RICH_TEXT,
    "ItemMeta": ITEM_META,
    "DirectoryListing": {
        "type": "object",
        "description": "A saved directory query; fetch api_url for the live services.",
        "required": [
            "heading",
            "taxonomy_terms",
            "min_age",
            "max_age",
            "distance_km",
            "limit",
            "api_url",
        ],
        "properties": {
            "heading": {"type": "string"},
            "taxonomy_terms": {"type": "array", "items": {"type": "string"}},
            "min_age": {"type": ["integer", "null"]},
            "max_age": {"type": ["integer", "null"]},
            "distance_km": {"type": ["number", "null"]},
            "limit": {"type": ["integer", "null"]},
            "api_url": {"type": "string"},
        },
    },
    "JourneyStep": STEP,
    "JourneyPageFields": JOURNEY_FIELDS,
    "PersonaPageFields": PERSONA_FIELDS,
    # Listings show only the fields asked for (?fields=...), so none is required there.
    "JourneyPageListedFields": {"type": "object", "properties": JOURNEY_FIELDS["properties"]},
    "PersonaPageListedFields": {"type": "object", "properties": PERSONA_FIELDS["properties"]},
    "Page": {
        "type": "object",
        "description": "A page as listed. Journey and persona pages carry their typed fields (JourneyPageFields, "
        "PersonaPageFields) in the detail view, and in listings when asked for with ?fields=.",
        "required": ["id", "meta"],
        "properties": {
            "id": {"type": "integer"},
            "meta": ref("ItemMeta"),
            "title": {"type": "string"},
        },
        "allOf": [
            when_type("journeys.JourneyPage", "JourneyPageListedFields"),
            when_type("journeys.PersonaPage", "PersonaPageListedFields"),
        ],
    },
    "PageDetail": {
        "allOf": [
            ref("Page"),
            {"required": ["title"]},
            when_type("journeys.JourneyPage", "JourneyPageFields"),
            when_type("journeys.PersonaPage", "PersonaPageFields"),
        ],
    },
    "ListedItem": {
        "type": "object",
        "required": ["id", "meta"],
        "properties": {
            "id": {"type": "integer"},
            "meta": ref("ItemMeta"),
            "title": {"type": "string"},
        },
    },
    "Image": {
        "type": "object",
        "required": ["id", "meta", "title"],
        "properties": {
            "id": {"type": "integer"},
            "meta": ref("ItemMeta"),
            "title": {"type": "string"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
        },
    },
    "Document": {
        "type": "object",
        "required": ["id", "meta", "title"],
        "properties": {
            "id": {"type": "integer"},
            "meta": ref("ItemMeta"),
            "title": {"type": "string"},
        },
    },
}


def listing(item_schema):
    return {
        "type": "object",
        "required": ["meta", "items"],
        "properties": {
            "meta": {
                "type": "object",
                "required": ["total_count"],
                "properties": {"total_count": {"type": "integer", "minimum": 0}},
            },
            "items": {"type": "array", "items": item_schema},
        },
    }


WAGTAIL_400 = error(
    "A parameter was not understood, e.g. an unknown type or field.", "WagtailError"
)
WAGTAIL_404 = error("No such item, or not published.", "WagtailError")


def endpoint(name, item, detail, parameters, summary):
    return {
        f"/api/v2/{name}/": {
            "get": {
                "tags": [TAG],
                "operationId": f"list_{name}",
                "summary": f"List {summary}",
                "parameters": parameters,
                "responses": {
                    "200": json_body(listing(item), f"A page of {summary}."),
                    "400": WAGTAIL_400,
                },
            }
        },
        f"/api/v2/{name}/{{id}}/": {
            "get": {
                "tags": [TAG],
                "operationId": f"get_{name[:-1]}",
                "summary": f"One of the {summary}",
                "parameters": [
                    path_param(
                        "id", "The id.", {"type": "integer", "minimum": 1, "maximum": 1000000}
                    ),
                    query(
                        "fields",
                        "Extra fields, comma separated, or * for all.",
                        {"type": "string", "enum": ["*"]},
                    ),
                ],
                "responses": {
                    "200": json_body(detail, f"One of the {summary}."),
                    "400": WAGTAIL_400,
                    "404": WAGTAIL_404,
                },
            }
        },
    }


PATHS = {
    **endpoint("pages", ref("Page"), ref("PageDetail"), PAGE_LISTING_PARAMETERS, "published pages"),
    "/api/v2/pages/find/": {
        "get": {
            "tags": [TAG],
            "operationId": "find_page",
            "summary": "Find a page by its path on the site",
            "parameters": [
                query(
                    "html_path",
                    "The page's path, like /tenants/report-a-repair/.",
                    {"type": "string", "pattern": "^/[a-z0-9/-]{0,60}$"},
                )
            ],
            "responses": {
                "302": {
                    "description": "Found: Location is the page's detail URL.",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                "404": WAGTAIL_404,
            },
        }
    },
    **endpoint("images", ref("Image"), ref("Image"), LISTING_PARAMETERS, "images"),
    **endpoint("documents", ref("Document"), ref("Document"), LISTING_PARAMETERS, "documents"),
}
