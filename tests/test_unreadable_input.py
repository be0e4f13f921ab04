"""Issue 19: no input makes a 500. NUL bytes and other control characters, anywhere a request
carries text, get a 400 with a plain-English message before any view or database sees them
(PostgreSQL refuses text holding a NUL, so every lookup with one was a 500 there); so does JSON
nested too deeply to parse. API paths answer in JSON, pages with the site's 400 page.

Run on PostgreSQL too: ``make test-postgres PYTEST_ARGS=tests/test_unreadable_input.py``.
"""

import json

import pytest

from cms.middleware import MAX_JSON_DEPTH, json_depth
from core.tests.factories import DeliveryUnitFactory
from eforms.tests.conftest import make_form
from search.engines.embedded import EmbeddedEngine
from search.tests.documents import council
from tests.caches import clear_caches

pytestmark = pytest.mark.django_db

PLAIN_ENGLISH = "Your request contains characters we cannot read"


@pytest.fixture(autouse=True)
def site(settings):
    settings.ELASTICSEARCH_URL = ""
    clear_caches()
    EmbeddedEngine().rebuild(council())
    make_form(DeliveryUnitFactory(slug="streets", name="Streets"), slug="report-it")
    yield
    clear_caches()


@pytest.mark.parametrize(
    "path, params, parameter",
    [
        ("/api/v1/search/", {"q": "bins\x00"}, "q"),
        ("/api/v1/search/", {"q": "bins", "persona": "\x00"}, "persona"),
        ("/api/v1/search/suggest", {"q": "bi\x00"}, "q"),
        ("/api/directory/services", {"search": "food\x00"}, "search"),
        ("/api/directory/services", {"taxonomy_term": "\x00"}, "taxonomy_term"),
        ("/api/directory/service_at_locations", {"postcode": "NB1\x001AA"}, "postcode"),
        ("/api/v1/forms/report-it/", {"locale": "en\x00"}, "locale"),
        ("/api/directory/services", {"search\x00": "food"}, "search\x00"),
        ("/api/v1/search/", {"q": "bins\x07"}, "q"),
    ],
)
def test_apis_refuse_nul_and_control_characters_in_json(client, path, params, parameter):
    response = client.get(path, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert PLAIN_ENGLISH in response.json()["error"]
    assert response.json()["parameter"] == parameter


def test_the_wagtail_api_answers_in_its_own_shape(client):
    response = client.get("/api/v2/pages/", {"search": "bins\x00"})
    assert response.status_code == 400
    assert PLAIN_ENGLISH in response.json()["message"]


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("get", "/search/", {"q": "council tax\x00"}),
        ("get", "/track/", {"reference": "\x00"}),
        ("post", "/track/", {"reference": "SP-7K2Q-9XMD\x00", "email": "jo@example.com"}),
        ("post", "/track/", {"reference": "SP-7K2Q-9XMD", "email": "jo@example.com\x00"}),
        ("get", "/track/abc\x00def/", {}),
        ("get", "/forms/report-it/resume/abc\x00def/", {}),
        ("get", "/council-tax\x00/", {}),
        ("post", "/search/feedback/", {"q": "x", "looking_for": "music\x00 lessons"}),
        ("get", "/pl/search/", {"q": "\x1b[31m"}),
    ],
)
def test_pages_refuse_them_with_the_sites_400_page(client, method, path, data):
    response = getattr(client, method)(path, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    if path.startswith("/pl/"):  # a Polish reader is told in Polish
        assert "Wystąpił problem z Twoim żądaniem" in html
        assert "znaki, których nie możemy odczytać" in html
        assert 'href="/pl/search/"' in html
        return
    assert "There is a problem with your request" in html
    assert PLAIN_ENGLISH in html
    assert 'href="/search/"' in html  # the site's own page, with its header and a way on


def test_nul_in_a_cookie_is_refused_before_the_session_is_read(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/search/", {"q": "bins"}).status_code == 400


def test_tabs_and_line_breaks_in_text_are_still_accepted(client):
    response = client.post(
        "/search/feedback/", {"q": "x", "count": "0", "looking_for": "music\r\nlessons\tfor kids"}
    )
    assert response.status_code == 302
    assert client.get("/search/", {"q": "council\ttax"}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b'{"answers": {"what": "pothole\x00"}}',
        b'{"answers": {"what": "pothole\\u0000"}}',
        b'{"answers": {"what": "pothole\\u001b"}}',
    ],
)
def test_json_bodies_with_nul_are_refused(client, body):
    response = client.post(
        "/api/v1/forms/report-it/submissions/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert PLAIN_ENGLISH in response.json()["error"]
    assert response.json()["parameter"] == "body"


def test_a_json_line_break_is_not_a_control_character_refused(client):
    body = json.dumps({"answers": {"what": "a\nb"}}).encode()
    response = client.post(
        "/api/v1/forms/report-it/submissions/", body, content_type="application/json"
    )
    assert response.status_code != 500
    assert "characters we cannot read" not in response.content.decode()


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_json_nested_100000_deep_is_refused_before_parsing(client, content_type):
    body = b'{"answers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for path in ("/api/v1/forms/report-it/submissions/", "/api/ab-tests/1/participate"):
        response = client.post(path, body, content_type=content_type)
        assert response.status_code == 400, path
        assert "nested too deeply" in response.json()["error"]


def test_depth_is_counted_outside_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    shallow = json.dumps({"answers": {"list": [[1, 2], [3]]}}).encode()
    assert json_depth(shallow) == 4 < MAX_JSON_DEPTH
