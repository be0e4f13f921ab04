"""Issue 16: residents never hit a dead end in search, on both engines and with the demo council.

The tracking page is found by the words residents use for it; persona filters and results say
what residents call a persona, never the team's name; "did you mean" only when it finds clearly
more; searches that find little offer the contact route and a "tell us" box whose words are
kept without personal details and read by the product owners through search.api.
"""

import pytest
from django.test import override_settings

from search import api, registry, service
from search.feedback import FeedbackError, record
from search.models import SearchFeedback
from search.service import SearchRequest
from tests.demo import residents_demo

INTERNAL_PERSONA_NAMES = ("Cusp of care", "Report & transact", "Report and transact", "Tenants")


def find(text="", **options):
    return service.search(SearchRequest(text=text, **options), log=False)


@pytest.fixture
def demo(transactional_db):
    """The demo council that residents see: pages, journeys, forms, services, synonyms."""
    residents_demo()


@pytest.fixture
def demo_index(demo, load):
    """Every document the demo makes, in the engine under test (and the embedded fallback)."""
    load(list(registry.current_documents()))


TRACKING_QUERIES = [
    "track",
    "track my report",
    "progress",
    "check my report",
    "status of my request",
    "check the progress of my request",
]


def test_the_tracking_page_is_found_by_residents_words(engine, demo_index):
    """One test per engine for the tracking page (the demo takes a while to build)."""
    for text in TRACKING_QUERIES:
        top = [hit.url for hit in find(text).hits[:3]]
        assert "/track/" in top, f"{text!r} on {engine.name}: {top}"
    # It is indexed in every language of the site.
    for code, url in (("pl", "/pl/track/"), ("ar", "/ar/track/")):
        assert url in [hit.url for hit in find("track", locale=code).hits[:3]], code


def test_residents_words_for_personas_and_suggestions(engine, demo_index):
    """Persona filters and results, and "did you mean", on the demo (one test per engine)."""
    outcome = find("report")
    facet_labels = registry.persona_labels(
        [slug for slug, _count in outcome.facets.get("persona", [])], "en-gb"
    )
    assert facet_labels["report-and-transact"] == "I want to report something or pay for something"
    shown = " ".join([*facet_labels.values(), *(hit.title for hit in find("care at home").hits)])
    for name in INTERNAL_PERSONA_NAMES:
        assert name not in shown

    # A persona's result shows its summary once.
    hits = [hit for hit in find("older or disabled people", kinds=("persona",)).hits]
    assert hits, "the persona page should be found by its description"
    hit = hits[0]
    assert hit.title == "I’m helping someone stay independent at home"
    assert hit.summary.count("older or disabled people") <= 1
    assert (
        hit.highlight.replace("<mark>", "").replace("</mark>", "").count("older or disabled people")
        <= 1
    )


def test_did_you_mean_only_when_it_finds_clearly_more(engine, demo_index):
    # "father" is a word residents use (the editors' synonyms say so): not a typo of "faster".
    assert find("father fell help").suggestion is None
    # A real typo is still corrected.
    assert find("pothloe").suggestion == "pothole"


@override_settings(ELASTICSEARCH_URL="")
def test_feedback_is_stored_without_personal_details(db):
    feedback = record(
        text="Help for my mum, call me on 07700 900123 or sam@example.com, NB1 1AA",
        query="mum help sam@example.com",
        locale="en-gb",
        result_count=0,
    )
    stored = SearchFeedback.objects.get(pk=feedback.pk)
    assert "07700" not in stored.text and "example.com" not in stored.text
    assert "nb1 1aa" not in stored.text.lower()
    assert "[phone]" in stored.text and "[email]" in stored.text and "[postcode]" in stored.text
    assert "example.com" not in stored.query


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Enter what you were looking for"), ("x" * 501, "500 characters or fewer")],
)
def test_feedback_must_say_something_short(db, text, message):
    with pytest.raises(FeedbackError, match=message):
        record(text=text, query="q", locale="en-gb", result_count=0)
    assert not SearchFeedback.objects.exists()


def test_product_owners_read_feedback_through_the_api(db):
    record(
        text="Someone to help my dad after he keeps falling",
        query="",
        locale="en-gb",
        result_count=0,
    )
    record(text="parking for a wedding", query="", locale="en-gb", result_count=1)
    rows = api.feedback_with(["falls", "fall prevention"])
    assert [row["text"] for row in rows] == ["someone to help my dad after he keeps falling"]
    assert rows[0]["phrase"] == "falls"
    assert [row["text"] for row in api.recent_feedback()][0] == "parking for a wedding"
