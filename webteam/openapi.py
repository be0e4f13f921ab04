"""A/B tests for headless front ends (/api/ab-tests/): see cms/abtesting/api_views.py."""

from core.openapi import error, json_body, path_param

TAG = "A/B tests"

TEST_ID = path_param(
    "test_id", "The A/B test's id.", {"type": "integer", "minimum": 1, "maximum": 1000000}
)
VISITOR = {
    "type": "string",
    "minLength": 8,
    "maxLength": 64,
    "description": "The app's random visitor id.",
}


def operation(operation_id, summary, request, response):
    return {
        "post": {
            "tags": [TAG],
            "operationId": operation_id,
            "summary": summary,
            "parameters": [TEST_ID],
            "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
            "responses": {
                "200": json_body(response, "Done."),
                "400": error("The body was not understood; ``field`` names the problem."),
                "404": error("No A/B test with this id."),
                "405": {"description": "Method not allowed."},
            },
        }
    }


PATHS = {
    "/api/ab-tests/{test_id}/participate": operation(
        "ab_test_participate",
        "Which version to show this visitor",
        {
            "type": "object",
            "properties": {"visitor_id": VISITOR, "analytics_consent": {"type": "boolean"}},
        },
        {
            "type": "object",
            "required": ["variant", "visitor_id", "counted"],
            "properties": {
                "variant": {"type": "string"},
                "visitor_id": {"type": ["string", "null"]},
                "counted": {"type": "boolean"},
                "revision_id": {"type": ["integer", "null"]},
            },
        },
    ),
    "/api/ab-tests/{test_id}/convert": operation(
        "ab_test_convert",
        "Record that this visitor reached the goal",
        {"type": "object", "required": ["visitor_id"], "properties": {"visitor_id": VISITOR}},
        {
            "type": "object",
            "required": ["counted", "variant"],
            "properties": {"counted": {"type": "boolean"}, "variant": {"type": ["string", "null"]}},
        },
    ),
}
SCHEMAS = {}
