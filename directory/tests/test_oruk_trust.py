"""What an aggregator relies on from Signpost's ORUK API: discovery at /, JSON for every error
(even a write from another site, which Django's CSRF check would answer with an HTML page),
parameters never silently ignored, and conditional GET so a nightly pull moves only changes."""

import pytest
from django.test import Client

from directory.models import Service


@pytest.fixture
def strict_client():
    """A client that gets the CSRF check a browser on another site would."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_the_root_says_which_profile_and_where_its_openapi_is(client):
    data = client.get("/api/directory/").json()
    assert data["version"] == "HSDS-UK-3.0"
    assert data["openapi_url"] == "http://testserver/api/schema/"
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert "/api/directory/services" in schema.json()["paths"], "the openapi_url works"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_get_a_json_405_even_with_the_csrf_check(strict_client, small_directory, method):
    service = small_directory["foodbank"]
    for url in ("/api/directory/services", f"/api/directory/services/{service.pk}"):
        response = getattr(strict_client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 405, (method, url)
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"error": "This API is read-only: use GET."}
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_a_parameter_an_endpoint_does_not_take_is_a_400_that_names_it(client, small_directory):
    for url, parameter in (
        ("/api/directory/services?minimal=true", "minimal"),
        ("/api/directory/services?format=ndjson", "format"),
        ("/api/directory/taxonomies?search=food", "search"),
        ("/api/directory/organizations?postcode=NB1+1AA", "postcode"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        data = response.json()
        assert data["parameter"] == parameter
        assert data["error"].startswith(f"{parameter} is not a parameter of this endpoint.")
        assert "page" in data["error"], "it lists what the endpoint takes"
    service = small_directory["foodbank"]
    response = client.get(f"/api/directory/services/{service.pk}?full=true")
    assert response.status_code == 400
    assert "It takes: no parameters." in response.json()["error"]


@pytest.mark.django_db
def test_the_hsds_uk_1_text_parameter_still_searches(client, small_directory):
    by_search = client.get("/api/directory/services?search=foodbank").json()
    by_text = client.get("/api/directory/services?text=foodbank").json()
    assert by_text["total_items"] == by_search["total_items"] >= 1
    assert {s["id"] for s in by_text["contents"]} == {s["id"] for s in by_search["contents"]}
    everything = client.get("/api/directory/services").json()["total_items"]
    assert by_text["total_items"] < everything


@pytest.mark.django_db
def test_conditional_get_answers_304_until_the_service_changes(client, small_directory):
    service = small_directory["foodbank"]
    url = f"/api/directory/services/{service.pk}"
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    Service.objects.filter(pk=service.pk).update(name="Northbrook Foodbank (renamed)")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["name"] == "Northbrook Foodbank (renamed)"
    assert changed["ETag"] != etag

    page = client.get("/api/directory/services")
    assert client.get("/api/directory/services", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
