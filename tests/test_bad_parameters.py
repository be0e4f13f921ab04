"""Issue 19: impossible dates, huge offsets and numbers no database column holds are 400s with a
JSON error naming the parameter, never 500s (schemathesis found them)."""

import pytest

from search import analytics
from search.engines.embedded import EmbeddedEngine
from search.models import QueryLog, SearchFeedback
from search.tests.documents import council
from tests.caches import clear_caches

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indexed(settings):
    settings.ELASTICSEARCH_URL = ""
    clear_caches()
    EmbeddedEngine().rebuild(council())
    yield
    clear_caches()


@pytest.mark.parametrize(
    "value, says",
    [
        ("2024-02-30", "is not a real date"),
        ("2024-02-30T09:00:00Z", "is not a real date"),
        ("2025-01-31T25:00:00", "is not a real date"),
        ("2025-01-01T00:00:00+99:00", "is not a real date"),
        ("0000-01-01", "is not a real date"),
        ("9999-12-31T23:00:00-05:00", "between the years 1 and 9999"),
        ("0001-01-01T00:00:00+05:00", "between the years 1 and 9999"),
        ("yesterday", "must be a date and time"),
    ],
)
def test_impossible_dates_are_a_400_naming_the_parameter(client, value, says):
    for collection in ("services", "service_at_locations"):
        response = client.get(f"/api/directory/{collection}", {"modified_after": value})
        assert response.status_code == 400, (collection, response.content)
        assert response.json()["parameter"] == "modified_after"
        assert says in response.json()["error"]


def test_real_dates_still_filter(client):
    for value in ("2024-02-29", "2024-02-29T09:00:00Z", "2024-02-29T09:00:00+01:00"):
        assert client.get("/api/directory/services", {"modified_after": value}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"page": "100000000000000000000"}, {"page": "1", "per_page": "1" + "0" * 30}],
)
def test_huge_directory_pages_are_empty_not_errors(client, params):
    response = client.get("/api/directory/services", params)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params, parameter",
    [({"page": "1e20"}, "page"), ({"page": "²"}, "page"), ({"page": "9" * 5000}, "page")],
)
def test_numbers_that_are_not_whole_numbers_are_a_400(client, params, parameter):
    response = client.get("/api/directory/services", params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


@pytest.mark.parametrize("offset", ["100000000000000000000", "100001"])
def test_a_huge_wagtail_api_offset_is_a_400_naming_it(client, offset):
    for endpoint in ("pages", "images", "documents"):
        response = client.get(f"/api/v2/{endpoint}/", {"offset": offset})
        assert response.status_code == 400, endpoint
        assert "offset must be a whole number from 0 to 100,000" in response.json()["message"]
    assert client.get("/api/v2/pages/", {"offset": "100000"}).status_code == 200


@pytest.mark.parametrize("page", ["²", "1e20", "100000000000000000000", "-1"])
def test_search_pages_that_are_not_whole_numbers_are_a_400(client, page):
    response = client.get("/api/v1/search/", {"q": "bins", "page": page})
    assert response.status_code == 400
    assert response.json()["field"] == "page"
    assert client.get("/search/", {"q": "bins", "page": page}).status_code == 200  # page 1


def test_made_up_click_and_count_numbers_are_ignored(client):
    client.get("/search/", {"q": "council tax"})
    analytics.flush()
    log = QueryLog.objects.get()
    for log_id, position in (
        ("9" * 30, "1"),
        (str(log.pk), "9" * 30),
        ("²", "1"),
        (log.token, "-1"),
    ):
        response = client.get(
            "/search/click/", {"log": log_id, "pos": position, "to": "/council-tax/"}
        )
        assert response.status_code == 302
    analytics.flush()
    assert not log.clicks.exists()
    for count in ("9" * 30, "²"):
        response = client.post(
            "/search/feedback/", {"q": "x", "count": count, "looking_for": "music lessons"}
        )
        assert response.status_code == 302
    assert {row.result_count for row in SearchFeedback.objects.all()} <= {0, 1_000_000}


@pytest.mark.django_db
def test_an_api_address_that_does_not_exist_answers_json_in_that_apis_shape(client):
    """schemathesis's negative requests found HTML 404 pages under /api/ (issue 19, part 6)."""
    wagtail = client.get("/api/v2/pages/%C2%87%23/")
    assert wagtail.status_code == 404 and wagtail["Content-Type"] == "application/json"
    assert wagtail.json() == {
        "message": "There is nothing at this address. Check it and try again."
    }
    ours = client.get("/api/v1/no-such-thing/")
    assert ours.status_code == 404 and ours.json()["error"].startswith("There is nothing")
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
