"""The OpenAPI document at /api/schema/, the docs at /api/docs/, and what anonymous callers see."""

import json
import re

import pytest
from jsonschema import Draft202012Validator

from cms.openapi.document import build_document, operations
from core.models import DeliveryUnit
from eforms import builders as b
from eforms.models import FormDefinition, Submission

SECRET_NAME = "Zebedee Quillfeather"
SECRET_EMAIL = "zebedee.quillfeather@resident.example"
SECRET_ANSWER = "The pothole outside number 7 swallowed my bicycle wheel"


def test_the_schema_is_one_openapi_document_with_valid_json_schemas(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.")
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    paths = set(document["paths"])
    for expected in (
        "/api/v2/pages/",
        "/api/v2/pages/{id}/",
        "/api/v2/images/",
        "/api/v2/documents/{id}/",
        "/api/v1/search/",
        "/api/v1/search/suggest",
        "/api/v1/forms/{slug}/",
        "/api/v1/forms/{slug}/submissions/",
        "/api/ab-tests/{test_id}/participate",
        "/api/directory/services",
        "/api/directory/services/{id}",
        "/api/v1/preview/",
    ):
        assert expected in paths
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    # Every $ref points at something that exists.
    for ref in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(document)):
        assert ref in document["components"]["schemas"], ref


def test_journey_steps_are_typed_not_html_alone():
    schemas = build_document()["components"]["schemas"]
    step = schemas["JourneyStep"]["properties"]
    assert set(step["actions"]["items"]["properties"]["type"]["enum"]) >= {
        "eform",
        "directory_listing",
        "journey_link",
        "self_check",
    }
    assert schemas["RichText"]["required"] == ["html", "text"]


def test_the_docs_list_every_operation_without_third_party_scripts(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for _method, path, operation in operations():
        assert f'id="{operation["operationId"]}"' in html, path
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert all(src.startswith("/") and not src.startswith("//") for src in scripts), scripts
    assert 'href="/api/schema/"' in html


def _property_names(node):
    if isinstance(node, dict):
        yield from node.get("properties", {})
        for value in node.values():
            yield from _property_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _property_names(value)


def _submit(client):
    unit = DeliveryUnit.objects.get_or_create(
        slug="street-scene", defaults={"name": "Street scene"}
    )[0]
    FormDefinition.objects.create(
        title="Report a pothole",
        slug="report-a-pothole",
        purpose="Tell us about a pothole.",
        service_level="We aim to fix it within 5 working days.",
        service_level_days=5,
        reference_prefix="POT",
        delivery_unit=unit,
        pages=[
            b.page(
                "details", b.q("long_text", "description", "Describe the problem", max_length=500)
            ),
            b.contact_page(),
        ],
    )
    answers = {
        "description": SECRET_ANSWER,
        "full_name": SECRET_NAME,
        "email": SECRET_EMAIL,
        "consent": True,
    }
    response = client.post(
        "/api/v1/forms/report-a-pothole/submissions/",
        {"answers": answers},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_anonymous_callers_never_see_what_residents_submitted(client):
    receipt = _submit(client)
    assert Submission.objects.count() == 1
    assert set(receipt) == {"reference", "status", "expected_by", "track_url"}

    document = build_document()
    returned = [
        response
        for _, _, operation in operations(document)
        for response in operation["responses"].values()
    ]
    returned += [
        schema
        for name, schema in document["components"]["schemas"].items()
        if name != "SubmissionRequest"
    ]
    field_names = set(_property_names(returned))
    assert not field_names & {"answers", "full_name", "submitter", "submissions", "files"}
    assert "/submissions/" not in "".join(
        path for path, item in document["paths"].items() if "get" in item
    )

    reference = receipt["reference"]
    urls = [
        "/api/schema/",
        "/api/docs/",
        "/api/v1/forms/report-a-pothole/",
        "/api/v2/pages/",
        f"/api/v1/search/?q={reference}",
        "/api/v1/search/?q=Zebedee",
        "/api/v1/search/suggest?q=Zebedee",
        "/api/directory/services?search=Zebedee",
        f"/api/v1/forms/report-a-pothole/submissions/?reference={reference}",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_ANSWER, "Zebedee Quill"):
            assert secret not in body, (url, secret)
