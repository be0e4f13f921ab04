"""The search API, the resident search page, click recording and the analytics it feeds."""

import pytest
from django.contrib.auth.models import User
from wagtail.contrib.search_promotions.models import Query as PromotedQuery
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page

from search import analytics, api, service
from search.engines.embedded import EmbeddedEngine
from search.models import QueryLog, SearchClick
from search.text import redact

from .documents import council


@pytest.fixture
def indexed(db, settings):
    settings.ELASTICSEARCH_URL = ""
    EmbeddedEngine().rebuild(council())


def test_api_shape(client, indexed):
    data = client.get("/api/v1/search/", {"q": "council tax"}).json()
    assert set(data) >= {"results", "total", "facets", "suggestion"}
    first = data["results"][0]
    assert set(first) >= {"kind", "title", "url", "summary", "highlight"}
    assert first["url"] == "/council-tax/pay-council-tax/"
    assert first["url"].rstrip("/").rsplit("/", 1)[-1] == "pay-council-tax"
    assert data["total"] == 2
    assert {"value": "journey", "count": 1} in data["facets"]["kind"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x", "kind": "leaflet"}, "kind"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "page": "two"}, "page"),
        ({"q": "x", "persona": "Not A Slug!"}, "persona"),
        ({"q": "x", "postcode": "not a postcode"}, "postcode"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(client, indexed, params, field):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["error"]


@pytest.mark.parametrize(
    "typed, stored",
    [("nb1-1aa", "NB1 1AA"), (" NB11AA ", "NB1 1AA"), ("sw1a 2aa", "SW1A 2AA"), ("", "")],
)
def test_postcodes_are_tidied_as_everywhere_else(typed: str, stored: str) -> None:
    """A postcode the directory and forms accept is accepted by search, in the same form."""
    assert service.parse_params({"q": "x", "postcode": typed}).postcode == stored


@pytest.mark.parametrize("typed", ["NB1", "NB1 1AA 1AA", "NB1.1AA"])
def test_malformed_postcodes_are_refused_by_search(typed: str) -> None:
    with pytest.raises(service.BadSearch, match="real UK postcode"):
        service.parse_params({"q": "x", "postcode": typed})


def test_empty_query_returns_popular_items(client, indexed):
    response = client.get("/api/v1/search/", {"q": ""})
    assert response.status_code == 200
    assert response.json()["results"][0]["kind"] == "journey"
    analytics.flush()
    assert not QueryLog.objects.exists()


def test_suggest_api(client, indexed):
    data = client.get("/api/v1/search/suggest", {"q": "poth"}).json()
    assert data["suggestions"][0] == {
        "title": "Report a pothole",
        "url": "/forms/report-a-pothole/",
        "kind": "form",
    }


def test_every_search_is_logged_without_personal_data(client, indexed):
    client.get("/api/v1/search/", {"q": "Council tax for jo@example.com 020 7946 0123 NB1 1AA"})
    assert not QueryLog.objects.exists()  # the search itself writes nothing: the worker does
    assert analytics.flush() == 1
    log = QueryLog.objects.get()
    assert log.query == "council tax for [email] [phone] [postcode]"
    assert log.result_count > 0 and log.engine == "embedded"


def test_redaction_of_reference_numbers():
    assert redact("Account 12345678 arrears") == "account [number] arrears"


@pytest.mark.parametrize(
    "typed",
    [
        "NB1 2AB",
        "nb12ab",
        "NB1-2AB",
        "nb1  2ab",
        "GIR 0AA",
        "EC1A 1BB",
        "ec1a-1bb",
    ],
)
def test_every_way_of_typing_a_postcode_is_blanked(typed):
    assert redact(f"bins {typed} today") == "bins [postcode] today"


@pytest.mark.parametrize(
    "typed", ["01632 960001", "(01632) 960-001", "+44 1632 960 001", "01632.960.001", "07700900123"]
)
def test_every_way_of_typing_a_phone_number_is_blanked(typed):
    assert redact(f"call {typed} back") == "call [phone] back"


def test_a_tracking_reference_is_blanked():
    assert redact("where is SP-7K2Q-9XMD") == "where is [reference]"


def test_search_page_lists_results_with_click_links(client, indexed):
    response = client.get("/search/", {"q": "council tax"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pay your council tax" in html and "2 results" in html
    analytics.flush()
    log = QueryLog.objects.get()
    assert len(log.token) == 16
    assert f"/search/click/?log={log.token}&amp;pos=1&amp;to=/council-tax/pay-council-tax/" in html


def test_no_results_page_gives_advice_and_popular_journeys(client, indexed):
    html = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert "No results found" in html and "check your spelling" in html
    assert "Pay your council tax" in html  # a popular journey


def test_search_page_shows_postcode_errors_in_plain_english(client, indexed):
    html = client.get("/search/", {"q": "food", "postcode": "12345"}).content.decode()
    assert "Postcode must be a real UK postcode, like NB1 1AA" in html
    assert "sp-error-summary" in html


def test_click_is_recorded_and_redirects_only_within_the_site(client, indexed):
    html = client.get("/search/", {"q": "pothole"}).content.decode()
    token = html.split("/search/click/?log=")[1].split("&amp;")[0]
    response = client.get(
        "/search/click/", {"log": token, "pos": 1, "to": "/forms/report-a-pothole/"}
    )
    assert response.status_code == 302 and response["Location"] == "/forms/report-a-pothole/"
    evil = client.get("/search/click/", {"log": token, "pos": 1, "to": "https://evil.example/"})
    assert evil["Location"] == "/search/"
    analytics.flush()  # the search and its click, written together by the worker
    click = SearchClick.objects.get()
    assert click.position == 1 and click.log == QueryLog.objects.get(token=token)


def test_a_click_from_a_page_served_before_tokens_still_counts(client, indexed):
    old = QueryLog.objects.create(query="bins", locale="en-gb", result_count=5, engine="embedded")
    client.get("/search/click/", {"log": old.pk, "pos": 2, "to": "/bins/"})
    analytics.flush()
    assert old.clicks.get().position == 2


def test_promoted_results_come_first(client, indexed):
    home = Page.get_first_root_node().get_children().first()
    query = PromotedQuery.get("council tax")
    SearchPromotion.objects.create(query=query, page=home, description="Start here.", sort_order=0)
    data = client.get("/api/v1/search/", {"q": "Council Tax"}).json()
    assert data["results"][0]["promoted"] is True
    assert data["results"][0]["title"] == home.title


def test_reports_for_product_owners(client, indexed):
    for text in ["bins", "bins", "xylophone", "council tax", "council tax"]:
        client.get("/api/v1/search/", {"q": text})
    analytics.flush()
    log = QueryLog.objects.filter(query="council tax").first()
    SearchClick.objects.create(log=log, url="/council-tax/pay-council-tax/", position=1)
    assert api.zero_result_queries() == [
        {"query": "xylophone", "count": 1, "zero_result": True, "clicks": 0}
    ]
    assert [row["query"] for row in api.unclicked_queries()] == ["bins"]
    assert api.queries_matching("Paying council tax") == [
        {"query": "council tax", "count": 2, "zero_result": False, "clicks": 1}
    ]
    admin = User.objects.create_superuser("admin", "admin@northbrook.example", "pw")
    client.force_login(admin)
    html = client.get("/admin/reports/search/").content.decode()
    assert "xylophone" in html and "Queries nobody clicks" in html


@pytest.mark.django_db
def test_searches_are_rate_limited_per_address(client, settings):
    settings.SEARCH_RATE_LIMIT = (2, 60)
    assert client.get("/api/v1/search/", {"q": "bins"}).status_code == 200
    assert client.get("/search/", {"q": "bins"}).status_code == 200
    limited = client.get("/api/v1/search/", {"q": "bins"})
    assert limited.status_code == 429
    assert "Try again in a minute" in limited.json()["error"]
    page = client.get("/search/", {"q": "bins"})
    assert page.status_code == 429 and b"Wait a minute" in page.content
    other = client.get("/api/v1/search/", {"q": "bins"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_each_language_answers_in_its_own_words_then_falls_back_to_english(client, db, settings):
    settings.ELASTICSEARCH_URL = ""
    EmbeddedEngine().rebuild(council())  # includes a page in Polish
    polish = client.get("/api/v1/search/", {"q": "śmieci", "locale": "pl"}).json()
    assert polish["results"] and all(r["url"].startswith("/pl/") for r in polish["results"])
    assert not polish["notice"]
    # Nothing in Polish about food banks yet: the English services answer, and say so.
    fallback = client.get("/api/v1/search/", {"q": "food bank", "locale": "pl"}).json()
    assert fallback["results"] and all(
        r["url"].startswith("/directory/") for r in fallback["results"]
    )
    assert "in English" in fallback["notice"]
    assert client.get("/api/v1/search/", {"q": "śmieci", "locale": "en-gb"}).json()["total"] == 0


def test_search_success_is_a_click_within_the_first_three_results(db):
    assert api.search_success_rate() is None
    first = QueryLog.objects.create(query="bins", locale="en-gb", result_count=5, engine="embedded")
    SearchClick.objects.create(log=first, url="/bins/", position=2)
    SearchClick.objects.create(log=first, url="/bins/other/", position=1)
    late = QueryLog.objects.create(query="tax", locale="en-gb", result_count=9, engine="embedded")
    SearchClick.objects.create(log=late, url="/tax/", position=7)
    QueryLog.objects.create(query="noise", locale="en-gb", result_count=0, engine="embedded")
    assert api.search_success_rate() == pytest.approx(1 / 3)


@pytest.mark.django_db
def test_queries_by_the_pages_chosen_and_by_stemmed_phrases():
    def log(query, results):
        return QueryLog.objects.create(
            query=query, locale="en", result_count=results, engine="database"
        )

    bins = log("bin not emptied", 4)
    SearchClick.objects.create(log=bins, url="/bins/missed/", position=1)
    SearchClick.objects.create(log=bins, url="/bins/missed/?from=search", position=2)
    SearchClick.objects.create(log=log("bin day", 3), url="/bins/days/", position=1)
    assert api.queries_clicking(["https://www.northbrook.gov.uk/bins/missed/"]) == [
        {
            "query": "bin not emptied",
            "count": 1,
            "zero_result": False,
            "clicks": 2,
            "chosen": {"/bins/missed/": 2},
        }
    ]

    log("falling in the garden", 0)
    log("families moving", 0)
    log("falling", 7)  # found something: not a gap
    log("fall", 0)
    found = api.zero_result_queries_with(["falls", "new family"])
    assert [(row["query"], row["phrase"]) for row in found] == [
        ("fall", "falls"),
        ("falling in the garden", "falls"),
    ]
    assert api.stems("Families falling") == ["famili", "fall"]
    assert api.logged_query("  Bin  DAY ") == "bin day"
