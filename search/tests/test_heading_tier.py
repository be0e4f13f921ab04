"""Issue 17: on a large site the results are the pages about the words, on both engines.

When at least ``HEADING_ENOUGH`` documents carry the resident's words in their headings
(title, questions, summary, topics), pages that only mention them in their body are left
out: that is what keeps a search over common words fast at 100,000 pages (bench/search.py).
Below that, or in languages other than English, every mention counts. Totals, tabs and
filters all count the same set, so the numbers a resident sees agree.
"""

import pytest

from search.engines.base import HEADING_ENOUGH, Query
from search.text import parse

from .documents import doc

pytestmark = pytest.mark.django_db


def about_council_tax(count: int) -> list:
    return [
        doc(
            f"page:tax-{i}",
            "page",
            f"Pay your council tax: area {i}",
            f"/council-tax/area-{i}/",
            summary="How to pay, and what to do if you cannot.",
            personas=["tenants"] if i % 2 else ["report-and-transact"],
            topics=["council-tax"],
        )
        for i in range(count)
    ]


def mentioning_council_tax(count: int) -> list:
    return [
        doc(
            f"page:library-{i}",
            "page",
            f"Library opening hours: branch {i}",
            f"/libraries/branch-{i}/",
            summary="When the library is open.",
            body="Libraries take council tax payments at the front desk.",
            personas=["tenants"],
            topics=["libraries"],
        )
        for i in range(count)
    ]


@pytest.fixture
def find(engine):
    def search(text: str, **filters) -> object:
        return engine.search(Query(text=text, clauses=parse(text, groups=[]), **filters))

    return search


def test_with_enough_pages_about_the_words_passing_mentions_are_left_out(engine, load, find):
    load(about_council_tax(HEADING_ENOUGH) + mentioning_council_tax(30))
    results = find("council tax")
    assert results.total == HEADING_ENOUGH
    assert dict(results.facets["kind"]) == {"page": HEADING_ENOUGH}
    assert dict(results.facets["topic"]) == {"council-tax": HEADING_ENOUGH}
    assert dict(results.facets["persona"]) == {
        "tenants": HEADING_ENOUGH // 2,
        "report-and-transact": HEADING_ENOUGH // 2,
    }
    assert all(hit.title.startswith("Pay your council tax") for hit in results.hits)
    # A filter counts within the same set: the number on the filter is what it then finds.
    assert find("council tax", personas=("tenants",)).total == HEADING_ENOUGH // 2
    # The second page of results continues the same set.
    second = find("council tax", offset=10)
    assert all(hit.title.startswith("Pay your council tax") for hit in second.hits)
    assert {hit.url for hit in second.hits}.isdisjoint({hit.url for hit in results.hits})


def test_below_that_every_mention_counts(engine, load, find):
    load(about_council_tax(HEADING_ENOUGH - 1) + mentioning_council_tax(30))
    results = find("council tax")
    assert results.total == HEADING_ENOUGH - 1 + 30
    assert dict(results.facets["topic"]) == {
        "council-tax": HEADING_ENOUGH - 1,
        "libraries": 30,
    }
    # The pages about it still come first.
    assert all(hit.title.startswith("Pay your council tax") for hit in results.hits)


def test_the_headings_follow_each_edit_and_removal(engine, load, find):
    pages = about_council_tax(HEADING_ENOUGH)
    load(pages + mentioning_council_tax(30))
    # One page stops being about council tax: 99 pages about it are no longer enough.
    renamed = doc("page:tax-0", "page", "Parking permits: area 0", "/parking/area-0/")
    engine.index([renamed])
    assert find("council tax").total == HEADING_ENOUGH - 1 + 30
    assert find("parking permits").total == 1
    # It comes back, then another is removed altogether.
    engine.index([pages[0]])
    assert find("council tax").total == HEADING_ENOUGH
    engine.delete(["page:tax-1"])
    assert find("council tax").total == HEADING_ENOUGH - 1 + 30


def test_a_search_in_another_language_counts_every_mention(engine, load, find):
    polish = [
        doc(f"page:pl-{i}", "page", f"Podatek lokalny: obszar {i}", f"/pl/{i}/", locale="pl")
        for i in range(HEADING_ENOUGH)
    ] + [
        doc(
            f"page:pl-body-{i}",
            "page",
            f"Biblioteka {i}",
            f"/pl/b/{i}/",
            body="Podatek lokalny można zapłacić w bibliotece.",
            locale="pl",
        )
        for i in range(5)
    ]
    load(polish)
    assert find("podatek lokalny", locale="pl").total == HEADING_ENOUGH + 5
