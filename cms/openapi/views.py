"""/api/schema/ (the OpenAPI document as JSON) and /api/docs/ (the same, readable, no JavaScript).

The docs page is rendered on the server from the same document, so it can't drift from it and
needs no third-party scripts (the content security policy allows only this site's own).
"""

from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .document import build_document, operations

DOCS_TEMPLATE = Path(__file__).parent / "templates" / "docs.html"


@require_GET
def schema(request):
    response = JsonResponse(
        build_document(), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _type_name(schema):
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type", "object")
    return " or ".join(kind) if isinstance(kind, list) else kind


def _operation(method, path, operation):
    body = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
    )
    responses = []
    for status, response in operation["responses"].items():
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        responses.append(
            {"status": status, "description": response["description"], "schema": _type_name(schema)}
        )
    return {
        "id": operation["operationId"],
        "method": method,
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": [
            {
                "name": p["name"],
                "in": p["in"],
                "required": p.get("required", False),
                "type": _type_name(p.get("schema")),
                "description": p.get("description", ""),
            }
            for p in operation.get("parameters", [])
        ],
        "body": _type_name(body),
        "responses": responses,
    }


@require_GET
def docs(request):
    document = build_document()
    tags = [
        {"name": tag["name"], "anchor": slugify(tag["name"]), "operations": []}
        for tag in document["tags"]
    ]
    by_name = {tag["name"]: tag for tag in tags}
    for method, path, operation in operations(document):
        by_name[operation["tags"][0]]["operations"].append(_operation(method, path, operation))
    context = {
        "info": document["info"],
        "description": [
            part.replace("\n", " ")
            for part in document["info"]["description"].split("\n\n")
            if part
        ],
        "tags": tags,
        "schema_url": reverse("api_schema"),
    }
    template = engines["django"].from_string(DOCS_TEMPLATE.read_text())
    return HttpResponse(template.render(context, request))
