"""Draft previews for headless front ends (see cms/preview.py)."""

from core.openapi import error, json_body, path_param, query

TAG = "Preview"

PATHS = {
    "/api/v1/preview/": {
        "get": {
            "tags": [TAG],
            "operationId": "preview_draft",
            "summary": "The latest draft of a page, from a preview link",
            "description": "Same shape as /api/v2/pages/{id}/. Links last an hour.",
            "parameters": [
                query("token", "The signed token from the preview link.", {"type": "string"})
            ],
            "responses": {
                "200": json_body({"$ref": "#/components/schemas/PageDetail"}, "The draft."),
                "400": error("No token was given."),
                "403": error("The link has expired or is not valid."),
                "404": error("The page no longer exists."),
            },
        }
    },
    "/api/v1/preview/links/{page_id}/": {
        "post": {
            "tags": [TAG],
            "operationId": "create_preview_link",
            "summary": "Make a preview link (signed-in editors)",
            "description": "Needs an admin session and permission to edit the page.",
            "parameters": [
                path_param("page_id", "The page's id.", {"type": "integer", "minimum": 1})
            ],
            "security": [{"adminSession": []}],
            "responses": {
                "201": json_body(
                    {
                        "type": "object",
                        "required": ["url", "expires_at"],
                        "properties": {
                            "url": {"type": "string"},
                            "expires_at": {"type": "string", "format": "date-time"},
                        },
                    },
                    "The link.",
                ),
                "403": error("Not signed in, or not allowed to edit this page."),
                "404": error("No page with that id."),
            },
        }
    },
}
SCHEMAS = {}
