"""Forms (/api/v1/forms/): a form's structure, and submitting answers (see eforms/api_views.py).

Only the structure is public. Submitted answers are never readable through any API: the answer
to a submission is its reference and a tracking link, nothing the resident sent.
"""

from core.openapi import STRING_OR_NULL, error, json_body, path_param, query

TAG = "Forms"

FIELD = {
    "type": "object",
    "required": ["name", "type", "label", "hint", "required", "show_if", "validation"],
    "properties": {
        "name": {"type": "string"},
        "type": {
            "type": "string",
            "description": "text, email, date, choice, address, file, consent, group...",
        },
        "label": {"type": "string"},
        "hint": {"type": "string"},
        "required": {"type": "boolean"},
        "show_if": {"description": "When to ask this question, or null for always."},
        "validation": {
            "type": "object",
            "description": "The question's rules: lengths, choices, file types.",
        },
        "privacy_notice_html": {"type": "string", "description": "Consent questions only."},
        "fields": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/FormField"},
            "description": "Group questions only.",
        },
    },
}

CONTENT_ITEM = {
    "type": "object",
    "required": ["type", "html", "summary"],
    "properties": {
        "type": {"type": "string"},
        "html": {"type": "string"},
        "summary": {"type": ["string", "null"]},
    },
}

PAGE = {
    "type": "object",
    "required": ["name", "kind", "heading"],
    "properties": {
        "name": {"type": "string"},
        "kind": {"enum": ["page", "exit"]},
        "heading": {"type": "string"},
        "items": {
            "type": "array",
            "items": {"anyOf": [{"$ref": "#/components/schemas/FormField"}, CONTENT_ITEM]},
        },
        "routes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["when", "go_to"],
                "properties": {"go_to": {"type": "string"}},
            },
        },
        "body_html": {"type": "string"},
        "links": {"type": "array"},
    },
}

SCHEMAS = {
    "FormField": FIELD,
    "FormPage": PAGE,
    "Form": {
        "type": "object",
        "required": [
            "slug",
            "locale",
            "title",
            "purpose",
            "what_you_need",
            "service_level",
            "service_level_days",
            "delivery_unit",
            "url",
            "submit_url",
            "pages",
        ],
        "properties": {
            "slug": {"type": "string"},
            "locale": {"type": "string"},
            "title": {"type": "string"},
            "purpose": {"type": "string"},
            "what_you_need": {"type": "array", "items": {"type": "string"}},
            "service_level": {"type": "string"},
            "service_level_days": {"type": ["integer", "null"]},
            "delivery_unit": STRING_OR_NULL,
            "url": {"type": "string"},
            "submit_url": {"type": "string"},
            "pages": {"type": "array", "items": {"$ref": "#/components/schemas/FormPage"}},
        },
    },
    "SubmissionRequest": {
        "type": "object",
        "required": ["answers"],
        "properties": {
            "answers": {
                "type": "object",
                "description": "Question name to answer. Files: "
                '{"name": ..., "content_base64": ...}, 10 MB each at most (before base64), '
                "of the types the question allows, checked by their content: pictures are "
                "redrawn without EXIF and kept under the extension of what they are; office "
                "files that unpack to far more than their size are refused. Each file is "
                "checked for viruses before the council's staff can open it.",
            },
            "idempotency_key": {"type": "string", "maxLength": 100},
        },
    },
    "SubmissionReceipt": {
        "type": "object",
        "description": "A receipt: the reference and where to track it. Never the answers.",
        "required": ["reference", "status", "expected_by", "track_url"],
        "properties": {
            "reference": {"type": "string"},
            "status": {"type": "string"},
            "expected_by": {"type": ["string", "null"], "format": "date"},
            "track_url": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "TooLarge": {
        "type": "object",
        "description": "A file or request over the forms API's limits.",
        "required": ["error", "limit_bytes"],
        "properties": {
            "error": {"type": "string", "description": "What was too large, in plain English."},
            "limit_bytes": {"type": "integer", "description": "The limit that was passed."},
            "fields": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The questions whose files are over 10 MB (a file too large).",
            },
        },
    },
    "SubmissionErrors": {
        "type": "object",
        "required": ["error", "errors"],
        "properties": {
            "error": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Question name to what needs correcting.",
            },
        },
    },
}

SLUG = path_param(
    "slug",
    "The form's name, like missed-bin-report.",
    {"type": "string", "pattern": "^[a-z0-9-]{1,60}$"},
)
LOCALE = query(
    "locale",
    "The language wanted; falls back to English.",
    {"type": "string", "enum": ["en-gb", "pl", "ar"]},
)
NOT_FOUND = error("No live form with that name.")
WRONG_METHOD = {"description": "Method not allowed."}

PATHS = {
    "/api/v1/forms/{slug}/": {
        "get": {
            "tags": [TAG],
            "operationId": "get_form",
            "summary": "A form's pages and questions",
            "parameters": [SLUG, LOCALE],
            "responses": {
                "200": json_body({"$ref": "#/components/schemas/Form"}, "The form."),
                "404": NOT_FOUND,
                "405": WRONG_METHOD,
            },
        }
    },
    "/api/v1/forms/{slug}/submissions/": {
        "post": {
            "tags": [TAG],
            "operationId": "submit_form",
            "summary": "Submit answers to a form",
            "description": "The same rules as the web form. Send an Idempotency-Key header to make retries safe: "
            "the same key gives the same reference (200 instead of 201).",
            "parameters": [
                SLUG,
                LOCALE,
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 100},
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/SubmissionRequest"}
                    }
                },
            },
            "responses": {
                "201": json_body({"$ref": "#/components/schemas/SubmissionReceipt"}, "Received."),
                "200": json_body(
                    {"$ref": "#/components/schemas/SubmissionReceipt"},
                    "Already received (same key).",
                ),
                "400": json_body(
                    {"$ref": "#/components/schemas/SubmissionErrors"},
                    "Some answers need correcting.",
                ),
                "404": NOT_FOUND,
                "405": WRONG_METHOD,
                "413": error(
                    "Too large: a file over 10 MB (before base64), or a request body over "
                    "30 MB. The JSON body says which, in plain English.",
                    "TooLarge",
                ),
                "429": error("Too many submissions from this address; try again later."),
            },
        }
    },
}
