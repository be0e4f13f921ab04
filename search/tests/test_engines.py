"""The shared search suite: every test runs on the embedded engine and on real Elasticsearch."""

import pytest

from search import registry, service
from search.models import Synonym
from search.service import SearchRequest

from .documents import council, doc, many_pages


def find(text="", **options):
    return service.search(SearchRequest(text=text, **options), log=False)


def urls(outcome):
    return [hit.url for hit in outcome.hits]


@pytest.fixture
def geocoder(monkeypatch):
    places = {"NB1 1AA": (51.5010, -0.1000), "NB9 9ZZ": (40.0, 10.0)}
    monkeypatch.setattr(registry, "_geocoder", places.get)


def test_title_match_finds_the_document(engine, load):
    load(council())
    outcome = find("pothole")
    assert urls(outcome)[0] == "/forms/report-a-pothole/"
    assert outcome.engine == engine.name


def test_residents_own_words_match_questions(engine, load):
    load(council())
    assert urls(find("my bins weren't emptied"))[0] == "/bins/missed-bin/"


def test_stemming_matches_other_forms_of_a_word(engine, load):
    load(council())
    assert "/forms/report-a-pothole/" in urls(find("potholes"))
    assert "/bins/collection-days/" in urls(find("collections"))


def test_title_and_questions_outrank_body(engine, load):
    load(
        council()
        + [
            doc(
                "page:50",
                "page",
                "Recycling centre",
                "/recycling/",
                body="You can also pay council tax at the front desk.",
            )
        ]
    )
    found = urls(find("pay council tax"))
    assert found.index("/council-tax/pay-council-tax/") < found.index("/recycling/")


def test_typos_still_find_results_and_suggest_a_spelling(engine, load):
    load(council())
    outcome = find("pothloe")
    assert "/forms/report-a-pothole/" in urls(outcome)[:3]
    assert outcome.suggestion == "pothole"


def test_synonyms_apply_at_query_time_without_reindexing(engine, load):
    load(council())
    assert "/bins/missed-bin/" not in urls(find("rubbish"))
    Synonym.objects.create(terms="bin, refuse, rubbish, waste")
    assert urls(find("rubbish"))[0] in {"/bins/missed-bin/", "/bins/collection-days/"}


def test_phrase_synonyms(engine, load):
    load(council())
    Synonym.objects.create(terms="blue badge, disabled parking")
    assert urls(find("disabled parking"))[0] == "/parking/blue-badge/"


def test_journeys_come_first_when_they_match(engine, load):
    load(council())
    found = find("council tax")
    assert found.hits[0].kind == "journey"


def test_kind_filter_keeps_kind_facet_counts(engine, load):
    load(council())
    outcome = find("council tax", kinds=("page",))
    assert [hit.kind for hit in outcome.hits] == ["page"]
    assert dict(outcome.facets["kind"]) == {"journey": 1, "page": 1}
    assert outcome.total == 1


def test_persona_filter_and_facets(engine, load):
    load(council())
    outcome = find("council tax", personas=("report-and-transact",))
    assert urls(outcome) == ["/council-tax/pay-council-tax/"]
    everything = find("council tax")
    assert dict(everything.facets["persona"])["tenants"] == 2
    assert dict(everything.facets["delivery_unit"]) == {"revenues-and-benefits": 2}
    assert dict(everything.facets["topic"]) == {"council-tax": 2}


def test_highlights_mark_matches_and_escape_html(engine, load):
    load(council())
    hit = next(h for h in find("band").hits if h.url == "/council-tax/bands/")
    assert "<mark>" in hit.highlight
    assert "<script>" not in hit.highlight


def test_locales_are_kept_apart(engine, load):
    load(council())
    assert "/pl/bins/missed-bin/" not in urls(find("missed bin"))
    assert urls(find("śmieci", locale="pl")) == ["/pl/bins/missed-bin/"]


def test_postcode_brings_services_near_you(engine, load, geocoder):
    load(council())
    outcome = find("food bank", postcode="NB1 1AA")
    near = [hit.title for hit in outcome.nearby]
    assert near == ["Northbrook Food Bank", "Riverside Food Bank"]
    assert outcome.nearby[0].distance_km == pytest.approx(0.1, abs=0.1)
    assert outcome.hits[0].title == "Northbrook Food Bank"


def test_unknown_postcode_is_a_clear_error(engine, load, geocoder):
    load(council())
    with pytest.raises(service.BadSearch, match="could not find that postcode"):
        find("food bank", postcode="NB2 2BB")


def test_prefix_suggestions(engine, load):
    load(council())
    titles = [item["title"] for item in service.suggest("poth", "en-gb")]
    assert titles[0] == "Report a pothole"
    assert "Report a missed bin collection" in [
        i["title"] for i in service.suggest("missed", "en-gb")
    ]


def test_pagination_and_total(engine, load):
    load(many_pages(23))
    first, third = find("housing advice"), find("housing advice", page=3)
    assert first.total == 23 and first.pages == 3
    assert len(first.hits) == 10 and len(third.hits) == 3
    assert not set(urls(first)) & set(urls(third))


def test_index_and_delete_single_documents(engine, load):
    load(council())
    engine.index(
        [doc("page:77", "page", "Allotments", "/allotments/", summary="Rent an allotment plot.")]
    )
    assert urls(find("allotment")) == ["/allotments/"]
    engine.delete(["page:77"])
    assert urls(find("allotment")) == []
    assert "page:77" not in engine.fingerprints()


def test_fingerprints_describe_the_index(engine, load):
    documents = council()
    load(documents)
    assert engine.fingerprints() == {d.id: d.fingerprint() for d in documents}


def test_empty_query_returns_popular_items(engine, load):
    load(council())
    outcome = find("")
    assert outcome.hits and outcome.hits[0].kind == "journey"
