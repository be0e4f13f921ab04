"""The Open Referral UK API: every endpoint's responses validate against the profile's schemas
(ORUK_SCHEMA_DIR), carry the CORS header, paginate correctly at the edges and reject bad input."""

import pytest

from directory.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

COMPILED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/compiled/"


def page_schema(openapi, path):
    """The 200 response schema the profile's openapi.json gives for a list endpoint."""
    schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    page = openapi["components"]["schemas"]["Page"]
    return {
        "allOf": [page, {"properties": schema["properties"]}],
        "required": ["contents", *page["properties"]],
    }


def get_json(client, url):
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*", url
    assert response["Content-Type"].startswith("application/json"), url
    return response.status_code, response.json()


@pytest.mark.django_db
def test_every_endpoint_validates_against_the_profile(
    client, demo_directory, oruk_validator, openapi
):
    status, data = get_json(client, "/api/directory/")
    assert status == 200
    oruk_validator(
        data,
        openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
    )

    status, data = get_json(client, "/api/directory/services?per_page=200")
    assert status == 200 and data["total_items"] == Service.objects.count() >= 120
    oruk_validator(data, page_schema(openapi, "/services"))

    for service in Service.objects.all():
        status, data = get_json(client, f"/api/directory/services/{service.pk}")
        assert status == 200
        oruk_validator(data, COMPILED + "service.json")
        assert all(value is not None for value in data.values()), (
            "optional fields are omitted, never null"
        )

    status, data = get_json(
        client, "/api/directory/service_at_locations?per_page=200&postcode=NB1%201AA&proximity=3000"
    )
    assert status == 200 and data["total_items"] > 0
    oruk_validator(data, page_schema(openapi, "/service_at_locations"))
    for link in ServiceAtLocation.objects.all()[:40]:
        status, data = get_json(client, f"/api/directory/service_at_locations/{link.pk}")
        assert status == 200
        oruk_validator(data, COMPILED + "service_at_location.json")

    status, data = get_json(client, "/api/directory/organizations?per_page=200")
    assert status == 200 and data["total_items"] >= 60
    for item in data["contents"]:
        oruk_validator(item, COMPILED + "organization_list.json")
    for organization in Organization.objects.all()[:20]:
        status, data = get_json(client, f"/api/directory/organizations/{organization.pk}")
        oruk_validator(data, COMPILED + "organization.json")

    # The profile's taxonomy schemas aren't among the published compiled files; the definitions
    # inside service_with_definitions.json describe the same objects.
    definitions = COMPILED + "service_with_definitions.json#/definitions/"
    status, data = get_json(client, "/api/directory/taxonomies")
    assert status == 200 and data["total_items"] == Taxonomy.objects.count()
    for item in data["contents"]:
        oruk_validator(item, definitions + "taxonomy")
    status, data = get_json(client, f"/api/directory/taxonomies/{Taxonomy.objects.first().pk}")
    oruk_validator(data, definitions + "taxonomy")
    status, data = get_json(client, "/api/directory/taxonomy_terms?per_page=200")
    assert data["total_items"] == TaxonomyTerm.objects.count()
    for item in data["contents"]:
        oruk_validator(item, definitions + "taxonomy_term")
    term = TaxonomyTerm.objects.get(code="foodbanks")
    status, data = get_json(client, f"/api/directory/taxonomy_terms/{term.pk}")
    oruk_validator(data, definitions + "taxonomy_term")
    assert data["parent_id"] == str(term.parent_id)


@pytest.mark.django_db
def test_pagination_at_the_edges(client, demo_directory):
    total = Service.objects.count()

    status, empty = get_json(client, "/api/directory/services?search=zzzznothingmatches")
    assert status == 200
    assert empty["total_items"] == 0 and empty["empty"] is True and empty["contents"] == []
    assert empty["first_page"] is True and empty["last_page"] is True and empty["size"] == 0

    status, last = get_json(client, f"/api/directory/services?per_page=50&page={-(-total // 50)}")
    assert last["last_page"] is True and last["first_page"] is False
    assert last["size"] == total - 50 * (last["page_number"] - 1)
    assert last["total_pages"] == -(-total // 50)

    status, capped = get_json(client, "/api/directory/services?per_page=100000")
    assert status == 200 and capped["size"] == min(total, 200)

    status, past = get_json(client, "/api/directory/services?page=999")
    assert status == 200 and past["empty"] is True and past["last_page"] is True

    seen = []
    for page in range(1, 4):
        seen += [
            item["id"]
            for item in get_json(client, f"/api/directory/services?per_page=50&page={page}")[1][
                "contents"
            ]
        ]
    assert len(seen) == len(set(seen)) == total, "pages neither overlap nor skip"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/directory/services?page=two", "page"),
        ("/api/directory/services?page=0", "page"),
        ("/api/directory/services?per_page=-5", "per_page"),
        (
            "/api/directory/services?taxonomy_term_id=00000000-0000-0000-0000-000000000000",
            "taxonomy_term_id",
        ),
        ("/api/directory/services?taxonomy_id=not-an-id", "taxonomy_id"),
        (
            "/api/directory/services?organization_id=00000000-0000-0000-0000-000000000000",
            "organization_id",
        ),
        ("/api/directory/services?minimum_age=old", "minimum_age"),
        ("/api/directory/services?start_time=noon", "start_time"),
        ("/api/directory/services?day=someday", "day"),
        ("/api/directory/services?modified_after=yesterday", "modified_after"),
        ("/api/directory/service_at_locations?postcode=NOT%20A%20POSTCODE", "postcode"),
        ("/api/directory/service_at_locations?postcode=NB99%209ZZ", "postcode"),
        ("/api/directory/service_at_locations?postcode=NB1%201AA&proximity=far", "proximity"),
        ("/api/directory/service_at_locations?proximity=1000", "proximity"),
    ],
)
def test_bad_parameters_get_a_400_with_a_json_message(client, small_directory, url, parameter):
    status, data = get_json(client, url)
    assert status == 400
    assert data["parameter"] == parameter and data["error"]


@pytest.mark.django_db
def test_unknown_ids_are_json_404s_and_writes_are_refused(client, small_directory):
    status, data = get_json(client, "/api/directory/services/00000000-0000-0000-0000-000000000000")
    assert status == 404 and "error" in data
    status, data = get_json(client, "/api/directory/services/nonsense")
    assert status == 404
    response = client.post("/api/directory/services", {})
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_api_filters_use_the_profile_parameters(client, small_directory):
    falls = small_directory["falls"]
    names = lambda url: [item["name"] for item in client.get(url).json()["contents"]]  # noqa: E731
    term = TaxonomyTerm.objects.get(code="falls-and-mobility")
    assert names(f"/api/directory/services?taxonomy_term_id={term.pk}") == [falls.name]
    assert names("/api/directory/services?search=parcels") == ["Northbrook Foodbank"]
    assert names("/api/directory/services?day=FR") == ["Adult drop-in", "Friday youth club"]
    assert names("/api/directory/services?day=saturday") == ["Far away lunch club"]
    assert names("/api/directory/services?minimum_age=60") == ["Far away lunch club", falls.name]
    assert names("/api/directory/services?maximum_age=19") == ["Friday youth club"]
    assert names("/api/directory/services?start_time=17:00") == ["Friday youth club"]
    assert names("/api/directory/services?end_time=11:00") == [falls.name]
    data = client.get("/api/directory/service_at_locations?postcode=NB1+1AA&proximity=2500").json()
    assert [item["service"]["name"] for item in data["contents"]] == [
        "Adult drop-in",
        "Northbrook Foodbank",
        falls.name,
    ]
    assert data["contents"][0]["distance"] < data["contents"][-1]["distance"]
