"""Merge the areas into the one OpenAPI 3.1 document served at /api/schema/.

Each app describes its own endpoints in its ``openapi.py`` (``TAG``, ``PATHS``, ``SCHEMAS``); the
site's pages and preview links are described here, in cms; shared pieces are in core.openapi.
"""

import copy
import functools

from core import openapi as common
from directory import openapi as directory
from eforms import openapi as forms
from search import openapi as search
from webteam import openapi as abtests

from . import pages, preview

AREAS = (pages, search, forms, directory, abtests, preview)

DESCRIPTION = """\
Northbrook Borough Council's content, forms, search and directory for the council's own apps.

Pages come from the Wagtail API v2 with typed fields (a journey's steps and actions are data, not
rendered HTML). Every other endpoint answers bad input with a 400 and a JSON body
`{"error": "...", "field": "..."}` written in plain English.

Nothing here returns what residents submitted: a submission's answer is its reference and a
tracking link.
"""


UNREADABLE = (
    "Unreadable input: a NUL or other control character in the path, a parameter or the body, "
    "or JSON nested more than 64 levels deep (cms.middleware, before any endpoint runs)."
)


def _with_unreadable_input(paths):
    """Every operation may answer 400 for unreadable input; say so where an area did not."""
    for path_name, item in paths.items():
        schema = "WagtailError" if path_name.startswith("/api/v2/") else "Error"
        for operation in item.values():
            operation["responses"].setdefault("400", common.error(UNREADABLE, schema))
    return paths


# What RefuseUnreadableInputMiddleware lets through (cms/middleware.py), as JSON Schema
# patterns: no C0 control character or DEL, except tabs and line breaks outside the path.
READABLE_TEXT = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"
READABLE_PATH_TEXT = "^[^\\x00-\\x1f\\x7f]*$"


def _readable(schema, pattern):
    """Give every free-text string in ``schema`` (no enum, pattern or format) ``pattern``."""
    if not isinstance(schema, dict):
        return
    kinds = schema.get("type")
    is_string = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
    if is_string and not {"enum", "pattern", "format", "const"} & set(schema):
        schema["pattern"] = pattern
    for key in ("properties", "patternProperties"):
        for child in (schema.get(key) or {}).values():
            _readable(child, pattern)
    for key in ("items", "additionalProperties"):
        _readable(schema.get(key), pattern)
    for key in ("anyOf", "oneOf", "allOf"):
        for child in schema.get(key) or []:
            _readable(child, pattern)


def _with_readable_text(paths):
    """Say in each parameter and request body what text is refused as unreadable, so a client
    (or a generator of test requests) knows a control character is not valid input."""
    for item in paths.values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                where = parameter.get("in")
                pattern = READABLE_PATH_TEXT if where == "path" else READABLE_TEXT
                _readable(parameter.get("schema"), pattern)
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                _readable(media.get("schema"), READABLE_TEXT)
    return paths


@functools.cache
def _document():
    paths, schemas = {}, dict(common.SCHEMAS)
    for area in AREAS:
        overlap = set(paths) & set(area.PATHS) or set(schemas) & set(area.SCHEMAS)
        if overlap:
            raise ValueError(f"{area.__name__} redefines {sorted(overlap)}")
        paths.update(area.PATHS)
        schemas.update(area.SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Signpost API",
            "version": "1.0.0",
            "description": DESCRIPTION,
            "contact": {"email": "webteam@northbrook.example"},
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": area.TAG} for area in AREAS],
        "paths": _with_readable_text(_with_unreadable_input(copy.deepcopy(paths))),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "adminSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "sessionid",
                    "description": "A signed-in Wagtail admin session.",
                }
            },
        },
    }


def build_document():
    """A fresh copy, so callers (and schemathesis) may change it freely."""
    return copy.deepcopy(_document())


def operations(document=None):
    """(method, path, operation) for each operation, in document order: for the docs page."""
    document = document or _document()
    for path_name, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path_name, operation
