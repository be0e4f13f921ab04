"""Issue 19: nothing a resident types about themselves into search is kept.

``data/pii_queries.json`` holds realistic searches that carry personal data (National Insurance
and card numbers, dates of birth and the names beside them, home addresses, request references,
account numbers, phones, emails, postcodes), each with the fragments that must never be stored.
Every one goes through the real search API, the search page and the "tell us what you were
looking for" form; then every stored query and message is read back.
"""

import json
import re
from pathlib import Path

import pytest

from search import analytics
from search.engines.embedded import EmbeddedEngine
from search.models import QueryLog, SearchFeedback
from search.text import luhn_valid, redact
from tests.caches import clear_caches

from .documents import council

CORPUS = json.loads((Path(__file__).parent / "data" / "pii_queries.json").read_text())


@pytest.fixture
def indexed(db, settings):
    settings.ELASTICSEARCH_URL = ""
    settings.SEARCH_RATE_LIMIT = (10_000, 60)
    settings.SEARCH_FEEDBACK_RATE_LIMIT = (10_000, 3600)
    clear_caches()
    EmbeddedEngine().rebuild(council())
    yield
    clear_caches()


def stored_texts() -> list[str]:
    """Everything search keeps that a resident typed: the query log and their feedback."""
    analytics.flush()
    texts = list(QueryLog.objects.values_list("query", flat=True))
    for query, text in SearchFeedback.objects.values_list("query", "text"):
        texts += [query, text]
    return texts


def test_the_corpus_is_big_enough_to_mean_something():
    assert len(CORPUS) >= 40
    assert all(case["pii"] for case in CORPUS)


def test_no_personal_data_from_the_corpus_is_stored(client, indexed):
    for case in CORPUS:
        assert client.get("/api/v1/search/", {"q": case["query"]}).status_code == 200
        assert client.get("/search/", {"q": case["query"]}).status_code == 200
        posted = client.post(
            "/search/feedback/", {"q": case["query"], "count": "0", "looking_for": case["query"]}
        )
        assert posted.status_code == 302, case["query"]
    analytics.flush()
    assert QueryLog.objects.count() == 2 * len(CORPUS)
    assert SearchFeedback.objects.count() == len(CORPUS)
    leaks = [
        (text, fragment)
        for text in stored_texts()
        for case in CORPUS
        for fragment in case["pii"]
        if fragment in text
    ]
    assert not leaks
    # Whatever the corpus forgot to list: no stored text keeps four digits in a row.
    assert not [text for text in stored_texts() if re.search(r"\d{4}", text)]


def test_what_the_council_needs_to_know_survives():
    """Redaction blanks the person, not the need: the service words stay for the analytics."""
    assert redact("housing benefit QQ123456C") == "housing benefit [ni number]"
    assert redact("pay council tax card 4111 1111 1111 1111") == "pay council tax card [card]"
    assert redact("bins not collected 12 mill lane") == "bins not collected [address]"
    assert redact("council tax for Mary Jones born 4 July 1962") == (
        "council tax for [name] born [date]"
    )
    assert redact("where is my request SP-7K2Q-9XMD") == "where is my [reference]"
    assert redact("ref AB12345 planning objection") == "[reference] planning objection"


@pytest.mark.parametrize(
    "query",
    [
        "blue badge form",
        "council tax band d",
        "2 bedroom house",
        "bins 3 weeks late",
        "parking permit zone 12",
        "apply for school place 2025",
        "a4 printing",
        "covid19 support",
        "fly tipping behind the shops",
    ],
)
def test_ordinary_searches_are_kept_as_typed(query):
    assert redact(query) == query


@pytest.mark.parametrize(
    "typed, blanked",
    [
        ("4111 1111 1111 1111", "[card]"),  # passes the Luhn check
        ("4111 1111 1111 1112", "[number]"),  # doesn't, and is blanked all the same
        ("378282246310005", "[card]"),
    ],
)
def test_card_numbers_are_told_by_the_luhn_check(typed, blanked):
    assert redact(f"pay {typed}") == f"pay {blanked}"


def test_luhn():
    assert luhn_valid("4111111111111111") and luhn_valid("79927398713")
    assert not luhn_valid("4111111111111112")


@pytest.mark.parametrize(
    "typed", ["12/03/1985", "1985-03-12", "3rd March 1985", "march 3 1985", "7.9.58", "25 dec"]
)
def test_any_date_is_blanked(typed):
    assert redact(f"renew pass {typed}") == "renew pass [date]"
