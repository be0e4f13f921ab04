"""Demo forms load idempotently, and every one is well formed through the JSON API."""

import pytest

import personas.demo
from eforms import demo
from eforms.models import FormDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_forms(db):
    personas.demo.load()
    demo.load()
    return FormDefinition.objects.filter(live=True)


def test_demo_has_all_sixteen_forms_owned_and_live(demo_forms):
    slugs = {form.slug for form in demo_forms}
    assert slugs == {spec["slug"] for spec in demo.FORMS}
    assert len(slugs) == 16
    assert all(form.delivery_unit is not None for form in demo_forms)
    assert all(form.latest_revision is not None for form in demo_forms)


def test_demo_load_twice_changes_nothing(demo_forms):
    revisions = {form.pk: form.latest_revision_id for form in demo_forms}
    demo.load()
    assert {f.pk: f.latest_revision_id for f in FormDefinition.objects.all()} == revisions


def test_every_demo_form_json_is_well_formed(client, demo_forms):
    types = {
        "short_text",
        "long_text",
        "email",
        "phone",
        "number",
        "date",
        "yes_no",
        "radios",
        "checkboxes",
        "lookup",
        "address",
        "location",
        "file_upload",
        "group",
        "consent",
    }
    for form in demo_forms:
        response = client.get(f"/api/v1/forms/{form.slug}/")
        assert response.status_code == 200, form.slug
        data = response.json()
        assert data["slug"] == form.slug and data["url"].endswith(f"/{form.slug}/")
        page_names = {page["name"] for page in data["pages"]}
        names = set()
        for page in data["pages"]:
            assert page["kind"] in ("page", "exit")
            for route in page.get("routes", []):
                assert route["go_to"] in page_names
                assert route["when"]["field"] in names | {i.get("name") for i in page["items"]}
            for item in page.get("items", []):
                if "name" not in item:
                    continue
                assert item["type"] in types
                assert item["name"] not in names, f"{form.slug}: {item['name']} twice"
                names.add(item["name"])
                assert item["label"]
                if item["type"] in ("radios", "checkboxes", "lookup"):
                    assert item["validation"]["options"], (
                        f"{form.slug}: {item['name']} has no options"
                    )
                if item["show_if"]:
                    assert item["show_if"]["field"] in names


def test_unknown_form_is_404_json(client, db):
    response = client.get("/api/v1/forms/no-such-form/")
    assert response.status_code == 404 and "error" in response.json()
