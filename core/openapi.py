"""Pieces every area of the OpenAPI document shares: error bodies, pagination, helpers."""

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str, schema: str = "Error") -> Schema:
    return json_body(ref(schema), description)


def nullable(schema: Schema) -> Schema:
    """OpenAPI 3.1 spelling of 'this or null'."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema.get("type")
    return {**schema, "type": [kind, "null"]} if isinstance(kind, str) else schema


def query(name: str, description: str, schema: Schema | None = None, **extra: Any) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
        **extra,
    }


def path_param(name: str, description: str, schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or {"type": "string"},
    }


STRING_OR_NULL = {"type": ["string", "null"]}

SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "Every Signpost endpoint answers bad input with a plain-English message.",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "What went wrong, in plain English."},
            "field": {
                "type": ["string", "null"],
                "description": "The parameter or field at fault.",
            },
            "parameter": {
                "type": ["string", "null"],
                "description": "The query parameter at fault.",
            },
        },
    },
    "WagtailError": {
        "type": "object",
        "description": "Errors from the Wagtail API v2 endpoints.",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    },
}
